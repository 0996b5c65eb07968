/**
 * The router's timeouts for one request, as `FilterUtility::finalTimeout` (envoyproxy/envoy
 * source/common/router/router.cc) computes them: the route `timeout` (Istio writes `0s` — disabled — unless
 * the VirtualService sets one), replaced by `x-envoy-upstream-rq-timeout-ms` when that parses; the retry
 * policy's `per_try_timeout`, replaced by `x-envoy-upstream-rq-per-try-timeout-ms`; a per-try timeout not
 * shorter than a set global timeout is dropped. Both headers are consumed (removed before forwarding).
 * The global timer starts when the downstream request is complete (`onRequestComplete`) and covers every
 * try and backoff; the per-try timer starts when a try's request has been sent
 * (`UpstreamRequest::setupPerTryTimeout`).
 */
import type { Duration } from '../../engine/time.js';
import { parseUnsignedHeader } from '../common.js';

/** The two timeouts of one request, in µs (0 = disabled). */
export interface RequestTimeouts {
  readonly global: Duration;
  readonly perTry: Duration;
}

/** No timeouts: a stream's before its route is known. */
export const NO_TIMEOUTS: RequestTimeouts = Object.freeze({ global: 0, perTry: 0 });

/** `x-envoy-upstream-rq-timeout-ms`. */
export const UPSTREAM_RQ_TIMEOUT_MS = 'x-envoy-upstream-rq-timeout-ms';
/** `x-envoy-upstream-rq-per-try-timeout-ms`. */
export const UPSTREAM_RQ_PER_TRY_TIMEOUT_MS = 'x-envoy-upstream-rq-per-try-timeout-ms';

/**
 * `FilterUtility::finalTimeout` for a non-gRPC request. `routeTimeoutMs` is the route's `timeout` in ms
 * (Envoy truncates durations to ms), `perTryTimeoutMs` the retry policy's; `headers` are the downstream
 * request headers, from which the two override headers are removed when `trustHeaders` (Envoy honours them
 * on internal requests: sidecars run with `use_remote_address: false`, so app requests are trusted; gateways
 * strip `x-envoy-*` from external clients first).
 */
export function finalTimeout(
  routeTimeoutMs: number,
  perTryTimeoutMs: number,
  headers: Record<string, string | undefined>,
  trustHeaders = true,
): RequestTimeouts {
  let globalMs = routeTimeoutMs;
  let perTryMs = perTryTimeoutMs;
  const g = headers[UPSTREAM_RQ_TIMEOUT_MS];
  if (g !== undefined) {
    if (trustHeaders) {
      const parsed = parseUnsignedHeader(g);
      if (parsed !== undefined) globalMs = parsed;
    }
    delete headers[UPSTREAM_RQ_TIMEOUT_MS];
  }
  const p = headers[UPSTREAM_RQ_PER_TRY_TIMEOUT_MS];
  if (p !== undefined) {
    if (trustHeaders) {
      const parsed = parseUnsignedHeader(p);
      if (parsed !== undefined) perTryMs = parsed;
    }
    delete headers[UPSTREAM_RQ_PER_TRY_TIMEOUT_MS];
  }
  return requestTimeouts(globalMs, perTryMs);
}

/**
 * The timeouts of a request that carries neither override header: what {@link finalTimeout} returns for
 * the route's own values (computed once per route, not per request).
 */
export function requestTimeouts(routeTimeoutMs: number, perTryTimeoutMs: number): RequestTimeouts {
  // "If per try timeout is greater than or equal to global timeout, the per try timeout is ignored."
  const perTryMs = perTryTimeoutMs >= routeTimeoutMs && routeTimeoutMs !== 0 ? 0 : perTryTimeoutMs;
  return { global: routeTimeoutMs * 1000, perTry: perTryMs * 1000 };
}

/** Whether the request carries `x-envoy-upstream-rq-timeout-ms` or `x-envoy-upstream-rq-per-try-timeout-ms`. */
export function hasTimeoutHeaders(headers: Readonly<Record<string, string | undefined>>): boolean {
  // Literal names: named property reads, cached per site (a constant's name compiles to a keyed read).
  return (
    headers['x-envoy-upstream-rq-timeout-ms'] !== undefined ||
    headers['x-envoy-upstream-rq-per-try-timeout-ms'] !== undefined
  );
}
