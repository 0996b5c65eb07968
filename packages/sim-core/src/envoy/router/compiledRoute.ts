/**
 * A route as the router filter uses it on every request, resolved once per configuration: its action
 * (one cluster, weighted clusters, a cluster named by a header, a redirect or a direct response), its
 * timeouts and retry policy, its fault settings (`typed_per_filter_config` of `envoy.filters.http.fault`,
 * which istiod writes per route), mirrors, hash policy, rewrites and header mutations. Mirrors what
 * `RouteEntryImplBase` (envoyproxy/envoy source/common/router/config_impl.cc) precomputes from
 * `envoy.config.route.v3.Route` so no request re-parses configuration.
 */
import { RE2JS } from 're2js';
import { protoDurationToMs } from '../common.js';
import type { Provenance } from '../config/core.js';
import { provenanceOf } from '../config/core.js';
import type { HTTPFault } from '../config/fault.js';
import type { HashPolicy, HeaderValueOption, RequestMirrorPolicy, Route, WeightedCluster } from '../config/route.js';
import { FaultSettings } from '../filters/http/fault/faultConfig.js';
import { removeQueryAndFragment } from './pathMatch.js';
import { plainPrefixOf } from './routeMatch.js';
import { resolveRetryPolicy, type ResolvedRetryPolicy } from './retryPolicy.js';
import { requestTimeouts, type RequestTimeouts } from './routeTimeouts.js';
import { totalWeight } from './weightedClusters.js';

/** The router's action for a route. */
export type CompiledAction =
  | { readonly kind: 'cluster'; readonly cluster: string }
  | {
      readonly kind: 'weighted_clusters';
      readonly clusters: readonly CompiledClusterWeight[];
      readonly total: number;
      readonly headerName: string | undefined;
    }
  | { readonly kind: 'cluster_header'; readonly header: string; readonly notFoundStatus: number }
  | { readonly kind: 'redirect'; readonly route: Route }
  | { readonly kind: 'direct_response'; readonly status: number; readonly body: string }
  | { readonly kind: 'invalid'; readonly reason: string };

/** One weighted cluster with its header mutations. */
export interface CompiledClusterWeight {
  readonly name: string;
  readonly weight: number;
  readonly headers: HeaderMutations | undefined;
}

/** `request_headers_to_add` / `_to_remove` and the host rewrite, applied to the upstream request. */
export interface HeaderMutations {
  readonly add: readonly HeaderValueOption[];
  readonly remove: readonly string[];
  readonly hostRewrite: string | undefined;
}

/** A route ready for the router. */
export interface CompiledRoute {
  readonly route: Route;
  /** The route's prefix when that is its only condition ({@link plainPrefixOf}): matched by one `startsWith`. */
  readonly plainPrefix: string | undefined;
  /** `%ROUTE_NAME%`: the route's `name` (a VirtualService `http[].name`, or istiod's `default`). */
  readonly name: string | undefined;
  readonly action: CompiledAction;
  /** Route `timeout` in ms; 0 = none (Istio's default). Envoy's own default, 15 s, applies when unset. */
  readonly timeoutMs: number;
  /** The resolved retry policy; undefined when the route has none. */
  readonly retryPolicy: ResolvedRetryPolicy | undefined;
  /**
   * The request timeouts (µs) from `timeout` and the retry policy's `per_try_timeout`, for a request without
   * `x-envoy-upstream-rq-*timeout-ms` headers (`finalTimeout` with no override).
   */
  readonly timeouts: RequestTimeouts;
  /** The route's fault settings, when istiod attached a fault. */
  readonly fault: FaultSettings | undefined;
  readonly mirrors: readonly RequestMirrorPolicy[];
  readonly hashPolicy: readonly HashPolicy[];
  readonly prefixRewrite: string | undefined;
  readonly regexRewrite: { readonly pattern: RE2JS; readonly substitution: string } | undefined;
  readonly headers: HeaderMutations | undefined;
  /** The resource that produced the route (a VirtualService `http[i]` with file and line), when known. */
  readonly source: Provenance | undefined;
}

