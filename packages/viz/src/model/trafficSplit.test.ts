import { fc, test } from '@fast-check/vitest';
import { binomialAcceptance, binomialInterval } from '@meshsim/sim-core/testing';
import { describe, expect, it } from 'vitest';
import { buildTrafficSplit, columnIndex, type SplitFlowSpec, type SplitRouteSpec } from './trafficSplit.js';

const route = (weights: number[]): SplitRouteSpec => ({
  id: 'ns/vs#0',
  label: 'VirtualService ns/vs http[0]',
  destinations: weights.map((weight, i) => ({ id: `web|v${i}`, label: `web v${i}`, weight })),
});

/** Routes with weights, and flows over their destinations and a few pods. */
const arbInput = fc
  .array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 4 })
  .filter((w) => w.length === 1 || w.some((x) => x > 0))
  .chain((weights) =>
    fc.record({
      weights: fc.constant(weights),
      flows: fc.array(
        fc.record({
          source: fc.constantFrom('ns/a', 'ns/b'),
          d: fc.integer({ min: 0, max: weights.length - 1 }),
          pod: fc.option(fc.constantFrom('p0', 'p1', 'p2'), { nil: undefined }),
          count: fc.integer({ min: 0, max: 500 }),
        }),
        { maxLength: 12 },
      ),
    }),
  )
  .map(({ weights, flows }) => ({
    routes: [route(weights)],
    flows: flows.map((f): SplitFlowSpec => ({
      source: f.source,
      route: 'ns/vs#0',
      destination: `web|v${f.d}`,
      ...(f.pod !== undefined ? { pod: `${f.pod}-v${f.d}` } : {}),
      count: f.count,
    })),
  }));

describe('buildTrafficSplit()', () => {
  test.prop([arbInput])(
    'conserves requests: every column of a flow sums to the total, and links match nodes',
    (input) => {
      const split = buildTrafficSplit(input);
      const total = input.flows.reduce((a, f) => a + f.count, 0);
      expect(split.total).toBe(total);
      for (const col of ['source', 'route', 'destination'] as const) {
        expect(split.nodes.filter((n) => n.column === col).reduce((a, n) => a + n.count, 0)).toBe(total);
      }
      expect(split.nodes.filter((n) => n.column === 'pod').reduce((a, n) => a + n.count, 0)).toBe(
        input.flows.filter((f) => f.pod !== undefined).reduce((a, f) => a + f.count, 0),
      );
      for (const n of split.nodes) {
        const into = split.links.filter((l) => l.target === n.id).reduce((a, l) => a + l.count, 0);
        if (n.column !== 'source') expect(into).toBe(n.count);
        expect(n.share).toBe(total === 0 ? 0 : n.count / total);
      }
    },
  );

  test.prop([arbInput])(
    'declared shares are weight / Σ weights of the route; observed shares are of the route’s requests',
    (input) => {
      const split = buildTrafficSplit(input);
      const weights = input.routes[0]?.destinations.map((d) => d.weight ?? 0) ?? [];
      const sum = weights.reduce((a, b) => a + b, 0);
      const routeCount = split.nodes.find((n) => n.column === 'route')?.count ?? 0;
      weights.forEach((w, i) => {
        const l = split.links.find((x) => x.target === `destination:web|v${i}`);
        expect(l?.declaredShare).toBe(weights.length === 1 ? 1 : w / sum);
        expect(l?.observedShare).toBe(routeCount === 0 ? 0 : (l?.count ?? 0) / routeCount);
      });
    },
  );

  test.prop([arbInput])(
    'a link is consistent exactly when its count is in the exact binomial acceptance region',
    (input) => {
      const split = buildTrafficSplit({ ...input, alpha: 0.01 });
      for (const l of split.links.filter((x) => x.declaredShare !== undefined)) {
        const n = split.nodes.find((x) => x.id === l.source)?.count ?? 0;
        if (n === 0) {
          expect(l.consistent).toBeUndefined();
          continue;
        }
        const acc = binomialAcceptance(n, l.declaredShare ?? 0, 0.01);
        expect(l.consistent).toBe(l.count >= acc.lower && l.count <= acc.upper);
        expect(l.interval).toEqual(binomialInterval(l.count, n, 0.01));
      }
    },
  );

  it('keeps a declared destination that saw no request (weight 0 or starved) as a zero-count link', () => {
    const split = buildTrafficSplit({
      routes: [route([100, 0])],
      flows: [{ source: 'ns/a', route: 'ns/vs#0', destination: 'web|v0', pod: 'web-v1-0', count: 40 }],
    });
    expect(split.links.find((l) => l.target === 'destination:web|v1')).toMatchObject({
      count: 0,
      declaredShare: 0,
      observedShare: 0,
      consistent: true,
    });
    expect(split.nodes.find((n) => n.id === 'destination:web|v1')).toMatchObject({ count: 0, share: 0 });
  });

  it('flags a weight-0 destination that receives traffic, and a 90/10 split seen as 60/40', () => {
    const zero = buildTrafficSplit({
      routes: [route([100, 0])],
      flows: [
        { source: 's', route: 'ns/vs#0', destination: 'web|v1', count: 1 },
        { source: 's', route: 'ns/vs#0', destination: 'web|v0', count: 99 },
      ],
    });
    expect(zero.links.find((l) => l.target === 'destination:web|v1')?.consistent).toBe(false);
    const skew = buildTrafficSplit({
      routes: [route([90, 10])],
      flows: [
        { source: 's', route: 'ns/vs#0', destination: 'web|v0', count: 60 },
        { source: 's', route: 'ns/vs#0', destination: 'web|v1', count: 40 },
      ],
    });
    expect(skew.links.find((l) => l.target === 'destination:web|v1')?.consistent).toBe(false);
  });

  it('orders nodes by column: sources, routes, destinations, pods', () => {
    const split = buildTrafficSplit({
      routes: [route([50, 50])],
      flows: [{ source: 's', route: 'ns/vs#0', destination: 'web|v1', pod: 'p', count: 3 }],
    });
    const cols = split.nodes.map((n) => columnIndex(n.column));
    expect([...cols].sort((a, b) => a - b)).toEqual(cols);
  });

  it('refuses unknown routes, bad counts and bad alphas', () => {
    expect(() =>
      buildTrafficSplit({ routes: [], flows: [{ source: 's', route: 'x', destination: 'd', count: 1 }] }),
    ).toThrow(/not among the routes/);
    expect(() =>
      buildTrafficSplit({
        routes: [route([1])],
        flows: [{ source: 's', route: 'ns/vs#0', destination: 'd', count: 1.5 }],
      }),
    ).toThrow(/integer/);
    expect(() => buildTrafficSplit({ routes: [], flows: [], alpha: 1 })).toThrow(/alpha/);
  });
});
