/**
 * When one Envoy route match catches every request another does: a sound, incomplete check used to prove a
 * later route unreachable (Envoy tries routes in order and takes the first match — `RouteMatcher::route`,
 * envoyproxy/envoy source/common/router/config_impl.cc). "True" is always right; "false" may mean "could not
 * prove it". Path specifiers, header and query-parameter matchers follow `RouteEntryImplBase::matchRoute`;
 * conditions meshsim cannot reason about (runtime fractions, TLS or gRPC matchers) are only "implied" by an
 * identical condition.
 */
import type { HeaderMatcher, QueryParameterMatcher, RouteMatch, StringMatcher } from '../../envoy/config/route.js';
import { re2FullMatch } from '../../envoy/router/regex.js';
import { canonicalJson } from '../../k8s/hash.js';

const lower = (s: string): string => s.toLowerCase();

/** Every path `b` matches is matched by `a` (path specifiers only). */
function pathCovers(a: RouteMatch, b: RouteMatch): boolean {
  const aSensitive = a.caseSensitive !== false;
  const bSensitive = b.caseSensitive !== false;
  // A case-insensitive `b` matches every casing of its value; a case-sensitive `a` then only covers it when
  // the value has no letters to vary.
  const folds = (s: string): boolean => s === lower(s) && s === s.toUpperCase();
  const startsWith = (value: string, prefix: string): boolean => {
    if (!aSensitive) return lower(value).startsWith(lower(prefix));
    return value.startsWith(prefix) && (bSensitive || folds(prefix));
  };
  if (a.prefix !== undefined) {
    if (a.prefix === '/' || a.prefix === '') return true; // every :path starts with '/'
    if (b.prefix !== undefined) return startsWith(b.prefix, a.prefix);
    if (b.path !== undefined) return startsWith(b.path, a.prefix);
    return false;
  }
  if (a.path !== undefined) {
    if (b.path === undefined) return false;
    return aSensitive ? b.path === a.path && (bSensitive || folds(a.path)) : lower(b.path) === lower(a.path);
  }
  if (a.safeRegex !== undefined) {
    const ra = a.safeRegex.regex;
    if (ra === '.*' || ra === '/.*') return true;
    if (b.safeRegex !== undefined) return b.safeRegex.regex === ra && aSensitive === bSensitive;
    if (b.path !== undefined && bSensitive && aSensitive) return re2FullMatch(ra, b.path);
    return false;
  }
  return canonicalJson(a) === canonicalJson(b);
}

function stringImplies(b: StringMatcher, a: StringMatcher): boolean {
  if ((a.ignoreCase ?? false) !== (b.ignoreCase ?? false)) return canonicalJson(a) === canonicalJson(b);
  if (a.exact !== undefined) return b.exact === a.exact;
  if (a.prefix !== undefined) return (b.exact ?? b.prefix)?.startsWith(a.prefix) === true;
  if (a.suffix !== undefined) return (b.exact ?? b.suffix)?.endsWith(a.suffix) === true;
  if (a.contains !== undefined) return (b.exact ?? b.prefix ?? b.suffix ?? b.contains)?.includes(a.contains) === true;
  if (a.safeRegex !== undefined) {
    if (b.safeRegex !== undefined) return b.safeRegex.regex === a.safeRegex.regex;
    return b.exact !== undefined && re2FullMatch(a.safeRegex.regex, b.exact);
  }
  return false;
}

/** Header matcher `hb` (of the later route) implies `ha` (of the earlier one). */
function headerImplies(hb: HeaderMatcher, ha: HeaderMatcher): boolean {
  if (canonicalJson(hb) === canonicalJson(ha)) return true;
  if (ha.invertMatch === true || hb.invertMatch === true) return false;
  const requiresPresence = hb.presentMatch === true || hb.stringMatch !== undefined || hb.exactMatch !== undefined;
  if (ha.presentMatch === true) return requiresPresence;
  const sa: StringMatcher | undefined =
    ha.stringMatch ??
    (ha.exactMatch !== undefined
      ? { exact: ha.exactMatch }
      : ha.prefixMatch !== undefined
        ? { prefix: ha.prefixMatch }
        : undefined);
  const sb: StringMatcher | undefined =
    hb.stringMatch ??
    (hb.exactMatch !== undefined
      ? { exact: hb.exactMatch }
      : hb.prefixMatch !== undefined
        ? { prefix: hb.prefixMatch }
        : undefined);
  if (sa === undefined || sb === undefined) return false;
  return stringImplies(sb, sa);
}

function queryImplies(qb: QueryParameterMatcher, qa: QueryParameterMatcher): boolean {
  if (canonicalJson(qb) === canonicalJson(qa)) return true;
  if (qa.presentMatch === true) return qb.presentMatch === true || qb.stringMatch !== undefined;
  if (qa.stringMatch === undefined || qb.stringMatch === undefined) return false;
  return stringImplies(qb.stringMatch, qa.stringMatch);
}

const EXTRA_CONDITIONS = [
  'runtimeFraction',
  'grpc',
  'tlsContext',
  'dynamicMetadata',
  'filterState',
  'connectMatcher',
] as const;

/**
 * True when every request matching `b` also matches `a`, so a route with match `b` placed after a route with
 * match `a` in the same virtual host is never selected.
 */
export function matchCovers(a: RouteMatch, b: RouteMatch): boolean {
  for (const k of EXTRA_CONDITIONS) {
    const va = (a as Record<string, unknown>)[k];
    if (va !== undefined && canonicalJson(va) !== canonicalJson((b as Record<string, unknown>)[k])) return false;
  }
  if (!pathCovers(a, b)) return false;
  for (const ha of a.headers ?? []) {
    if (!(b.headers ?? []).some((hb) => hb.name.toLowerCase() === ha.name.toLowerCase() && headerImplies(hb, ha)))
      return false;
  }
  for (const qa of a.queryParameters ?? []) {
    if (!(b.queryParameters ?? []).some((qb) => qb.name === qa.name && queryImplies(qb, qa))) return false;
  }
  return true;
}
