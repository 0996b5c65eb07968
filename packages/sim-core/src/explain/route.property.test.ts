/**
 * Properties of `route()` over the whole pipeline (manifests → model → istiod's translation → Envoy's
 * matching and filters), with the toolkit's generators (`virtualService`, `meshRequest`) and each checked
 * against an independent reading of the VirtualService:
 * - it never throws for any well-formed request;
 * - a request gets the first http route — and the first match block of it — whose match it satisfies
 *   (`istioMatchHolds`, Istio's `HTTPMatchRequest` semantics with RE2), and exactly that route's
 *   destinations with weight/100 each: never a later route's;
 * - what happens is the route's fault and destinations combined: aborts and delays at their percentages,
 *   each destination at its weight of the rest, a subset no DestinationRule defines answered 503 NC — the
 *   shares summing to 1;
 * - adding a VirtualService for another host never changes the answer;
 * - weighted candidates carry probability weight/total, zero weights dropped, summing to 1.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { stringify } from 'yaml';
import { loadMeshModel } from '../istio/model/meshModel.js';
import type { MeshModel } from '../istio/model/meshModel.js';
import type { Manifest } from '../testing/counterexample/manifestYaml.js';
import { virtualService, type HttpRoute } from '../testing/arbitraries/virtualService.js';
import { istioMatchHolds } from '../testing/properties/faultsOnlyAffectMatching.js';
import type { RouteDecision } from '../testing/routing/decide.js';
import { meshRequest } from '../testing/routing/requests.js';
import type { RouteCall } from './call.js';
import type { OutcomeShare, RouteExplanation } from './explanation.js';
import { route } from './route.js';

const BASE = `
apiVersion: v1
kind: Namespace
metadata: { name: test, labels: { istio-injection: enabled } }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: test }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80 }, { name: tcp-db, port: 5432 }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: test }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web, version: v1 } }
    spec: { containers: [{ name: web, image: web, ports: [{ containerPort: 80 }, { containerPort: 5432 }] }] }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: web, namespace: test }
spec:
  host: web
  subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }]
---
apiVersion: v1
kind: Service
metadata: { name: other, namespace: test }
spec:
  selector: { app: other }
  ports: [{ name: http, port: 80 }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: sleep, namespace: test }
spec:
  selector: { matchLabels: { app: sleep } }
  template:
    metadata: { labels: { app: sleep } }
    spec: { containers: [{ name: sleep, image: curlimages/curl }] }
`;

function modelWith(extra: readonly object[]): MeshModel {
  const text = extra.map((o) => `---\n${stringify(o)}`).join('\n');
  return loadMeshModel([
    { file: 'base.yaml', text: BASE },
    { file: 'extra.yaml', text },
  ]);
}

// v3 is a subset no DestinationRule defines: its cluster does not exist.
const SUBSETS = ['v1', 'v2', 'v3'];
const DEFINED = new Set(['v1', 'v2']);
const WEB = 'web.test.svc.cluster.local';
const webVs = (policies: boolean): fc.Arbitrary<Manifest> =>
  virtualService({ host: 'web', namespace: 'test', subsets: SUBSETS, maxRoutes: 5, policies });
const httpOf = (vs: Manifest): readonly HttpRoute[] => (vs.spec as { http: readonly HttpRoute[] }).http;

/**
 * Requests from the sleep pod to `web`'s HTTP port in every host form, shaped by the VirtualService's
 * matches (its port 5432 is TCP: no http route applies there).
 */
const requestsFor = (model: MeshModel): fc.Arbitrary<RouteCall[]> =>
  fc.array(
    meshRequest(model, { from: ['sleep.test'], hosts: [WEB] }).filter(
      (c) => !/^[a-z]+:\/\/[^/]*:5432/.test(c.url ?? ''),
    ),
    { minLength: 1, maxLength: 4 },
  );

/** The oracle: the first http route and match block whose match holds for the request as sent. */
function firstMatch(http: readonly HttpRoute[], e: RouteExplanation): { route: number; block?: number } | undefined {
  const asSent = { explanation: e } as RouteDecision;
  for (const [i, h] of http.entries()) {
    const blocks = h.match ?? [];
    if (blocks.length === 0) return { route: i };
    const j = blocks.findIndex((m) => istioMatchHolds(m, asSent));
    if (j >= 0) return { route: i, block: j };
  }
  return undefined;
}

