import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RngStreams } from '../../engine/rng.js';
import { DEFAULT_LINKS } from '../network/networkSpec.js';
import { DEFAULT_PROXY_PASS } from '../network/proxyLatency.js';
import { compileDistribution, type Distribution, type DistributionSpec } from './distribution.js';
import { quantileTableSlot, RoundedQuantileTable, TABLE_AFTER_DRAWS } from './quantileTable.js';

// The definition the table must reproduce bit for bit: the rounded floating-point quantile.
const direct = (d: Distribution, u: number): number => Math.max(0, Math.round(d.quantile(u)));

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
/** The double `k` ulps above (k > 0) or below (k < 0) the positive double `x`. */
function ulps(x: number, k: number): number {
  f64[0] = x;
  i64[0] = (i64[0] as bigint) + BigInt(k);
  return f64[0] as number;
}

const DRAWS = 500_000;

// Each with the share of its draws the table must answer itself (the rest: outside its steps, or in a window).
const SPECS: [string, DistributionSpec, number][] = [
  ['the default Envoy pass, lognormal 370/590 µs', DEFAULT_PROXY_PASS, 0.99],
  ...(['loopback', 'sameNode', 'crossNode', 'vm'] as const).map((cls): [string, DistributionSpec, number] => [
    `${cls} latency`,
    DEFAULT_LINKS[cls].latency,
    0.99,
  ]),
  ['exponential mean 1 ms (Bookinfo service time)', { kind: 'exponential', mean: 1000 }, 0.98],
  ['exponential mean 37.3 µs', { kind: 'exponential', mean: 37.3 }, 0.99],
  ['lognormal 10/11 µs (narrow)', { kind: 'lognormal', median: 10, p99: 11 }, 0.99],
  [
    'lognormal 2 ms/100 ms (wide: 4096 steps reach the 66th percentile)',
    { kind: 'lognormal', median: 2000, p99: 100_000 },
    0.65,
  ],
  ['uniform 100–1100 µs', { kind: 'uniform', min: 100, max: 1100 }, 0.99],
  ['uniform 0.25–700.75 µs', { kind: 'uniform', min: 0.25, max: 700.75 }, 0.99],
  [
    'empirical quantile table',
    {
      kind: 'empirical',
      quantiles: [
        { p: 0, value: 20 },
        { p: 0.5, value: 800 },
        { p: 0.9, value: 1500 },
        { p: 0.99, value: 3000 },
        { p: 1, value: 4000 },
      ],
    },
    0.99,
  ],
  ['empirical samples', { kind: 'empirical', samples: [50, 10, 900, 300, 1200, 400, 700] }, 0.99],
];

/** The windows [lo, hi] of a table's steps. */
function windows(table: RoundedQuantileTable): { lo: number[]; hi: number[] } {
  const e = [...table.edges];
  return { lo: e.filter((_, i) => i % 2 === 0), hi: e.filter((_, i) => i % 2 === 1) };
}

function tableOf(spec: DistributionSpec): { d: Distribution; table: RoundedQuantileTable } {
  const d = compileDistribution(spec);
  const table = RoundedQuantileTable.build(d);
  if (table === undefined) throw new Error(`no table for ${JSON.stringify(spec)}`);
  return { d, table };
}

