import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import type { HeaderMap } from '../common.js';
import { matchHeader } from './headerMatcher.js';
import { matchPath, removeQueryAndFragment } from './pathMatch.js';
import { matchQueryParameters, parseQueryString } from './queryParameters.js';
import { re2FullMatch, re2SyntaxError } from './regex.js';
import {
  checkRouteConditions,
  matchPlainPrefix,
  matchRoute,
  plainPrefixOf,
  routeDistribution,
  selectRoute,
} from './routeMatch.js';
import { matchString } from './stringMatcher.js';
import type { HeaderMatcher, Route, RouteMatch, VirtualHost } from './types.js';

const req = (path: string, extra: Record<string, string | string[]> = {}): HeaderMap => ({
  ':method': 'GET',
  ':authority': 'example.com',
  ':path': path,
  ...extra,
});

describe('matchPath() — path specifiers as Envoy config_impl.cc', () => {
  it.each<[RouteMatch, string, boolean]>([
    [{ prefix: '/api' }, '/api/v1', true],
    [{ prefix: '/api' }, '/apiv1', true], // plain prefix, no segment boundary
    [{ prefix: '/api' }, '/API/v1', false], // case-sensitive by default
    [{ prefix: '/api', caseSensitive: false }, '/API/v1', true],
    [{ prefix: '/' }, '/?x=1', true],
    [{ path: '/login' }, '/login', true],
    [{ path: '/login' }, '/login?next=/', true], // the query is not part of the path
    [{ path: '/login' }, '/login/', false],
    [{ path: '/Login', caseSensitive: false }, '/LOGIN', true],
    [{ safeRegex: { regex: '/v[0-9]+/.*' } }, '/v2/items', true],
    [{ safeRegex: { regex: '/v[0-9]+' } }, '/v2/items', false], // full match, not search
    [{ safeRegex: { regex: '/v[0-9]+' } }, '/v22?x', true],
    [{ safeRegex: { regex: '/A' }, caseSensitive: false }, '/a', false], // case_sensitive does not apply to regex
    [{ pathSeparatedPrefix: '/api' }, '/api', true],
    [{ pathSeparatedPrefix: '/api' }, '/api/x', true],
    [{ pathSeparatedPrefix: '/api' }, '/api?x=1', true],
    [{ pathSeparatedPrefix: '/api' }, '/apix', false],
    [{}, '/', false], // no path specifier: Envoy rejects such a route
  ])('%j on %s → %s', (match, path, want) => {
    expect(matchPath(match, path, 'GET')).toBe(want);
  });

  it('strips query and fragment', () => {
    expect(removeQueryAndFragment('/a/b?c=d#e')).toBe('/a/b');
    expect(removeQueryAndFragment('/a#e?x')).toBe('/a');
  });

  it('matches CONNECT only with connect_matcher', () => {
    expect(matchPath({ connectMatcher: {} }, undefined, 'CONNECT')).toBe(true);
    expect(matchPath({ connectMatcher: {} }, '/', 'GET')).toBe(false);
    expect(matchPath({ prefix: '/' }, undefined, 'CONNECT')).toBe(false);
  });
});

describe('RE2 semantics (never JS RegExp)', () => {
  it('uses full matches and RE2 syntax', () => {
    expect(re2FullMatch('a|ab', 'ab')).toBe(true);
    expect(re2FullMatch('.*', 'a\nb')).toBe(false); // '.' does not match newline by default in RE2
    expect(re2SyntaxError('(?=a)b')).toMatch(/invalid or unsupported Perl syntax/);
    expect(re2SyntaxError('(a)\\1')).toBeDefined(); // no backreferences in RE2
    expect(re2FullMatch('(?=a)b', 'b')).toBe(false); // an invalid pattern matches nothing
    expect(re2SyntaxError('^/api/[a-z]+$')).toBeUndefined();
  });
});

