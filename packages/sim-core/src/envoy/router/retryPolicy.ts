/**
 * A route's retry policy, resolved: the `retry_on` conditions as bits, attempts, backoff bounds,
 * host-selection attempts and the retriable status codes and headers. Mirrors `RetryPolicyImpl`
 * (envoyproxy/envoy source/common/router/retry_policy_impl.cc) and `RetryStateImpl::parseRetryOn` /
 * `parseRetryGrpcOn` (retry_state_impl.cc); bit values are `RetryPolicy::RETRY_ON_*` (envoy/router/router.h).
 */
import { ConfigError } from '../../errors.js';
import { protoDurationToMs, type HeaderMap } from '../common.js';
import { PREVIOUS_HOSTS_PREDICATE, type RetryHeaderMatcher, type RetryPolicy } from '../config/retry.js';

/** `RetryPolicy::RETRY_ON_*`. */
export const RetryOn = {
  '5XX': 0x1,
  GATEWAY_ERROR: 0x2,
  CONNECT_FAILURE: 0x4,
  RETRIABLE_4XX: 0x8,
  REFUSED_STREAM: 0x10,
  GRPC_CANCELLED: 0x20,
  GRPC_DEADLINE_EXCEEDED: 0x40,
  GRPC_RESOURCE_EXHAUSTED: 0x80,
  GRPC_UNAVAILABLE: 0x100,
  GRPC_INTERNAL: 0x200,
  RETRIABLE_STATUS_CODES: 0x400,
  RESET: 0x800,
  RETRIABLE_HEADERS: 0x1000,
  ENVOY_RATE_LIMITED: 0x2000,
  HTTP3_POST_CONNECT_FAILURE: 0x4000,
  RESET_BEFORE_REQUEST: 0x8000,
} as const;

const HTTP_TOKENS: Readonly<Record<string, number>> = {
  '5xx': RetryOn['5XX'],
  'gateway-error': RetryOn.GATEWAY_ERROR,
  'connect-failure': RetryOn.CONNECT_FAILURE,
  'envoy-ratelimited': RetryOn.ENVOY_RATE_LIMITED,
  'retriable-4xx': RetryOn.RETRIABLE_4XX,
  'refused-stream': RetryOn.REFUSED_STREAM,
  'retriable-status-codes': RetryOn.RETRIABLE_STATUS_CODES,
  'retriable-headers': RetryOn.RETRIABLE_HEADERS,
  reset: RetryOn.RESET,
  'reset-before-request': RetryOn.RESET_BEFORE_REQUEST,
  'http3-post-connect-failure': RetryOn.HTTP3_POST_CONNECT_FAILURE,
};

const GRPC_TOKENS: Readonly<Record<string, number>> = {
  cancelled: RetryOn.GRPC_CANCELLED,
  'deadline-exceeded': RetryOn.GRPC_DEADLINE_EXCEEDED,
  'resource-exhausted': RetryOn.GRPC_RESOURCE_EXHAUSTED,
  unavailable: RetryOn.GRPC_UNAVAILABLE,
  internal: RetryOn.GRPC_INTERNAL,
};

function parseTokens(text: string, table: Readonly<Record<string, number>>): { bits: number; allValid: boolean } {
  let bits = 0;
  let allValid = true;
  // StringUtil::splitToken(config, ",", keep_empty = false, trim_whitespace = true)
  for (const raw of text.split(',')) {
    const token = raw.trim();
    if (token === '') continue;
    const bit = table[token];
    if (bit === undefined) allValid = false;
    else bits |= bit;
  }
  return { bits, allValid };
}

/** `RetryStateImpl::parseRetryOn`: HTTP conditions; unknown tokens are ignored (and flagged). */
export function parseRetryOn(text: string): { bits: number; allValid: boolean } {
  return parseTokens(text, HTTP_TOKENS);
}

/** `RetryStateImpl::parseRetryGrpcOn`: gRPC conditions (`cancelled`, `unavailable`…). */
export function parseRetryGrpcOn(text: string): { bits: number; allValid: boolean } {
  return parseTokens(text, GRPC_TOKENS);
}

