/**
 * Finding things in a {@link Cluster}. Indexes are built once per (frozen) cluster and cached, so lookups
 * are cheap and a cluster stays plain data.
 */
import { labelsMatch } from '../labels.js';
import type { Cluster, EndpointSlice, Namespace, Node, Pod, Service } from './types.js';

interface Index {
  readonly pods: Map<string, Pod>;
  readonly podsByIP: Map<string, Pod>;
  readonly services: Map<string, Service>;
  readonly namespaces: Map<string, Namespace>;
  readonly nodes: Map<string, Node>;
  readonly slices: Map<string, EndpointSlice[]>;
}

const cache = new WeakMap<Cluster, Index>();

function index(cluster: Cluster): Index {
  let idx = cache.get(cluster);
  if (idx === undefined) {
    const slices = new Map<string, EndpointSlice[]>();
    for (const s of cluster.endpointSlices) {
      const key = `${s.namespace}/${s.serviceName}`;
      const list = slices.get(key);
      if (list === undefined) slices.set(key, [s]);
      else list.push(s);
    }
    idx = {
      pods: new Map(cluster.pods.map((p) => [`${p.namespace}/${p.name}`, p])),
      podsByIP: new Map(cluster.pods.filter((p) => p.podIP !== '' && !p.hostNetwork).map((p) => [p.podIP, p])),
      services: new Map(cluster.services.map((s) => [`${s.namespace}/${s.name}`, s])),
      namespaces: new Map(cluster.namespaces.map((n) => [n.name, n])),
      nodes: new Map(cluster.nodes.map((n) => [n.name, n])),
      slices,
    };
    cache.set(cluster, idx);
  }
  return idx;
}

/** The pod `namespace/name`. */
export function findPod(cluster: Cluster, namespace: string, name: string): Pod | undefined {
  return index(cluster).pods.get(`${namespace}/${name}`);
}

/** The (non-hostNetwork) pod with address `ip`. */
export function findPodByIP(cluster: Cluster, ip: string): Pod | undefined {
  return index(cluster).podsByIP.get(ip);
}

/** The Service `namespace/name`. */
export function findService(cluster: Cluster, namespace: string, name: string): Service | undefined {
  return index(cluster).services.get(`${namespace}/${name}`);
}

/** The Namespace `name`. */
export function findNamespace(cluster: Cluster, name: string): Namespace | undefined {
  return index(cluster).namespaces.get(name);
}

/** The Node `name`. */
export function findNode(cluster: Cluster, name: string): Node | undefined {
  return index(cluster).nodes.get(name);
}

/** The EndpointSlices of Service `namespace/name`. */
export function endpointSlicesOf(cluster: Cluster, namespace: string, name: string): readonly EndpointSlice[] {
  return index(cluster).slices.get(`${namespace}/${name}`) ?? [];
}

/** Pods in `namespace` whose labels match `selector` (every pod when the selector is empty). */
export function podsMatching(cluster: Cluster, namespace: string, selector: Readonly<Record<string, string>>): Pod[] {
  return cluster.pods.filter((p) => p.namespace === namespace && labelsMatch(selector, p.labels));
}

/** Services whose selector selects `pod`. */
export function servicesSelecting(cluster: Cluster, pod: Pod): Service[] {
  return cluster.services.filter(
    (s) => s.namespace === pod.namespace && s.selector !== undefined && labelsMatch(s.selector, pod.labels),
  );
}

/**
 * Finds a pod by `name` or `name.namespace` (the `POD[.NS]` form of `istioctl proxy-config`), defaulting
 * the namespace. Also accepts a unique prefix of the name within the namespace (handy with generated names).
 */
export function resolvePodRef(cluster: Cluster, ref: string, defaultNamespace = 'default'): Pod | undefined {
  const dot = ref.indexOf('.');
  const name = dot < 0 ? ref : ref.slice(0, dot);
  const ns = dot < 0 ? defaultNamespace : ref.slice(dot + 1);
  const exact = findPod(cluster, ns, name);
  if (exact !== undefined) return exact;
  const candidates = cluster.pods.filter((p) => p.namespace === ns && p.name.startsWith(name));
  return candidates.length === 1 ? candidates[0] : undefined;
}
