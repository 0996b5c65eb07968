/**
 * What the router filter does with the route a request matched (or with no route), as Envoy's router
 * (envoyproxy/envoy source/common/router/router.cc `Filter::decodeHeaders`, config_impl.cc
 * `RouteEntryImplBase::newUri`, `DirectResponseEntry`): forward to a cluster (one, weighted, or named by a
 * header), answer with a redirect, answer directly, or — with no route — answer 404 with flag NR
 * (`route_not_found`).
 */
import type { HeaderMap } from '../common.js';
import { firstHeaderValue } from '../common.js';
import type { RedirectAction, Route } from './types.js';
import { portStart } from './virtualHost.js';
import { removeQueryAndFragment } from './pathMatch.js';
import { weightedCandidates, type WeightedCandidate } from './weightedClusters.js';

const REDIRECT_CODES = {
  MOVED_PERMANENTLY: 301,
  FOUND: 302,
  SEE_OTHER: 303,
  TEMPORARY_REDIRECT: 307,
  PERMANENT_REDIRECT: 308,
} as const;

/** `RouteAction.cluster_not_found_response_code` as an HTTP status. @defaultValue `SERVICE_UNAVAILABLE` (503) */
export const NOT_FOUND_CODES = { SERVICE_UNAVAILABLE: 503, NOT_FOUND: 404, INTERNAL_SERVER_ERROR: 500 } as const;

/** The router's decision for one request. */
export type RouteOutcome =
  /** Forwarded to one cluster. */
  | { readonly kind: 'cluster'; readonly cluster: string }
  /** Forwarded to one of several clusters; each candidate with its exact probability. */
  | { readonly kind: 'weighted_clusters'; readonly candidates: readonly WeightedCandidate[] }
  /** Forwarded to the cluster named by a request header (`cluster_header`); 503 NC-style when absent. */
  | {
      readonly kind: 'cluster_header';
      readonly header: string;
      readonly cluster?: string;
      readonly status?: number;
    }
  /** A local redirect response. */
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string }
  /** A local response with a fixed status (istiod's `block_all` answers 502 this way). */
  | { readonly kind: 'direct_response'; readonly status: number; readonly body?: string }
  /** No virtual host or no route matched: 404, response flag NR, details `route_not_found`. */
  | {
      readonly kind: 'no_route';
      readonly status: 404;
      readonly responseFlags: 'NR';
      readonly responseCodeDetails: 'route_not_found';
    }
  /** A route with no action (Envoy rejects such a configuration). */
  | { readonly kind: 'invalid_route'; readonly reason: string };

/** The outcome when nothing matched. */
export const NO_ROUTE: RouteOutcome = {
  kind: 'no_route',
  status: 404,
  responseFlags: 'NR',
  responseCodeDetails: 'route_not_found',
};

/**
 * The `Location` of a redirect, as `RouteEntryImplBase::newUri`: scheme from `scheme_redirect` /
 * `https_redirect` / the request; host from `host_redirect` or the request, whose port is dropped when a
 * `port_redirect` replaces it or when it is the default port of the other scheme (`:80` going to https,
 * `:443` going to http); path from `path_redirect`, or `prefix_rewrite` of the matched prefix, else the
 * request's; the query is kept unless `strip_query`.
 */
export function redirectLocation(redirect: RedirectAction, route: Route, headers: HeaderMap): string {
  const requestScheme =
    firstHeaderValue(headers, 'x-forwarded-proto') ?? firstHeaderValue(headers, ':scheme') ?? 'http';
  const scheme =
    redirect.schemeRedirect !== undefined && redirect.schemeRedirect !== ''
      ? redirect.schemeRedirect
      : redirect.httpsRedirect === true
        ? 'https'
        : requestScheme;
  let host = redirect.hostRedirect ?? firstHeaderValue(headers, ':authority') ?? '';
  if (redirect.hostRedirect === undefined) {
    const p = portStart(host);
    if (p >= 0) {
      const port = host.slice(p);
      const drop =
        redirect.portRedirect !== undefined ||
        (scheme === 'https' && port === ':80') ||
        (scheme === 'http' && port === ':443');
      if (drop) host = host.slice(0, p);
    }
  }
  if (redirect.portRedirect !== undefined && redirect.portRedirect !== 0) host += `:${redirect.portRedirect}`;
  const requestPath = firstHeaderValue(headers, ':path') ?? '/';
  const q = requestPath.indexOf('?');
  const query = q >= 0 ? requestPath.slice(q) : '';
  let path = removeQueryAndFragment(requestPath);
  if (redirect.pathRedirect !== undefined) {
    path = redirect.pathRedirect;
  } else if (redirect.prefixRewrite !== undefined && route.match.prefix !== undefined) {
    path = redirect.prefixRewrite + path.slice(route.match.prefix.length);
  }
  const keepQuery = redirect.stripQuery !== true && !path.includes('?');
  return `${scheme}://${host}${path}${keepQuery ? query : ''}`;
}

/** The router's decision for a matched route (`route` undefined means no route matched). */
export function routeOutcome(route: Route | undefined, headers: HeaderMap): RouteOutcome {
  if (route === undefined) return NO_ROUTE;
  if (route.directResponse !== undefined) {
    const body = route.directResponse.body?.inlineString;
    return { kind: 'direct_response', status: route.directResponse.status, ...(body !== undefined ? { body } : {}) };
  }
  if (route.redirect !== undefined) {
    const status = REDIRECT_CODES[route.redirect.responseCode ?? 'MOVED_PERMANENTLY'];
    return { kind: 'redirect', status, location: redirectLocation(route.redirect, route, headers) };
  }
  const action = route.route;
  if (action === undefined)
    return { kind: 'invalid_route', reason: 'route has no action (route, redirect or direct_response)' };
  if (action.weightedClusters !== undefined) {
    const candidates = weightedCandidates(action.weightedClusters);
    if (candidates.length === 0) return { kind: 'invalid_route', reason: 'weighted_clusters: sum of weights is 0' };
    return { kind: 'weighted_clusters', candidates };
  }
  if (action.cluster !== undefined) return { kind: 'cluster', cluster: action.cluster };
  if (action.clusterHeader !== undefined) {
    const cluster = firstHeaderValue(headers, action.clusterHeader.toLowerCase());
    if (cluster !== undefined && cluster !== '')
      return { kind: 'cluster_header', header: action.clusterHeader, cluster };
    const status = NOT_FOUND_CODES[action.clusterNotFoundResponseCode ?? 'SERVICE_UNAVAILABLE'];
    return { kind: 'cluster_header', header: action.clusterHeader, status };
  }
  return { kind: 'invalid_route', reason: 'route action names no cluster' };
}
