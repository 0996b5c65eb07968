/**
 * The clusters every sidecar has besides its services (istio/istio@1.29.3
 * `pilot/pkg/networking/core/cluster_builder.go` `buildBlackHoleCluster`, `buildDefaultPassthroughCluster`,
 * `buildInboundPassthroughCluster`, `buildInboundCluster`; `cluster.go`
 * `buildInboundClustersFromServiceInstances`): `BlackHoleCluster` (STATIC, no endpoints),
 * `PassthroughCluster` (ORIGINAL_DST), `InboundPassthroughCluster` (ORIGINAL_DST, bound to 127.0.0.6) and
 * one `inbound|<port>||` per workload port a Service targets — ORIGINAL_DST to the pod's own address with
 * the default inbound traffic policy (PASSTHROUGH), STATIC to 127.0.0.1 with LOCALHOST.
 */
import { formatProtoDuration } from '../../../envoy/common.js';
import type { Cluster } from '../../../envoy/config/cluster.js';
import type { Provenance } from '../../../envoy/config/core.js';
import {
  BLACKHOLE_CLUSTER,
  buildInboundSubsetKey,
  delimitedStatsPrefix,
  INBOUND_PASSTHROUGH_CLUSTER,
  PASSTHROUGH_CLUSTER,
} from '../names.js';
import { applyConnectionPool } from '../trafficPolicy/applyConnectionPool.js';
import type { IstioConnectionPoolSettings } from '../trafficPolicy/types.js';

const HTTP_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
/** `maxSecondsValue`: ORIGINAL_DST inbound clusters never clean up their hosts. */
const NEVER = '9223372035s';

/** `buildBlackHoleCluster`. */
export function blackHoleCluster(connectTimeout: number): Cluster {
  return {
    name: BLACKHOLE_CLUSTER,
    type: 'STATIC',
    connectTimeout: formatProtoDuration(connectTimeout),
    lbPolicy: 'ROUND_ROBIN',
    altStatName: delimitedStatsPrefix(BLACKHOLE_CLUSTER),
  };
}

/** `buildDefaultPassthroughCluster`. */
export function passthroughCluster(connectTimeout: number, name = PASSTHROUGH_CLUSTER): Cluster {
  const base: Cluster = {
    name,
    type: 'ORIGINAL_DST',
    connectTimeout: formatProtoDuration(connectTimeout),
    lbPolicy: 'CLUSTER_PROVIDED',
    typedExtensionProtocolOptions: {
      [HTTP_OPTIONS]: {
        '@type': `type.googleapis.com/${HTTP_OPTIONS}`,
        commonHttpProtocolOptions: { idleTimeout: '300s' },
        useDownstreamProtocolConfig: { httpProtocolOptions: {}, http2ProtocolOptions: {} },
      },
    },
  };
  const c = applyConnectionPool(base, {}, undefined, formatProtoDuration(connectTimeout));
  return { ...c, altStatName: delimitedStatsPrefix(name) };
}

/** `buildInboundPassthroughCluster`: the passthrough cluster, with source address 127.0.0.6. */
export function inboundPassthroughCluster(connectTimeout: number): Cluster {
  return {
    ...passthroughCluster(connectTimeout, INBOUND_PASSTHROUGH_CLUSTER),
    upstreamBindConfig: { sourceAddress: { address: '127.0.0.6', portValue: 0 } },
  };
}

/** One inbound cluster to build. */
export interface InboundClusterInput {
  /** The port the cluster is named after (the workload port, or the Sidecar ingress port). */
  readonly clusterPort: number;
  /** Where the application listens. */
  readonly endpointPort: number;
  /** `127.0.0.1` (LOCALHOST policy, or Sidecar `defaultEndpoint`), or empty for ORIGINAL_DST. */
  readonly bind: string;
  readonly hostname: string;
  readonly serviceName: string;
  readonly serviceNamespace: string;
  readonly connectionPool?: IstioConnectionPoolSettings;
  /** The DestinationRule whose traffic policy applies (its `istio.config` path and the rules merged into it). */
  readonly destinationRule?: { readonly path: string; readonly from: readonly Provenance[] };
  readonly source?: Provenance;
}

/** `buildInboundCluster`. */
export function inboundCluster(input: InboundClusterInput, connectTimeout: number): Cluster {
  const name = buildInboundSubsetKey(input.clusterPort);
  const base: Record<string, unknown> = {
    name,
    type: input.bind === '' ? 'ORIGINAL_DST' : 'STATIC',
    commonLbConfig: {},
    altStatName: delimitedStatsPrefix(name),
  };
  if (input.bind === '') base['cleanupInterval'] = NEVER;
  else
    base['loadAssignment'] = {
      clusterName: name,
      endpoints: [
        {
          lbEndpoints: [
            { endpoint: { address: { socketAddress: { address: input.bind, portValue: input.endpointPort } } } },
          ],
        },
      ],
    };
  let c = applyConnectionPool(
    base as unknown as Cluster,
    input.connectionPool ?? {},
    undefined,
    formatProtoDuration(connectTimeout),
  );
  if (input.bind === '') c = { ...c, lbPolicy: 'CLUSTER_PROVIDED' };
  return {
    ...c,
    ...(input.bind !== '127.0.0.1'
      ? { upstreamBindConfig: { sourceAddress: { address: '127.0.0.6', portValue: 0 } } }
      : {}),
    metadata: {
      filterMetadata: {
        istio: {
          ...(input.destinationRule !== undefined ? { config: input.destinationRule.path } : {}),
          services: [{ host: input.hostname, name: input.serviceName, namespace: input.serviceNamespace }],
        },
        ...(input.source !== undefined || input.destinationRule !== undefined
          ? {
              meshsim: {
                sources: [
                  ...(input.destinationRule?.from ?? []),
                  ...(input.source !== undefined ? [input.source] : []),
                ],
              },
            }
          : {}),
      },
    },
  };
}
