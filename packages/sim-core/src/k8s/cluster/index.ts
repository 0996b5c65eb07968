/** The cluster model: nodes, pods, Services and EndpointSlices derived from manifests. */
export { buildCluster, type AdmissionHook, type ClusterOptions } from './buildCluster.js';
export { findPort, readContainers } from './containers.js';
export {
  endpointSlicesOf,
  findNamespace,
  findNode,
  findPod,
  findPodByIP,
  findService,
  podsMatching,
  resolvePodRef,
  servicesSelecting,
} from './lookup.js';
export {
  defaultNodes,
  nodeLocality,
  REGION_LABEL,
  SUBZONE_LABEL,
  ZONE_LABEL,
  type DefaultNodesOptions,
} from './nodes.js';
export { deterministicUid, podTemplateHash, replicaSetPodNames } from './podTemplateHash.js';
export { READY_ANNOTATION } from './scheduling.js';
export { KUBERNETES_SOURCE_FILE, SYSTEM_NAMESPACES, syntheticSource } from './systemObjects.js';
export type * from './types.js';
export type { PodDraft } from './workloads.js';
