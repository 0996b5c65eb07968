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

// Whether `wouldRetryFromHeaders` could say anything but NoRetry for this response: only error statuses,
// listed statuses, matched headers, rate-limit and gRPC status headers can be retried.
export function mayRetryResponse(
  status: number,
  headers: Readonly<Record<string, string>> | undefined,
  pending: { readonly policy: ResolvedRetryPolicy; readonly headers: Readonly<Record<string, string>> },
): boolean {
  if (status >= 400) return true;
  const p = pending.policy;
  if (p.retriableStatusCodes.length > 0 || p.retriableHeaders.length > 0) return true;
  if (pending.headers['x-envoy-retriable-status-codes'] !== undefined) return true;
  return (
    headers !== undefined && (headers['x-envoy-ratelimited'] !== undefined || headers['grpc-status'] !== undefined)
  );
}

// The retry headers of a request, or undefined when it has none (the common case).
export function retryHeadersOf(headers: Readonly<Record<string, string>>): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const h of RETRY_HEADERS) {
    const v = headers[h];
    if (v !== undefined) (out ??= {})[h] = v;
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
