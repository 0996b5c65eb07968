/** istioctl's `proxy-config` views of a proxy's configuration: its tables and Envoy's admin JSON shapes. */
export { tabwrite } from './tabwriter.js';
export {
  describeFilterChainDestination,
  describeFilterChainMatch,
  listenerMatchesFilter,
  listenerSummary,
  listenerType,
  sortListeners,
  type ListenerFilterOptions,
} from './listenerSummary.js';
export {
  describeManagement,
  describeRouteDomains,
  describeRouteMatch,
  routeSummary,
  sortRouteConfigs,
} from './routeSummary.js';
export {
  adminHealthStatus,
  clusterMatchesFilter,
  clusterSummary,
  edsSummary,
  endpointSummary,
  hostMatchesFilter,
  hostStatuses,
  sortByClusterName,
  type ClusterFilterOptions,
  type EndpointFilterOptions,
  type HostStatus,
} from './clusterSummary.js';
export { clusterStatuses, configDump, stripMeshsimMetadata } from './configDump.js';
export { envoyAdminView, inlineRouteConfigs, type EnvoyAdminView } from './adminView.js';
