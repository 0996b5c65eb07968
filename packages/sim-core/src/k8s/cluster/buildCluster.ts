/**
 * `buildCluster`: the cluster the manifests describe, as the control plane would converge it — namespaces,
 * nodes, service accounts, pods (created by their controllers, passed through admission, scheduled and
 * addressed), Services with ClusterIPs, and EndpointSlices. Pure and deterministic: the result depends on the
 * set of objects, not on their order or on how they were split into files.
 */
import { deepFreeze } from '../freeze.js';
import { byNamespaceName, compareStrings } from '../json.js';
import { readLabels } from '../labels.js';
import { formatCidr, parseCidr, parseIPv4 } from '../net/ipv4.js';
import type { KubeObject } from '../object.js';
import { buildEndpointSlices } from './endpointSlices.js';
import { declaredNodes, defaultNodes, type DefaultNodesOptions } from './nodes.js';
import { schedulePods } from './scheduling.js';
import { buildServices } from './services.js';
import { SYSTEM_NAMESPACES, systemObjects } from './systemObjects.js';
import type { Cluster, ClusterDiagnostic, Namespace, Node, ServiceAccount } from './types.js';
import { podDrafts, type PodDraft } from './workloads.js';

/**
 * An admission step (a mutating webhook): sees each pod the controllers create, before it is stored.
 * Pods that already exist (from a dump) are not admitted again.
 */
export type AdmissionHook = (
  pod: PodDraft,
  namespace: Namespace,
  nodes: readonly Node[],
) => PodDraft | { readonly rejected: string };

/** Options of {@link buildCluster}. */
export interface ClusterOptions {
  /** @defaultValue `'cluster.local'` */
  readonly domain?: string;
  /** @defaultValue `'10.244.0.0/16'` (kubeadm/flannel/kind) */
  readonly podCIDR?: string;
  /** @defaultValue `'10.96.0.0/12'` (kubeadm) */
  readonly serviceCIDR?: string;
  /** The default node set, used when the manifests declare no Node. */
  readonly nodes?: DefaultNodesOptions;
  /** Add the `kubernetes` and `kube-dns` Services and CoreDNS. @defaultValue true */
  readonly systemServices?: boolean;
  /** Mutating admission (sidecar injection). @defaultValue none */
  readonly admit?: AdmissionHook;
}

const DEFAULT_NODE_IP_START = parseIPv4('172.18.0.2') as number;

/** Builds the frozen {@link Cluster} for `objects`. */
export function buildCluster(objects: readonly KubeObject[], options: ClusterOptions = {}): Cluster {
  const domain = options.domain ?? 'cluster.local';
  const podCIDR = parseCidr(options.podCIDR ?? '10.244.0.0/16');
  const serviceCIDR = parseCidr(options.serviceCIDR ?? '10.96.0.0/12');
  const network = { podCIDR, nodeIPStart: DEFAULT_NODE_IP_START };
  const nodeObjects = objects.filter((o) => o.kind === 'Node');
  const nodes =
    nodeObjects.length > 0
      ? declaredNodes(nodeObjects, network, options.nodes ?? {})
      : defaultNodes(options.nodes ?? {}, network);
  const all =
    options.systemServices === false
      ? objects
      : [...objects, ...systemObjects(serviceCIDR, nodes[0]?.internalIP ?? '172.18.0.2')];

  const namespaces = buildNamespaces(all);
  const nsByName = new Map(namespaces.map((n) => [n.name, n]));
  const rejections: ClusterDiagnostic[] = [];
  const drafts = podDrafts(all).flatMap((d): PodDraft[] => {
    if (d.existing || options.admit === undefined) return [d];
    const ns = nsByName.get(d.namespace) as Namespace;
    const admitted = options.admit(d, ns, nodes);
    if ('rejected' in admitted) {
      // The API server refuses the pod (a webhook with failurePolicy: Fail said no); its controller retries forever.
      rejections.push({
        code: 'AdmissionRejected',
        kind: d.workload.kind,
        namespace: d.namespace,
        name: d.workload.name,
        source: d.source,
        message: `pod ${d.namespace}/${d.name} is rejected at admission: ${admitted.rejected}`,
      });
      return [];
    }
    return [admitted];
  });
  const scheduled = schedulePods(drafts, nodes);
  const svc = buildServices(
    all.filter((o) => o.kind === 'Service'),
    serviceCIDR,
  );
  const eps = buildEndpointSlices(
    svc.services,
    scheduled.pods,
    all.filter((o) => o.kind === 'EndpointSlice' || o.kind === 'Endpoints'),
  );
  const diagnostics: ClusterDiagnostic[] = [
    ...rejections,
    ...scheduled.diagnostics,
    ...svc.diagnostics,
    ...eps.diagnostics,
  ];

  const cluster: Cluster = {
    domain,
    podCIDR: formatCidr(podCIDR),
    serviceCIDR: formatCidr(serviceCIDR),
    namespaces,
    nodes,
    serviceAccounts: buildServiceAccounts(all, namespaces),
    pods: [...scheduled.pods].sort(byNamespaceName),
    services: svc.services,
    endpointSlices: eps.endpointSlices.sort(byNamespaceName),
    diagnostics,
  };
  return deepFreeze(cluster);
}

function buildNamespaces(objects: readonly KubeObject[]): Namespace[] {
  const out = new Map<string, Namespace>();
  for (const name of SYSTEM_NAMESPACES) out.set(name, implied(name));
  for (const o of objects) {
    const ns = o.metadata.namespace;
    if (ns !== undefined && ns !== '' && !out.has(ns)) out.set(ns, implied(ns));
  }
  for (const o of objects) {
    if (o.kind !== 'Namespace') continue;
    out.set(o.metadata.name, {
      name: o.metadata.name,
      // The apiserver adds this label to every namespace (Kubernetes ≥ 1.21); webhooks select on it.
      labels: { ...readLabels(o.metadata.labels), 'kubernetes.io/metadata.name': o.metadata.name },
      annotations: readLabels(o.metadata.annotations),
      declared: true,
      source: o.source,
    });
  }
  return [...out.values()].sort((a, b) => compareStrings(a.name, b.name));
}

function implied(name: string): Namespace {
  return { name, labels: { 'kubernetes.io/metadata.name': name }, annotations: {}, declared: false };
}

function buildServiceAccounts(objects: readonly KubeObject[], namespaces: readonly Namespace[]): ServiceAccount[] {
  const out = new Map<string, ServiceAccount>();
  // The ServiceAccount admission controller creates `default` in every namespace.
  for (const ns of namespaces) out.set(`${ns.name}/default`, { name: 'default', namespace: ns.name, declared: false });
  for (const o of objects) {
    if (o.kind !== 'ServiceAccount') continue;
    const namespace = o.metadata.namespace ?? 'default';
    out.set(`${namespace}/${o.metadata.name}`, { name: o.metadata.name, namespace, declared: true });
  }
  return [...out.values()].sort(byNamespaceName);
}
