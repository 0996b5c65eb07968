/**
 * `rewritePath()` — the `:path` the router sends upstream — follows Envoy's
 * `RouteEntryImplBase::currentUrlPathAfterRewriteWithMatchedPath` → `rewritePathByPrefixOrRegex`
 * (envoyproxy/envoy source/common/router/config_impl.cc): `prefix_rewrite` replaces the *matched path* —
 * the configured prefix of a `prefix` route, the configured path of a `path` route and, for a `safe_regex`
 * route, the whole path without its query and fragment (`RegexRouteEntryImpl::currentUrlPathAfterRewrite`
 * passes `Http::PathUtil::removeQueryAndFragment(path)` as the matched path); the rest of the request path
 * (query, fragment) is kept. `regex_rewrite` substitutes every match in the path without query and
 * fragment; an empty result is a failed rewrite and leaves the path alone.
 *
 * istiod emits `prefix_rewrite` for a VirtualService `rewrite.uri` whatever the match (pilot/pkg/networking/
 * core/route/route.go `applyHTTPRouteDestination`; only Gateway API routes get a `regex_rewrite` instead), so
 * `rewrite: {uri: /new}` on a `uri: {regex: …}` match replaces the whole path.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Route } from '../config/route.js';
import { compileRoute, rewritePath } from './compiledRoute.js';
import { reviewsMesh } from '../../mesh/world/testMeshes.js';
import { runFromSleep } from '../../mesh/world/testRuns.js';

const r = (match: Route['match'], action: Omit<NonNullable<Route['route']>, 'cluster'>): Route => ({
  match,
  route: { cluster: 'c', ...action },
});
const rewrite = (route: Route, path: string): string | undefined => rewritePath(compileRoute(route), path);

describe('rewritePath()', () => {
  it.each<[string, Route, string, string | undefined]>([
    // Envoy docs (route_components.proto, prefix_rewrite): prefix /prefix rewritten to / turns /prefix/etc into //etc.
    ['prefix route', r({ prefix: '/prefix' }, { prefixRewrite: '/' }), '/prefix/etc', '//etc'],
    ['prefix route, query kept', r({ prefix: '/api' }, { prefixRewrite: '/v2' }), '/api/items?x=1', '/v2/items?x=1'],
    ['path route', r({ path: '/login' }, { prefixRewrite: '/signin' }), '/login?next=/', '/signin?next=/'],
    ['safe_regex route', r({ safeRegex: { regex: '/v[0-9]+/.*' } }, { prefixRewrite: '/new' }), '/v1/a/b', '/new'],
    [
      'safe_regex route, query kept',
      r({ safeRegex: { regex: '/v[0-9]+/.*' } }, { prefixRewrite: '/new' }),
      '/v12/a/b?x=1&y=2',
      '/new?x=1&y=2',
    ],
    [
      'safe_regex route, fragment kept',
      r({ safeRegex: { regex: '/reviews/[0-9]+' } }, { prefixRewrite: '/ratings/' }),
      '/reviews/7#top',
      '/ratings/#top',
    ],
    // Envoy docs (regex_rewrite): pattern ^/service/([^/]+)(/.*)$, substitution \2/instance/\1.
    [
      'regex_rewrite',
      r(
        { prefix: '/' },
        { regexRewrite: { pattern: { regex: '^/service/([^/]+)(/.*)$' }, substitution: '\\2/instance/\\1' } },
      ),
      '/service/foo/v1/api?q=1',
      '/v1/api/instance/foo?q=1',
    ],
    [
      'regex_rewrite to nothing: a failed rewrite, the path stays',
      r({ prefix: '/' }, { regexRewrite: { pattern: { regex: '.*' }, substitution: '' } }),
      '/anything?q=1',
      undefined,
    ],
    ['no rewrite', r({ safeRegex: { regex: '/.*' } }, {}), '/a', undefined],
  ])('%s', (_, route, path, want) => {
    expect(rewrite(route, path)).toBe(want);
  });

  const segment = fc.stringMatching(/^[a-z0-9]{1,6}$/);
  const pathArb = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`);
  const queryArb = fc.oneof(
    fc.constant(''),
    fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `?${s.map((k) => `${k}=1`).join('&')}`),
  );
  const prefixRewriteArb = fc.oneof(
    fc.constant('/'),
    pathArb,
    pathArb.map((p) => `${p}/`),
  );

  test.prop([pathArb, queryArb, prefixRewriteArb])(
    'safe_regex + prefix_rewrite: the whole path becomes the rewrite, the query stays',
    (path, query, to) => {
      const route = r({ safeRegex: { regex: '/[a-z0-9/]+' } }, { prefixRewrite: to });
      expect(rewrite(route, `${path}${query}`)).toBe(`${to}${query}`);
    },
  );

  test.prop([pathArb, pathArb, queryArb, prefixRewriteArb])(
    'prefix + prefix_rewrite: the prefix is replaced, the rest of the path and the query stay',
    (prefix, rest, query, to) => {
      const route = r({ prefix }, { prefixRewrite: to });
      expect(rewrite(route, `${prefix}${rest}${query}`)).toBe(`${to}${rest}${query}`);
    },
  );
});

describe('a VirtualService rewrite.uri on a uri regex match, end to end', () => {
  it('reaches the server with the whole path replaced and the query kept', () => {
    const model = reviewsMesh({
      versions: [{ name: 'v1', replicas: 1 }],
      virtualService: {
        http: [
          {
            match: [{ uri: { regex: '/reviews/[0-9]+' } }],
            rewrite: { uri: '/ratings' },
            route: [{ destination: { host: 'reviews' } }],
          },
        ],
      },
    });
    const { result, outcomes } = runFromSleep(
      model,
      { connections: 1, requests: 1 },
      { trace: 'records', mix: [{ url: 'http://reviews:9080/reviews/42?stars=1' }] },
    );
    expect(outcomes.map((o) => o.status)).toEqual([200]);
    const decoded = (result.trace?.records ?? [])
      .filter((t) => t.kind === 'hcm.decode')
      .map((t) => JSON.parse(t.detail) as { proxy: string; path: string });
    // The client sidecar matched the original path; the server sidecar received the rewritten one.
    expect(decoded.map((d) => [d.proxy.split('/')[1]?.split('-')[0], d.path])).toEqual([
      ['sleep', '/reviews/42?stars=1'],
      ['reviews', '/ratings?stars=1'],
    ]);
  });
});
