/**
 * The HTTP connection manager's path normalisation, applied before routing when configured (istiod sets
 * `normalize_path: true` by default — MeshConfig `pathNormalization: BASE`): Envoy canonicalises `:path`
 * with Chromium's URL path canonicaliser (`PathUtil::canonicalPath` in envoyproxy/envoy
 * source/common/http/path_utility.cc → `url::CanonicalizePath`): backslashes become `/`, `.` and `..`
 * segments — also spelled `%2e` — are resolved (RFC 3986 §5.2.4), and the query is kept as is.
 * `merge_slashes` collapses runs of `/` (`PathUtil::mergeSlashes`). Other percent-encodings are left alone
 * here (Chromium normalises their case; that never changes a route match on the decoded characters).
 */

function removeDotSegments(path: string): string {
  const out: string[] = [];
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i] as string;
    const last = i === segments.length - 1;
    if (seg === '.') {
      if (last) out.push('');
    } else if (seg === '..') {
      out.pop();
      if (last) out.push('');
    } else {
      out.push(seg);
    }
  }
  return `/${out.join('/')}`;
}

/** `:path` after `normalize_path` (and `merge_slashes` when set). */
export function normalizePath(path: string, options: { readonly mergeSlashes?: boolean } = {}): string {
  const q = path.search(/[?#]/);
  let p = q < 0 ? path : path.slice(0, q);
  const rest = q < 0 ? '' : path.slice(q);
  p = p.replace(/\\/g, '/').replace(/%2e/gi, '.');
  if (!p.startsWith('/')) p = `/${p}`;
  p = removeDotSegments(p);
  if (options.mergeSlashes === true) p = p.replace(/\/{2,}/g, '/');
  return p + rest;
}
