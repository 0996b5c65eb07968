/**
 * A proxy's configuration as Envoy's admin API shows it: `/config_dump?include_eds` (the
 * `envoy.admin.v3.{Bootstrap,Clusters,Endpoints,Listeners,Routes}ConfigDump` messages `istioctl proxy-config
 * all -o json` prints) and `/clusters?format=json` (`envoy.admin.v3.ClusterStatus`, what `proxy-config endpoint -o
 * json` prints). meshsim's own provenance (`filterMetadata.meshsim`) is removed unless asked for, so the
 * output reads like a real dump.
 */
import type { ProxyConfig } from '../../../envoy/config/proxyConfig.js';
import { envoyAdminView } from './adminView.js';
import { hostMatchesFilter, type EndpointFilterOptions, type HostStatus } from './clusterSummary.js';

const TYPE = {
  cluster: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  listener: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  route: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  endpoint: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
};

/** A deep copy without meshsim's `filterMetadata.meshsim` entries (and metadata left empty by that). */
export function stripMeshsimMetadata<T>(value: T): T {
  return strip(value) as T;
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'metadata' && typeof x === 'object' && x !== null && 'filterMetadata' in x) {
      const fm = { ...((x as { filterMetadata: Record<string, unknown> }).filterMetadata ?? {}) };
      delete fm['meshsim'];
      if (Object.keys(fm).length > 0) out[k] = { filterMetadata: strip(fm) };
      continue;
    }
    out[k] = strip(x);
  }
  return out;
}

/**
 * The `config_dump?include_eds` JSON (`envoy.admin.v3.ConfigDump`) of a proxy, in Envoy's section order:
 * bootstrap, clusters, endpoints, listeners, routes (scoped routes and secrets are not simulated). Static
 * resources come from the bootstrap; inline route configurations are listed as static route configs (see
 * {@link envoyAdminView}).
 */
export function configDump(
  config: ProxyConfig,
  options: { readonly provenance?: boolean } = {},
): Record<string, unknown> {
  const clean = <T>(x: T): T => (options.provenance === true ? x : stripMeshsimMetadata(x));
  const v = envoyAdminView(config);
  const withType = <T>(type: string, x: T): Record<string, unknown> => ({ '@type': type, ...clean(x) });
  const nonEmpty = <T>(key: string, items: readonly T[]): Record<string, readonly T[]> =>
    items.length > 0 ? { [key]: items } : {};
  return {
    configs: [
      ...(config.bootstrap !== undefined
        ? [
            {
              '@type': 'type.googleapis.com/envoy.admin.v3.BootstrapConfigDump',
              bootstrap: clean(config.bootstrap),
            },
          ]
        : []),
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump',
        ...nonEmpty(
          'staticClusters',
          v.staticClusters.map((c) => ({ cluster: withType(TYPE.cluster, c) })),
        ),
        ...nonEmpty(
          'dynamicActiveClusters',
          v.dynamicClusters.map((c) => ({ cluster: withType(TYPE.cluster, c) })),
        ),
      },
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump',
        ...nonEmpty(
          'staticEndpointConfigs',
          v.staticEndpointConfigs.map((e) => ({ endpointConfig: withType(TYPE.endpoint, e) })),
        ),
        ...nonEmpty(
          'dynamicEndpointConfigs',
          v.dynamicEndpointConfigs.map((e) => ({ endpointConfig: withType(TYPE.endpoint, e) })),
        ),
      },
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump',
        ...nonEmpty(
          'staticListeners',
          v.staticListeners.map((l) => ({ listener: withType(TYPE.listener, l) })),
        ),
        ...nonEmpty(
          'dynamicListeners',
          v.dynamicListeners.map((l) => ({
            name: l.name,
            activeState: { listener: withType(TYPE.listener, l) },
          })),
        ),
      },
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.RoutesConfigDump',
        ...nonEmpty(
          'staticRouteConfigs',
          v.staticRouteConfigs.map((r) => ({ routeConfig: withType(TYPE.route, r) })),
        ),
        ...nonEmpty(
          'dynamicRouteConfigs',
          v.dynamicRouteConfigs.map((r) => ({ routeConfig: withType(TYPE.route, r) })),
        ),
      },
    ],
  };
}

/**
 * `/clusters?format=json` entries (`envoy.admin.v3.ClusterStatus`) for the clusters that have hosts. With a
 * `filter`, the clusters that have at least one matching host, each with all its hosts (istioctl
 * `clusters.go` `PrintEndpoints`). Clusters named in `staticClusters` come from the bootstrap and lack
 * `addedViaApi`.
 */
export function clusterStatuses(
  hosts: readonly HostStatus[],
  options: { readonly filter?: EndpointFilterOptions; readonly staticClusters?: ReadonlySet<string> } = {},
): Record<string, unknown>[] {
  const byCluster = new Map<string, HostStatus[]>();
  for (const h of hosts) {
    const l = byCluster.get(h.cluster);
    if (l === undefined) byCluster.set(h.cluster, [h]);
    else l.push(h);
  }
  const filter = options.filter;
  return [...byCluster.entries()]
    .filter(([, hs]) => filter === undefined || hs.some((h) => hostMatchesFilter(h, filter)))
    .map(([name, hs]) => ({
      name,
      ...(options.staticClusters?.has(name) === true ? {} : { addedViaApi: true }),
      hostStatuses: hs.map((h) => ({
        address: h.address.startsWith('unix://')
          ? { pipe: { path: h.address.slice('unix://'.length) } }
          : { socketAddress: { address: h.address, portValue: h.port } },
        healthStatus: { edsHealthStatus: h.healthStatus },
        weight: h.weight,
        ...(h.locality !== undefined ? { locality: h.locality } : {}),
      })),
      observabilityName: name,
    }));
}
