/**
 * The typed subset of `envoy.config.cluster.v3.Cluster` that meshsim's upstream components consume, in the
 * proto3 JSON spelling Envoy's config dump uses (camelCase of the proto field: `consecutive5xx`,
 * `baseEjectionTime`, `maxEjectionPercent`, `enforcingConsecutive5xx`). istiod's translation (`istio/xds`)
 * emits these shapes; defaults documented here are Envoy's own (Istio's overrides live in
 * `istio/xds/trafficPolicy`).
 */
import type { ProtoDuration } from '../common.js';
import type { Metadata, TransportSocket } from './core.js';
import type { ClusterLoadAssignment } from './endpoint.js';

/** `envoy.type.v3.Percent`: a double in [0, 100]. */
export interface Percent {
  readonly value: number;
}

/** `envoy.config.core.v3.RuntimeDouble`: a double with an (unused in meshsim) runtime override key. */
export interface RuntimeDouble {
  readonly defaultValue: number;
  readonly runtimeKey?: string;
}

/** A proto `uint64` wrapper: proto3 JSON prints it as a string, parsers also accept a number. */
export type UInt64 = number | string;

/** `envoy.config.cluster.v3.Cluster.LbPolicy`. @defaultValue `'ROUND_ROBIN'` (Envoy; istiod always sets one). */
export type LbPolicy =
  | 'ROUND_ROBIN'
  | 'LEAST_REQUEST'
  | 'RING_HASH'
  | 'RANDOM'
  | 'MAGLEV'
  | 'CLUSTER_PROVIDED'
  | 'LOAD_BALANCING_POLICY_CONFIG';

/** `Cluster.SlowStartConfig` (Istio's `warmup`). Parsed but not simulated (see docs/concepts/load-balancing.md). */
export interface SlowStartConfig {
  readonly slowStartWindow?: ProtoDuration;
  readonly aggression?: RuntimeDouble;
  readonly minWeightPercent?: Percent;
}

/** `Cluster.RoundRobinLbConfig`. */
export interface RoundRobinLbConfig {
  readonly slowStartConfig?: SlowStartConfig;
}

/**
 * `Cluster.LeastRequestLbConfig` (plus `selectionMethod`, which only the typed extension
 * `envoy.extensions.load_balancing_policies.least_request.v3.LeastRequest` carries).
 */
export interface LeastRequestLbConfig {
  /** Hosts sampled per pick. @defaultValue 2 */
  readonly choiceCount?: number;
  /** Exponent of `weight / (rq_active + 1)^bias` when weights differ. @defaultValue 1.0 */
  readonly activeRequestBias?: RuntimeDouble;
  /** @defaultValue `'N_CHOICES'` */
  readonly selectionMethod?: 'N_CHOICES' | 'FULL_SCAN';
  readonly slowStartConfig?: SlowStartConfig;
}

/** `Cluster.RingHashLbConfig`. */
export interface RingHashLbConfig {
  /** @defaultValue 1024 */
  readonly minimumRingSize?: UInt64;
  /** @defaultValue 8388608 */
  readonly maximumRingSize?: UInt64;
  /** @defaultValue `'XX_HASH'` */
  readonly hashFunction?: 'XX_HASH' | 'MURMUR_HASH_2';
}

/** `Cluster.MaglevLbConfig`. */
export interface MaglevLbConfig {
  /** Must be prime. @defaultValue 65537 */
  readonly tableSize?: UInt64;
}

/** `Cluster.CommonLbConfig.ZoneAwareLbConfig`. */
export interface ZoneAwareLbConfig {
  readonly routingEnabled?: Percent;
  readonly minClusterSize?: UInt64;
  /** Return no host (503 UH) instead of balancing over all hosts when in panic. @defaultValue false */
  readonly failTrafficOnPanic?: boolean;
}

/** `Cluster.CommonLbConfig`. */
export interface CommonLbConfig {
  /**
   * Below this % of healthy (+ degraded) hosts a priority is in panic and balances over all hosts.
   * Istio sets it to `outlierDetection.minHealthPercent` (default 0 = panic disabled) when the
   * DestinationRule has outlier detection. @defaultValue 50
   */
  readonly healthyPanicThreshold?: Percent;
  readonly zoneAwareLbConfig?: ZoneAwareLbConfig;
  /** Presence turns on locality-weighted load balancing. */
  readonly localityWeightedLbConfig?: Record<string, never>;
  readonly consistentHashingLbConfig?: {
    readonly useHostnameForHashing?: boolean;
    readonly hashBalanceFactor?: number;
  };
}

