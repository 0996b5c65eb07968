/**
 * Properties of the translation, each against a direct statement of Istio's semantics, over VirtualServices
 * from the toolkit's `virtualService` generator:
 * - adding a VirtualService for another host never changes any other host's virtual hosts or clusters;
 * - a virtual host's routes are the VirtualService's match blocks that apply on its port, one route per
 *   block, in order, up to the first catch-all — each route's provenance naming its http route and block;
 * - a weighted route's clusters are the VirtualService's destinations with a non-zero weight, in order,
 *   with the same weights (a single destination is a plain `cluster`);
 * - translation is a pure function: the same manifests — in any document order — give a deep-equal
 *   configuration.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { stringify } from 'yaml';
import { provenanceOf } from '../../envoy/config/core.js';
import type { VirtualHost } from '../../envoy/config/route.js';
import { buildProxyConfig } from './buildProxyConfig.js';
import type { Manifest } from '../../testing/counterexample/manifestYaml.js';
import { virtualService, type HttpRoute } from '../../testing/arbitraries/virtualService.js';
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

/**
 * A VirtualService for `host` as a user writes it (the toolkit's generator): match blocks on uri, headers,
 * method, query parameters and listener port, weighted destinations over the app's services and web's
 * subsets, faults, retries and timeouts.
 */
const arbVirtualService = (host: string, name: string): fc.Arbitrary<Manifest> =>
  virtualService({
    host,
    name,
    namespace: 'app',
    subsets: ['v1', 'v2'],
    destinationHosts: ['web', 'api', 'auth'],
    match: { ports: [80, 8080] },
    policies: true,
  });
const WEB_80 = 'web.app.svc.cluster.local:80';

/**
 * Istio's reading of a VirtualService for one listener port (route.go `BuildHTTPRoutesForVirtualService`,
 * `IsCatchAllRoute`): each http route's match blocks in order, a block limited to another `port` left out;
 * an http route without blocks, or a block with nothing but `uri: {prefix: /}` (or nothing at all), catches
 * every request and ends the list.
 */
function expectedBlocks(http: readonly HttpRoute[], port: number): [number, number | undefined][] {
  const out: [number, number | undefined][] = [];
  for (const [i, h] of http.entries()) {
    if ((h.match ?? []).length === 0) return [...out, [i, undefined]];
    for (const [j, m] of (h.match ?? []).entries()) {
      if (m.port !== undefined && m.port !== port) continue;
      out.push([i, j]);
      const conditions = Object.keys(m).filter((k) => k !== 'port' && k !== 'name' && k !== 'uri');
      const uri = m.uri as { prefix?: string; regex?: string } | undefined;
      if (conditions.length === 0 && (uri === undefined || uri.prefix === '/' || uri.regex === '.*')) return out;
    }
  }
  return out;
}

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

  test.prop([arbVirtualService('web', 'web')], { numRuns: 100 })(
    "a virtual host's routes are the match blocks that apply on its port, in order, up to the first catch-all",
    (vs) => {
      const cfg = buildProxyConfig(modelOf([...BASE, dr, ...yaml([vs])]), 'client.app');
      const vh = cfg.routes.find((r) => r.name === '80')?.virtualHosts?.find((v) => v.name === WEB_80);
      const got = (vh?.routes ?? []).map((r) => {
        const origin = provenanceOf(r.metadata).find((x) => x.kind === 'VirtualService');
        return [origin?.httpRouteIndex, origin?.httpMatchIndex];
      });
      const want = expectedBlocks((vs.spec as { http: readonly HttpRoute[] }).http, 80);
      // No block applies on the port: the VirtualService yields nothing there and the service keeps its
      // default route (route.go `BuildSidecarVirtualHostWrapper`).
      if (want.length === 0)
        expect(
          vh?.routes?.map((r) => [r.name, provenanceOf(r.metadata).some((x) => x.kind === 'VirtualService')]),
        ).toEqual([['default', false]]);
      else expect(got).toEqual(want);
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
