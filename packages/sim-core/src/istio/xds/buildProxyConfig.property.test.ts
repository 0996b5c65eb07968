/**
 * Properties of the translation, each against a direct statement of Istio's semantics:
 * - adding a VirtualService for another host never changes any other host's virtual hosts or clusters;
 * - a weighted route's clusters are the VirtualService's destinations with a non-zero weight, in order,
 *   with the same weights (a single destination is a plain `cluster`);
 * - translation is a pure function: the same manifests — in any document order — give a deep-equal
 *   configuration.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { stringify } from 'yaml';
import type { VirtualHost } from '../../envoy/config/route.js';
import { buildProxyConfig } from './buildProxyConfig.js';
import { deployment, modelOf, namespace, service } from './testing/manifests.js';

const BASE = [
  namespace('app'),
  deployment('client', 'app'),
  service('web', 'app', [
    { name: 'http', port: 80 },
    { name: 'tcp', port: 5432 },
  ]),
  service('api', 'app', [{ name: 'http', port: 80 }]),
  service('auth', 'app', [{ name: 'http-auth', port: 8080 }]),
];
const dr = stringify({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'web', namespace: 'app' },
  spec: { host: 'web', subsets: ['v1', 'v2', 'v3', 'v4'].map((name) => ({ name, labels: { version: name } })) },
});

const arbMatch = fc.record(
  {
    uri: fc.oneof(
      fc.constantFrom('/', '/a', '/b/c').map((prefix) => ({ prefix })),
      fc.constantFrom('/x').map((exact) => ({ exact })),
      fc.constant({ regex: '/r[0-9]+' }),
    ),
    headers: fc.dictionary(
      fc.constantFrom('x-a', 'x-b'),
      fc.constantFrom('1', '2').map((exact) => ({ exact })),
      { maxKeys: 2 },
    ),
    port: fc.constantFrom(80, 8080),
  },
  { requiredKeys: [] },
);
const arbDestination = fc
  .record({ host: fc.constantFrom('web', 'api', 'auth'), subset: fc.constantFrom(undefined, 'v1', 'v2') })
  .map((d) => ({ host: d.host, ...(d.subset !== undefined ? { subset: d.subset } : {}) }));
const arbHttp = fc.record({
  match: fc.array(arbMatch, { maxLength: 2 }),
  route: fc.array(fc.record({ destination: arbDestination, weight: fc.integer({ min: 1, max: 100 }) }), {
    minLength: 1,
    maxLength: 3,
  }),
  timeout: fc.constantFrom(undefined, '1s', '250ms'),
});
/** A VirtualService for `host` (a VirtualService manifest as the user writes it). */
const arbVirtualService = (host: string, name: string): fc.Arbitrary<object> =>
  fc.array(arbHttp, { minLength: 1, maxLength: 4 }).map((http) => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace: 'app' },
    spec: {
      hosts: [host],
      http: http.map((h) => ({
        ...(h.match.length > 0
          ? {
              match: h.match.map((m) => ({
                ...m,
                ...(m.headers !== undefined && Object.keys(m.headers).length === 0 ? { headers: undefined } : {}),
              })),
            }
          : {}),
        route: h.route.length === 1 ? [{ destination: h.route[0]?.destination }] : h.route,
        ...(h.timeout !== undefined ? { timeout: h.timeout } : {}),
      })),
    },
  }));
const yaml = (objects: readonly object[]): string[] => objects.map((o) => stringify(o, { keepUndefined: false }));

function virtualHostsExcept(docs: readonly string[], excluded: string): Map<string, VirtualHost> {
  const cfg = buildProxyConfig(modelOf([...BASE, dr, ...docs]), 'client.app');
  const out = new Map<string, VirtualHost>();
  for (const rc of cfg.routes)
    for (const vh of rc.virtualHosts ?? []) if (!vh.name.startsWith(excluded)) out.set(`${rc.name}/${vh.name}`, vh);
  return out;
}

describe('buildProxyConfig properties', () => {
  test.prop([arbVirtualService('web', 'web'), arbVirtualService('api', 'unrelated')], { numRuns: 30 })(
    'adding a VirtualService for another host never changes the other hosts’ virtual hosts',
    (webVs, apiVs) => {
      const before = virtualHostsExcept(yaml([webVs]), 'api.app.svc.cluster.local');
      const after = virtualHostsExcept(yaml([webVs, apiVs]), 'api.app.svc.cluster.local');
      expect(after).toEqual(before);
    },
  );

  test.prop(
    [
      fc
        .array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 4 })
        .filter((ws) => ws.length === 1 || ws.some((w) => w > 0)),
    ],
    { numRuns: 40 },
  )('weighted clusters are the destinations with non-zero weight, in order, with their weights', (weights) => {
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'web', namespace: 'app' },
      spec: {
        hosts: ['web'],
        http: [{ route: weights.map((weight, i) => ({ destination: { host: 'web', subset: `v${i + 1}` }, weight })) }],
      },
    };
    const cfg = buildProxyConfig(modelOf([...BASE, dr, ...yaml([vs])]), 'client.app');
    const action = cfg.routes
      .find((r) => r.name === '80')
      ?.virtualHosts?.find((v) => v.name === 'web.app.svc.cluster.local:80')?.routes?.[0]?.route;
    if (weights.length === 1) {
      expect(action?.cluster).toBe('outbound|80|v1|web.app.svc.cluster.local');
      expect(action?.weightedClusters).toBeUndefined();
    } else {
      const expected = weights.flatMap((w, i) =>
        w > 0 ? [{ name: `outbound|80|v${i + 1}|web.app.svc.cluster.local`, weight: w }] : [],
      );
      expect(action?.weightedClusters?.clusters).toEqual(expected);
    }
  });

  test.prop(
    [
      fc.array(arbVirtualService('web', 'web'), { minLength: 0, maxLength: 1 }),
      fc.array(arbVirtualService('api', 'api'), { minLength: 0, maxLength: 1 }),
      fc.infiniteStream(fc.integer()),
    ],
    { numRuns: 20 },
  )('is a pure function of the manifests, whatever their order', (web, api, random) => {
    const docs = [...BASE, dr, ...yaml([...web, ...api])];
    const shuffled = docs
      .map((d) => ({ d, k: random.next().value as number }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.d);
    const a = buildProxyConfig(modelOf(docs), 'client.app');
    const b = buildProxyConfig(modelOf(docs), 'client.app');
    const c = buildProxyConfig(modelOf(shuffled), 'client.app');
    expect(b).toEqual(a);
    expect(stripSources(c)).toEqual(stripSources(a));
  });
});

/** Provenance names the file line, which moves when documents are reordered; everything else must not. */
function stripSources(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripSources);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => k !== 'line' && k !== 'bytes')
      .map(([k, x]) => [k, stripSources(x)]),
  );
}
