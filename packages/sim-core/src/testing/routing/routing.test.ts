import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Route } from '../../envoy/config/route.js';
import { routeConditionsHold } from '../../envoy/router/routeMatch.js';
import { loadMeshModel, type MeshModel } from '../../istio/model/meshModel.js';
import { translateRouteMatch } from '../../istio/xds/route/routeMatch.js';
import { httpMatchRequest, virtualService, type HttpMatchRequest } from '../arbitraries/virtualService.js';
import { manifestsYaml } from '../counterexample/manifestYaml.js';
import { decideRoute, rewrittenPath } from './decide.js';
import { reachabilityOf } from './reachability.js';
import { meshRequest } from './requests.js';
import { ruleKey } from './rules.js';
import { matchCovers } from './subsumes.js';
import { regexSamples } from './witnesses.js';

const PLANTED = join(import.meta.dirname, '..', 'testdata', 'planted');
const read = (f: string): { file: string; text: string } => ({
  file: `planted/${f}`,
  text: readFileSync(join(PLANTED, f), 'utf8'),
});
const withVs = (yaml: string): MeshModel =>
  loadMeshModel([read('base.yaml'), read('destination-rule.yaml'), { file: 'vs.yaml', text: yaml }]);

const VS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - name: api
    match: [{uri: {prefix: /api}}, {uri: {regex: "/v[0-9]+/.*"}}]
    fault: {abort: {httpStatus: 503, percentage: {value: 10}}, delay: {fixedDelay: 2s, percentage: {value: 0.5}}}
    retries: {attempts: 3, perTryTimeout: 1s, retryOn: "5xx,503"}
    rewrite: {uri: /new}
    timeout: 2s
    route: [{destination: {host: reviews, subset: v1}}]
  - match: [{uri: {exact: /login}}]
    route: [{destination: {host: reviews, subset: v1}, weight: 75}, {destination: {host: reviews, subset: v2}, weight: 25}]
  - match: [{uri: {prefix: /old}}]
    redirect: {uri: /new, redirectCode: 302}
  - route: [{destination: {host: reviews, subset: v3}}]
