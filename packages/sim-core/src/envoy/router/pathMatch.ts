/**
 * The path specifiers of a route (`PrefixRouteEntryImpl`, `PathRouteEntryImpl`, `RegexRouteEntryImpl`,
 * `PathSeparatedPrefixRouteEntryImpl`, `ConnectRouteEntryImpl` in envoyproxy/envoy
 * source/common/router/config_impl.cc). The path is matched **without its query string and fragment**
 * (`Http::PathUtil::removeQueryAndFragment`); `case_sensitive: false` folds ASCII case for prefix, path and
 * path-separated prefix, never for regexes (RE2 full match).
 */
import type { RouteMatch } from './types.js';
import { asciiLower } from './stringMatcher.js';
import { re2FullMatch } from './regex.js';

/** `:path` without `?query` and `#fragment`, as `Http::PathUtil::removeQueryAndFragment`. */
export function removeQueryAndFragment(path: string): string {
  if (path.indexOf('?') < 0 && path.indexOf('#') < 0) return path;
  let end = path.length;
  const q = path.indexOf('?');
  if (q >= 0) end = q;
  const h = path.indexOf('#');
  if (h >= 0 && h < end) end = h;
  return path.slice(0, end);
}

/** Which path specifier a route uses, as Envoy names them. */
export type PathSpecifierKind = 'prefix' | 'path' | 'safe_regex' | 'path_separated_prefix' | 'connect_matcher';

/** The route's path specifier and its value (undefined if none is set — Envoy rejects such a route). */
export function pathSpecifier(match: RouteMatch): { kind: PathSpecifierKind; value: string } | undefined {
  if (match.prefix !== undefined) return { kind: 'prefix', value: match.prefix };
  if (match.path !== undefined) return { kind: 'path', value: match.path };
  if (match.safeRegex !== undefined) return { kind: 'safe_regex', value: match.safeRegex.regex };
  if (match.pathSeparatedPrefix !== undefined)
    return { kind: 'path_separated_prefix', value: match.pathSeparatedPrefix };
  if (match.connectMatcher !== undefined) return { kind: 'connect_matcher', value: '' };
  return undefined;
}

/**
 * Whether a request with `:path` `path` and `:method` `method` satisfies the route's path specifier.
 * A request without `:path` only matches `connect_matcher` routes.
 */
export function matchPath(match: RouteMatch, path: string | undefined, method: string | undefined): boolean {
  // Hot path: no allocation beyond the query-stripped path.
  if (
    match.connectMatcher !== undefined &&
    match.prefix === undefined &&
    match.path === undefined &&
    match.safeRegex === undefined &&
    match.pathSeparatedPrefix === undefined
  ) {
    return method === 'CONNECT';
  }
  if (path === undefined) return false;
  const fold = match.caseSensitive === false;
  const prefix = match.prefix;
  // A prefix without '?' and '#' (every prefix in practice) starts the path exactly when it starts the path
  // without its query and fragment: no need to cut them off first.
  if (prefix !== undefined && !fold && prefix.indexOf('?') < 0 && prefix.indexOf('#') < 0) {
    return path.startsWith(prefix);
  }
  const clean = removeQueryAndFragment(path);
  if (prefix !== undefined) return fold ? asciiLower(clean).startsWith(asciiLower(prefix)) : clean.startsWith(prefix);
  if (match.path !== undefined) return fold ? asciiLower(clean) === asciiLower(match.path) : clean === match.path;
  if (match.safeRegex !== undefined) return re2FullMatch(match.safeRegex.regex, clean);
  if (match.pathSeparatedPrefix !== undefined) {
    const p = fold ? asciiLower(clean) : clean;
    const v = fold ? asciiLower(match.pathSeparatedPrefix) : match.pathSeparatedPrefix;
    // The prefix, then either the end of the path or a '/' (query and fragment are already gone).
    return p.startsWith(v) && (p.length === v.length || p[v.length] === '/');
  }
  return false;
}

/** The path condition as text, e.g. `prefix "/api"`, `path "/login"`, `regex "/v[0-9]+/.*"`. */
export function describePath(match: RouteMatch): string {
  const spec = pathSpecifier(match);
  if (spec === undefined) return 'no path specifier';
  const ic = match.caseSensitive === false && spec.kind !== 'safe_regex' ? ' (ignore case)' : '';
  switch (spec.kind) {
    case 'prefix':
      return `prefix ${JSON.stringify(spec.value)}${ic}`;
    case 'path':
      return `path ${JSON.stringify(spec.value)}${ic}`;
    case 'safe_regex':
      return `regex ${JSON.stringify(spec.value)}`;
    case 'path_separated_prefix':
      return `path-separated prefix ${JSON.stringify(spec.value)}${ic}`;
    case 'connect_matcher':
      return 'CONNECT';
  }
}
