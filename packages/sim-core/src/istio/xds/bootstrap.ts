/**
 * The bootstrap `pilot-agent` writes for a proxy before Envoy starts (istio/istio@1.29.3
 * `tools/packaging/common/envoy_bootstrap.json`, filled by `pkg/bootstrap/config.go` `getAllOptions`): the node,
 * the admin address, ADS as the source of listeners and clusters, and the static resources every istio-proxy
 * has — the Prometheus listener (`0.0.0.0_15090` → `prometheus_stats`, Envoy's own admin port), the
 * readiness listener (`0.0.0.0_15021` → `agent`, the agent's status port), the `sds-grpc` and `xds-grpc`
 * Unix-socket clusters towards the agent, and a `zipkin` cluster when the proxy's `tracing.zipkin` is set.
 * `istioctl proxy-config` shows these next to what istiod pushes.
 *
 * Left out: the stats tags and matcher, layered runtime, bootstrap extensions, overload manager and tracing
 * providers other than Zipkin (Lightstep, Datadog), and dual-stack additional addresses.
 */
import type { Bootstrap, BootstrapNode } from '../../envoy/config/bootstrap.js';
import type { Cluster } from '../../envoy/config/cluster.js';
import type { Address, Locality } from '../../envoy/config/core.js';
import type { HttpFilter, Listener } from '../../envoy/config/listener.js';
import { HCM_TYPE, WellKnownFilters } from '../../envoy/config/listener.js';
import type { MeshProxy } from '../model/proxy.js';

/** `ENVOY_STATUS_PORT` (pilot/cmd/pilot-agent/options/options.go). */
export const ENVOY_STATUS_PORT = 15021;
/** `ENVOY_PROMETHEUS_PORT` (pilot/cmd/pilot-agent/options/options.go). */
export const ENVOY_PROMETHEUS_PORT = 15090;

/** Agent settings that are environment variables of the proxy container rather than ProxyConfig fields. */
export interface BootstrapOptions {
  /** The Envoy node id; @defaultValue `<type>~<ip>~<pod>.<ns>~<ns>.svc.<clusterDomain>` */
  readonly nodeId?: string;
  /** @defaultValue `'cluster.local'` */
  readonly clusterDomain?: string;
  /** `WORKLOAD_IDENTITY_SOCKET_FILE`. @defaultValue `'socket'` (pkg/security `DefaultWorkloadIdentitySocketFile`) */
  readonly workloadIdentitySocketFile?: string;
}

const HTTP_PROTOCOL_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
const h2Options = {
  [HTTP_PROTOCOL_OPTIONS]: {
    '@type': `type.googleapis.com/${HTTP_PROTOCOL_OPTIONS}`,
    explicitHttpConfig: { http2ProtocolOptions: {} },
  },
};

