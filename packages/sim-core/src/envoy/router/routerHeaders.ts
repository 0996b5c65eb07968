/**
 * Header helpers of the router filter: Envoy's retry override headers (read, then removed before the request
 * goes upstream: `RetryStateImpl`), which responses could be retried at all, the `-shadow` authority of
 * mirrored requests (`ShadowWriterImpl`), and how a route's source is named in traces.
 */
import type { CompiledRoute } from './compiledRoute.js';
import type { ResolvedRetryPolicy } from './retryPolicy.js';

const RETRY_HEADERS = [
  'x-envoy-retry-on',
  'x-envoy-retry-grpc-on',
  'x-envoy-max-retries',
  'x-envoy-retriable-status-codes',
  'x-envoy-retriable-header-names',
];

// "All retry-related request headers are removed before forwarding upstream" (RetryStateImpl ctor).
export function stripRetryHeaders(headers: Record<string, string>): void {
  for (const h of RETRY_HEADERS) if (headers[h] !== undefined) delete headers[h];
}

/**
 * Whether `wouldRetryFromHeaders` could say anything but NoRetry for this response (`policy` with the
 * request's retry headers `requestRetryHeaders`): only error statuses, listed statuses, matched headers,
 * rate-limit and gRPC status headers can be retried. Any other response is final without building the retry
 * state — Istio's default policy (`retriable-status-codes` 503) would otherwise build one per 200.
 */
export function mayRetryResponse(
  status: number,
  headers: Readonly<Record<string, string>> | undefined,
  policy: ResolvedRetryPolicy,
  requestRetryHeaders: Readonly<Record<string, string>>,
): boolean {
  if (status >= 400) return true;
  if (policy.retriableHeaders.length > 0 || policy.retriableStatusCodes.includes(status)) return true;
  if (requestRetryHeaders['x-envoy-retriable-status-codes'] !== undefined) return true;
  return (
    headers !== undefined && (headers['x-envoy-ratelimited'] !== undefined || headers['grpc-status'] !== undefined)
  );
}

/** The retry headers of a request, or undefined when it has none (the common case). */
export function retryHeadersOf(headers: Readonly<Record<string, string>>): Record<string, string> | undefined {
  // Named reads, each with its own inline cache, rather than one keyed read in a loop: the absent case
  // (almost every request) then costs five cached misses instead of five generic lookups.
  if (
    headers['x-envoy-retry-on'] === undefined &&
    headers['x-envoy-retry-grpc-on'] === undefined &&
    headers['x-envoy-max-retries'] === undefined &&
    headers['x-envoy-retriable-status-codes'] === undefined &&
    headers['x-envoy-retriable-header-names'] === undefined
  ) {
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const h of RETRY_HEADERS) {
    const v = headers[h];
    if (v !== undefined) out[h] = v;
  }
  return out;
}

export const EMPTY_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * `Http::Utility::buildOriginalUri`-style shadow host: `-shadow` appended to the host part of
 * `:authority` (the port, if any, kept), as `ShadowWriterImpl::shadow` does (`shadowAppendedHost`).
 */
export function shadowAuthority(authority: string): string {
  const colon = authority.lastIndexOf(':');
  const bracket = authority.lastIndexOf(']');
  if (colon > 0 && colon > bracket) return `${authority.slice(0, colon)}-shadow${authority.slice(colon)}`;
  return `${authority}-shadow`;
}

/** `VirtualService default/reviews (reviews.yaml:12, spec.http[0])`, for traces. */
export function describeRouteSource(src: NonNullable<CompiledRoute['source']>): string {
  const where = [
    src.file !== undefined ? `${src.file}${src.line !== undefined ? `:${src.line}` : ''}` : undefined,
    src.field,
  ]
    .filter((x) => x !== undefined && x !== '')
    .join(', ');
  return `${src.kind} ${src.namespace !== undefined ? `${src.namespace}/` : ''}${src.name}${where !== '' ? ` (${where})` : ''}`;
}
