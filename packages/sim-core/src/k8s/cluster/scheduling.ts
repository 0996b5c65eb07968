/**
 * Placing pods on nodes and giving them addresses, as the scheduler and the CNI's host-local IPAM would —
 * deterministically. A pod honours `spec.nodeName` and `spec.nodeSelector` (affinity, taints and resources
 * are not modelled); replicas of a workload are spread round-robin over eligible nodes from a start chosen by
 * the workload's name (approximating the default PodTopologySpread). Addresses come from the node's podCIDR
 * (`.0` and the `.1` gateway skipped); `status.podIP`/`status.hostIP` of a dumped pod are honoured.
 */
import { fnv1a32 } from '../hash.js';
import { asArray, asBoolean, asRecord, asString, dig } from '../json.js';
import { labelsMatch, readLabels } from '../labels.js';
import { AddressPool } from '../net/ipam.js';
import { parseCidr } from '../net/ipv4.js';
import { readContainers } from './containers.js';
import { deterministicUid } from './podTemplateHash.js';
import type { ClusterDiagnostic, Node, Pod } from './types.js';
import type { PodDraft } from './workloads.js';

/** Annotation meshsim reads to make a pod (or a pod template's pods) unready: `meshsim.io/ready: "false"`. */
export const READY_ANNOTATION = 'meshsim.io/ready';

/** Schedules admitted drafts onto `nodes`; returns pods (same order) and diagnostics. */
export function schedulePods(
  drafts: readonly PodDraft[],
  nodes: readonly Node[],
): { pods: Pod[]; diagnostics: ClusterDiagnostic[] } {
  const diagnostics: ClusterDiagnostic[] = [];
  const pools = new Map(nodes.map((n) => [n.name, new AddressPool(parseCidr(n.podCIDR), 2, 1)]));
  const load = new Map(nodes.map((n) => [n.name, 0]));
  const nodeByIP = new Map(nodes.map((n) => [n.internalIP, n]));

  // Addresses of pods that already exist are taken first, whatever their order.
  for (const d of drafts) {
    const ip = asString(d.status?.['podIP']);
    if (ip === undefined || asBoolean(dig(d.spec, 'hostNetwork')) === true) continue;
    for (const [nodeName, pool] of pools) {
      if (!pool.contains(ip)) continue;
      const prev = pool.reserve(ip, `${d.namespace}/${d.name}`);
      if (prev !== undefined) {
        diagnostics.push({
          code: 'AddressConflict',
          kind: 'Pod',
          namespace: d.namespace,
          name: d.name,
          source: d.source,
          field: ['status', 'podIP'],
          message: `status.podIP ${ip} is also the address of pod ${prev} on node ${nodeName}`,
        });
      }
    }
  }

  const pods = drafts.map((d): Pod => {
    const node = chooseNode(d, nodes, load, nodeByIP, diagnostics);
    const hostNetwork = asBoolean(dig(d.spec, 'hostNetwork')) === true;
    let podIP = '';
    if (node !== undefined) {
      load.set(node.name, (load.get(node.name) ?? 0) + 1);
      podIP = hostNetwork
        ? node.internalIP
        : (asString(d.status?.['podIP']) ?? pools.get(node.name)?.allocate(`${d.namespace}/${d.name}`) ?? '');
    }
    const spec =
      node !== undefined && dig(d.spec, 'nodeName') === undefined ? { ...d.spec, nodeName: node.name } : d.spec;
    const running = node !== undefined && podIP !== '';
    return {
      name: d.name,
      namespace: d.namespace,
      uid: deterministicUid(`Pod/${d.namespace}/${d.name}`),
      labels: d.labels,
      annotations: d.annotations,
      spec,
      containers: readContainers(spec, 'containers'),
      initContainers: readContainers(spec, 'initContainers'),
      serviceAccountName: asString(spec['serviceAccountName']) ?? asString(spec['serviceAccount']) ?? 'default',
      nodeName: node?.name ?? '',
      hostIP: node?.internalIP ?? '',
      podIP,
      hostNetwork,
      phase: running ? 'Running' : 'Pending',
      ready: running && isReady(d),
      ...(asString(spec['hostname']) !== undefined ? { hostname: asString(spec['hostname']) as string } : {}),
      ...(asString(spec['subdomain']) !== undefined ? { subdomain: asString(spec['subdomain']) as string } : {}),
      locality: node?.locality ?? { region: '', zone: '', subzone: '' },
      workload: d.workload,
      source: d.source,
      existing: d.existing,
    };
  });
  return { pods, diagnostics };
}

function chooseNode(
  d: PodDraft,
  nodes: readonly Node[],
  load: Map<string, number>,
  nodeByIP: Map<string, Node>,
  diagnostics: ClusterDiagnostic[],
): Node | undefined {
  const pinned =
    asString(dig(d.spec, 'nodeName')) ??
    (d.status ? nodeByIP.get(asString(d.status['hostIP']) ?? '')?.name : undefined);
  if (pinned !== undefined) {
    const node = nodes.find((n) => n.name === pinned);
    if (node === undefined) {
      diagnostics.push({
        code: 'NodeNotFound',
        kind: 'Pod',
        namespace: d.namespace,
        name: d.name,
        source: d.source,
        field: ['spec', 'nodeName'],
        message: `pod ${d.namespace}/${d.name} is bound to node ${JSON.stringify(pinned)}, which does not exist; it stays Pending`,
      });
    }
    return node;
  }
  const selector = readLabels(dig(d.spec, 'nodeSelector'));
  const eligible = nodes.filter((n) => labelsMatch(selector, n.labels));
  if (eligible.length > 0) {
    const start = fnv1a32(`${d.namespace}/${d.workload.kind}/${d.workload.name}`) % eligible.length;
    for (let i = 0; i < eligible.length; i++) {
      const node = eligible[(start + d.replica + i) % eligible.length] as Node;
      if ((load.get(node.name) ?? 0) < node.maxPods) return node;
    }
  }
  diagnostics.push({
    code: 'PodPending',
    kind: 'Pod',
    namespace: d.namespace,
    name: d.name,
    source: d.source,
    ...(Object.keys(selector).length > 0 ? { field: ['spec', 'template', 'spec', 'nodeSelector'] } : {}),
    message:
      eligible.length === 0
        ? `pod ${d.namespace}/${d.name} is Pending: no node matches its nodeSelector`
        : `pod ${d.namespace}/${d.name} is Pending: every eligible node already runs its maximum number of pods`,
  });
  return undefined;
}

// A pod is Ready when its containers are; meshsim assumes probes pass unless told otherwise — by the
// `meshsim.io/ready: "false"` annotation or, for a dumped pod, a `Ready` condition that is not `True`.
function isReady(d: PodDraft): boolean {
  if (d.annotations[READY_ANNOTATION] === 'false') return false;
  for (const c of asArray(d.status?.['conditions'])) {
    const cond = asRecord(c);
    if (cond?.['type'] === 'Ready') return cond['status'] === 'True';
  }
  return true;
}
