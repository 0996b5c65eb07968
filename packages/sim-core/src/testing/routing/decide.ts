/**
 * `decideRoute(model, call)`: everything a rule test asks about one request, read off the Envoy
 * configuration istiod pushes and the route Envoy picks (`route()` in explain/): the VirtualService rule and
 * match block that decided it, every candidate cluster and whether it exists and has endpoints, the fault,
 * retry policy, timeout and rewrite in force, a redirect, and the distribution of response codes that
 * follows — all analytic, nothing sampled.
 */
import type { HTTPFault } from '../../envoy/config/fault.js';
import { denominatorValue } from '../../envoy/config/fault.js';
import type { Route } from '../../envoy/config/route.js';
import { compileRoute, rewritePath } from '../../envoy/router/compiledRoute.js';
import { normalizePath } from '../../envoy/router/pathNormalization.js';
import type { RouteCall } from '../../explain/call.js';
import type { ClusterCandidate, RouteExplanation } from '../../explain/explanation.js';
import type { ProxyConfigView } from '../../explain/proxyConfigView.js';
import { defaultProxyConfigBuilder, route as explainRoute } from '../../explain/route.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import { ruleOf, type RuleRef } from './rules.js';

/** A VirtualService `fault` in Istio's terms, as the route carries it. */
export interface FaultPolicy {
  readonly abort?: { readonly httpStatus?: number; readonly grpcStatus?: number; readonly percentage: number };
  readonly delay?: { readonly fixedDelay: string; readonly percentage: number };
}

/** A route's retry policy in Istio's terms (`HTTPRetry`). */
export interface RetryView {
  /** Envoy `num_retries` (Istio `attempts`). */
  readonly attempts: number;
  readonly perTryTimeout?: string;
  /** Envoy `retry_on`, with retriable status codes appended as numbers, e.g. `5xx,503`. */
  readonly retryOn?: string;
}

/** One possible response code with its probability and why. */
export interface StatusShare {
  readonly status: number;
  readonly probability: number;
  /** Envoy response flags for local replies (`NR`, `FI`, `UH`, `NC`). */
  readonly flags?: string;
  readonly why: string;
}

/** A candidate cluster and whether it can serve. */
export interface CandidateState extends ClusterCandidate {
  /** The cluster is in the proxy's CDS. */
  readonly defined: boolean;
  /** Endpoints Envoy may pick (healthy, or any for ORIGINAL_DST / DNS clusters). */
  readonly endpoints: number;
}

/** What happens to one request, analytically. */
export interface RouteDecision {
  readonly call: RouteCall;
  readonly explanation: RouteExplanation;
  /** The Envoy route that matched. */
  readonly route?: Route;
  /** The VirtualService rule behind it. */
  readonly rule?: RuleRef;
  readonly candidates: readonly CandidateState[];
  readonly fault?: FaultPolicy;
  readonly retries?: RetryView;
  /** The route timeout as Envoy holds it (`0s`: none, Istio's default). */
  readonly timeout?: string;
  readonly rewrite?: { readonly path?: string; readonly authority?: string };
  readonly redirect?: { readonly location: string; readonly status: number };
  /** Response codes and their probabilities (summing to 1), assuming the applications answer 200. */
  readonly statuses: readonly StatusShare[];
}

function percentOf(
  p: { numerator?: number; denominator?: 'HUNDRED' | 'TEN_THOUSAND' | 'MILLION' } | undefined,
): number {
  if (p === undefined) return 0;
  return ((p.numerator ?? 0) / denominatorValue(p.denominator)) * 100;
}

/** The fault of a route, back in Istio's terms (istiod's `TranslateFault`, inverted). */
export function faultOf(route: Route | undefined): FaultPolicy | undefined {
  const f = route?.typedPerFilterConfig?.['envoy.filters.http.fault'] as HTTPFault | undefined;
  if (f === undefined || (f.abort === undefined && f.delay === undefined)) return undefined;
  const abort =
    f.abort !== undefined
      ? {
          ...(f.abort.httpStatus !== undefined ? { httpStatus: f.abort.httpStatus } : {}),
          ...(f.abort.grpcStatus !== undefined ? { grpcStatus: f.abort.grpcStatus } : {}),
          percentage: percentOf(f.abort.percentage),
        }
      : undefined;
  const delay =
    f.delay?.fixedDelay !== undefined
      ? { fixedDelay: f.delay.fixedDelay, percentage: percentOf(f.delay.percentage) }
      : undefined;
  return { ...(abort !== undefined ? { abort } : {}), ...(delay !== undefined ? { delay } : {}) };
}

/** The retry policy of a route (Envoy's default `num_retries` is 1 when a policy is present). */
export function retriesOf(route: Route | undefined): RetryView | undefined {
  const p = route?.route?.retryPolicy;
  if (p === undefined) return undefined;
  const codes = (p.retriableStatusCodes ?? []).map(String);
  const on = [
    ...(p.retryOn ?? '').split(',').filter((t) => t !== '' && (codes.length === 0 || t !== 'retriable-status-codes')),
    ...codes,
  ];
  return {
    attempts: p.numRetries ?? 1,
    ...(p.perTryTimeout !== undefined ? { perTryTimeout: p.perTryTimeout } : {}),
    ...(on.length > 0 ? { retryOn: on.join(',') } : {}),
  };
}

