/**
 * Outbound clusters (istio/istio@1.29.3 `pilot/pkg/networking/core/cluster.go` `buildOutboundClusters`,
 * `convertResolution`; `cluster_builder.go` `buildCluster`, `applyDestinationRule`, `buildSubsetCluster`;
 * `cluster_traffic_policy.go` `applyTrafficPolicy`): one `outbound|<port>||<host>` cluster per service port
 * the proxy sees (not UDP, not ExternalName aliases), one `outbound|<port>|<subset>|<host>` per
 * DestinationRule subset, with the DestinationRule's traffic policy — destination level, replaced by a
 * port-level entry, overridden field by field by the subset — applied in istiod's order: connection pool
 * (always; defaults 2^32−1), HTTP/2 upgrade, outlier detection, load balancer (LEAST_REQUEST by default),
 * then TLS (the DestinationRule's mode, else auto mTLS by endpoint label).
 */
import { formatProtoDuration } from '../../../envoy/common.js';
import type { Cluster } from '../../../envoy/config/cluster.js';
import { istioConfigPath, type Provenance } from '../../../envoy/config/core.js';
import { isHTTP, isHTTP2 } from '../../model/protocol.js';
import type { MeshService, MeshServicePort } from '../../model/registry/types.js';
import type { DestinationRule, LocalityLbSetting, Subset, TrafficPolicy } from '../api.js';
import { buildDNSSrvSubsetKey, buildSubsetKey, delimitedStatsPrefix } from '../names.js';
import { applyConnectionPool } from '../trafficPolicy/applyConnectionPool.js';
import { applyLoadBalancer } from '../trafficPolicy/applyLoadBalancer.js';
import { applyOutlierDetection } from '../trafficPolicy/applyOutlierDetection.js';
import { safeProtoDuration } from '../route/routeExtras.js';
import { applyLocalityLoadBalancer, localityLbEndpoints, type ProxyLocality } from './endpoints.js';
import { mergeSubsetTrafficPolicy, portLevelTrafficPolicy, shouldH2Upgrade } from './trafficPolicyMerge.js';
import { applyUpstreamTls, type UpstreamTlsContext } from './upstreamTls.js';
import type { MeshEndpoint } from '../../model/registry/types.js';

/** What building a service's clusters reads. */
export interface ClusterContext {
  readonly proxyType: 'sidecar' | 'router';
  readonly locality: ProxyLocality;
  /** The proxy's labels as istiod sees them (with topology labels), for `failoverPriority`. */
  readonly proxyLabels?: Readonly<Record<string, string>>;
  readonly mesh: {
    readonly connectTimeout: number;
    readonly dnsRefreshRate: number;
    readonly h2UpgradePolicy?: string;
    readonly localityLbSetting: LocalityLbSetting | undefined;
  };
  /** The merged DestinationRule for a host, with the resources it came from. */
  readonly destinationRule: (
    service: MeshService,
  ) => { readonly spec: DestinationRule; readonly from: readonly Provenance[]; readonly path: string } | undefined;
  readonly endpoints: (
    service: MeshService,
    port: number,
    labels?: Readonly<Record<string, string>>,
  ) => readonly MeshEndpoint[];
  readonly tls: UpstreamTlsContext;
}

/** `convertResolution`. */
function discoveryType(ctx: ClusterContext, s: MeshService): Cluster['type'] {
  switch (s.resolution) {
    case 'DNSLB':
      return 'STRICT_DNS';
    case 'DNSRoundRobinLB':
      return 'LOGICAL_DNS';
    case 'Passthrough':
      return ctx.proxyType === 'router' ? 'EDS' : 'ORIGINAL_DST';
    default:
      return 'EDS';
  }
}

const EDS_CONFIG = { ads: {}, initialFetchTimeout: '0s', resourceApiVersion: 'V3' };
const HTTP_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

