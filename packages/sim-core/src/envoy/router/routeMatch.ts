/**
 * Route matching within a virtual host, as `VirtualHostImpl::getRouteFromEntries` and
 * `RouteEntryImplBase::matchRoute` (envoyproxy/envoy source/common/router/config_impl.cc): routes are
 * tried **in order and the first match wins**; a route matches when its runtime fraction (if any), path
 * specifier, every header matcher and every query-parameter matcher agree. The per-request random value
 * (Envoy's stream id) decides `runtime_fraction`: `random % denominator < numerator`
 * (`ProtobufPercentHelper::evaluateFractionalPercent`).
 */
import type { HeaderMap } from '../common.js';
import { firstHeaderValue } from '../common.js';
import type { FractionalPercent, Route, RouteMatch, VirtualHost } from './types.js';
import { describeHeaderMatcher, matchHeader } from './headerMatcher.js';
import { describeQueryParameterMatcher, matchQueryParameter, parseQueryString } from './queryParameters.js';
import { describePath, matchPath } from './pathMatch.js';

const DENOMINATORS = { HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000 } as const;

/** The denominator of a fractional percent. @defaultValue 100 */
export function fractionDenominator(p: FractionalPercent): number {
  return DENOMINATORS[p.denominator ?? 'HUNDRED'];
}

/** Whether a fractional percent fires for `randomValue`, as `evaluateFractionalPercent`. */
export function evaluateFractionalPercent(p: FractionalPercent, randomValue: number): boolean {
  return randomValue % fractionDenominator(p) < (p.numerator ?? 0);
}

/** Why a route did or did not match a request. */
export interface RouteMatchCheck {
  /** Whether every condition except the runtime fraction holds. */
  readonly conditionsHold: boolean;
  /** The first condition that fails, as text (`header end-user exact "jason"`), when one does. */
  readonly failed?: string;
  /** The conditions that were checked and held, as text, in evaluation order. */
  readonly held: readonly string[];
}

/** Checks a route's path, header and query conditions (not its runtime fraction) against a request. */
export function checkRouteConditions(match: RouteMatch, headers: HeaderMap): RouteMatchCheck {
  const held: string[] = [];
  const path = firstHeaderValue(headers, ':path');
  const method = firstHeaderValue(headers, ':method');
  const pathText = describePath(match);
  if (!matchPath(match, path, method)) return { conditionsHold: false, failed: pathText, held };
  held.push(pathText);
  for (const h of match.headers ?? []) {
    const text = describeHeaderMatcher(h);
    if (!matchHeader(h, headers)) return { conditionsHold: false, failed: text, held };
    held.push(text);
  }
  const qp = match.queryParameters ?? [];
  if (qp.length > 0) {
    const params = parseQueryString(path ?? '');
    for (const q of qp) {
      const text = describeQueryParameterMatcher(q);
      if (!matchQueryParameter(q, params)) return { conditionsHold: false, failed: text, held };
      held.push(text);
    }
  }
  return { conditionsHold: true, held };
}

/** Whether the route's path, header and query conditions hold (the hot path: no explanation text). */
export function routeConditionsHold(match: RouteMatch, headers: HeaderMap): boolean {
  // Named reads of the pseudo-headers (firstHeaderValue's keyed read is megamorphic on this path).
  const p = headers[':path'];
  const path = typeof p === 'string' ? p : p?.[0];
  const m = headers[':method'];
  if (!matchPath(match, path, typeof m === 'string' ? m : m?.[0])) return false;
  const hs = match.headers;
  if (hs !== undefined) for (const h of hs) if (!matchHeader(h, headers)) return false;
  const qp = match.queryParameters;
  if (qp !== undefined && qp.length > 0) {
    const params = parseQueryString(path ?? '');
    for (const q of qp) if (!matchQueryParameter(q, params)) return false;
  }
  return true;
}

/**
 * The route's `prefix` when a request matches the route exactly when its `:path` starts with it: the prefix
 * is the only condition (no runtime fraction, header or query-parameter matchers), case-sensitive, and
 * without `?` or `#` (so the query and fragment need not be cut off first). Istio's catch-all `/` and most
 * VirtualService routes are such routes; undefined for any other.
 */
export function plainPrefixOf(match: RouteMatch): string | undefined {
  const prefix = match.prefix;
  if (prefix === undefined || match.caseSensitive === false || match.runtimeFraction !== undefined) return undefined;
  if ((match.headers?.length ?? 0) > 0 || (match.queryParameters?.length ?? 0) > 0) return undefined;
  return prefix.includes('?') || prefix.includes('#') ? undefined : prefix;
}

/** {@link matchRoute} for a route whose {@link plainPrefixOf} is `prefix`: one `startsWith`. */
export function matchPlainPrefix(prefix: string, headers: HeaderMap): boolean {
  const p = headers[':path'];
  const path = typeof p === 'string' ? p : p?.[0];
  return path !== undefined && path.startsWith(prefix);
}

/** Whether `route` matches the request for the given per-request random value. */
export function matchRoute(route: Route, headers: HeaderMap, randomValue: number): boolean {
  const rf = route.match.runtimeFraction;
  if (rf !== undefined && !evaluateFractionalPercent(rf.defaultValue, randomValue)) return false;
  return routeConditionsHold(route.match, headers);
}

/** The route a request gets in a virtual host: its index, or -1 when none matches (404 NR). */
export function selectRoute(vhost: VirtualHost, headers: HeaderMap, randomValue: number): number {
  const routes = vhost.routes ?? [];
  for (let i = 0; i < routes.length; i++) if (matchRoute(routes[i] as Route, headers, randomValue)) return i;
  return -1;
}

/** One route's share of a request class, from {@link routeDistribution}. */
export interface RouteShare {
  /** Index in `vhost.routes`, or -1 for "no route matched". */
  readonly index: number;
  /** Probability over Envoy's per-request random value; 1 unless runtime fractions are involved. */
  readonly probability: number;
}

/**
 * Which route a request gets, analytically: the first route whose conditions hold wins with certainty,
 * except that routes with a `runtime_fraction` take a share decided by the same per-request random value.
 * All Envoy denominators divide 10^6, so shares are computed exactly over residues of the random value
 * modulo the largest denominator seen. Shares are listed in route order and sum to 1.
 */
export function routeDistribution(vhost: VirtualHost, headers: HeaderMap): readonly RouteShare[] {
  const routes = vhost.routes ?? [];
  const fractional: { index: number; fraction: FractionalPercent }[] = [];
  let certain = -1;
  for (let i = 0; i < routes.length; i++) {
    const route = routes[i] as Route;
    if (!routeConditionsHold(route.match, headers)) continue;
    const rf = route.match.runtimeFraction?.defaultValue;
    if (rf === undefined || (rf.numerator ?? 0) >= fractionDenominator(rf)) {
      certain = i;
      break;
    }
    if ((rf.numerator ?? 0) > 0) fractional.push({ index: i, fraction: rf });
  }
  if (fractional.length === 0) return [{ index: certain, probability: 1 }];
  let modulus = 1;
  for (const f of fractional) modulus = Math.max(modulus, fractionDenominator(f.fraction));
  const counts = new Map<number, number>();
  for (let r = 0; r < modulus; r++) {
    let winner = certain;
    for (const f of fractional) {
      if (evaluateFractionalPercent(f.fraction, r)) {
        winner = f.index;
        break;
      }
    }
    counts.set(winner, (counts.get(winner) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => (a[0] < 0 ? Infinity : a[0]) - (b[0] < 0 ? Infinity : b[0]))
    .map(([index, n]) => ({ index, probability: n / modulus }));
}
