/**
 * Response-code stats of a cluster, as Envoy's router charges them when an upstream response arrives
 * (envoyproxy/envoy source/common/http/codes.cc, `CodeStatsImpl::chargeBasicResponseStat`,
 * `chargeResponseStat`, `chargeResponseTiming`): `upstream_rq_completed`, `upstream_rq_<N>xx`,
 * `upstream_rq_<code>`, the same three under `internal.` or `external.` (by whether the request carried
 * `x-envoy-internal: true`), and the `upstream_rq_time` histograms in milliseconds.
 *
 * A request is internal when it carries `x-envoy-internal: true`, which Envoy's connection manager adds only
 * with `use_remote_address: true` and a peer on an internal address (source/common/http/
 * conn_manager_utility.cc, `mutateRequestHeaders`); Istio sidecar outbound listeners run with
 * `use_remote_address: false`, so app requests through a sidecar are usually `external.`.
 */
import type { Duration } from '../../engine/time.js';
import type { StatsStore } from './statsStore.js';

/** `cluster.<name>.` — the prefix of a cluster's stats. */
export const clusterStatPrefix = (clusterName: string): string => `cluster.${clusterName}.`;

/** The `upstream_rq_<N>xx` group of a status code, or `undefined` outside 1xx–5xx (`upstreamRqGroup`). */
export function responseCodeClass(code: number): string | undefined {
  const c = Math.floor(code / 100);
  return c >= 1 && c <= 5 ? `${c}xx` : undefined;
}

/** Charges one upstream response's code stats under `prefix` (e.g. {@link clusterStatPrefix}). */
export function chargeResponseStat(
  store: StatsStore,
  prefix: string,
  code: number,
  options: { readonly internal?: boolean; readonly canary?: boolean } = {},
): void {
  const group = responseCodeClass(code);
  const charge = (p: string): void => {
    store.counter(`${p}upstream_rq_completed`).inc();
    if (group !== undefined) store.counter(`${p}upstream_rq_${group}`).inc();
    // Codes outside 100–599 have no name of their own (`upstreamRqStatName`: `upstream_rq_unknown`).
    store.counter(code >= 100 && code < 600 ? `${p}upstream_rq_${code}` : `${p}upstream_rq_unknown`).inc();
  };
  charge(prefix);
  if (options.canary === true) charge(`${prefix}canary.`);
  charge(`${prefix}${options.internal === true ? 'internal.' : 'external.'}`);
}

/** Records one upstream response time (truncated to whole ms, as Envoy's `std::chrono` cast does). */
export function chargeResponseTiming(
  store: StatsStore,
  prefix: string,
  responseTime: Duration,
  options: { readonly internal?: boolean; readonly canary?: boolean } = {},
): void {
  const msValue = Math.floor(responseTime / 1000);
  store.histogram(`${prefix}upstream_rq_time`, 'Milliseconds').record(msValue);
  if (options.canary === true) store.histogram(`${prefix}canary.upstream_rq_time`, 'Milliseconds').record(msValue);
  store
    .histogram(`${prefix}${options.internal === true ? 'internal.' : 'external.'}upstream_rq_time`, 'Milliseconds')
    .record(msValue);
}

/** `http.<stat_prefix>.` — the HTTP connection manager's stats (Istio's prefixes look like `outbound_0.0.0.0_9080`). */
export const httpStatPrefix = (statPrefix: string): string => `http.${statPrefix}.`;

/** `listener.<address>.http.<stat_prefix>.` — the same counters per listener (e.g. address `0.0.0.0_15006`). */
export const listenerHttpStatPrefix = (address: string, statPrefix: string): string =>
  `listener.${address}.http.${statPrefix}.`;

/**
 * Charges a new downstream request on an HTTP connection manager: `downstream_rq_total` and the protocol's
 * `downstream_rq_http1_total` / `downstream_rq_http2_total` (`ALL_HTTP_CONN_MAN_STATS`).
 */
export function chargeDownstreamRequest(
  store: StatsStore,
  httpPrefix: string,
  protocol: 'HTTP/1.1' | 'HTTP/1.0' | 'HTTP/2',
): void {
  store.counter(`${httpPrefix}downstream_rq_total`).inc();
  store.counter(`${httpPrefix}downstream_rq_${protocol === 'HTTP/2' ? 'http2' : 'http1'}_total`).inc();
}

/**
 * Charges the response sent downstream, as `ConnectionManagerImpl::ActiveStream::chargeStats` does
 * (source/common/http/conn_manager_impl.cc): `downstream_rq_completed` and `downstream_rq_<N>xx`, on the
 * connection manager and, when given, on the listener.
 */
export function chargeDownstreamResponse(
  store: StatsStore,
  code: number,
  httpPrefix: string,
  listenerPrefix?: string,
): void {
  const group = responseCodeClass(code);
  for (const p of listenerPrefix === undefined ? [httpPrefix] : [httpPrefix, listenerPrefix]) {
    store.counter(`${p}downstream_rq_completed`).inc();
    if (group !== undefined) store.counter(`${p}downstream_rq_${group}`).inc();
  }
}
