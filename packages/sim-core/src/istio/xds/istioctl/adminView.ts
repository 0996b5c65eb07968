/**
 * A proxy's configuration as Envoy's admin interface reports it, which is what `istioctl proxy-config` reads:
 * the xDS resources istiod pushed (Envoy's "dynamic" resources) followed by the bootstrap's "static" ones.
 *
 * - listeners: dynamic active listeners, then static listeners (`retrieveSortedListenerSlice` in
 *   istio/istio@1.29.3 `istioctl/pkg/writer/envoy/configdump/listener.go` reads both);
 * - routes: the RDS route configurations, then every inline route configuration. Envoy registers each HTTP
 *   connection manager's inline `routeConfig` as a static route config provider (one per filter chain, so
 *   the inbound `inbound|9080||` configuration of the mTLS and the plaintext chain appear twice) and dumps
 *   them under `staticRouteConfigs`, which `retrieveSortedRouteSlice` reads after the dynamic ones. Envoy
 *   keeps these providers in a hash set, so their order in a real dump is arbitrary; meshsim lists them in
 *   listener and filter-chain order;
 * - clusters: dynamic active clusters, then static clusters;
 * - hosts (`/clusters`): every cluster's hosts.
 */
import type { Cluster } from '../../../envoy/config/cluster.js';
import type { ClusterLoadAssignment } from '../../../envoy/config/endpoint.js';
import type { HttpConnectionManager, Listener } from '../../../envoy/config/listener.js';
import type { ProxyConfig } from '../../../envoy/config/proxyConfig.js';
import type { RouteConfiguration } from '../../../envoy/config/route.js';
import { hostStatuses, type HostStatus } from './clusterSummary.js';

/** What Envoy's admin endpoints show of a {@link ProxyConfig}. */
export interface EnvoyAdminView {
  readonly dynamicListeners: readonly Listener[];
  readonly staticListeners: readonly Listener[];
  readonly dynamicRouteConfigs: readonly RouteConfiguration[];
  readonly staticRouteConfigs: readonly RouteConfiguration[];
  readonly dynamicClusters: readonly Cluster[];
  readonly staticClusters: readonly Cluster[];
  /** EDS load assignments (`dynamicEndpointConfigs`). */
  readonly dynamicEndpointConfigs: readonly ClusterLoadAssignment[];
  /** The static clusters' inline load assignments (`staticEndpointConfigs`). */
  readonly staticEndpointConfigs: readonly ClusterLoadAssignment[];
  /** Dynamic then static, as istioctl concatenates them. */
  readonly listeners: readonly Listener[];
  readonly routes: readonly RouteConfiguration[];
  readonly clusters: readonly Cluster[];
  readonly endpoints: readonly ClusterLoadAssignment[];
  /** `/clusters`: every host of every cluster. */
  readonly hosts: readonly HostStatus[];
}

/** The inline route configurations of `listeners`, one per HTTP connection manager that has one. */
export function inlineRouteConfigs(listeners: readonly Listener[]): RouteConfiguration[] {
  const out: RouteConfiguration[] = [];
  for (const l of listeners) {
    for (const fc of [...l.filterChains, ...(l.defaultFilterChain !== undefined ? [l.defaultFilterChain] : [])]) {
      for (const f of fc.filters) {
        const rc = (f.typedConfig as Partial<HttpConnectionManager> | undefined)?.routeConfig;
        if (rc !== undefined) out.push(rc);
      }
    }
  }
  return out;
}

/** The admin view of `config`. */
export function envoyAdminView(config: ProxyConfig): EnvoyAdminView {
  const staticListeners = config.bootstrap?.staticResources.listeners ?? [];
  const staticClusters = config.bootstrap?.staticResources.clusters ?? [];
  const listeners = [...config.listeners, ...staticListeners];
  const staticRouteConfigs = inlineRouteConfigs(listeners);
  const staticEndpointConfigs = staticClusters.flatMap((c) =>
    c.loadAssignment !== undefined ? [c.loadAssignment] : [],
  );
  const clusters = [...config.clusters, ...staticClusters];
  return {
    dynamicListeners: config.listeners,
    staticListeners,
    dynamicRouteConfigs: config.routes,
    staticRouteConfigs,
    dynamicClusters: config.clusters,
    staticClusters,
    dynamicEndpointConfigs: config.endpoints,
    staticEndpointConfigs,
    listeners,
    routes: [...config.routes, ...staticRouteConfigs],
    clusters,
    endpoints: [...config.endpoints, ...staticEndpointConfigs],
    hosts: hostStatuses(clusters, config.endpoints),
  };
}
