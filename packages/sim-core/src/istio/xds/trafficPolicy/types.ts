/**
 * The Istio API fields istiod's traffic-policy translation reads, spelled as `networking.istio.io/v1`
 * spells them (DestinationRule `trafficPolicy`, VirtualService `http[].retries` / `http[].fault`). The
 * manifests' own types (`@kubernetes-models/istio`, generated from Istio 1.29's CRDs) are assignable to
 * these; the tests check it.
 */

/** `DestinationRule.trafficPolicy.outlierDetection`. */
export interface IstioOutlierDetection {
  /** @defaultValue Envoy's 5 (field absent); 0 disables. */
  readonly consecutive5xxErrors?: number;
  /** @defaultValue disabled */
  readonly consecutiveGatewayErrors?: number;
  /** @defaultValue 5 (only with splitExternalLocalOriginErrors) */
  readonly consecutiveLocalOriginFailures?: number;
  readonly splitExternalLocalOriginErrors?: boolean;
  /** @defaultValue `"10s"` (Envoy's) */
  readonly interval?: string;
  /** @defaultValue `"30s"` (Envoy's) */
  readonly baseEjectionTime?: string;
  /** @defaultValue 10 (Envoy's; Istio sends it only if > 0) */
  readonly maxEjectionPercent?: number;
  /** Becomes `healthy_panic_threshold`. @defaultValue 0 */
  readonly minHealthPercent?: number;
  /** Deprecated, not mapped by istiod. */
  readonly consecutiveErrors?: number;
}

/** `ConnectionPoolSettings`. */
export interface IstioConnectionPoolSettings {
  readonly tcp?: {
    readonly maxConnections?: number;
    readonly connectTimeout?: string;
    readonly maxConnectionDuration?: string;
    readonly idleTimeout?: string;
  };
  readonly http?: {
    readonly http1MaxPendingRequests?: number;
    readonly http2MaxRequests?: number;
    readonly maxRequestsPerConnection?: number;
    readonly maxRetries?: number;
    readonly idleTimeout?: string;
    readonly maxConcurrentStreams?: number;
    readonly h2UpgradePolicy?: 'DEFAULT' | 'DO_NOT_UPGRADE' | 'UPGRADE';
    readonly useClientProtocol?: boolean;
  };
}

/** `TrafficPolicy.retryBudget`. */
export interface IstioRetryBudget {
  /** @defaultValue 20 */
  readonly percent?: number;
  /** @defaultValue 3 */
  readonly minRetryConcurrency?: number;
}

/** `LoadBalancerSettings.consistentHash` (exactly one hash key). */
export interface IstioConsistentHash {
  readonly httpHeaderName?: string;
  readonly httpCookie?: { readonly name: string; readonly path?: string; readonly ttl?: string };
  readonly useSourceIp?: boolean;
  readonly httpQueryParameterName?: string;
  readonly ringHash?: { readonly minimumRingSize?: number };
  readonly maglev?: { readonly tableSize?: number };
  /** Deprecated alias of ringHash.minimumRingSize. */
  readonly minimumRingSize?: number;
}

/** `LoadBalancerSettings`. */
export interface IstioLoadBalancerSettings {
  readonly simple?: 'UNSPECIFIED' | 'LEAST_CONN' | 'RANDOM' | 'PASSTHROUGH' | 'ROUND_ROBIN' | 'LEAST_REQUEST';
  readonly consistentHash?: IstioConsistentHash;
  readonly warmup?: { readonly duration: string; readonly aggression?: number; readonly minimumPercent?: number };
  /** Deprecated: use warmup. */
  readonly warmupDurationSecs?: string;
}

/** `VirtualService.http[].retries` (`HTTPRetry`), also MeshConfig `defaultHttpRetryPolicy`. */
export interface IstioHTTPRetry {
  /** 0 (or less) disables retries. */
  readonly attempts?: number;
  readonly perTryTimeout?: string;
  /** Envoy conditions and/or HTTP status codes, comma-separated. */
  readonly retryOn?: string;
  /** @defaultValue true */
  readonly retryIgnorePreviousHosts?: boolean;
  readonly retryRemoteLocalities?: boolean;
  readonly backoff?: string;
}

/** `HTTPFaultInjection`. */
export interface IstioHTTPFaultInjection {
  readonly delay?: {
    readonly fixedDelay?: string;
    readonly exponentialDelay?: string;
    readonly percentage?: { readonly value?: number };
    /** Deprecated integer percent. */
    readonly percent?: number;
  };
  readonly abort?: {
    readonly httpStatus?: number;
    readonly grpcStatus?: string;
    readonly http2Error?: string;
    readonly percentage?: { readonly value?: number };
  };
}