describe('matchHeader() — Http::HeaderUtility::matchHeaders', () => {
  const h: HeaderMap = { 'x-user': 'jason', 'x-multi': ['a', 'b'], 'x-num': '42', 'x-empty': '' };
  it.each<[HeaderMatcher, boolean]>([
    [{ name: 'x-user', stringMatch: { exact: 'jason' } }, true],
    [{ name: 'X-User', stringMatch: { exact: 'jason' } }, true], // header names are case-insensitive
    [{ name: 'x-user', stringMatch: { exact: 'JASON' } }, false],
    [{ name: 'x-user', stringMatch: { exact: 'JASON', ignoreCase: true } }, true],
    [{ name: 'x-user', stringMatch: { prefix: 'ja' } }, true],
    [{ name: 'x-user', stringMatch: { suffix: 'son' } }, true],
    [{ name: 'x-user', stringMatch: { contains: 'aso' } }, true],
    [{ name: 'x-user', stringMatch: { safeRegex: { regex: 'j.*n' } } }, true],
    [{ name: 'x-user', stringMatch: { safeRegex: { regex: 'j' } } }, false],
    [{ name: 'x-multi', stringMatch: { exact: 'a,b' } }, true], // repeated values joined with ','
    [{ name: 'x-multi', stringMatch: { exact: 'a' } }, false],
    [{ name: 'x-num', rangeMatch: { start: 40, end: 43 } }, true],
    [{ name: 'x-num', rangeMatch: { start: '40', end: '42' } }, false], // half-open
    [{ name: 'x-user', rangeMatch: { start: 0, end: 100 } }, false],
    [{ name: 'x-user', presentMatch: true }, true],
    [{ name: 'x-none', presentMatch: true }, false],
    [{ name: 'x-none', presentMatch: false }, true],
    [{ name: 'x-none' }, false], // no specifier = present
    [{ name: 'x-none', presentMatch: true, invertMatch: true }, true],
    [{ name: 'x-user', stringMatch: { exact: 'jason' }, invertMatch: true }, false],
    [{ name: 'x-none', stringMatch: { exact: 'jason' }, invertMatch: true }, false], // absent fails even inverted
    [{ name: 'x-none', stringMatch: { exact: 'jason' }, invertMatch: true, treatMissingHeaderAsEmpty: true }, true],
    [{ name: 'x-empty', exactMatch: '' }, true], // legacy: empty exact_match matches any value
    [{ name: ':method', stringMatch: { exact: 'GET' } }, false], // not in this map
  ])('%j → %s', (m, want) => {
    expect(matchHeader(m, h)).toBe(want);
  });
});

describe('query parameters — ConfigUtility::QueryParameterMatcher', () => {
  it('parses without decoding and matches the first value', () => {
    const q = parseQueryString('/p?a=1&a=2&b&c=x%20y#frag');
    expect(q.get('a')).toEqual(['1', '2']);
    expect(q.get('b')).toEqual(['']);
    expect(q.get('c')).toEqual(['x%20y']);
    expect(matchQueryParameters([{ name: 'a', stringMatch: { exact: '1' } }], '/p?a=1&a=2')).toBe(true);
    expect(matchQueryParameters([{ name: 'a', stringMatch: { exact: '2' } }], '/p?a=1&a=2')).toBe(false);
    expect(matchQueryParameters([{ name: 'b', presentMatch: true }], '/p?b')).toBe(true);
    expect(matchQueryParameters([{ name: 'b', presentMatch: false }], '/p')).toBe(true);
    expect(matchQueryParameters([{ name: 'c', stringMatch: { exact: 'x y' } }], '/p?c=x%20y')).toBe(false);
    expect(matchQueryParameters([{ name: 'z', stringMatch: { exact: '' } }], '/p')).toBe(false);
  });
});

describe('matchString()', () => {
  it('folds ASCII only', () => {
    expect(matchString({ exact: 'ÄB', ignoreCase: true }, 'Äb')).toBe(true);
    expect(matchString({ exact: 'äb', ignoreCase: true }, 'Äb')).toBe(false);
  });
});