/** Destinations as Envoy receives them: zero weights dropped, shares of 100 (one destination: all). */
const destinationsOf = (h: HttpRoute): { cluster: string; subset?: string; share: number }[] =>
  h.route
    .filter((d) => h.route.length === 1 || (d.weight ?? 0) > 0)
    .map((d) => ({
      cluster: `outbound|80|${d.destination.subset ?? ''}|${WEB}`,
      ...(d.destination.subset !== undefined ? { subset: d.destination.subset } : {}),
      share: h.route.length === 1 ? 1 : (d.weight ?? 0) / 100,
    }));

const sharesOf = (e: RouteExplanation): readonly OutcomeShare[] =>
  e.outcomes ?? [{ probability: 1, outcome: e.outcome }];
const total = (shares: readonly OutcomeShare[], f: (s: OutcomeShare) => boolean): number =>
  shares.filter(f).reduce((sum, s) => sum + s.probability, 0);
const flagged = (s: OutcomeShare, flag: string): boolean => (s.outcome.responseFlags ?? '').split(',').includes(flag);

/** What must not change: everything but the step texts. */
const essence = (e: RouteExplanation): unknown => ({ ...e, steps: undefined });

describe('route() properties', () => {
  test.prop([webVs(false).chain((vs) => fc.tuple(fc.constant(vs), requestsFor(modelWith([vs]))))], { numRuns: 40 })(
    "a request matching http route i (match block j) gets route i's destinations, never a later route's",
    ([vs, calls]) => {
      const model = modelWith([vs]);
      const http = httpOf(vs);
      for (const c of calls) {
        const e = route(model, c);
        const want = firstMatch(http, e);
        if (want === undefined) {
          expect(e.error).toBe('no_route');
          continue;
        }
        expect(e.route?.httpRouteIndex).toBe(want.route);
        expect(e.route?.matchIndex).toBe(want.block);
        const dests = destinationsOf(http[want.route] as HttpRoute);
        expect(e.clusters.map((x) => [x.name, x.probability])).toEqual(dests.map((d) => [d.cluster, d.share]));
      }
    },
  );

  test.prop([webVs(true).chain((vs) => fc.tuple(fc.constant(vs), requestsFor(modelWith([vs]))))], { numRuns: 40 })(
    "what happens is the route's fault and destinations combined, with exact shares",
    ([vs, calls]) => {
      const model = modelWith([vs]);
      const http = httpOf(vs);
      for (const c of calls) {
        const e = route(model, c);
        const want = firstMatch(http, e);
        if (want === undefined) continue;
        const h = http[want.route] as HttpRoute;
        const abort = (h.fault?.abort?.percentage.value ?? 0) / 100;
        const delay = (h.fault?.delay?.percentage.value ?? 0) / 100;
        const shares = sharesOf(e);
        const close = (got: number, expected: number): void => expect(Math.abs(got - expected)).toBeLessThan(1e-9);
        close(
          total(shares, () => true),
          1,
        );
        close(
          total(shares, (s) => flagged(s, 'FI')),
          abort,
        );
        close(
          total(shares, (s) => flagged(s, 'DI')),
          delay,
        );
        for (const s of shares.filter((x) => flagged(x, 'FI')))
          expect(s.outcome.status).toBe(h.fault?.abort?.httpStatus);
        const byCluster = new Map<string, number>();
        for (const d of destinationsOf(h)) byCluster.set(d.cluster, (byCluster.get(d.cluster) ?? 0) + d.share);
        for (const d of destinationsOf(h)) {
          const reaches = total(shares, (s) => s.outcome.cluster === d.cluster && !flagged(s, 'FI'));
          close(reaches, (byCluster.get(d.cluster) ?? 0) * (1 - abort));
          const nc = shares.filter((s) => s.outcome.cluster === d.cluster && flagged(s, 'NC'));
          expect(nc.length > 0).toBe(d.subset !== undefined && !DEFINED.has(d.subset) && abort < 1);
        }
        if (abort === 1)
          expect(e.outcome).toMatchObject({
            status: h.fault?.abort?.httpStatus,
            responseCodeDetails: 'fault_filter_abort',
          });
        if (shares.length === 1) expect(e.outcomes).toBeUndefined();
      }
    },
  );

  test.prop(
    [
      fc
        .tuple(webVs(false), fc.constantFrom('other', 'other.test.svc.cluster.local', 'elsewhere.example.com'))
        .chain(([vs, otherHost]) =>
          fc.tuple(
            fc.constant(vs),
            virtualService({ host: otherHost, namespace: 'test', name: 'unrelated' }),
            requestsFor(modelWith([vs])),
          ),
        ),
    ],
    { numRuns: 30 },
  )('adding a VirtualService for another host never changes the answer', ([vs, unrelated, calls]) => {
    const before = modelWith([vs]);
    const after = modelWith([vs, unrelated]);
    for (const c of calls) expect(essence(route(after, c))).toEqual(essence(route(before, c)));
  });

  test.prop([fc.array(fc.nat({ max: 100 }), { minLength: 2, maxLength: 5 }).filter((ws) => ws.some((w) => w > 0))], {
    numRuns: 30,
  })('weighted candidates: probability = weight/total over non-zero weights, summing to 1', (weights) => {
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'web', namespace: 'test' },
      spec: {
        hosts: ['web'],
        http: [
          { route: weights.map((weight, i) => ({ destination: { host: `d${i}.test.svc.cluster.local` }, weight })) },
        ],
      },
    };
    const e = route(modelWith([vs]), { from: 'sleep.test', url: 'http://web/' });
    const sum = weights.reduce((a, b) => a + b, 0);
    const want = weights.flatMap((w, i) =>
      w > 0 ? [{ name: `outbound|80||d${i}.test.svc.cluster.local`, probability: w / sum }] : [],
    );
    expect(e.clusters.map((c) => ({ name: c.name, probability: c.probability }))).toEqual(want);
    expect(Math.abs(e.clusters.reduce((a, c) => a + c.probability, 0) - 1)).toBeLessThan(1e-12);
  });
});