/** The bootstrap of `proxy`. */
export function buildBootstrap(proxy: MeshProxy, options: BootstrapOptions = {}): Bootstrap {
  const pc = proxy.proxyConfig;
  const raw = pc.raw;
  // IPv4 pods get 127.0.0.1 / 0.0.0.0, IPv6-only pods ::1 / :: (`network.AllIPv4` / `AllIPv6`).
  const v6 = proxy.ip.includes(':');
  const localhost = v6 ? '::1' : '127.0.0.1';
  const wildcard = v6 ? '::' : '0.0.0.0';
  const configPath = typeof raw['configPath'] === 'string' ? raw['configPath'] : './etc/istio/proxy';
  const socketFile = options.workloadIdentitySocketFile ?? 'socket';
  const metricsLocalhostOnly = pc.proxyMetadata['METRICS_LOCALHOST_ACCESS_ONLY'] === 'true';
  const statsCompression = raw['statsCompression'] !== false;
  const deltaXds = pc.proxyMetadata['ISTIO_DELTA_XDS'] !== 'false'; // pilot/pkg/features `DeltaXds`, default true

  const tcp = (address: string, port: number): Address => ({
    socketAddress: { protocol: 'TCP', address, portValue: port },
  });
  const staticCluster = (name: string, connectTimeout: string, address: Address): Cluster => ({
    name,
    altStatName: `${name};`,
    type: 'STATIC',
    connectTimeout,
    lbPolicy: 'ROUND_ROBIN',
    loadAssignment: { clusterName: name, endpoints: [{ lbEndpoints: [{ endpoint: { address } }] }] },
  });
  const limits = { maxConnections: 100000, maxPendingRequests: 100000, maxRequests: 100000 };
  const clusters: Cluster[] = [
    staticCluster('prometheus_stats', '0.250s', tcp(localhost, pc.proxyAdminPort)),
    staticCluster('agent', '0.250s', tcp(localhost, pc.statusPort)),
    {
      ...staticCluster('sds-grpc', '1s', { pipe: { path: `./var/run/secrets/workload-spiffe-uds/${socketFile}` } }),
      typedExtensionProtocolOptions: h2Options,
    },
    {
      ...staticCluster('xds-grpc', '1s', { pipe: { path: `${configPath}/XDS` } }),
      circuitBreakers: {
        thresholds: [
          { priority: 'DEFAULT', ...limits },
          { priority: 'HIGH', ...limits },
        ],
      },
      upstreamConnectionOptions: { tcpKeepalive: { keepaliveTime: 300 } },
      maxRequestsPerConnection: 1,
      typedExtensionProtocolOptions: h2Options,
    },
  ];
  const zipkin = zipkinAddress(raw);
  if (zipkin !== undefined) {
    clusters.push({
      name: 'zipkin',
      altStatName: 'zipkin;',
      type: 'STRICT_DNS',
      respectDnsTtl: true,
      dnsLookupFamily: v6 ? 'V6_ONLY' : 'V4_ONLY',
      dnsRefreshRate: '30s',
      connectTimeout: '1s',
      lbPolicy: 'ROUND_ROBIN',
      loadAssignment: {
        clusterName: 'zipkin',
        endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: zipkin } } }] }],
      },
    });
  }

  const router: HttpFilter = {
    name: WellKnownFilters.router,
    typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' },
  };
  const inlineListener = (
    address: string,
    port: number,
    statPrefix: string,
    prefix: string,
    cluster: string,
    httpFilters: readonly HttpFilter[],
  ): Listener => ({
    name: `${address}_${port}`,
    address: tcp(address, port),
    ignoreGlobalConnLimit: true,
    bypassOverloadManager: true,
    filterChains: [
      {
        filters: [
          {
            name: WellKnownFilters.httpConnectionManager,
            typedConfig: {
              '@type': HCM_TYPE,
              codecType: 'AUTO',
              statPrefix,
              routeConfig: {
                name: '',
                virtualHosts: [
                  { name: 'backend', domains: ['*'], routes: [{ match: { prefix }, route: { cluster } }] },
                ],
              },
              httpFilters,
            },
          },
        ],
      },
    ],
  });
  const listeners: Listener[] = [
    inlineListener(
      metricsLocalhostOnly ? localhost : wildcard,
      ENVOY_PROMETHEUS_PORT,
      'stats',
      '/stats/prometheus',
      'prometheus_stats',
      [...(statsCompression ? ['brotli', 'zstd', 'gzip'].map(compressor) : []), router],
    ),
    inlineListener(wildcard, ENVOY_STATUS_PORT, 'agent', '/healthz/ready', 'agent', [router]),
  ];

  const ads = { ads: {}, initialFetchTimeout: '0s', resourceApiVersion: 'V3' } as const;
  return {
    node: bootstrapNode(proxy, options),
    admin: { address: { socketAddress: { address: localhost, portValue: pc.proxyAdminPort } } },
    dynamicResources: {
      ldsConfig: ads,
      cdsConfig: ads,
      adsConfig: {
        apiType: deltaXds ? 'DELTA_GRPC' : 'GRPC',
        setNodeOnFirstMessageOnly: true,
        transportApiVersion: 'V3',
        grpcServices: [{ envoyGrpc: { clusterName: 'xds-grpc' } }],
      },
    },
    staticResources: { listeners, clusters },
  };
}

function compressor(algorithm: string): HttpFilter {
  const lib = algorithm.charAt(0).toUpperCase() + algorithm.slice(1);
  return {
    name: `envoy.filters.http.compressor.${algorithm}`,
    typedConfig: {
      '@type': 'type.googleapis.com/envoy.extensions.filters.http.compressor.v3.Compressor',
      compressorLibrary: {
        name: `stats_${algorithm}`,
        typedConfig: {
          '@type': `type.googleapis.com/envoy.extensions.compression.${algorithm}.compressor.v3.${lib}`,
        },
      },
      responseDirectionConfig: {
        commonConfig: {
          contentType: [
            'text/plain',
            'application/vnd.google.protobuf',
            'application/openmetrics-text',
            'application/openmetrics-protobuf',
          ],
        },
      },
    },
  };
}