/**
 * The `:path` sent upstream (`RouteEntryImplBase::finalizePathHeader`, envoyproxy/envoy
 * source/common/router/config_impl.cc): `regex_rewrite` substitutes every match in the path; `prefix_rewrite`
 * replaces the matched part — the prefix for a prefix route, the whole path for an exact (`path`) or a
 * `safe_regex` route (`RegexRouteEntryImpl::currentUrlPathAfterRewrite` passes the whole path as matched).
 * The query string is kept; a `regex_rewrite` that yields an empty path leaves it unchanged. `path` is the
 * request path after `normalize_path`. The same function the simulated world's router uses.
 */
export function rewrittenPath(route: Route, path: string): string | undefined {
  return rewritePath(compileRoute(route), path);
}

const SERVING = new Set(['HEALTHY', 'UNKNOWN', 'DEGRADED']);

function candidateStates(e: RouteExplanation, config: ProxyConfigView | undefined): CandidateState[] {
  return e.clusters.map((c) => {
    const view = config?.clusters?.find((x) => x.name === c.name);
    const serving = e.endpoints.filter((x) => x.cluster === c.name && SERVING.has(x.health.toUpperCase())).length;
    const dynamic = view?.type === 'ORIGINAL_DST' || view?.type === 'STRICT_DNS' || view?.type === 'LOGICAL_DNS';
    return { ...c, defined: view !== undefined, endpoints: dynamic ? Math.max(1, serving) : serving };
  });
}

function statusesOf(
  e: RouteExplanation,
  candidates: readonly CandidateState[],
  fault: FaultPolicy | undefined,
): StatusShare[] {
  const o = e.outcome;
  if (o.action !== 'forward') {
    if (o.status !== undefined) {
      return [
        {
          status: o.status,
          probability: 1,
          ...(o.responseFlags !== undefined ? { flags: o.responseFlags } : {}),
          why: o.text,
        },
      ];
    }
    return [{ status: 0, probability: 1, why: o.text }];
  }
  const out: StatusShare[] = [];
  const add = (s: StatusShare): void => {
    if (s.probability <= 0) return;
    const same = out.find((x) => x.status === s.status && x.flags === s.flags);
    if (same === undefined) out.push(s);
    else out[out.indexOf(same)] = { ...same, probability: same.probability + s.probability };
  };
  // The fault filter runs before the router: an abort never reaches a cluster.
  const abort = fault?.abort?.httpStatus !== undefined ? Math.min(100, fault.abort.percentage) / 100 : 0;
  if (abort > 0)
    add({ status: fault?.abort?.httpStatus as number, probability: abort, flags: 'FI', why: 'fault abort' });
  for (const c of candidates) {
    const p = (1 - abort) * c.probability;
    if (!c.defined)
      add({ status: 503, probability: p, flags: 'NC', why: `cluster ${c.name} is not in the proxy's CDS` });
    else if (c.endpoints === 0)
      add({ status: 503, probability: p, flags: 'UH', why: `cluster ${c.name} has no healthy endpoint` });
    else add({ status: 200, probability: p, why: `the application behind ${c.name} answers` });
  }
  return out;
}

/** Everything about where `call` goes and what the route applies to it. Throws `ConfigError` for a malformed call. */
export function decideRoute(model: MeshModel, call: RouteCall): RouteDecision {
  let config: ProxyConfigView | undefined;
  const explanation = explainRoute(model, call, {
    build: (m, proxy) => (config = defaultProxyConfigBuilder(m, proxy)),
  });
  const rc = config?.routes.find((r) => r.name === explanation.routeConfig);
  const vh = rc?.virtualHosts?.find((v) => v.name === explanation.virtualHost);
  const route = explanation.route !== undefined ? vh?.routes?.[explanation.route.index] : undefined;
  const rule = route !== undefined && explanation.route !== undefined ? ruleOf(model, explanation.route) : undefined;
  const candidates = candidateStates(explanation, config);
  const fault = faultOf(route);
  const retries = retriesOf(route);
  const path = explanation.call.path !== undefined ? normalizePath(explanation.call.path) : undefined;
  const rewritePath = route !== undefined && path !== undefined ? rewrittenPath(route, path) : undefined;
  const authority = route?.route?.hostRewriteLiteral;
  const o = explanation.outcome;
  return {
    call,
    explanation,
    ...(route !== undefined ? { route } : {}),
    ...(rule !== undefined ? { rule } : {}),
    candidates,
    ...(fault !== undefined ? { fault } : {}),
    ...(retries !== undefined ? { retries } : {}),
    ...(route?.route?.timeout !== undefined ? { timeout: route.route.timeout } : {}),
    ...(rewritePath !== undefined || authority !== undefined
      ? {
          rewrite: {
            ...(rewritePath !== undefined ? { path: rewritePath } : {}),
            ...(authority !== undefined ? { authority } : {}),
          },
        }
      : {}),
    ...(o.action === 'redirect' && o.location !== undefined
      ? { redirect: { location: o.location, status: o.status ?? 301 } }
      : {}),
    statuses: statusesOf(explanation, candidates, fault),
  };
}
