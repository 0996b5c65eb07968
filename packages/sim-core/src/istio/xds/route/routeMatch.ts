/**
 * `TranslateRouteMatch` (istio/istio@1.29.3 `pilot/pkg/networking/core/route/route.go`): an Istio
 * `HTTPMatchRequest` as an Envoy `RouteMatch`. `uri` becomes the path specifier (exact → `path`, prefix →
 * `prefix`, regex → `safeRegex`; no uri → prefix `/`); `headers` and `withoutHeaders` (inverted, missing
 * treated as empty unless it is a presence match) become header matchers sorted by name; then `method`,
 * `authority`, `scheme` as `:method`, `:authority`, `:scheme` matchers; `queryParams` as query parameter
 * matchers. A StringMatch that is empty or the regex `*` is a presence match. `ignoreUriCase` clears
 * `caseSensitive`.
 */
import type { HeaderMatcher, QueryParameterMatcher, RouteMatch, StringMatcher } from '../../../envoy/config/route.js';
import type { HTTPMatchRequest, StringMatch } from '../api.js';

/** `util.ConvertToEnvoyMatch`. */
export function convertToEnvoyMatch(m: StringMatch): StringMatcher | undefined {
  if (m.exact !== undefined) return { exact: m.exact };
  if (m.prefix !== undefined) return { prefix: m.prefix };
  if (m.regex !== undefined) return { safeRegex: { regex: m.regex } };
  return undefined;
}

/** `canBeConvertedToPresentMatch`: no match type, or the regex `*`. */
export function canBeConvertedToPresentMatch(m: StringMatch | undefined): boolean {
  if (m === undefined || (m.exact === undefined && m.prefix === undefined && m.regex === undefined)) return true;
  return m.exact === undefined && m.prefix === undefined && m.regex === '*';
}

/** `translateHeaderMatch`. */
export function translateHeaderMatch(name: string, m: StringMatch | undefined): HeaderMatcher {
  if (canBeConvertedToPresentMatch(m)) return { name, presentMatch: true };
  const sm = m === undefined ? undefined : convertToEnvoyMatch(m);
  return sm === undefined ? { name } : { name, stringMatch: sm };
}

function translateQueryParamMatch(name: string, m: StringMatch | undefined): QueryParameterMatcher {
  if (canBeConvertedToPresentMatch(m)) return { name, presentMatch: true };
  const sm = m === undefined ? undefined : convertToEnvoyMatch(m);
  return sm === undefined ? { name } : { name, stringMatch: sm };
}

// `@request.auth.claims.*` headers match JWT claims (dynamic metadata), which need RequestAuthentication;
// meshsim does not model JWT, so such matchers are left out (istiod would emit a metadata matcher).
function isJwtClaim(name: string): boolean {
  return name.startsWith('@request.auth.claims');
}

/** `TranslateRouteMatch(vs, match)`. */
export function translateRouteMatch(match: HTTPMatchRequest | undefined): RouteMatch {
  if (match === undefined) return { prefix: '/' };
  let headers: HeaderMatcher[] = [];
  for (const [name, m] of Object.entries(match.headers ?? {})) {
    if (!isJwtClaim(name)) headers.push(translateHeaderMatch(name, m));
  }
  for (const [name, m] of Object.entries(match.withoutHeaders ?? {})) {
    if (isJwtClaim(name)) continue;
    const h = translateHeaderMatch(name, m);
    headers.push({
      ...h,
      invertMatch: true,
      ...(canBeConvertedToPresentMatch(m) ? {} : { treatMissingHeaderAsEmpty: true }),
    });
  }
  // sort.Slice by name (Go's sort is not stable; names in one map are unique, a name in both maps keeps
  // headers before withoutHeaders here).
  headers = headers
    .map((h, i) => ({ h, i }))
    .sort((a, b) => (a.h.name < b.h.name ? -1 : a.h.name > b.h.name ? 1 : a.i - b.i))
    .map((x) => x.h);
  let path: Pick<RouteMatch, 'prefix' | 'path' | 'safeRegex'> = { prefix: '/' };
  const uri = match.uri;
  if (uri !== undefined) {
    if (uri.exact !== undefined) path = { path: uri.exact };
    else if (uri.prefix !== undefined) path = { prefix: uri.prefix };
    else if (uri.regex !== undefined) path = { safeRegex: { regex: uri.regex } };
  }
  if (match.method !== undefined) headers.push(translateHeaderMatch(':method', match.method));
  if (match.authority !== undefined) headers.push(translateHeaderMatch(':authority', match.authority));
  if (match.scheme !== undefined) headers.push(translateHeaderMatch(':scheme', match.scheme));
  // istiod ranges over a Go map here (random order); meshsim sorts by name so output is reproducible.
  const queryParameters = Object.keys(match.queryParams ?? {})
    .sort()
    .map((name) => translateQueryParamMatch(name, match.queryParams?.[name]));
  return {
    ...path,
    caseSensitive: !(match.ignoreUriCase ?? false),
    ...(headers.length > 0 ? { headers } : {}),
    ...(queryParameters.length > 0 ? { queryParameters } : {}),
  };
}

/** `IsCatchAllRoute`: prefix `/` (or regex `.*`) with no header or query conditions. */
export function isCatchAllMatch(m: RouteMatch): boolean {
  const catchAll = m.prefix === '/' || m.pathSeparatedPrefix === '/' || m.safeRegex?.regex === '.*';
  return catchAll && (m.headers?.length ?? 0) === 0 && (m.queryParameters?.length ?? 0) === 0;
}