/** `buildCluster` (base fields; undefined for a DNS cluster without endpoints). */
function baseCluster(
  ctx: ClusterContext,
  name: string,
  type: Cluster['type'],
  s: MeshService,
  port: MeshServicePort,
  subset: Subset | undefined,
): Cluster | undefined {
  const c: { -readonly [K in keyof Cluster]: Cluster[K] } = { name, type, commonLbConfig: {} };
  if (type === 'STRICT_DNS' || type === 'LOGICAL_DNS') {
    const eps = localityLbEndpoints(ctx.endpoints(s, port.port, subset?.labels), s, false);
    if (eps.length === 0) return undefined; // "cluster without endpoints": istiod skips it
    c.dnsLookupFamily = 'V4_ONLY';
    c.dnsRefreshRate = formatProtoDuration(ctx.mesh.dnsRefreshRate);
    c.respectDnsTtl = true;
    c.loadAssignment = { clusterName: name, endpoints: eps };
  }
  if (type === 'EDS') c.edsClusterConfig = { edsConfig: EDS_CONFIG, serviceName: name };
  return c;
}

function httpProtocolOptions(
  policy: TrafficPolicy | undefined,
  port: MeshServicePort,
  h2: boolean,
): Readonly<Record<string, unknown>> | undefined {
  const http = policy?.connectionPool?.http;
  const tcp = policy?.connectionPool?.tcp;
  const idle = http?.idleTimeout ?? tcp?.idleTimeout;
  const common: Record<string, unknown> = {};
  if (idle !== undefined) common['idleTimeout'] = safeProtoDuration(idle);
  if ((http?.maxRequestsPerConnection ?? 0) > 0) common['maxRequestsPerConnection'] = http?.maxRequestsPerConnection;
  if (tcp?.maxConnectionDuration !== undefined)
    common['maxConnectionDuration'] = safeProtoDuration(tcp.maxConnectionDuration);
  const out: Record<string, unknown> = {};
  if (Object.keys(common).length > 0) out['commonHttpProtocolOptions'] = common;
  if (http?.useClientProtocol === true)
    out['useDownstreamProtocolConfig'] = { httpProtocolOptions: {}, http2ProtocolOptions: {} };
  else if (h2 || isHTTP2(port.protocol)) {
    const streams = (http?.maxConcurrentStreams ?? 0) > 0 ? { maxConcurrentStreams: http?.maxConcurrentStreams } : {};
    out['explicitHttpConfig'] = { http2ProtocolOptions: streams };
  }
  return Object.keys(out).length > 0 ? { '@type': `type.googleapis.com/${HTTP_OPTIONS}`, ...out } : undefined;
}

/** `applyTrafficPolicy` for an outbound cluster. */
function applyTrafficPolicy(
  ctx: ClusterContext,
  cluster: Cluster,
  s: MeshService,
  port: MeshServicePort,
  policy: TrafficPolicy | undefined,
  sni: string,
): Cluster {
  const h2 = shouldH2Upgrade(policy, isHTTP(port.protocol), ctx.mesh.h2UpgradePolicy);
  let c = applyConnectionPool(
    cluster,
    policy?.connectionPool ?? {},
    policy?.retryBudget,
    formatProtoDuration(ctx.mesh.connectTimeout),
  );
  const hpo = httpProtocolOptions(policy, port, h2);
  if (hpo !== undefined) c = { ...c, typedExtensionProtocolOptions: { [HTTP_OPTIONS]: hpo } };
  c = applyOutlierDetection(c, policy?.outlierDetection, {
    forcesSupportUnhealthyEndpoints: s.publishNotReadyAddresses,
  });
  // applyLocalityLoadBalancer: the locality-weighted LB config when failover or distribute is configured.
  const setting = policy?.loadBalancer?.localityLbSetting ?? ctx.mesh.localityLbSetting;
  const localityOn = setting !== undefined && setting.enabled !== false;
  const failover = c.outlierDetection !== undefined;
  if (
    localityOn &&
    ((failover && ((setting?.failover ?? []).length > 0 || (setting?.failoverPriority ?? []).length > 0)) ||
      (setting?.distribute ?? []).length > 0)
  ) {
    c = { ...c, commonLbConfig: { ...c.commonLbConfig, localityWeightedLbConfig: {} } };
  }
  if (localityOn && c.loadAssignment !== undefined) {
    c = {
      ...c,
      loadAssignment: {
        ...c.loadAssignment,
        endpoints: applyLocalityLoadBalancer(
          c.loadAssignment.endpoints,
          ctx.locality,
          setting,
          failover,
          ctx.proxyLabels,
        ),
      },
    };
  }
  c = applyLoadBalancer(c, policy?.loadBalancer, { supportsUnhealthyEndpoints: s.publishNotReadyAddresses });
  c = applyUpstreamTls(ctx.tls, c, s, port, policy, sni, h2 || isHTTP2(port.protocol));
  if (c.type === 'ORIGINAL_DST') c = { ...c, lbPolicy: 'CLUSTER_PROVIDED' };
  return c;
}

