/**
 * istiod's retry translation (istio/istio pilot/pkg/networking/core/route/retry/retry.go, `ConvertPolicy`,
 * `DefaultPolicy`, `parseRetryOn`; route.go uses MeshConfig `defaultHttpRetryPolicy` when the route has no
 * `retries`). Without any setting a route retries twice on
 * `connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes` with no status codes listed
 * (503 was dropped in 1.24), avoids previously tried hosts (`previous_hosts`, except for consistent-hash
 * routes) with 5 host-selection attempts, and uses Envoy's 25 ms backoff.
 */
import { toProtoDuration } from '../../../envoy/common.js';
import { PREVIOUS_HOSTS_PREDICATE, PREVIOUS_PRIORITIES, type RetryPolicy } from '../../../envoy/config/retry.js';
import type { IstioHTTPRetry } from './types.js';

/** Istio's default `retryOn`. */
export const DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';
/** Istio's default number of retries. */
export const DEFAULT_NUM_RETRIES = 2;
/** Istio's `host_selection_retry_max_attempts`. */
export const DEFAULT_HOST_SELECTION_ATTEMPTS = 5;

// Codes Go's http.StatusText knows: only these are read as status codes in retryOn.
const GO_STATUS_TEXT = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308, 400,
  401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425,
  426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

/**
 * `parseRetryOn`: splits Istio's `retryOn` into Envoy conditions and HTTP status codes (integers Go knows a
 * status text for).
 */
export function parseIstioRetryOn(retryOn: string): { retryOn: string; codes: number[] } {
  const codes: number[] = [];
  const keep: string[] = [];
  for (const raw of retryOn.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    // strconv.Atoi: an optional sign and decimal digits.
    const n = /^[+-]?\d+$/.test(part) ? Number(part) : NaN;
    if (Number.isInteger(n) && GO_STATUS_TEXT.has(n)) codes.push(n);
    else keep.push(part);
  }
  return { retryOn: keep.join(','), codes };
}

function defaultPolicy(consistentHash: boolean): RetryPolicy {
  return {
    numRetries: DEFAULT_NUM_RETRIES,
    retryOn: DEFAULT_RETRY_ON,
    hostSelectionRetryMaxAttempts: DEFAULT_HOST_SELECTION_ATTEMPTS,
    ...(consistentHash ? {} : { retryHostPredicate: [{ name: PREVIOUS_HOSTS_PREDICATE }] }),
  };
}

/**
 * `ConvertPolicy(in, hashPolicy)` with route.go's fallback to `defaultHttpRetryPolicy`: the Envoy
 * `retryPolicy` of an HTTP route, or undefined when `attempts` ≤ 0 disables retries.
 */
export function buildRetryPolicy(
  retries: IstioHTTPRetry | undefined,
  options: { readonly consistentHash?: boolean; readonly meshDefaultHttpRetryPolicy?: IstioHTTPRetry } = {},
): RetryPolicy | undefined {
  const consistentHash = options.consistentHash ?? false;
  const policy = retries ?? options.meshDefaultHttpRetryPolicy;
  if (policy === undefined) return defaultPolicy(consistentHash);
  const attempts = policy.attempts ?? 0;
  if (attempts <= 0) return undefined;
  let out: { -readonly [K in keyof RetryPolicy]: RetryPolicy[K] } = {
    ...defaultPolicy(consistentHash),
    numRetries: attempts,
  };
  if (policy.retryOn !== undefined && policy.retryOn !== '') {
    const parsed = parseIstioRetryOn(policy.retryOn);
    out.retryOn = parsed.retryOn;
    if (parsed.codes.length > 0) {
      out.retriableStatusCodes = parsed.codes;
      if (!parsed.retryOn.includes('retriable-status-codes')) out.retryOn += ',retriable-status-codes';
    }
  }
  if (policy.perTryTimeout !== undefined)
    out.perTryTimeout = toProtoDuration(policy.perTryTimeout, 'retries.perTryTimeout');
  if (policy.retryIgnorePreviousHosts !== undefined) {
    const { retryHostPredicate: _dropped, ...rest } = out;
    out = policy.retryIgnorePreviousHosts
      ? { ...rest, retryHostPredicate: [{ name: PREVIOUS_HOSTS_PREDICATE }] }
      : rest;
  }
  if (policy.retryRemoteLocalities === true) {
    out.retryPriority = { name: PREVIOUS_PRIORITIES, typedConfig: { updateFrequency: 2 } };
  }
  if (policy.backoff !== undefined) {
    out.retryBackOff = { baseInterval: toProtoDuration(policy.backoff, 'retries.backoff') };
  }
  return out;
}
