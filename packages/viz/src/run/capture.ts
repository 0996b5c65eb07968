/**
 * The netfilter side of a request's path: the first packet of a connection through the pod's real
 * istio-iptables rules (built from its `istio-init` arguments, as istio/istio tools/istio-iptables does),
 * outbound from the app and inbound at the server — and, for VMs, the capture the simulated world gives
 * them.
 */
import { DEFAULT_ISTIO_IPTABLES_ARGS, netfilter, type MeshModel, type MeshProxy } from '@meshsim/sim-core';
import type { PacketTraceLike } from '../model/index.js';

function rulesNamespace(p: MeshProxy): ReturnType<typeof netfilter.istioPodNamespace> | undefined {
  const inv = p.iptables;
  if (inv === undefined) return undefined;
  try {
    const cfg = netfilter.parseIstioIptablesArgs(inv.args, { env: inv.env, nameservers: inv.dnsServers });
    return netfilter.istioPodNamespace(netfilter.buildIstioRules(cfg), p.ip);
  } catch {
    return undefined;
  }
}

/** The first packet of the app's connection to `dst:port` through its pod's istio-iptables rules. */
export function clientTraversal(p: MeshProxy, uid: number, dst: string, port: number): PacketTraceLike | undefined {
  const ns = rulesNamespace(p);
  const ip = netfilter.parseIp(dst);
  if (ns === undefined || ip === undefined) return undefined;
  return ns.output(
    { protocol: netfilter.IPPROTO.TCP, dst: ip, dport: port, owner: { uid, gid: uid } },
    { trace: true, track: false },
  );
}

/** Envoy's uid (istio-iptables `--proxy-uid`), whose own connections the OUTPUT rules tell apart. */
const ENVOY_UID = 1337;

/**
 * The first packet of a connection from `src` arriving at the server pod on `port`: through PREROUTING
 * from another host; through OUTPUT when the pod calls itself (Envoy's connection to its own pod address
 * never leaves the host: `ISTIO_OUTPUT` hands it to 15006).
 */
export function serverTraversal(p: MeshProxy, src: string, port: number): PacketTraceLike | undefined {
  const ns = rulesNamespace(p);
  const s = netfilter.parseIp(src);
  const d = netfilter.parseIp(p.ip);
  if (ns === undefined || s === undefined || d === undefined) return undefined;
  if (src === p.ip) {
    return ns.output(
      { protocol: netfilter.IPPROTO.TCP, dst: d, dport: port, owner: { uid: ENVOY_UID, gid: ENVOY_UID } },
      { trace: true, track: false },
    );
  }
  return ns.input(
    { protocol: netfilter.IPPROTO.TCP, src: s, sport: 40000, dst: d, dport: port },
    { trace: true, track: false },
  );
}

/**
 * The model with the capture the world gives VMs: a VM's `MeshProxy` carries no `istio-init` invocation
 * (istio-iptables runs from the VM's agent package, not from a pod spec), so `route()` would explain its
 * connections as not captured; the world captures them with istio-iptables' default arguments
 * (mesh/world/podCapture.ts `DEFAULT_ISTIO_IPTABLES_ARGS`), and so do the explanations here.
 */
export function withVmCapture(model: MeshModel): MeshModel {
  if (!model.proxies.some((p) => p.kind === 'VirtualMachine' && p.iptables === undefined)) return model;
  const iptables = { args: DEFAULT_ISTIO_IPTABLES_ARGS, env: {}, redirectDns: false, dnsServers: [] };
  return {
    ...model,
    proxies: model.proxies.map((p) =>
      p.kind === 'VirtualMachine' && p.iptables === undefined ? { ...p, iptables } : p,
    ),
  };
}