describe('RoundedQuantileTable: the same whole microseconds as round(F⁻¹(u))', () => {
  it.each(SPECS)('%s: 500 000 random draws (fixed seed)', (name, spec, share) => {
    const { d, table } = tableOf(spec);
    const rng = new RngStreams('quantile-table').stream(name);
    let answered = 0;
    let mismatches = 0;
    for (let i = 0; i < DRAWS; i++) {
      const u = rng.float();
      const v = table.lookup(u);
      if (v < 0) continue;
      answered++;
      if (v !== direct(d, u)) mismatches++;
    }
    expect(mismatches).toBe(0);
    // The point of the table: it answers (nearly) every draw itself.
    expect(answered).toBeGreaterThan(share * DRAWS);
  });

  it.each(SPECS)('%s: at and around every window edge, and between every two windows', (_, spec) => {
    const { d, table } = tableOf(spec);
    const { lo, hi } = windows(table);
    let checked = 0;
    const wrong: number[] = [];
    const check = (u: number): void => {
      if (!(u > 0 && u < 1)) return;
      const v = table.lookup(u);
      if (v < 0) return;
      checked++;
      if (v !== direct(d, u)) wrong.push(u);
    };
    for (let j = 0; j < lo.length; j++) {
      for (const edge of [lo[j] as number, hi[j] as number]) for (let k = -3; k <= 3; k++) check(ulps(edge, k));
      if (j > 0) check(((hi[j - 1] as number) + (lo[j] as number)) / 2);
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(2 * lo.length);
  });

  it('answers −1 (compute it) inside every window and outside its range', () => {
    const { table } = tableOf(DEFAULT_PROXY_PASS);
    const { lo, hi } = windows(table);
    for (let j = 0; j < lo.length; j++) {
      expect(table.lookup(lo[j] as number)).toBe(-1);
      expect(table.lookup(hi[j] as number)).toBe(-1);
      expect(table.lookup(((lo[j] as number) + (hi[j] as number)) / 2)).toBe(-1);
    }
    expect(table.lookup(0)).toBe(-1);
    expect(table.lookup(1e-6)).toBe(-1);
    expect(table.lookup(1 - 1e-6)).toBe(-1);
  });

  test.prop(
    [
      fc.oneof(
        fc.record({ kind: fc.constant('exponential' as const), mean: fc.double({ min: 0.5, max: 3000, noNaN: true }) }),
        fc
          .tuple(fc.double({ min: 1, max: 5000, noNaN: true }), fc.double({ min: 1.01, max: 50, noNaN: true }))
          .map(([median, f]) => ({ kind: 'lognormal' as const, median, p99: median * f })),
        fc
          .tuple(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.double({ min: 3, max: 5000, noNaN: true }))
          .map(([min, w]) => ({ kind: 'uniform' as const, min, max: min + w })),
        fc
          .array(fc.integer({ min: 0, max: 5000 }), { minLength: 2, maxLength: 30 })
          .map((samples) => ({ kind: 'empirical' as const, samples })),
      ),
      fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 200 }),
    ],
    { numRuns: 200 },
  )('for any parameters, every answer equals round(F⁻¹(u)), also next to the window edges', (spec, us) => {
    const d = compileDistribution(spec);
    const table = RoundedQuantileTable.build(d);
    if (table === undefined) return;
    const probes = [...us];
    const { lo, hi } = windows(table);
    for (let j = 0; j < lo.length; j += Math.max(1, lo.length >> 6))
      for (const k of [-1, 1]) probes.push(ulps(lo[j] as number, k), ulps(hi[j] as number, k));
    for (const u of probes) {
      if (!(u >= 0 && u < 1)) continue;
      const v = table.lookup(u);
      if (v >= 0) expect(v).toBe(direct(d, u));
    }
  });

  it('is not built where it would not pay: few distinct values, or mass spread beyond its steps', () => {
    expect(RoundedQuantileTable.build(compileDistribution({ kind: 'uniform', min: 5, max: 5.2 }))).toBeUndefined();
    expect(RoundedQuantileTable.build(compileDistribution({ kind: 'exponential', mean: 1e6 }))).toBeUndefined();
    expect(RoundedQuantileTable.build(compileDistribution(DEFAULT_LINKS.external.latency))).toBeUndefined();
  });

  it('is shared: one slot per kind and parameters', () => {
    expect(quantileTableSlot('test lognormal 1234 4321')).toBe(quantileTableSlot('test lognormal 1234 4321'));
    expect(quantileTableSlot('test lognormal 1234 4321')).not.toBe(quantileTableSlot('test lognormal 1234 4322'));
  });
});

/** Mismatches between `d.sample()` and round(F⁻¹(u)) over `n` draws; also checks one uniform per sample. */
function sampleMismatches(d: Distribution, seed: string, n: number): number {
  const rng = new RngStreams('sample-through-table').stream(seed);
  let u = 0;
  let draws = 0;
  const source = { float: (): number => (draws++, u) };
  let mismatches = 0;
  for (let i = 0; i < n; i++) {
    u = rng.float();
    if (d.sample(source) !== direct(d, u)) mismatches++;
  }
  expect(draws).toBe(n);
  return mismatches;
}

describe('Distribution.sample() once it uses its table', () => {
  it.each([...SPECS, ['external latency (no table)', DEFAULT_LINKS.external.latency, 0] as const])(
    '%s: 4 × TABLE_AFTER_DRAWS draws, each equal to round(F⁻¹(u)) of its uniform',
    (name, spec) => {
      expect(sampleMismatches(compileDistribution(spec), name, 4 * TABLE_AFTER_DRAWS)).toBe(0);
    },
  );

  it('a table built for some parameters never serves other parameters (nor another kind)', () => {
    const specs: DistributionSpec[] = [
      { kind: 'lognormal', median: 377, p99: 590 },
      { kind: 'lognormal', median: 377, p99: 591 },
      { kind: 'lognormal', median: 378, p99: 590 },
      { kind: 'exponential', mean: 377 },
      { kind: 'uniform', min: 0, max: 754 },
    ];
    // Each first in a run of its own (its table built and shared), then all again, freshly compiled.
    for (const round of [0, 1])
      for (const spec of specs)
        expect(
          sampleMismatches(compileDistribution(spec), `${round}/${JSON.stringify(spec)}`, 3 * TABLE_AFTER_DRAWS),
        ).toBe(0);
  });
});
