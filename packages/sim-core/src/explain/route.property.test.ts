/**
 * Properties of `route()` over the whole pipeline (manifests → model → istiod's translation → Envoy's
 * matching), each checked against an independent statement of the semantics:
 * - it never throws for any well-formed request;
 * - a request gets the cluster of the first VirtualService http route whose match it satisfies — never one
 *   from a later route (the oracle evaluates Istio's match semantics directly on the VirtualService, with
 *   RE2 for regexes);
 * - adding a VirtualService for another host never changes the answer;
 * - weighted candidates carry probability weight/total, zero weights dropped, summing to 1.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { RE2JS } from 're2js';
import { stringify } from 'yaml';
import { loadMeshModel } from '../istio/model/meshModel.js';
import type { MeshModel } from '../istio/model/meshModel.js';
import type { RouteCall } from './call.js';
import type { RouteExplanation } from './explanation.js';
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

// --- Generators ------------------------------------------------------------------------------------------
type StringMatch = { exact: string } | { prefix: string } | { regex: string };
interface HttpMatch {
  uri?: StringMatch;
  headers?: Record<string, StringMatch>;
  method?: { exact: string };
}
const paths = ['/', '/api', '/api/v1', '/api/v12/items', '/static/a.js', '/login', '/Login'];
const arbUri: fc.Arbitrary<StringMatch> = fc.oneof(
  fc.constantFrom('/api', '/api/v1', '/static', '/').map((prefix) => ({ prefix })),
  fc.constantFrom('/login', '/api').map((exact) => ({ exact })),
  fc.constantFrom('/api/v[0-9]+(/.*)?', '/(static|assets)/.*', '/[a-z]+').map((regex) => ({ regex })),
);
const arbHeaderMatch: fc.Arbitrary<StringMatch> = fc.oneof(
  fc.constantFrom('jason', 'beta').map((exact) => ({ exact })),
  fc.constantFrom('be', 'ja').map((prefix) => ({ prefix })),
  fc.constantFrom('j.*', 'beta|gamma').map((regex) => ({ regex })),
);
const arbMatch: fc.Arbitrary<HttpMatch> = fc.record(
  {
    uri: arbUri,
    headers: fc.dictionary(fc.constantFrom('end-user', 'x-group'), arbHeaderMatch, { minKeys: 1, maxKeys: 1 }),
    method: fc.constantFrom('GET', 'POST').map((exact) => ({ exact })),
  },
  { requiredKeys: [] },
);
const arbHttpRoutes = fc.array(fc.array(arbMatch, { maxLength: 2 }), { minLength: 1, maxLength: 5 });
const arbRequest = fc.record({
  path: fc.constantFrom(...paths),
  method: fc.constantFrom('GET', 'POST'),
  headers: fc.dictionary(fc.constantFrom('end-user', 'x-group'), fc.constantFrom('jason', 'beta', 'gamma', 'bob'), {
    maxKeys: 2,
  }),
});

// --- Oracle: Istio's HTTPMatchRequest semantics, evaluated directly on the VirtualService ------------------
function stringMatches(m: StringMatch, v: string | undefined): boolean {
  if (v === undefined) return false;
  if ('exact' in m) return v === m.exact;
  if ('prefix' in m) return v.startsWith(m.prefix);
  return RE2JS.compile(m.regex).matches(v);
}
function oracleFirstRoute(
  http: readonly (readonly HttpMatch[])[],
  req: { path: string; method: string; headers: Record<string, string> },
): number {
  for (let i = 0; i < http.length; i++) {
    const matches = http[i] as readonly HttpMatch[];
    // An http route without match blocks matches everything; otherwise any block (OR), all conditions (AND).
    const hit =
      matches.length === 0 ||
      matches.some(
        (m) =>
          (m.uri === undefined || stringMatches(m.uri, req.path.split('?')[0])) &&
          (m.method === undefined || m.method.exact === req.method) &&
          Object.entries(m.headers ?? {}).every(([k, sm]) => stringMatches(sm, req.headers[k])),
      );
    if (hit) return i;
  }
  return -1;
}

const vsOf = (http: readonly (readonly HttpMatch[])[]): object => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'web', namespace: 'test' },
  spec: {
    hosts: ['web'],
    http: http.map((match, i) => ({
      ...(match.length > 0 ? { match } : {}),
      route: [{ destination: { host: `r${i}.test.svc.cluster.local`, port: { number: 80 } } }],
    })),
  },
});

const call = (req: { path: string; method: string; headers: Record<string, string> }): RouteCall => ({
  from: 'sleep.test',
  url: `http://web${req.path}`,
  method: req.method,
  headers: Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`),
});

/** What must not change: everything but the step texts. */
const essence = (e: RouteExplanation): unknown => ({ ...e, steps: undefined });

describe('route() properties', () => {
  test.prop([arbHttpRoutes, fc.array(arbRequest, { minLength: 1, maxLength: 4 })], { numRuns: 40 })(
    "a request matching http route i gets route i's cluster, never a later route's",
    (http, reqs) => {
      const model = modelWith([vsOf(http)]);
      for (const req of reqs) {
        const e = route(model, call(req));
        const want = oracleFirstRoute(http, req);
        if (want < 0) {
          expect(e.error).toBe('no_route');
        } else {
          expect(e.route?.httpRouteIndex).toBe(want);
          expect(e.cluster).toBe(`outbound|80||r${want}.test.svc.cluster.local`);
        }
      }
    },
  );

  test.prop(
    [
      arbHttpRoutes,
      arbRequest,
      fc.constantFrom('other', 'other.test.svc.cluster.local', 'elsewhere.example.com', '*.example.org'),
    ],
    {
      numRuns: 30,
    },
  )('adding a VirtualService for another host never changes the answer', (http, req, otherHost) => {
    const before = route(modelWith([vsOf(http)]), call(req));
    const unrelated = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'unrelated', namespace: 'test' },
      spec: { hosts: [otherHost], http: [{ route: [{ destination: { host: 'sink.test.svc.cluster.local' } }] }] },
    };
    const after = route(modelWith([vsOf(http), unrelated]), call(req));
    expect(essence(after)).toEqual(essence(before));
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
    const e = route(modelWith([vs]), call({ path: '/', method: 'GET', headers: {} }));
    const total = weights.reduce((a, b) => a + b, 0);
    const want = weights.flatMap((w, i) =>
      w > 0 ? [{ name: `outbound|80||d${i}.test.svc.cluster.local`, probability: w / total }] : [],
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
  const model = modelWith([vsOf([[{ uri: { prefix: '/api' } }], []])]);
  test.prop([anyCall], { numRuns: 300 })('for any well-formed request', (c) => {
    const e = route(model, c);
    expect(e.outcome.text.length).toBeGreaterThan(0);
    expect(e.clusters.every((x) => x.probability >= 0 && x.probability <= 1)).toBe(true);
  });
});