/** Envoy's default route timeout (`RouteAction.timeout` unset). */
export const ENVOY_DEFAULT_ROUTE_TIMEOUT_MS = 15_000;

const NOT_FOUND = { SERVICE_UNAVAILABLE: 503, NOT_FOUND: 404, INTERNAL_SERVER_ERROR: 500 } as const;

function mutations(
  add: readonly HeaderValueOption[] | undefined,
  remove: readonly string[] | undefined,
  hostRewrite: string | undefined,
): HeaderMutations | undefined {
  if (
    (add === undefined || add.length === 0) &&
    (remove === undefined || remove.length === 0) &&
    hostRewrite === undefined
  ) {
    return undefined;
  }
  return { add: add ?? [], remove: (remove ?? []).map((h) => h.toLowerCase()), hostRewrite };
}

function weighted(wc: WeightedCluster): CompiledAction {
  const total = totalWeight(wc);
  if (total === 0) return { kind: 'invalid', reason: 'weighted_clusters: sum of weights is 0' };
  return {
    kind: 'weighted_clusters',
    total,
    headerName: wc.headerName === undefined || wc.headerName === '' ? undefined : wc.headerName.toLowerCase(),
    clusters: wc.clusters.map((c) => ({
      name: c.name,
      weight: c.weight === undefined || !(c.weight > 0) ? 0 : Math.floor(c.weight),
      headers: mutations(c.requestHeadersToAdd, c.requestHeadersToRemove, c.hostRewriteLiteral),
    })),
  };
}

// RE2's rewrite string spells groups `\1`; RE2JS (Java style) spells them `$1`.
function re2Substitution(s: string): string {
  return s.replace(/\$/g, '\\$').replace(/\\(\d)/g, '$$$1');
}

/** Resolves `route` once (per proxy: fault settings carry no state, stats live in the filter config). */
export function compileRoute(route: Route): CompiledRoute {
  const a = route.route;
  let action: CompiledAction;
  if (route.directResponse !== undefined) {
    action = {
      kind: 'direct_response',
      status: route.directResponse.status,
      body: route.directResponse.body?.inlineString ?? '',
    };
  } else if (route.redirect !== undefined) {
    action = { kind: 'redirect', route };
  } else if (a === undefined) {
    action = { kind: 'invalid', reason: 'route has no action (route, redirect or direct_response)' };
  } else if (a.weightedClusters !== undefined) {
    action = weighted(a.weightedClusters);
  } else if (a.cluster !== undefined) {
    action = { kind: 'cluster', cluster: a.cluster };
  } else if (a.clusterHeader !== undefined) {
    action = {
      kind: 'cluster_header',
      header: a.clusterHeader.toLowerCase(),
      notFoundStatus: NOT_FOUND[a.clusterNotFoundResponseCode ?? 'SERVICE_UNAVAILABLE'],
    };
  } else {
    action = { kind: 'invalid', reason: 'route action names no cluster' };
  }
  const faultConfig = route.typedPerFilterConfig?.['envoy.filters.http.fault'] as HTTPFault | undefined;
  const hasFault = faultConfig !== undefined && (faultConfig.delay !== undefined || faultConfig.abort !== undefined);
  const rr = a?.regexRewrite;
  const source = provenanceOf(route.metadata)[0];
  const timeoutMs =
    a?.timeout === undefined ? ENVOY_DEFAULT_ROUTE_TIMEOUT_MS : protoDurationToMs(a.timeout, 'route.timeout');
  const retryPolicy = a?.retryPolicy === undefined ? undefined : resolveRetryPolicy(a.retryPolicy);
  return {
    route,
    plainPrefix: plainPrefixOf(route.match),
    name: route.name,
    action,
    timeoutMs,
    retryPolicy,
    timeouts: Object.freeze(requestTimeouts(timeoutMs, retryPolicy?.perTryTimeoutMs ?? 0)),
    fault: hasFault ? new FaultSettings(faultConfig) : undefined,
    mirrors: a?.requestMirrorPolicies ?? [],
    hashPolicy: (a?.hashPolicy ?? []) as readonly HashPolicy[],
    prefixRewrite: a?.prefixRewrite,
    regexRewrite:
      rr === undefined
        ? undefined
        : { pattern: RE2JS.compile(rr.pattern.regex), substitution: re2Substitution(rr.substitution) },
    headers: mutations(route.requestHeadersToAdd, route.requestHeadersToRemove, a?.hostRewriteLiteral),
    source,
  };
}

