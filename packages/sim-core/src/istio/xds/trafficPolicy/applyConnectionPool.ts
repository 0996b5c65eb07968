/**
 * istiod's `applyConnectionPool` and `getDefaultCircuitBreakerThresholds` (istio/istio
 * pilot/pkg/networking/core/cluster_traffic_policy.go): every Istio cluster gets circuit-breaker thresholds
 * of 2^32−1 (Envoy's 1024/1024/1024/3 never apply), lowered only by the fields the DestinationRule sets —
 * `tcp.maxConnections`, `http.http1MaxPendingRequests`, `http.http2MaxRequests` (for every protocol, despite
 * its name), `http.maxRetries` — plus the retry budget and the connect timeout. `applyTrafficPolicy` passes
 * an empty `connectionPool` when the DestinationRule has none, so this always runs.
 */
import { toProtoDuration } from '../../../envoy/common.js';
import type { CircuitBreakerThresholds, Cluster } from '../../../envoy/config/cluster.js';
import type { IstioConnectionPoolSettings, IstioRetryBudget } from './types.js';

/** `math.MaxUint32`, Istio's "no limit". */
export const ISTIO_UNLIMITED = 4294967295;

/** `getDefaultCircuitBreakerThresholds()`. */
export function getDefaultCircuitBreakerThresholds(): CircuitBreakerThresholds {
  return {
    maxRetries: ISTIO_UNLIMITED,
    maxRequests: ISTIO_UNLIMITED,
    maxConnections: ISTIO_UNLIMITED,
    maxPendingRequests: ISTIO_UNLIMITED,
    trackRemaining: true,
  };
}

/**
 * Returns `cluster` with `circuitBreakers` (one DEFAULT thresholds entry) and `connectTimeout` from the
 * settings. `meshConnectTimeout` is MeshConfig `connectTimeout`. @defaultValue `"10s"`
 */
export function applyConnectionPool(
  cluster: Cluster,
  settings: IstioConnectionPoolSettings = {},
  retryBudget?: IstioRetryBudget,
  meshConnectTimeout = '10s',
): Cluster {
  const t: { -readonly [K in keyof CircuitBreakerThresholds]: CircuitBreakerThresholds[K] } =
    getDefaultCircuitBreakerThresholds();
  if (retryBudget !== undefined) {
    t.retryBudget = {
      budgetPercent: { value: retryBudget.percent ?? 20.0 },
      minRetryConcurrency: (retryBudget.minRetryConcurrency ?? 0) > 0 ? (retryBudget.minRetryConcurrency as number) : 3,
    };
  }
  const http = settings.http;
  if (http !== undefined) {
    // "0 is a valid value if explicitly set" — but Istio cannot tell, so only positive values apply.
    if ((http.http2MaxRequests ?? 0) > 0) t.maxRequests = http.http2MaxRequests;
    if ((http.http1MaxPendingRequests ?? 0) > 0) t.maxPendingRequests = http.http1MaxPendingRequests;
    if ((http.maxRetries ?? 0) > 0) t.maxRetries = http.maxRetries;
  }
  let connectTimeout = toProtoDuration(meshConnectTimeout, 'meshConfig.connectTimeout');
  const tcp = settings.tcp;
  if (tcp !== undefined) {
    if (tcp.connectTimeout !== undefined) {
      connectTimeout = toProtoDuration(tcp.connectTimeout, 'connectionPool.tcp.connectTimeout');
    }
    if ((tcp.maxConnections ?? 0) > 0) t.maxConnections = tcp.maxConnections;
  }
  return { ...cluster, connectTimeout, circuitBreakers: { thresholds: [t] } };
}