const vh = (routes: Route[]): VirtualHost => ({ name: 'vh', domains: ['*'], routes });
const to = (cluster: string, match: RouteMatch): Route => ({ name: cluster, match, route: { cluster } });

describe('selectRoute() — first match wins', () => {
  const host = vh([
    to('jason', { prefix: '/', headers: [{ name: 'end-user', stringMatch: { exact: 'jason' } }] }),
    to('api', { prefix: '/api', queryParameters: [{ name: 'v', stringMatch: { exact: '2' } }] }),
    to('catch-all', { prefix: '/' }),
    to('never', { prefix: '/api' }),
  ]);
  it('skips routes whose conditions fail and stops at the first that holds', () => {
    expect(selectRoute(host, req('/api?v=2', { 'end-user': 'jason' }), 0)).toBe(0);
    expect(selectRoute(host, req('/api?v=2'), 0)).toBe(1);
    expect(selectRoute(host, req('/api?v=3'), 0)).toBe(2);
    expect(selectRoute(vh([to('a', { path: '/a' })]), req('/b'), 0)).toBe(-1);
  });
  it('explains the first failing condition', () => {
    const check = checkRouteConditions(host.routes?.[0]?.match as RouteMatch, req('/'));
    expect(check).toEqual({ conditionsHold: false, failed: 'header end-user exact "jason"', held: ['prefix "/"'] });
  });
  it('decides runtime_fraction with the per-request random value', () => {
    const frac = vh([
      {
        name: 'ten',
        match: { prefix: '/', runtimeFraction: { defaultValue: { numerator: 10 } } },
        route: { cluster: 'a' },
      },
      to('rest', { prefix: '/' }),
    ]);
    expect(selectRoute(frac, req('/'), 9)).toBe(0);
    expect(selectRoute(frac, req('/'), 10)).toBe(1);
    expect(selectRoute(frac, req('/'), 109)).toBe(0);
    expect(routeDistribution(frac, req('/'))).toEqual([
      { index: 0, probability: 0.1 },
      { index: 1, probability: 0.9 },
    ]);
  });
});

// A request that matches route i never gets a later route; and which route wins depends only on the
// routes before it (appending routes never changes the answer of a matched request).
const arbRoute: fc.Arbitrary<Route> = fc
  .record({
    path: fc.oneof(
      fc.constantFrom('/', '/api', '/api/v1', '/static').map((prefix) => ({ prefix })),
      fc.constantFrom('/login', '/api').map((path) => ({ path })),
      fc.constantFrom('/api/v[0-9]+', '/(static|assets)/.*').map((regex) => ({ safeRegex: { regex } })),
    ),
    headers: fc.array(
      fc.record({
        name: fc.constantFrom('end-user', 'x-canary'),
        stringMatch: fc.record({ exact: fc.constantFrom('jason', '1') }),
      }),
      { maxLength: 1 },
    ),
    cluster: fc.constantFrom('a', 'b', 'c'),
  })
  .map(({ path, headers, cluster }) => ({ name: cluster, match: { ...path, headers }, route: { cluster } }));
const arbRequest = fc.record({
  path: fc.constantFrom('/', '/api', '/api/v1', '/api/v12', '/static/x.js', '/login?next=/', '/other'),
  headers: fc.dictionary(fc.constantFrom('end-user', 'x-canary'), fc.constantFrom('jason', '1', 'bob'), { maxKeys: 2 }),
});

describe('selectRoute() properties', () => {
  test.prop([fc.array(arbRoute, { maxLength: 8 }), arbRequest, fc.nat()])(
    'the selected route matches, and no earlier route does',
    (routes, r, random) => {
      const headers = req(r.path, r.headers);
      const i = selectRoute(vh(routes), headers, random);
      for (let j = 0; j < (i < 0 ? routes.length : i); j++) {
        expect(checkRouteConditions((routes[j] as Route).match, headers).conditionsHold).toBe(false);
      }
      if (i >= 0) expect(checkRouteConditions((routes[i] as Route).match, headers).conditionsHold).toBe(true);
    },
  );

  test.prop([fc.array(arbRoute, { maxLength: 6 }), fc.array(arbRoute, { maxLength: 4 }), arbRequest])(
    'appending routes never changes which earlier route a request matched',
    (routes, more, r) => {
      const headers = req(r.path, r.headers);
      const before = selectRoute(vh(routes), headers, 0);
      const after = selectRoute(vh([...routes, ...more]), headers, 0);
      if (before >= 0) expect(after).toBe(before);
      else expect(after === -1 || after >= routes.length).toBe(true);
    },
  );
});