function servicesMetadata(s: MeshService): Record<string, unknown> {
  return {
    services: [{ host: s.hostname, name: s.kind === 'ServiceEntry' ? s.hostname : s.name, namespace: s.namespace }],
  };
}

function serviceSource(s: MeshService): Provenance {
  return { kind: s.kind, namespace: s.namespace, name: s.name, file: s.source.file, line: s.source.line };
}

/** The clusters of one service port: the default one, then one per subset. */
export function buildServicePortClusters(ctx: ClusterContext, s: MeshService, port: MeshServicePort): Cluster[] {
  if (port.protocol === 'UDP' || s.resolution === 'Alias' || s.resolution === 'DynamicDNS') return [];
  const type = discoveryType(ctx, s);
  const name = buildSubsetKey('outbound', '', s.hostname, port.port);
  const base = baseCluster(ctx, name, type, s, port, undefined);
  if (base === undefined) return [];
  const dr = ctx.destinationRule(s);
  const destPolicy = portLevelTrafficPolicy(dr?.spec.trafficPolicy, port.port).policy;
  const sni = buildDNSSrvSubsetKey('outbound', '', s.hostname, port.port);
  const withPolicy = applyTrafficPolicy(
    ctx,
    { ...base, metadata: { filterMetadata: { istio: servicesMetadata(s), meshsim: { sources: [serviceSource(s)] } } } },
    s,
    port,
    destPolicy,
    sni,
  );
  const out: Cluster[] = [withMetadata(withPolicy, s, dr, undefined)];
  for (const subset of dr?.spec.subsets ?? []) {
    const subName = buildSubsetKey('outbound', subset.name, s.hostname, port.port);
    const passthrough = subset.trafficPolicy?.loadBalancer?.simple === 'PASSTHROUGH';
    const subType = passthrough ? 'ORIGINAL_DST' : type;
    const sub = baseCluster(ctx, subName, subType, s, port, subset);
    if (sub === undefined) continue;
    const policy = mergeSubsetTrafficPolicy(dr?.spec.trafficPolicy, subset.trafficPolicy, port.port);
    const subSni = buildDNSSrvSubsetKey('outbound', subset.name, s.hostname, port.port);
    const built = applyTrafficPolicy(
      ctx,
      { ...sub, metadata: { filterMetadata: { istio: servicesMetadata(s) } } },
      s,
      port,
      policy,
      subSni,
    );
    out.push(withMetadata(built, s, dr, subset));
  }
  return out;
}

function withMetadata(
  c: Cluster,
  s: MeshService,
  dr: ReturnType<ClusterContext['destinationRule']>,
  subset: Subset | undefined,
): Cluster {
  const istio: Record<string, unknown> = { ...(c.metadata?.filterMetadata?.istio ?? {}) };
  if (dr !== undefined) istio['config'] = dr.path;
  if (subset !== undefined) istio['subset'] = subset.name;
  if (s.meshExternal) istio['external'] = true;
  const sources: Provenance[] = [
    ...(dr !== undefined
      ? dr.from.map((f) =>
          subset !== undefined ? { ...f, field: `spec.subsets[${(dr.spec.subsets ?? []).indexOf(subset)}]` } : f,
        )
      : []),
    serviceSource(s),
  ];
  return {
    ...c,
    altStatName: delimitedStatsPrefix(c.name),
    metadata: { filterMetadata: { istio, meshsim: { sources } } },
  };
}

/** The `istio.config` path of a DestinationRule. */
export function destinationRulePath(namespace: string, name: string): string {
  return istioConfigPath('DestinationRule', namespace, name);
}
