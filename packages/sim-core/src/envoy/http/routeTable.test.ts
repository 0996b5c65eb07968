/**
 * A route table answers as Envoy's `RouteMatcher` would for every request (`findVirtualHost`, then the first
 * matching route of `VirtualHostImpl::getRouteFromEntries`), whatever it cached from earlier requests: its
 * per-`:authority` cache and the plain-prefix shortcut must never change an answer.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { Route, RouteConfiguration, VirtualHost } from '../config/route.js';
import { selectRoute } from '../router/routeMatch.js';
import { findVirtualHost } from '../router/virtualHost.js';
import { RouteTable } from './routeTable.js';

const arbRoute: fc.Arbitrary<Route> = fc
  .record({
    path: fc.oneof(
      fc.constantFrom('/', '/api', '/api/v1', '/a?b').map((prefix) => ({ prefix })),
      fc.constantFrom('/login', '/api').map((path) => ({ path })),
      fc.constant({ prefix: '/API', caseSensitive: false }),
      fc.constant({ safeRegex: { regex: '/api/v[0-9]+' } }),
    ),
    headers: fc.array(
      fc.record({ name: fc.constant('end-user'), stringMatch: fc.record({ exact: fc.constant('jason') }) }),
      {
        maxLength: 1,
      },
    ),
    fraction: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  })
  .map(({ path, headers, fraction }) => ({
    match: {
      ...path,
      headers,
      ...(fraction !== undefined ? { runtimeFraction: { defaultValue: { numerator: fraction } } } : {}),
    },
    route: { cluster: 'c' },
  }));

const arbConfig: fc.Arbitrary<RouteConfiguration> = fc
  .record({
    reviews: fc.array(arbRoute, { maxLength: 4 }),
    wildcard: fc.array(arbRoute, { maxLength: 3 }),
    fallback: fc.option(fc.array(arbRoute, { maxLength: 2 }), { nil: undefined }),
  })
  .map(({ reviews, wildcard, fallback }) => ({
    name: 'rc',
    ignorePortInHostMatching: true,
    virtualHosts: [
      { name: 'reviews', domains: ['reviews', 'reviews.default.svc.cluster.local'], routes: reviews },
      { name: 'wild', domains: ['*.example.com'], routes: wildcard },
      ...(fallback !== undefined ? [{ name: 'fallback', domains: ['*'], routes: fallback }] : []),
    ],
  }));

const arbRequest = fc.record({
  authority: fc.option(fc.constantFrom('reviews', 'reviews:9080', 'REVIEWS', 'a.example.com', 'example.com', 'x'), {
    nil: undefined,
  }),
  path: fc.constantFrom('/', '/api', '/api/v1', '/API/x', '/a?b', '/a?bc', '/login?next=/', '/other'),
  user: fc.option(fc.constantFrom('jason', 'bob'), { nil: undefined }),
  random: fc.nat(),
});

describe('RouteTable.select()', () => {
  test.prop([arbConfig, fc.array(arbRequest, { minLength: 1, maxLength: 12 })])(
    'picks the virtual host and route the definitions pick, request after request',
    (config, requests) => {
      const table = new RouteTable(config);
      for (const r of requests) {
        const headers: Record<string, string> = { ':method': 'GET', ':path': r.path };
        if (r.authority !== undefined) headers[':authority'] = r.authority;
        if (r.user !== undefined) headers['end-user'] = r.user;
        const vh: VirtualHost | undefined = findVirtualHost(config, headers)?.virtualHost;
        const index = vh === undefined ? -1 : selectRoute(vh, headers, r.random);
        const got = table.select(headers, r.random);
        expect(table.virtualHost(headers)).toBe(vh);
        if (index < 0) {
          expect(got).toBeUndefined();
          continue;
        }
        expect(got?.virtualHost).toBe(vh);
        expect(got?.index).toBe(index);
        expect(got?.route.route).toBe(vh?.routes?.[index]);
        // One shared, frozen handle per (virtual host, route).
        expect(table.select(headers, r.random)).toBe(got);
        expect(Object.isFrozen(got)).toBe(true);
      }
    },
  );
});