/**
 * `envoy.config.cluster.v3.OutlierDetection`. Defaults are Envoy's `DetectorConfig` ones
 * (source/common/upstream/outlier_detection_impl.h).
 */
export interface OutlierDetection {
  /** @defaultValue 5 */
  readonly consecutive5xx?: number;
  /** Time between ejection sweeps; un-ejection only happens on these ticks. @defaultValue `"10s"` */
  readonly interval?: ProtoDuration;
  /** @defaultValue `"30s"` */
  readonly baseEjectionTime?: ProtoDuration;
  /** @defaultValue 10 */
  readonly maxEjectionPercent?: number;
  /** @defaultValue 100 */
  readonly enforcingConsecutive5xx?: number;
  /** @defaultValue 100 (Istio sets 0) */
  readonly enforcingSuccessRate?: number;
  /** @defaultValue 5 */
  readonly successRateMinimumHosts?: number;
  /** @defaultValue 100 */
  readonly successRateRequestVolume?: number;
  /** Divided by 1000: 1900 means 1.9 standard deviations. @defaultValue 1900 */
  readonly successRateStdevFactor?: number;
  /** @defaultValue 5 */
  readonly consecutiveGatewayFailure?: number;
  /** @defaultValue 0 */
  readonly enforcingConsecutiveGatewayFailure?: number;
  /** @defaultValue false */
  readonly splitExternalLocalOriginErrors?: boolean;
  /** @defaultValue 5 */
  readonly consecutiveLocalOriginFailure?: number;
  /** @defaultValue 100 */
  readonly enforcingConsecutiveLocalOriginFailure?: number;
  /** @defaultValue 100 */
  readonly enforcingLocalOriginSuccessRate?: number;
  /** @defaultValue 85 */
  readonly failurePercentageThreshold?: number;
  /** @defaultValue 0 */
  readonly enforcingFailurePercentage?: number;
  /** @defaultValue 0 */
  readonly enforcingFailurePercentageLocalOrigin?: number;
  /** @defaultValue 5 */
  readonly failurePercentageMinimumHosts?: number;
  /** @defaultValue 50 */
  readonly failurePercentageRequestVolume?: number;
  /** @defaultValue max(`"300s"`, baseEjectionTime) */
  readonly maxEjectionTime?: ProtoDuration;
  /** @defaultValue `"0s"` */
  readonly maxEjectionTimeJitter?: ProtoDuration;
  /** @defaultValue true */
  readonly successfulActiveHealthCheckUnejectHost?: boolean;
  /** Eject one host even when that breaks maxEjectionPercent (Envoy ≥ 1.31). @defaultValue false */
  readonly alwaysEjectOneHost?: boolean;
}

/** `envoy.config.core.v3.RoutingPriority`. */
export type RoutingPriority = 'DEFAULT' | 'HIGH';

/** `CircuitBreakers.Thresholds.RetryBudget`. */
export interface RetryBudget {
  /** @defaultValue 20 */
  readonly budgetPercent?: Percent;
  /** @defaultValue 3 */
  readonly minRetryConcurrency?: number;
  readonly budgetInterval?: ProtoDuration;
}

/** `CircuitBreakers.Thresholds`: limits shared by all hosts of the cluster, per routing priority. */
export interface CircuitBreakerThresholds {
  /** @defaultValue `'DEFAULT'` */
  readonly priority?: RoutingPriority;
  /** @defaultValue 1024 (Istio: 2^32−1) */
  readonly maxConnections?: number;
  /** @defaultValue 1024 (Istio: 2^32−1) */
  readonly maxPendingRequests?: number;
  /** @defaultValue 1024 (Istio: 2^32−1) */
  readonly maxRequests?: number;
  /** @defaultValue 3 (Istio: 2^32−1) */
  readonly maxRetries?: number;
  readonly retryBudget?: RetryBudget;
  readonly trackRemaining?: boolean;
  /** @defaultValue unlimited */
  readonly maxConnectionPools?: number;
}

