/**
 * Where generated traffic comes from. meshsim's generators only name the source; the world decides how a
 * request from it enters the mesh: from inside a pod it goes through that pod's netfilter OUTPUT chain and
 * sidecar, from an external client it reaches an ingress gateway (or a NodePort), from a VM it leaves the
 * VM's own sidecar.
 */

/** The origin of generated requests. */
export type TrafficSource =
  /** The application container of a pod sends it (e.g. `curl` in the `sleep` pod). */
  | { readonly kind: 'pod'; readonly namespace: string; readonly pod: string }
  /** A client outside the cluster, e.g. a browser hitting the ingress gateway's address. */
  | { readonly kind: 'external'; readonly name: string; readonly address?: string }
  /** A client that reaches the mesh through the named gateway deployment (Istio's ingress gateway). */
  | { readonly kind: 'gateway'; readonly namespace: string; readonly name: string }
  /** A VM workload (a WorkloadEntry) with its own sidecar. */
  | { readonly kind: 'vm'; readonly namespace: string; readonly name: string };

/** A short stable label for a source, e.g. `pod default/sleep-7f8c9`, `external client`. */
export function describeSource(source: TrafficSource): string {
  switch (source.kind) {
    case 'pod':
      return `pod ${source.namespace}/${source.pod}`;
    case 'external':
      return `external ${source.name}`;
    case 'gateway':
      return `gateway ${source.namespace}/${source.name}`;
    case 'vm':
      return `vm ${source.namespace}/${source.name}`;
  }
}
