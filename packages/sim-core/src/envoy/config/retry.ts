/**
 * The typed subset of `envoy.config.route.v3.RetryPolicy` in proto3 JSON spelling, as istiod's
 * `retry.ConvertPolicy` emits it on a route. Defaults are Envoy's (`RetryPolicyImpl`); Istio's defaults
 * (2 retries, `connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes`,
 * `previous_hosts`, 5 host-selection attempts) live in `istio/xds/trafficPolicy/buildRetryPolicy`.
 */
import type { ProtoDuration } from '../common.js';

/** `RetryPolicy.RetryBackOff`. */
export interface RetryBackOff {
  /** @defaultValue `"0.025s"` (runtime `upstream.base_retry_backoff_ms`) */
  readonly baseInterval: ProtoDuration;
  /** @defaultValue 10 × baseInterval */
  readonly maxInterval?: ProtoDuration;
}

/** `RetryPolicy.RetryHostPredicate` (only `envoy.retry_host_predicates.previous_hosts` is simulated). */
export interface RetryPolicyHostPredicate {
  readonly name: string;
  readonly typedConfig?: unknown;
}

/** `RetryPolicy.RetryPriority` (Istio's `retryRemoteLocalities` adds `previous_priorities`). */
export interface RetryPolicyPriority {
  readonly name: string;
  readonly typedConfig?: unknown;
}

/** A header matcher as `retriable_headers` / `retriable_request_headers` use it (common subset). */
export interface RetryHeaderMatcher {
  readonly name: string;
  readonly presentMatch?: boolean;
  readonly stringMatch?: {
    readonly exact?: string;
    readonly prefix?: string;
    readonly suffix?: string;
    readonly contains?: string;
  };
  readonly invertMatch?: boolean;
}

/** `envoy.config.route.v3.RetryPolicy`. */
export interface RetryPolicy {
  /** Comma-separated conditions: `5xx`, `gateway-error`, `connect-failure`, `reset`, gRPC ones… */
  readonly retryOn?: string;
  /** @defaultValue 1 */
  readonly numRetries?: number;
  /** @defaultValue none (the route timeout) */
  readonly perTryTimeout?: ProtoDuration;
  readonly retryPriority?: RetryPolicyPriority;
  readonly retryHostPredicate?: readonly RetryPolicyHostPredicate[];
  /** Extra LB picks when a predicate rejects a host. @defaultValue 1 (Istio: 5) */
  readonly hostSelectionRetryMaxAttempts?: number | string;
  readonly retriableStatusCodes?: readonly number[];
  readonly retryBackOff?: RetryBackOff;
  readonly retriableHeaders?: readonly RetryHeaderMatcher[];
  readonly retriableRequestHeaders?: readonly RetryHeaderMatcher[];
}

/** Envoy's name for the "retry on a different host" predicate. */
export const PREVIOUS_HOSTS_PREDICATE = 'envoy.retry_host_predicates.previous_hosts';
/** Envoy's name for the retry-priority plugin Istio's `retryRemoteLocalities` enables. */
export const PREVIOUS_PRIORITIES = 'envoy.retry_priorities.previous_priorities';
