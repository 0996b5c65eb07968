/**
 * kube-proxy (iptables mode) on every node, as the world uses it for traffic that no sidecar intercepts: a
 * connection to a ClusterIP from a pod without a sidecar (or a port its sidecar does not capture) enters
 * its node's netfilter, where `KUBE-SERVICES` → `KUBE-SVC-*` picks an endpoint with `-m statistic --mode
 * random` and DNATs to it (netfilter/kubeProxy builds exactly kube-proxy's rules). The decision is per
 * connection — an L4 balancer: every request on a kept-alive connection goes to the same pod, unlike a
 * sidecar's per-request L7 balancing. The statistic matches draw from `kube-proxy/<node>`, so each new
 * connection gets a fresh traversal (netfilter never caches random decisions). Rules are rebuilt when
 * endpoints change (kube-proxy's sync), from the Services' ready endpoints.
 */
import { formatIp, parseIp } from '../../netfilter/addr.js';
import { CaptureCache } from '../../netfilter/decisionCache.js';
import { buildKubeProxyRules, type KubeProxyServicePort } from '../../netfilter/kubeProxy/proxier.js';
import { kubeProxyServicePorts } from '../../netfilter/kubeProxy/fromCluster.js';
import { kubeProxyNamespace } from '../../netfilter/namespaces.js';
import { IPPROTO } from '../../netfilter/packet.js';
import type { RngStreams } from '../../engine/rng.js';
import type { Cluster } from '../../k8s/cluster/types.js';

/** kube-proxy's DNAT decision for one connection. */
export type KubeProxyDecision = { readonly ip: string; readonly port: number } | 'reject' | undefined;

/** kube-proxy of every node of one cluster. */
export class KubeProxy {
  private clusterIps = new Set<string>();
  private rules: { jumps: string; sync: string } | undefined;
  private readonly nodes = new Map<string, CaptureCache>();
  private readonly rng: RngStreams;
  private cluster: Cluster;
  private readonly ready: (ip: string) => boolean;

  /** `ready(ip)`: whether the endpoint at `ip` is ready now (the world's readiness). */
  constructor(cluster: Cluster, rng: RngStreams, ready: (ip: string) => boolean) {
    this.cluster = cluster;
    this.rng = rng;
    this.ready = ready;
    this.sync(cluster);
  }

  /** kube-proxy's sync after Services or endpoints changed. */
  sync(cluster: Cluster): void {
    this.cluster = cluster;
    const ports: KubeProxyServicePort[] = kubeProxyServicePorts(cluster).map((p) => ({
      ...p,
      endpoints: p.endpoints.map((e) => {
        const up = this.ready(e.ip);
        return { ...e, ready: (e.ready ?? true) && up, serving: (e.serving ?? e.ready ?? true) && up };
      }),
    }));
    this.clusterIps = new Set(ports.map((p) => p.clusterIP));
    this.rules = ports.length === 0 ? undefined : buildKubeProxyRules(ports, { clusterCIDR: cluster.podCIDR });
    this.nodes.clear();
  }

  /** Whether `ip` is a Service's ClusterIP. */
  isClusterIp(ip: string): boolean {
    return this.clusterIps.has(ip);
  }

  /** The DNAT for a new connection from `src:sport` (a pod on `node`) to `dst:dport`. */
  decide(node: string, src: string, sport: number, dst: string, dport: number): KubeProxyDecision {
    if (!this.clusterIps.has(dst) || this.rules === undefined) return undefined;
    const cache = this.nodeCache(node);
    if (cache === undefined) return undefined;
    const s = parseIp(src);
    const d = parseIp(dst);
    if (s === undefined || d === undefined) return undefined;
    const o = cache.decide({ direction: 'in', protocol: IPPROTO.TCP, src: s, sport, dst: d, dport });
    if (o.verdict === 'drop') return 'reject';
    if (o.verdict !== 'dnat') return 'reject';
    return { ip: formatIp(o.destination.ip), port: o.destination.port };
  }

  private nodeCache(name: string): CaptureCache | undefined {
    let c = this.nodes.get(name);
    if (c === undefined) {
      const node = this.cluster.nodes.find((n) => n.name === name);
      if (node === undefined || this.rules === undefined) return undefined;
      const ns = kubeProxyNamespace(this.rules, node.internalIP, { random: this.rng.stream(`kube-proxy/${name}`) });
      c = new CaptureCache(ns);
      this.nodes.set(name, c);
    }
    return c;
  }
}