// The data path's shortcuts must agree with the definitions: a plain prefix is matched by `startsWith` on the
// whole `:path`, and `matchPath` skips cutting off the query and fragment for a prefix without '?' or '#'.
describe('prefix shortcuts', () => {
  const arbPathText = fc.string({ unit: fc.constantFrom('/', 'a', 'A', 'b', '?', '#', '='), maxLength: 8 });
  const arbMatch: fc.Arbitrary<RouteMatch> = fc.record(
    {
      prefix: arbPathText,
      caseSensitive: fc.boolean(),
      runtimeFraction: fc.record({ defaultValue: fc.record({ numerator: fc.integer({ min: 0, max: 100 }) }) }),
      headers: fc.array(
        fc.record({ name: fc.constant('end-user'), stringMatch: fc.record({ exact: fc.constant('jason') }) }),
        {
          maxLength: 1,
        },
      ),
      queryParameters: fc.array(fc.record({ name: fc.constant('a'), presentMatch: fc.constant(true) }), {
        maxLength: 1,
      }),
    },
    { requiredKeys: ['prefix'] },
  );

  test.prop([arbPathText, arbPathText, fc.boolean(), fc.boolean()])(
    'matchPath(prefix) is startsWith on the path without query and fragment',
    (prefix, rest, startsWithPrefix, caseSensitive) => {
      // Half the paths start with the prefix, so '?' and '#' inside a prefix get exercised.
      const path = startsWithPrefix ? prefix + rest : rest;
      const clean = removeQueryAndFragment(path);
      const want = caseSensitive ? clean.startsWith(prefix) : clean.toLowerCase().startsWith(prefix.toLowerCase());
      expect(matchPath({ prefix, caseSensitive }, path, 'GET')).toBe(want);
    },
  );

  test.prop([
    arbMatch,
    arbPathText,
    fc.boolean(),
    fc.option(fc.constantFrom('jason', 'bob'), { nil: undefined }),
    fc.nat(),
  ])(
    'a route with a plain prefix matches exactly when matchRoute says so',
    (match, rest, startsWithPrefix, user, random) => {
      const prefix = plainPrefixOf(match);
      if (prefix === undefined) return;
      const path = startsWithPrefix ? match.prefix + rest : rest;
      const headers = req(path, user === undefined ? {} : { 'end-user': user });
      expect(matchPlainPrefix(prefix, headers)).toBe(matchRoute({ match, route: { cluster: 'c' } }, headers, random));
    },
  );

  it('takes Istio’s catch-all and plain prefixes, and nothing with another condition', () => {
    expect(plainPrefixOf({ prefix: '/' })).toBe('/');
    expect(plainPrefixOf({ prefix: '/api', headers: [], queryParameters: [] })).toBe('/api');
    expect(plainPrefixOf({ prefix: '/api', caseSensitive: false })).toBeUndefined();
    expect(plainPrefixOf({ prefix: '/a?b' })).toBeUndefined();
    expect(plainPrefixOf({ path: '/api' })).toBeUndefined();
    expect(plainPrefixOf({ prefix: '/', headers: [{ name: 'end-user', presentMatch: true }] })).toBeUndefined();
    expect(plainPrefixOf({ prefix: '/', runtimeFraction: { defaultValue: { numerator: 50 } } })).toBeUndefined();
    expect(matchPlainPrefix('/', { ':path': ['/x', '/y'] })).toBe(true);
    expect(matchPlainPrefix('/', {})).toBe(false);
  });
});
