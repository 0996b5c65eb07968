import { envoy, loadMeshModel } from '@meshsim/sim-core';
import { describe, expect, it } from 'vitest';
import {
  applyBadges,
  badgesFromIstioConfig,
  graphFromIstioRequests,
  hostCovers,
  resolveHost,
} from './serviceGraphAdapters.js';

const wl = (workload: string, app: string, version: string) => ({
  workload,
  namespace: 'default',
  labels: { app, version },
});

/** istio_requests_total samples as sim-core's IstioMetrics prints and parses them. */
function samples(
  records: {
    reporter: 'source' | 'destination';
    from?: ReturnType<typeof wl>;
    to?: ReturnType<typeof wl>;
    code: number;
    n: number;
  }[],
) {
  const m = new envoy.IstioMetrics();
  for (const r of records) {
    const [local, peer] = r.reporter === 'source' ? [r.from, r.to] : [r.to, r.from];
    if (local === undefined) throw new Error('a reporter needs its own workload');
    const labels = envoy.istioRequestLabels({
      reporter: r.reporter,
      local,
      ...(peer !== undefined ? { peer } : {}),
      service: { host: 'reviews.default.svc.cluster.local', name: 'reviews', namespace: 'default' },
      responseCode: r.code,
      responseFlags: r.code === 0 ? 'UF' : '-',
    });
    for (let i = 0; i < r.n; i++) m.record(labels, 1000, 0, 0);
  }
  return envoy.parsePrometheusText(m.renderPrometheus()).flatMap((f) => f.samples);
}

describe('graphFromIstioRequests()', () => {
  const pp = wl('productpage-v1', 'productpage', 'v1');
  const rv2 = wl('reviews-v2', 'reviews', 'v2');
  it('counts what the client reported, errors being 5xx and no response (code 0)', () => {
    const g = graphFromIstioRequests(
      samples([
        { reporter: 'source', from: pp, to: rv2, code: 200, n: 7 },
        { reporter: 'source', from: pp, to: rv2, code: 503, n: 2 },
        { reporter: 'source', from: pp, to: rv2, code: 0, n: 1 },
        { reporter: 'source', from: pp, to: rv2, code: 404, n: 3 },
        // The same requests seen by the server sidecar: not counted twice.
        { reporter: 'destination', from: pp, to: rv2, code: 200, n: 7 },
      ]),
    );
    expect(g.edges).toEqual([
      {
        source: 'default/productpage-v1',
        target: 'default/reviews-v2',
        service: 'reviews.default.svc.cluster.local',
        requests: 13,
        errors: 3,
      },
    ]);
    expect(g.nodes).toContainEqual({
      id: 'default/reviews-v2',
      label: 'reviews-v2',
      namespace: 'default',
      version: 'v2',
      kind: 'workload',
    });
  });

  it('falls back to the server’s report for clients without a sidecar (source unknown)', () => {
    const g = graphFromIstioRequests(samples([{ reporter: 'destination', to: rv2, code: 200, n: 4 }]));
    expect(g.edges).toEqual([
      expect.objectContaining({ source: 'unknown', target: 'default/reviews-v2', requests: 4, errors: 0 }),
    ]);
    expect(g.nodes.find((n) => n.id === 'unknown')).toMatchObject({ kind: 'unknown' });
  });
});

describe('badgesFromIstioConfig()', () => {
  const model = loadMeshModel([
    {
      file: 'policies.yaml',
      text: `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: default }
spec:
  host: reviews
  trafficPolicy:
    connectionPool:
      http: { http1MaxPendingRequests: 1 }
  subsets:
    - name: v2
      labels: { version: v2 }
      trafficPolicy:
        outlierDetection: { consecutive5xxErrors: 3, interval: 10s, baseEjectionTime: 30s }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ratings, namespace: default }
spec:
  hosts: [ratings]
  http:
    - fault:
        abort: { httpStatus: 500, percentage: { value: 10 } }
      route: [{ destination: { host: ratings } }]
`,
    },
  ]);
  const badgesOf = badgesFromIstioConfig([...model.istio.destinationRules, ...model.istio.virtualServices]);

  it('badges a DestinationRule’s connectionPool (CB) and a subset’s outlierDetection (OD), with file:line', () => {
    const b = badgesOf('reviews.default.svc.cluster.local');
    expect(b.map((x) => [x.kind, x.label, x.decidedBy?.line])).toEqual([
      ['circuit_breaker', 'DestinationRule default/reviews trafficPolicy.connectionPool', 7],
      ['outlier_detection', 'DestinationRule default/reviews subsets[0].trafficPolicy.outlierDetection', 13],
    ]);
    expect(b[1]?.decidedBy).toMatchObject({
      file: 'policies.yaml',
      field: 'spec.subsets[0].trafficPolicy.outlierDetection',
    });
  });

  it('badges the hosts of a VirtualService route with a fault', () => {
    // The `fault:` key sits on the `- fault:` line (21).
    expect(badgesOf('ratings.default.svc.cluster.local')).toEqual([
      expect.objectContaining({
        kind: 'fault',
        label: 'VirtualService default/ratings http[0].fault',
        decidedBy: expect.objectContaining({ line: 21 }),
      }),
    ]);
    expect(badgesOf('details.default.svc.cluster.local')).toEqual([]);
  });

  it('applyBadges() puts a service’s badges on its edges and their target workloads', () => {
    const g = applyBadges(
      {
        nodes: [{ id: 'default/reviews-v2', label: 'reviews-v2' }],
        edges: [
          {
            source: 'x',
            target: 'default/reviews-v2',
            service: 'reviews.default.svc.cluster.local',
            requests: 1,
            errors: 0,
          },
        ],
      },
      badgesOf,
    );
    expect(g.edges[0]?.badges?.map((b) => b.kind)).toEqual(['circuit_breaker', 'outlier_detection']);
    expect(g.nodes[0]?.badges?.map((b) => b.kind)).toEqual(['circuit_breaker', 'outlier_detection']);
  });
});

describe('resolveHost() and hostCovers()', () => {
  it('expands short names in the resource’s namespace, as Istio does', () => {
    expect(resolveHost('reviews', 'default')).toBe('reviews.default.svc.cluster.local');
    expect(resolveHost('reviews.other.svc.cluster.local', 'default')).toBe('reviews.other.svc.cluster.local');
    expect(resolveHost('*', 'default')).toBe('*');
  });
  it('matches wildcard hosts by suffix', () => {
    expect(hostCovers('*.example.com', 'a.example.com')).toBe(true);
    expect(hostCovers('*.example.com', 'example.com')).toBe(false);
    expect(hostCovers('*', 'anything')).toBe(true);
  });
});