`;

describe('decideRoute()', () => {
  const model = withVs(VS);
  const call = (url: string, headers: Record<string, string> = {}) =>
    decideRoute(model, { from: 'sleep.shop', url, headers });

  it('names the rule and match block, and reads fault, retries, timeout and rewrite back in Istio terms', () => {
    const d = call('http://reviews:9080/v2/items?q=1');
    expect(d.rule).toMatchObject({
      virtualService: { namespace: 'shop', name: 'reviews' },
      httpRoute: 0,
      httpRouteName: 'api',
      match: 1,
    });
    expect(d.rule?.source).toMatchObject({ file: 'vs.yaml', line: 8, field: 'spec.http[0].match[1]' });
    // Istio's percentage 10 becomes 100000/1000000 in Envoy (TranslateFault): 10 % again.
    expect(d.fault).toEqual({
      abort: { httpStatus: 503, percentage: 10 },
      delay: { fixedDelay: '2s', percentage: 0.5 },
    });
    // retryOn "5xx,503": Envoy retry_on "5xx,retriable-status-codes" with retriable_status_codes [503].
    expect(d.retries).toEqual({ attempts: 3, perTryTimeout: '1s', retryOn: '5xx,503' });
    expect(d.timeout).toBe('2s');
    // prefix_rewrite on a safe_regex route replaces the whole path (RegexRouteEntryImpl), query kept.
    expect(d.rewrite).toEqual({ path: '/new?q=1' });
    // The abort answers 10 %; the rest reach v1, which has a pod.
    expect(d.statuses).toEqual([
      { status: 503, probability: 0.1, flags: 'FI', why: 'fault abort' },
      expect.objectContaining({ status: 200, probability: 0.9 }),
    ]);
  });

  it('gives a weighted route its candidates, and the default retry policy Istio adds', () => {
    const d = call('http://reviews:9080/login');
    expect(d.rule).toMatchObject({ httpRoute: 1, match: 0 });
    expect(d.candidates.map((c) => [c.subset, c.probability, c.defined, c.endpoints])).toEqual([
      ['v1', 0.75, true, 1],
      ['v2', 0.25, true, 1],
    ]);
    // istio/istio retry.go DefaultPolicy: 2 retries on connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes.
    expect(d.retries?.attempts).toBe(2);
    expect(d.retries?.retryOn?.split(',')).toEqual(
      expect.arrayContaining(['connect-failure', 'refused-stream', 'unavailable', 'cancelled']),
    );
    // Istio sets the route timeout to 0s (disabled) when the VirtualService gives none.
    expect(d.timeout).toBe('0s');
  });

  it('reports a redirect, and a route to an undefined subset as 503 NC', () => {
    expect(call('http://reviews:9080/old/page').redirect).toEqual({ location: 'http://reviews:9080/new', status: 302 });
    const d = call('http://reviews:9080/other');
    expect(d.candidates[0]).toMatchObject({ subset: 'v3', defined: false, endpoints: 0 });
    expect(d.statuses).toEqual([expect.objectContaining({ status: 503, flags: 'NC', probability: 1 })]);
  });
});

describe('rewrittenPath() follows RouteEntryImplBase::finalizePathHeader', () => {
  const r = (match: Route['match'], action: NonNullable<Route['route']>): Route => ({ match, route: action });
  it.each([
    // Envoy docs (route_components.proto prefix_rewrite): prefix "/prefix" rewritten to "/" turns /prefix/etc into //etc.
    [r({ prefix: '/prefix' }, { cluster: 'c', prefixRewrite: '/' }), '/prefix/etc', '//etc'],
    [r({ prefix: '/api' }, { cluster: 'c', prefixRewrite: '/v2' }), '/api/items?x=1', '/v2/items?x=1'],
    [r({ path: '/login' }, { cluster: 'c', prefixRewrite: '/signin' }), '/login?next=/', '/signin?next=/'],
    [r({ safeRegex: { regex: '/v[0-9]+/.*' } }, { cluster: 'c', prefixRewrite: '/new' }), '/v1/a/b', '/new'],
    // Envoy docs (regex_rewrite): pattern ^/service/([^/]+)(/.*)$, substitution \2/instance/\1.
    [
      r(
        { prefix: '/' },
        {
          cluster: 'c',
          regexRewrite: { pattern: { regex: '^/service/([^/]+)(/.*)$' }, substitution: '\\2/instance/\\1' },
        },
      ),
      '/service/foo/v1/api',
      '/v1/api/instance/foo',
    ],
  ])('%#: %s', (route, path, want) => {
    expect(rewrittenPath(route, path)).toBe(want);
  });
});

describe('matchCovers() is sound', () => {
  const request = fc.record({
    path: fc.constantFrom('/', '/api', '/api/v1', '/API', '/api/v12/x', '/static/a', '/login', '/v1/x'),
    query: fc.constantFrom('', '?version=1', '?debug=true', '?version=beta'),
    method: fc.constantFrom('GET', 'POST'),
    headers: fc.dictionary(
      fc.constantFrom('end-user', 'x-canary', 'user'),
      fc.constantFrom('jason', 'jasonx', 'beta', 'gamma', 'v2', 'true'),
      { maxKeys: 3 },
    ),
  });
  const match = fc
    .tuple(httpMatchRequest({ headerNames: ['end-user', 'x-canary', 'user'] }), fc.boolean())
    .map(([m, ci]) => ({ ...m, ...(ci ? { ignoreUriCase: true } : {}) }));

  // b is either any match, or a refinement of a (a longer prefix, an exact path below it, one more header).
  const refinement = fc.record({
    suffix: fc.constantFrom('', '/v1', 'x'),
    exact: fc.boolean(),
    header: fc.option(fc.constantFrom('jason', 'beta'), { nil: undefined }),
  });
  const refine = (
    a: HttpMatchRequest,
    r: { suffix: string; exact: boolean; header: string | undefined },
  ): HttpMatchRequest => {
    const p = a.uri !== undefined && 'prefix' in a.uri ? a.uri.prefix : undefined;
    return {
      ...a,
      ...(p !== undefined ? { uri: r.exact ? { exact: `${p}${r.suffix}` } : { prefix: `${p}${r.suffix}` } } : {}),
      ...(r.header !== undefined ? { headers: { ...(a.headers ?? {}), 'x-canary': { exact: r.header } } } : {}),
    };
  };
  const pair = fc.oneof(
    fc.tuple(match, match),
    fc.tuple(match, refinement).map(([a, r]) => [a, refine(a, r)] as const),
  );

  test.prop([pair, fc.array(request, { minLength: 1, maxLength: 20 })], { numRuns: 300 })(
    'when it says a covers b, every request matching b matches a (Envoy’s own matcher decides)',
    ([ma, mb], reqs) => {
      const a = translateRouteMatch(ma);
      const b = translateRouteMatch(mb);
      fc.pre(matchCovers(a, b));
      for (const q of reqs) {
        const headers = { ':path': `${q.path}${q.query}`, ':method': q.method, ...q.headers };
        if (routeConditionsHold(b, headers)) expect(routeConditionsHold(a, headers)).toBe(true);
      }
    },
  );

  it('recognises the usual shadowing: a catch-all, a shorter prefix, an equal header', () => {
    const t = translateRouteMatch;
    expect(matchCovers(t(undefined), t({ headers: { 'end-user': { exact: 'jason' } } }))).toBe(true);
    expect(
      matchCovers(t({ uri: { prefix: '/api' } }), t({ uri: { prefix: '/api/v1' }, method: { exact: 'GET' } })),
    ).toBe(true);
    expect(matchCovers(t({ headers: { u: { prefix: 'ja' } } }), t({ headers: { u: { exact: 'jason' } } }))).toBe(true);
    expect(matchCovers(t({ uri: { prefix: '/api/v1' } }), t({ uri: { prefix: '/api' } }))).toBe(false);
    expect(matchCovers(t({ uri: { prefix: '/api' } }), t({ uri: { prefix: '/API' }, ignoreUriCase: true }))).toBe(
      false,
    );
  });
});

describe('reachabilityOf()', () => {
  it('finds a request for every live rule and proves the shadowed ones dead', () => {
    const model = withVs(VS.replace('  - match: [{uri: {exact: /login}}]', '  - match: [{uri: {exact: /api/login}}]'));
    const verdicts = reachabilityOf(model).map((r) => [ruleKey(r.rule), r.result.status]);
    expect(verdicts).toEqual([
      ['shop/reviews http[0].match[0]', 'reachable'],
      ['shop/reviews http[0].match[1]', 'reachable'],
      ['shop/reviews http[1].match[0]', 'unreachable'], // /api/login: caught by prefix /api
      ['shop/reviews http[2].match[0]', 'reachable'],
      ['shop/reviews http[3]', 'reachable'],
    ]);
  });

  const hosts = ['reviews.shop.svc.cluster.local'];
  test.prop(
    [virtualService({ host: 'reviews', namespace: 'shop', subsets: ['v1', 'v2'], maxRoutes: 4, catchAll: false })],
    { numRuns: 25 },
  )('a rule it proves unreachable takes no request, and a reachable one takes its witness', (vs) => {
    const model = withVs(manifestsYaml([vs]));
    const verdicts = reachabilityOf(model);
    const dead = new Set(verdicts.filter((v) => v.result.status === 'unreachable').map((v) => ruleKey(v.rule)));
    for (const v of verdicts) {
      if (v.result.status === 'reachable')
        expect(ruleKey(decideRoute(model, v.result.witness).rule ?? v.rule)).toBe(ruleKey(v.rule));
    }
    for (const call of fc.sample(meshRequest(model, { hosts, from: ['sleep.shop'] }), { seed: 7, numRuns: 40 })) {
      const rule = decideRoute(model, call).rule;
      if (rule !== undefined) expect(dead.has(ruleKey(rule))).toBe(false);
    }
  });
});

describe('regexSamples()', () => {
  it('keeps only strings RE2 fully matches', () => {
    for (const s of regexSamples('/api/v[0-9]+(/.*)?', 5)) expect(s).toMatch(/^\/api\/v[0-9]+(\/.*)?$/);
    expect(regexSamples('(?P<x>a)', 3)).toEqual([]); // RE2 syntax JavaScript cannot sample
  });
});
