/**
 * Network hop classes: what kind of path a packet takes between two endpoints, which decides its latency.
 */

/**
 * - `loopback`: inside one pod or VM (app ↔ its sidecar over 127.0.0.1, or via the iptables redirect);
 * - `sameNode`: pod to pod on one node (veth pair and the node's bridge or eBPF datapath);
 * - `crossNode`: pod to pod on different nodes of the cluster network;
 * - `vm`: between the cluster and a VM outside it (mesh expansion with WorkloadEntries), or VM to VM;
 * - `external`: to or from a client or service outside the mesh's network (the internet).
 */
export type HopClass = 'loopback' | 'sameNode' | 'crossNode' | 'vm' | 'external';

/** Every hop class, in a stable order. */
export const HOP_CLASSES: readonly HopClass[] = ['loopback', 'sameNode', 'crossNode', 'vm', 'external'];

/**
 * Where a packet starts or ends. `node` names the failure domain a partition cuts: the Kubernetes node of
 * a pod, the VM itself, or the external client.
 */
export type NetworkEndpoint =
  | { readonly kind: 'pod'; /** `namespace/name` */ readonly pod: string; readonly node: string }
  | { readonly kind: 'vm'; readonly name: string; readonly node: string }
  | { readonly kind: 'external'; readonly name: string; readonly node: string };

/** The hop class between two endpoints. */
export function classifyHop(from: NetworkEndpoint, to: NetworkEndpoint): HopClass {
  if (from.kind === 'external' || to.kind === 'external') {
    return from.kind === 'external' && to.kind === 'external' && from.name === to.name ? 'loopback' : 'external';
  }
  if (from.kind === 'vm' || to.kind === 'vm') {
    return from.kind === 'vm' && to.kind === 'vm' && from.name === to.name ? 'loopback' : 'vm';
  }
  if (from.pod === to.pod) return 'loopback';
  return from.node === to.node ? 'sameNode' : 'crossNode';
}