/** `envoy.config.cluster.v3.CircuitBreakers`. */
export interface CircuitBreakers {
  readonly thresholds?: readonly CircuitBreakerThresholds[];
}

/** The subset of `envoy.config.cluster.v3.Cluster` the upstream components read. */
export interface Cluster {
  /** e.g. `outbound|9080|v1|reviews.default.svc.cluster.local`. */
  readonly name: string;
  readonly type?: 'STATIC' | 'STRICT_DNS' | 'LOGICAL_DNS' | 'EDS' | 'ORIGINAL_DST';
  readonly connectTimeout?: ProtoDuration;
  /** @defaultValue `'ROUND_ROBIN'` */
  readonly lbPolicy?: LbPolicy;
  readonly roundRobinLbConfig?: RoundRobinLbConfig;
  readonly leastRequestLbConfig?: LeastRequestLbConfig;
  readonly ringHashLbConfig?: RingHashLbConfig;
  readonly maglevLbConfig?: MaglevLbConfig;
  readonly commonLbConfig?: CommonLbConfig;
  readonly outlierDetection?: OutlierDetection;
  readonly circuitBreakers?: CircuitBreakers;
  /** EDS clusters: where the endpoints come from (istiod: ADS, keyed by the cluster name). */
  readonly edsClusterConfig?: { readonly edsConfig?: Readonly<Record<string, unknown>>; readonly serviceName?: string };
  /** STATIC / STRICT_DNS / LOGICAL_DNS clusters carry their endpoints inline. */
  readonly loadAssignment?: ClusterLoadAssignment;
  readonly dnsLookupFamily?: 'AUTO' | 'V4_ONLY' | 'V6_ONLY' | 'V4_PREFERRED' | 'ALL';
  readonly dnsRefreshRate?: ProtoDuration;
  readonly respectDnsTtl?: boolean;
  /** TLS towards the upstream (`UpstreamTlsContext`), when one mode applies to every endpoint. */
  readonly transportSocket?: TransportSocket;
  /** Auto mTLS: `tlsMode-istio` endpoints get Istio mTLS, the others plaintext (`tlsMode-disabled`). */
  readonly transportSocketMatches?: readonly {
    readonly name: string;
    readonly match?: Readonly<Record<string, string>>;
    readonly transportSocket: TransportSocket;
  }[];
  /** `envoy.extensions.upstreams.http.v3.HttpProtocolOptions`, keyed by its extension name. */
  readonly typedExtensionProtocolOptions?: Readonly<Record<string, unknown>>;
  readonly cleanupInterval?: ProtoDuration;
  /** Stats name (istiod: the cluster name followed by `;`). */
  readonly altStatName?: string;
  /** `upstreamConnectionOptions.tcpKeepalive` (the bootstrap's `xds-grpc` cluster: `keepaliveTime` 300 s). */
  readonly upstreamConnectionOptions?: {
    readonly tcpKeepalive?: {
      readonly keepaliveProbes?: number;
      readonly keepaliveTime?: number;
      readonly keepaliveInterval?: number;
    };
  };
  /** Deprecated in Envoy but still in Istio's bootstrap (`xds-grpc`: 1). */
  readonly maxRequestsPerConnection?: number;
  /** Source address for upstream connections (istiod: 127.0.0.6 for inbound clusters). */
  readonly upstreamBindConfig?: { readonly sourceAddress: { readonly address: string; readonly portValue?: number } };
  /** istiod: `filterMetadata.istio` = `{config: <DestinationRule path>, services: [...]}`; meshsim adds `meshsim`. */
  readonly metadata?: Metadata;
}

/** Reads a proto uint64 (string or number) as a JS number, or `fallback` when unset. */
export function uint64Value(v: UInt64 | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  return typeof v === 'number' ? v : Number(v);
}

/**
 * `PROTOBUF_PERCENT_TO_ROUNDED_INTEGER_OR_DEFAULT(config, field, 100, default)`: a `Percent` as a rounded
 * integer (Envoy: `std::round(value * max / 100)`).
 */
export function percentToRoundedInteger(p: Percent | undefined, fallback: number): number {
  return p === undefined ? fallback : Math.round(p.value);
}