/** `Http::HeaderUtility::matchHeaders` for the matcher subset retry policies use. */
export function matchRetryHeader(m: RetryHeaderMatcher, headers: HeaderMap): boolean {
  const raw = headers[m.name.toLowerCase()];
  // Several values of one header are joined with "," before matching.
  const value = raw === undefined ? undefined : typeof raw === 'string' ? raw : raw.join(',');
  let match: boolean;
  if (m.presentMatch !== undefined) match = (value !== undefined) === m.presentMatch;
  else if (value === undefined) match = false;
  else if (m.stringMatch?.exact !== undefined) match = value === m.stringMatch.exact;
  else if (m.stringMatch?.prefix !== undefined) match = value.startsWith(m.stringMatch.prefix);
  else if (m.stringMatch?.suffix !== undefined) match = value.endsWith(m.stringMatch.suffix);
  else if (m.stringMatch?.contains !== undefined) match = value.includes(m.stringMatch.contains);
  else match = true;
  return m.invertMatch === true ? !match : match;
}

/** A resolved route retry policy (`RetryPolicyImpl`). */
export interface ResolvedRetryPolicy {
  /** `RETRY_ON_*` bits from `retry_on` (HTTP and gRPC tokens both). */
  readonly retryOn: number;
  /** `num_retries`. @defaultValue 1 */
  readonly numRetries: number;
  /** `host_selection_retry_max_attempts`. @defaultValue 1 */
  readonly hostSelectionMaxAttempts: number;
  readonly retriableStatusCodes: readonly number[];
  readonly retriableHeaders: readonly RetryHeaderMatcher[];
  readonly retriableRequestHeaders: readonly RetryHeaderMatcher[];
  /** `retry_back_off.base_interval` in ms (≥ 1), or undefined for the default 25 ms. */
  readonly baseIntervalMs: number | undefined;
  /** `retry_back_off.max_interval` in ms, or undefined for 10 × base. */
  readonly maxIntervalMs: number | undefined;
  /** `per_try_timeout` in ms; 0 = none. */
  readonly perTryTimeoutMs: number;
  /** Whether the `previous_hosts` predicate is configured. */
  readonly previousHosts: boolean;
  /** Names of other host predicates (not simulated; a retry still works, without host avoidance). */
  readonly otherHostPredicates: readonly string[];
}

/** `RetryPolicyImpl(retry_policy)`: resolves a route's `retryPolicy` with Envoy's defaults. */
export function resolveRetryPolicy(p: RetryPolicy): ResolvedRetryPolicy {
  const field = (f: string): string => `retryPolicy.${f}`;
  let baseIntervalMs: number | undefined;
  let maxIntervalMs: number | undefined;
  if (p.retryBackOff !== undefined) {
    baseIntervalMs = Math.max(1, protoDurationToMs(p.retryBackOff.baseInterval, field('retryBackOff.baseInterval')));
    if (p.retryBackOff.maxInterval !== undefined) {
      maxIntervalMs = Math.max(1, protoDurationToMs(p.retryBackOff.maxInterval, field('retryBackOff.maxInterval')));
      if (maxIntervalMs < baseIntervalMs) {
        throw new ConfigError('retry_policy.max_interval must greater than or equal to the base_interval', {
          field: field('retryBackOff.maxInterval'),
        });
      }
    }
  }
  const retryOnText = p.retryOn ?? '';
  const hostAttempts = Number(p.hostSelectionRetryMaxAttempts ?? 0);
  const predicates = (p.retryHostPredicate ?? []).map((x) => x.name);
  return {
    retryOn: parseRetryOn(retryOnText).bits | parseRetryGrpcOn(retryOnText).bits,
    numRetries: p.numRetries ?? 1,
    hostSelectionMaxAttempts: hostAttempts !== 0 ? hostAttempts : 1,
    retriableStatusCodes: [...(p.retriableStatusCodes ?? [])],
    retriableHeaders: p.retriableHeaders ?? [],
    retriableRequestHeaders: p.retriableRequestHeaders ?? [],
    baseIntervalMs,
    maxIntervalMs,
    perTryTimeoutMs: p.perTryTimeout === undefined ? 0 : protoDurationToMs(p.perTryTimeout, field('perTryTimeout')),
    previousHosts: predicates.includes(PREVIOUS_HOSTS_PREDICATE),
    otherHostPredicates: predicates.filter((n) => n !== PREVIOUS_HOSTS_PREDICATE),
  };
}

/** The policy of a request that asks for retries only by header (`x-envoy-retry-on` on a route without one). */
export const DEFAULT_RETRY_POLICY: ResolvedRetryPolicy = resolveRetryPolicy({});
