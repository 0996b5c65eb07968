/**
 * One proxy's complete xDS configuration — what istiod pushes to it over LDS, RDS, CDS and EDS — and its
 * size. `istio/xds` `buildProxyConfig` produces it; `proxy-config` prints it and `route` walks it.
 */
import type { Bootstrap } from './bootstrap.js';
import type { Cluster } from './cluster.js';
import type { ClusterLoadAssignment } from './endpoint.js';
import type { Listener } from './listener.js';
import type { RouteConfiguration } from './route.js';

/**
 * How big a proxy's configuration is. Every Service the proxy can see adds clusters, endpoints, virtual
 * hosts and often a listener, so a sidecar without a `Sidecar` resource carries the whole mesh (the memory
 * cost `Sidecar` egress scoping removes). `bytes` is the length of the config as compact proto3 JSON, a
 * stand-in for what Envoy holds in memory.
 */
export interface ProxyConfigSize {
  readonly listeners: number;
  readonly filterChains: number;
  readonly routeConfigurations: number;
  readonly virtualHosts: number;
  readonly routes: number;
  readonly clusters: number;
  /** ClusterLoadAssignments (one per EDS cluster). */
  readonly loadAssignments: number;
  /** Endpoints over all load assignments and inline cluster load assignments. */
  readonly endpoints: number;
  readonly bytes: number;
}

/** The proxy a configuration was built for. */
export interface ProxyConfigNode {
  /** `sidecar~<ip>~<pod>.<namespace>~<namespace>.svc.cluster.local`, as Envoy's node id. */
  readonly id: string;
  /** `<pod>.<namespace>`. */
  readonly name: string;
  readonly namespace: string;
  readonly type: 'sidecar' | 'router';
  readonly ip: string;
}

/** A proxy's xDS configuration, each list in the order istiod builds it. */
export interface ProxyConfig {
  readonly node: ProxyConfigNode;
  readonly listeners: readonly Listener[];
  readonly routes: readonly RouteConfiguration[];
  readonly clusters: readonly Cluster[];
  /** EDS load assignments, one per EDS cluster. */
  readonly endpoints: readonly ClusterLoadAssignment[];
  /**
   * What `pilot-agent` configures before istiod is contacted: the node, and the static listeners (15090
   * Prometheus, 15021 readiness) and clusters (`prometheus_stats`, `agent`, `sds-grpc`, `xds-grpc`) that
   * `istioctl proxy-config` lists next to the xDS resources. Not part of {@link size}.
   */
  readonly bootstrap?: Bootstrap;
  /** The size of the xDS resources (listeners, routes, clusters, endpoints) istiod pushes. */
  readonly size: ProxyConfigSize;
}

/** Counts the objects of a configuration (see {@link ProxyConfigSize}). */
export function proxyConfigSize(
  config: Pick<ProxyConfig, 'listeners' | 'routes' | 'clusters' | 'endpoints'>,
): ProxyConfigSize {
  let filterChains = 0;
  for (const l of config.listeners)
    filterChains += l.filterChains.length + (l.defaultFilterChain === undefined ? 0 : 1);
  let virtualHosts = 0;
  let routes = 0;
  for (const rc of config.routes) {
    for (const vh of rc.virtualHosts ?? []) {
      virtualHosts++;
      routes += vh.routes?.length ?? 0;
    }
  }
  let endpoints = 0;
  const count = (cla: ClusterLoadAssignment | undefined): void => {
    for (const l of cla?.endpoints ?? []) endpoints += l.lbEndpoints.length;
  };
  for (const cla of config.endpoints) count(cla);
  for (const c of config.clusters) count(c.loadAssignment);
  const bytes =
    JSON.stringify(config.listeners).length +
    JSON.stringify(config.routes).length +
    JSON.stringify(config.clusters).length +
    JSON.stringify(config.endpoints).length;
  return {
    listeners: config.listeners.length,
    filterChains,
    routeConfigurations: config.routes.length,
    virtualHosts,
    routes,
    clusters: config.clusters.length,
    loadAssignments: config.endpoints.length,
    endpoints,
    bytes,
  };
}