/** `tracing.zipkin.address` (`host:port`) as a socket address (`option.ZipkinAddress`). */
function zipkinAddress(raw: Readonly<Record<string, unknown>>): { address: string; portValue: number } | undefined {
  const tracing = raw['tracing'];
  if (typeof tracing !== 'object' || tracing === null) return undefined;
  const zipkin = (tracing as Record<string, unknown>)['zipkin'];
  if (typeof zipkin !== 'object' || zipkin === null) return undefined;
  const address = (zipkin as Record<string, unknown>)['address'];
  if (typeof address !== 'string') return undefined;
  const i = address.lastIndexOf(':');
  if (i < 0) return undefined;
  const port = Number(address.slice(i + 1));
  if (!Number.isInteger(port)) return undefined;
  return { address: address.slice(0, i).replace(/^\[(.*)\]$/, '$1'), portValue: port };
}

/** `getServiceCluster` / `serviceClusterOrDefault` (pkg/bootstrap/config.go). */
export function serviceCluster(proxy: MeshProxy): string {
  const raw = proxy.proxyConfig.raw;
  const orDefault = (name: string): string => {
    if (name !== '' && name !== 'istio-proxy') return name;
    const app = proxy.labels['app'];
    if (app !== undefined) return `${app}.${proxy.namespace}`;
    if (proxy.workloadName !== '') return `${proxy.workloadName}.${proxy.namespace}`;
    return proxy.namespace !== '' ? `istio-proxy.${proxy.namespace}` : 'istio-proxy';
  };
  const tracingServiceName = raw['tracingServiceName'];
  if (typeof tracingServiceName === 'string') {
    // pkg/kube/labels `CanonicalService`: canonical-name label, app.kubernetes.io/name, app, workload name.
    const canonical =
      proxy.labels['service.istio.io/canonical-name'] ??
      proxy.labels['app.kubernetes.io/name'] ??
      proxy.labels['app'] ??
      (proxy.workloadName !== '' ? proxy.workloadName : 'istio-proxy');
    if (tracingServiceName === 'CANONICAL_NAME_ONLY') return orDefault(canonical);
    if (tracingServiceName === 'CANONICAL_NAME_AND_NAMESPACE')
      return proxy.namespace !== '' ? `${canonical}.${proxy.namespace}` : orDefault(canonical);
    return orDefault('istio-proxy');
  }
  return orDefault(typeof raw['serviceCluster'] === 'string' ? raw['serviceCluster'] : 'istio-proxy');
}

/** The node: id, service cluster, locality and the node metadata meshsim can derive (`GetNodeMetaData`). */
function bootstrapNode(proxy: MeshProxy, options: BootstrapOptions): BootstrapNode {
  const [region = '', zone = '', subZone = ''] = proxy.locality.split('/');
  const locality: Locality = {
    ...(region !== '' ? { region } : {}),
    ...(zone !== '' ? { zone } : {}),
    ...(subZone !== '' ? { subZone } : {}),
  };
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(proxy.proxyConfig.proxyMetadata))
    if (k.startsWith('ISTIO_META_')) meta[k.slice('ISTIO_META_'.length)] = v;
  for (const [k, v] of Object.entries(proxy.metadata)) meta[k.slice('ISTIO_META_'.length)] = v;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(proxy.labels)) if (k !== 'pod-template-hash') labels[k] = v;
  meta['ENVOY_PROMETHEUS_PORT'] = ENVOY_PROMETHEUS_PORT;
  meta['ENVOY_STATUS_PORT'] = ENVOY_STATUS_PORT;
  meta['INSTANCE_IPS'] = proxy.ip;
  meta['LABELS'] = labels;
  meta['NAME'] = proxy.name;
  meta['NAMESPACE'] = proxy.namespace;
  meta['PROXY_CONFIG'] = proxy.proxyConfig.raw;
  const sa = proxy.serviceAccount.split('/sa/')[1];
  if (sa !== undefined) meta['SERVICE_ACCOUNT'] = sa;
  if (proxy.workloadName !== '') meta['WORKLOAD_NAME'] ??= proxy.workloadName;
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(meta).sort()) sorted[k] = meta[k];
  return {
    id:
      options.nodeId ??
      `${proxy.type}~${proxy.ip}~${proxy.name}.${proxy.namespace}~${proxy.namespace}.svc.${options.clusterDomain ?? 'cluster.local'}`,
    cluster: serviceCluster(proxy),
    locality,
    metadata: sorted,
  };
}
