/**
 * What the HTTP fault filter (`envoy.filters.http.fault`, Istio's VirtualService `fault`) does to a request,
 * as exact probabilities rather than draws. Envoy's `FaultFilter::decodeHeaders`
 * (source/extensions/filters/http/fault/fault_filter.cc) takes the most specific per-filter config (the
 * route's, else the virtual host's), skips requests that do not qualify (`upstream_cluster`,
 * `downstream_nodes`, header matchers), then draws the delay (`random() % denominator < numerator`) and —
 * after the delay, or at once without one — the abort, independently. So a request is delayed with
 * probability `d`, aborted with probability `a`, both with `d·a`. The filter runs before the router: an
 * aborted request never reaches a cluster. `max_active_faults` is not modelled (istiod leaves it unlimited).
 */
import { formatDuration, ms } from '../engine/time.js';
import { firstHeaderValue, type HeaderMap } from '../envoy/common.js';
import type { HTTPFault } from '../envoy/config/fault.js';
import { FaultSettings, type ResolvedPercent } from '../envoy/filters/http/fault/faultConfig.js';
import { FilterNames, type HttpConnectionManager } from '../envoy/listener/types.js';
import type { Route, VirtualHost } from '../envoy/router/types.js';

/** The fault a request can get, with exact probabilities. */
export interface FaultPlan {
  /** A fixed delay first (flag DI). */
  readonly delay?: { readonly probability: number; readonly duration: string };
  /** A local reply instead of the upstream (flag FI, details `fault_filter_abort`). */
  readonly abort?: { readonly probability: number; readonly status: number; readonly grpcStatus?: number };
}

/** `ProtobufPercentHelper::evaluateFractionalPercent` as a probability: `min(numerator, denominator) / denominator`. */
export function percentProbability(p: ResolvedPercent): number {
  return p.denominator <= 0 ? 0 : Math.min(p.numerator, p.denominator) / p.denominator;
}

/** The route's fault config, else the virtual host's (`mostSpecificPerFilterConfig`). */
function faultConfig(route: Route, vhost: VirtualHost | undefined): HTTPFault | undefined {
  const key = FilterNames.fault;
  return (route.typedPerFilterConfig?.[key] ?? vhost?.typedPerFilterConfig?.[key]) as HTTPFault | undefined;
}

/**
 * The fault `route` injects into a request with `headers` bound for `cluster`, or undefined when it injects
 * none. The connection manager must run the fault filter (istiod installs it on every HTTP listener; a
 * configuration without `http_filters` is taken to have it).
 */
export function faultPlan(
  route: Route,
  vhost: VirtualHost | undefined,
  hcm: HttpConnectionManager | undefined,
  headers: HeaderMap,
  cluster: string | undefined,
): FaultPlan | undefined {
  const filters = hcm?.httpFilters;
  if (filters !== undefined && !filters.some((f) => f.name === FilterNames.fault)) return undefined;
  const config = faultConfig(route, vhost);
  if (config === undefined) return undefined;
  let s: FaultSettings;
  try {
    s = new FaultSettings(config);
  } catch {
    return undefined; // Envoy rejects such a route configuration; validation reports it
  }
  if (s.upstreamCluster !== undefined && s.upstreamCluster !== cluster) return undefined;
  if (s.downstreamNodes.size > 0) {
    const node = firstHeaderValue(headers, 'x-envoy-downstream-service-node');
    if (node === undefined || !s.downstreamNodes.has(node)) return undefined;
  }
  if (!s.matchesHeaders(headers)) return undefined;
  const delayPercent = s.delayPercentage(headers);
  const delayMs = s.delayDurationMs(headers);
  const delayP = delayPercent === undefined ? 0 : percentProbability(delayPercent);
  const abortPercent = s.abortPercentage(headers);
  const http = s.abortHttpStatus(headers);
  const grpc = http === undefined ? s.abortGrpcStatus(headers) : undefined;
  const abortP =
    abortPercent === undefined || (http === undefined && grpc === undefined) ? 0 : percentProbability(abortPercent);
  const plan: FaultPlan = {
    // A zero-length delay is no delay (`FaultFilter::delayDuration`).
    ...(delayP > 0 && delayMs !== undefined && delayMs > 0
      ? { delay: { probability: delayP, duration: formatDuration(ms(delayMs)) } }
      : {}),
    // A gRPC abort answers `:status 200` with `grpc-status`.
    ...(abortP > 0
      ? { abort: { probability: abortP, status: http ?? 200, ...(grpc !== undefined ? { grpcStatus: grpc } : {}) } }
      : {}),
  };
  return plan.delay === undefined && plan.abort === undefined ? undefined : plan;
}
