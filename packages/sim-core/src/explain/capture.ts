/**
 * Does the kernel hand the connection to Envoy? A sidecar pod's traffic is captured by the rules
 * `istio-iptables` installed from the pod's `istio-init` arguments — meshsim builds exactly those rules
 * (netfilter/istio/capture.ts) and follows the connection's first packet through the pod's network
 * namespace: an outbound packet from the application's uid through OUTPUT (`ISTIO_OUTPUT` →
 * `ISTIO_REDIRECT` → 15001), an inbound one through PREROUTING (`ISTIO_INBOUND` → `ISTIO_IN_REDIRECT` →
 * 15006). Excluded ports and ranges, and an application running as the proxy's uid 1337, are not captured.
 */
import { parseIp } from '../netfilter/addr.js';
import { sidecarPodNamespace } from '../netfilter/namespaces.js';
import type { NetNamespace } from '../netfilter/netns.js';
import { IPPROTO } from '../netfilter/packet.js';
import type { IptablesInvocation } from '../istio/model/injection/iptablesArgs.js';

/** The result of following the first packet. */
export interface CaptureResult {
  /** The Envoy port the connection is redirected to (15001, 15006), or undefined when not captured. */
  readonly port?: number;
  /** One line: what the kernel did and why. */
  readonly text: string;
}

const namespaces = new WeakMap<IptablesInvocation, Map<string, NetNamespace | Error>>();

function netnsOf(inv: IptablesInvocation, podIP: string): NetNamespace | Error {
  let byIp = namespaces.get(inv);
  if (byIp === undefined) {
    byIp = new Map();
    namespaces.set(inv, byIp);
  }
  let ns = byIp.get(podIP);
  if (ns === undefined) {
    try {
      ns = sidecarPodNamespace(podIP, inv);
    } catch (error) {
      ns = error instanceof Error ? error : new Error(String(error));
    }
    byIp.set(podIP, ns);
  }
  return ns;
}

/**
 * Follows an outbound TCP connection from the application (running as `uid`) to `dst:port`. Without an
 * `istio-init` invocation (gateways, CNI), nothing is captured.
 */
export function outboundCapture(
  inv: IptablesInvocation | undefined,
  podIP: string,
  uid: number,
  dst: string,
  port: number,
): CaptureResult {
  if (inv === undefined) return { text: 'no istio-iptables rules in this pod: the connection goes out as addressed' };
  const ns = netnsOf(inv, podIP);
  const ip = parseIp(dst);
  if (ns instanceof Error || ip === undefined || ip.family !== 4) {
    return {
      port: 15001,
      text: `assumed redirected to 15001 (${ns instanceof Error ? ns.message : 'address not modelled'})`,
    };
  }
  const out = ns.output({ protocol: IPPROTO.TCP, dst: ip, dport: port, owner: { uid, gid: uid } }, { track: false });
  if (out.verdict === 'local' && out.localPort !== undefined) {
    return {
      port: out.localPort,
      text: `OUTPUT (uid ${uid}) → ISTIO_OUTPUT → ISTIO_REDIRECT: ${dst}:${port} redirected to Envoy's ${out.localPort}`,
    };
  }
  return {
    text: `OUTPUT (uid ${uid}): ${dst}:${port} is not captured (${out.verdict}); the connection bypasses Envoy`,
  };
}

/** Follows an inbound TCP connection from `src` to the pod's `port`. */
export function inboundCapture(
  inv: IptablesInvocation | undefined,
  podIP: string,
  src: string,
  port: number,
): CaptureResult {
  if (inv === undefined)
    return { text: 'no istio-iptables rules in this pod: the connection reaches the listener on the port itself' };
  const ns = netnsOf(inv, podIP);
  const s = parseIp(src);
  const d = parseIp(podIP);
  if (ns instanceof Error || s === undefined || d === undefined || s.family !== 4) {
    return {
      port: 15006,
      text: `assumed redirected to 15006 (${ns instanceof Error ? ns.message : 'address not modelled'})`,
    };
  }
  const out = ns.input({ protocol: IPPROTO.TCP, src: s, sport: 40000, dst: d, dport: port }, { track: false });
  if (out.verdict === 'local' && out.localPort !== undefined && out.localPort !== port) {
    return {
      port: out.localPort,
      text: `PREROUTING → ISTIO_INBOUND → ISTIO_IN_REDIRECT: ${podIP}:${port} redirected to Envoy's ${out.localPort}`,
    };
  }
  return { text: `PREROUTING: ${podIP}:${port} is not captured; the application receives the connection directly` };
}