// Never throws: any request from the sidecar, at the gateway or inbound, with arbitrary hosts, paths,
// headers, protocols, TLS modes, SNI and ALPN.
const hostChars = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,20}$/);
const anyCall: fc.Arbitrary<RouteCall> = fc
  .record({
    mode: fc.constantFrom('from', 'gateway', 'to'),
    target: fc.oneof(
      fc.record({
        url: fc
          .tuple(
            fc.constantFrom('http', 'https', 'tcp'),
            fc.oneof(hostChars, fc.constantFrom('web', 'web.test', 'other', '10.96.0.1')),
            fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
            fc.constantFrom('/', '/a?b=c', '/%2e%2e/x', '/a//b'),
          )
          .map(([s, h, p, path]) => `${s}://${h}${p !== undefined ? `:${p}` : s === 'tcp' ? ':5432' : ''}${path}`),
      }),
      fc.record({ address: fc.ipV4(), port: fc.integer({ min: 1, max: 65535 }), path: fc.constantFrom('/', '/x?y') }),
    ),
    method: fc.constantFrom('GET', 'POST', 'CONNECT', 'DELETE'),
    headers: fc.array(
      fc
        .tuple(
          fc.constantFrom('host', 'end-user', 'x-forwarded-proto', 'x-a'),
          fc.string({ maxLength: 12 }).filter((s) => !/[\r\n]/.test(s)),
        )
        .map(([k, v]) => `${k}: ${v}`),
      { maxLength: 3 },
    ),
    protocol: fc.constantFrom('http', 'http2', 'tcp'),
    tls: fc.constantFrom('plaintext', 'tls', 'mtls'),
    sni: fc.option(hostChars, { nil: undefined }),
    alpn: fc.option(fc.array(fc.constantFrom('h2', 'http/1.1', 'istio', 'istio-http/1.1', 'h2c'), { maxLength: 2 }), {
      nil: undefined,
    }),
  })
  .map((r) => ({
    ...(r.mode === 'from'
      ? { from: 'sleep.test' }
      : r.mode === 'gateway'
        ? { gateway: 'istio-ingressgateway.istio-system' }
        : { to: 'web.test', inbound: true }),
    ...r.target,
    method: r.method,
    headers: r.headers,
    protocol: r.protocol as RouteCall['protocol'],
    tls: r.tls as RouteCall['tls'],
    ...(r.sni !== undefined ? { sni: r.sni } : {}),
    ...(r.alpn !== undefined ? { alpn: r.alpn } : {}),
  }));

describe('route() never throws', () => {
  const model = modelWith([
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'web', namespace: 'test' },
      spec: {
        hosts: ['web'],
        http: [
          { match: [{ uri: { prefix: '/api' } }], route: [{ destination: { host: 'r0.test.svc.cluster.local' } }] },
          { route: [{ destination: { host: 'r1.test.svc.cluster.local' } }] },
        ],
      },
    },
  ]);
  test.prop([anyCall], { numRuns: 300 })('for any well-formed request', (c) => {
    const e = route(model, c);
    expect(e.outcome.text.length).toBeGreaterThan(0);
    expect(e.clusters.every((x) => x.probability >= 0 && x.probability <= 1)).toBe(true);
    expect(Math.abs(sharesOf(e).reduce((a, s) => a + s.probability, 0) - 1)).toBeLessThan(1e-9);
  });
});
