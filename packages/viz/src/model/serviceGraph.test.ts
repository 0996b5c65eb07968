import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { buildServiceGraph, type GraphEdgeSpec } from './serviceGraph.js';

const ids = ['ns/a', 'ns/b', 'ns/c', 'ns/d', 'ns/e'];
const arbEdges = fc.array(
  fc
    .record({
      source: fc.constantFrom(...ids),
      target: fc.constantFrom(...ids),
      requests: fc.integer({ min: 0, max: 1000 }),
    })
    .chain((e) => fc.integer({ min: 0, max: e.requests }).map((errors): GraphEdgeSpec => ({ ...e, errors }))),
  { maxLength: 12 },
);
/** Edges that only go from a lower id to a higher one: a DAG. */
const arbDag = arbEdges.map((es) => es.filter((e) => e.source < e.target));

describe('buildServiceGraph()', () => {
  test.prop([arbDag])('on a DAG every edge points to a later layer, and no edge is a back edge', (edges) => {
    const g = buildServiceGraph({ nodes: [], edges, duration: 10_000_000 });
    const layer = new Map(g.nodes.map((n) => [n.id, n.layer]));
    for (const e of g.edges) {
      expect(e.forward).toBe(true);
      expect(layer.get(e.target) as number).toBeGreaterThan(layer.get(e.source) as number);
    }
  });

  test.prop([arbEdges])('rows are distinct within a layer, and layers/rows bound them', (edges) => {
    const g = buildServiceGraph({ nodes: [], edges, duration: 1_000_000 });
    const seen = new Set(g.nodes.map((n) => `${n.layer}:${n.row}`));
    expect(seen.size).toBe(g.nodes.length);
    for (const n of g.nodes) {
      expect(n.layer).toBeLessThan(g.layers);
      expect(n.row).toBeLessThan(g.rows);
    }
  });

  test.prop([arbEdges, fc.integer({ min: 1, max: 60_000_000 })])(
    'rates and shares: merged edges, rps = requests / seconds, errorShare = errors / requests',
    (edges, duration) => {
      const g = buildServiceGraph({ nodes: [], edges, duration });
      for (const e of g.edges) {
        const same = edges.filter((x) => x.source === e.source && x.target === e.target);
        expect(e.requests).toBe(same.reduce((a, x) => a + x.requests, 0));
        expect(e.errors).toBe(same.reduce((a, x) => a + x.errors, 0));
        expect(e.rps).toBe(e.requests / (duration / 1_000_000));
        expect(e.errorShare).toBe(e.requests === 0 ? 0 : e.errors / e.requests);
      }
      for (const n of g.nodes)
        expect(n.requestsIn).toBe(edges.filter((x) => x.target === n.id).reduce((a, x) => a + x.requests, 0));
    },
  );

  test.prop([
    arbEdges.chain((es) =>
      fc.shuffledSubarray(es, { minLength: es.length, maxLength: es.length }).map((sh) => [es, sh] as const),
    ),
  ])('does not depend on the order of its input', ([edges, shuffled]) => {
    const a = buildServiceGraph({ nodes: [], edges, duration: 1_000_000 });
    const b = buildServiceGraph({ nodes: [], edges: shuffled, duration: 1_000_000 });
    expect(b.nodes.map((n) => [n.id, n.layer, n.row])).toEqual(a.nodes.map((n) => [n.id, n.layer, n.row]));
    expect(b.edges.map((e) => [e.source, e.target, e.requests, e.forward])).toEqual(
      a.edges.map((e) => [e.source, e.target, e.requests, e.forward]),
    );
  });

  it('lays Bookinfo out as productpage → details/reviews → ratings', () => {
    const g = buildServiceGraph({
      nodes: [{ id: 'unknown', label: 'unknown', kind: 'unknown' }],
      edges: [
        { source: 'unknown', target: 'default/productpage-v1', requests: 100, errors: 0 },
        { source: 'default/productpage-v1', target: 'default/details-v1', requests: 100, errors: 0 },
        { source: 'default/productpage-v1', target: 'default/reviews-v2', requests: 50, errors: 0 },
        { source: 'default/productpage-v1', target: 'default/reviews-v3', requests: 50, errors: 5 },
        { source: 'default/reviews-v2', target: 'default/ratings-v1', requests: 50, errors: 0 },
        { source: 'default/reviews-v3', target: 'default/ratings-v1', requests: 50, errors: 0 },
      ],
      duration: 10_000_000,
    });
    const layer = Object.fromEntries(g.nodes.map((n) => [n.id, n.layer]));
    expect(layer).toEqual({
      unknown: 0,
      'default/productpage-v1': 1,
      'default/details-v1': 2,
      'default/reviews-v2': 2,
      'default/reviews-v3': 2,
      'default/ratings-v1': 3,
    });
    expect(g.nodes.find((n) => n.id === 'default/reviews-v3')).toMatchObject({ requestsIn: 50, errorShareIn: 0.1 });
  });

  it('marks the edge that closes a cycle as a back edge', () => {
    const g = buildServiceGraph({
      nodes: [],
      edges: [
        { source: 'a', target: 'b', requests: 1, errors: 0 },
        { source: 'b', target: 'a', requests: 1, errors: 0 },
      ],
      duration: 1,
    });
    expect(g.edges.map((e) => [e.source, e.target, e.forward])).toEqual([
      ['a', 'b', true],
      ['b', 'a', false],
    ]);
  });

  it('refuses errors above requests and a zero duration', () => {
    expect(() =>
      buildServiceGraph({ nodes: [], edges: [{ source: 'a', target: 'b', requests: 1, errors: 2 }], duration: 1 }),
    ).toThrow(/errors/);
    expect(() => buildServiceGraph({ nodes: [], edges: [], duration: 0 })).toThrow(/duration/);
  });
});
