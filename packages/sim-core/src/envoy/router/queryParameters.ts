/**
 * Query-parameter matching as Envoy's router does it (`ConfigUtility::QueryParameterMatcher::matches` in
 * envoyproxy/envoy source/common/router/config_utility.cc, `Http::Utility::QueryParamsMulti::parseQueryString`
 * in source/common/http/utility.cc): the query string after the first `?` (up to a `#`) is split on `&`,
 * each piece at its first `=`, **without percent-decoding**; only the first value of a repeated parameter
 * is matched. A missing parameter fails; `present_match` compares presence.
 */
import type { QueryParameterMatcher } from './types.js';
import { describeStringMatcher, matchString } from './stringMatcher.js';

/** The query parameters of a `:path`, name → values in order of appearance (raw, not decoded). */
export function parseQueryString(path: string): ReadonlyMap<string, readonly string[]> {
  const params = new Map<string, string[]>();
  const q = path.indexOf('?');
  if (q < 0) return params;
  let query = path.slice(q + 1);
  const hash = query.indexOf('#');
  if (hash >= 0) query = query.slice(0, hash);
  for (const piece of query.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = eq < 0 ? piece : piece.slice(0, eq);
    const value = eq < 0 ? '' : piece.slice(eq + 1);
    const list = params.get(name);
    if (list === undefined) params.set(name, [value]);
    else list.push(value);
  }
  return params;
}

/** Whether the parsed query satisfies one matcher. */
export function matchQueryParameter(
  matcher: QueryParameterMatcher,
  params: ReadonlyMap<string, readonly string[]>,
): boolean {
  const value = params.get(matcher.name)?.[0];
  if (matcher.presentMatch !== undefined) return (value !== undefined) === matcher.presentMatch;
  if (value === undefined) return false;
  if (matcher.stringMatch === undefined) return true;
  return matchString(matcher.stringMatch, value);
}

/** Whether every matcher matches (an empty list matches). */
export function matchQueryParameters(matchers: readonly QueryParameterMatcher[] | undefined, path: string): boolean {
  if (matchers === undefined || matchers.length === 0) return true;
  const params = parseQueryString(path);
  for (const m of matchers) if (!matchQueryParameter(m, params)) return false;
  return true;
}

/** A query matcher as a short condition, e.g. `query version exact "v2"`. */
export function describeQueryParameterMatcher(m: QueryParameterMatcher): string {
  if (m.presentMatch !== undefined) return `query ${m.name} ${m.presentMatch ? 'present' : 'absent'}`;
  if (m.stringMatch === undefined) return `query ${m.name} present`;
  return `query ${m.name} ${describeStringMatcher(m.stringMatch)}`;
}