/**
 * The path sent upstream after the route's rewrite (`RouteEntryImplBase::currentUrlPathAfterRewriteWithMatchedPath`
 * → `rewritePathByPrefixOrRegex`, envoyproxy/envoy source/common/router/config_impl.cc): a `prefix_rewrite`
 * replaces the matched path — the configured prefix or path, and for a `safe_regex` route the whole path
 * without query and fragment (`RegexRouteEntryImpl::currentUrlPathAfterRewrite`) — and keeps the rest; a
 * `regex_rewrite` substitutes every match in the path without query and fragment (an empty result is a
 * failed rewrite: the path stays). Returns undefined when the path is unchanged.
 */
export function rewritePath(r: CompiledRoute, path: string): string | undefined {
  if (r.prefixRewrite === undefined && r.regexRewrite === undefined) return undefined;
  const bare = removeQueryAndFragment(path);
  if (r.prefixRewrite !== undefined) {
    const m = r.route.match;
    const matched = m.prefix ?? m.pathSeparatedPrefix ?? m.path ?? (m.safeRegex !== undefined ? bare : undefined);
    if (matched === undefined) return undefined;
    return `${r.prefixRewrite}${path.slice(matched.length)}`;
  }
  const rr = r.regexRewrite as NonNullable<CompiledRoute['regexRewrite']>;
  const rewritten = rr.pattern.matcher(bare).replaceAll(rr.substitution);
  return rewritten === '' ? undefined : `${rewritten}${path.slice(bare.length)}`;
}

/** Applies header mutations to an upstream request's headers (lower-case names). */
export function applyHeaderMutations(m: HeaderMutations, headers: Record<string, string>): void {
  for (const name of m.remove) delete headers[name];
  for (const o of m.add) {
    const key = o.header.key.toLowerCase();
    const existing = headers[key];
    switch (o.appendAction ?? 'APPEND_IF_EXISTS_OR_ADD') {
      case 'APPEND_IF_EXISTS_OR_ADD':
        headers[key] = existing === undefined ? o.header.value : `${existing},${o.header.value}`;
        break;
      case 'ADD_IF_ABSENT':
        if (existing === undefined) headers[key] = o.header.value;
        break;
      case 'OVERWRITE_IF_EXISTS_OR_ADD':
        headers[key] = o.header.value;
        break;
      case 'OVERWRITE_IF_EXISTS':
        if (existing !== undefined) headers[key] = o.header.value;
        break;
    }
  }
  if (m.hostRewrite !== undefined) headers[':authority'] = m.hostRewrite;
}

/** The cluster a weighted route sends `randomValue` to (`pickWeightedCluster`: `random % total` over the intervals). */
export function pickCompiledCluster(
  action: Extract<CompiledAction, { kind: 'weighted_clusters' }>,
  randomValue: number,
): CompiledClusterWeight | undefined {
  const selected = randomValue % action.total;
  let begin = 0;
  for (const c of action.clusters) {
    const end = begin + c.weight;
    if (selected >= begin && selected < end) return c;
    begin = end;
  }
  return undefined;
}
