import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RngStreams } from '../../engine/rng.js';
import { ConfigError } from '../../errors.js';
import { chiSquareCritical, chiSquareStatistic } from '../../testing/stats.js';
import { compileDistribution, type Distribution, type DistributionSpec } from './distribution.js';

const ALPHA = 1e-4; // each goodness-of-fit test: a correct sampler fails with probability ≤ 1e-4
const N = 40_000;
const BINS = 20;

/**
 * Pearson χ² of `n` samples against the exact law of the *rounded* samples: bin edges are whole µs, and a
 * sample rounds into (…, e] exactly when the continuous draw is ≤ e + 0.5, so P(bin) = F(e+½) − F(e'+½).
 */
function goodnessOfFit(d: Distribution, seed: string): { stat: number; critical: number } {
  const edges: number[] = [];
  for (let j = 1; j < BINS; j++) {
    const e = Math.round(d.quantile(j / BINS));
    if (edges.length === 0 || e > (edges[edges.length - 1] as number)) edges.push(e);
  }
  const probs: number[] = [];
  let prev = 0;
  for (const e of edges) {
    const c = d.cdf(e + 0.5);
    probs.push(c - prev);
    prev = c;
  }
  probs.push(1 - prev);
  const counts = new Array<number>(probs.length).fill(0);
  const rng = new RngStreams(seed).stream('gof');
  for (let i = 0; i < N; i++) {
    const v = d.sample(rng);
    let b = 0;
    while (b < edges.length && v > (edges[b] as number)) b++;
    counts[b]!++;
  }
  return { stat: chiSquareStatistic(counts, probs), critical: chiSquareCritical(probs.length, ALPHA) };
}

const SPECS: [string, DistributionSpec][] = [
  ['exponential mean 10 ms', { kind: 'exponential', mean: 10_000 }],
  ['lognormal median 20 ms p99 200 ms', { kind: 'lognormal', median: 20_000, p99: 200_000 }],
  ['uniform 1–5 ms', { kind: 'uniform', min: 1_000, max: 5_000 }],
  [
    'empirical quantile table',
    {
      kind: 'empirical',
      quantiles: [
        { p: 0, value: 2_000 },
        { p: 0.5, value: 8_000 },
        { p: 0.9, value: 30_000 },
        { p: 0.99, value: 120_000 },
        { p: 1, value: 400_000 },
      ],
    },
  ],
  ['empirical samples', { kind: 'empirical', samples: [5_000, 1_000, 9_000, 3_000, 12_000, 40_000, 7_000] }],
];

describe('compileDistribution() samples follow the law (χ² at alpha = 1e-4 on whole-µs bins, fixed seeds)', () => {
  it.each(SPECS)('%s', (_, spec) => {
    const { stat, critical } = goodnessOfFit(compileDistribution(spec), `gof/${spec.kind}`);
    expect(stat).toBeLessThan(critical);
  });

  it('constant always returns its value', () => {
    const d = compileDistribution({ kind: 'constant', value: 1234 });
    const rng = new RngStreams(1).stream('c');
    for (let i = 0; i < 100; i++) expect(d.sample(rng)).toBe(1234);
    expect(d.mean).toBe(1234);
  });
});

describe('compileDistribution() parameters', () => {
  it('lognormal: the quantile function passes through the given median and p99', () => {
    const d = compileDistribution({ kind: 'lognormal', median: 20_000, p99: 200_000 });
    expect(d.quantile(0.5)).toBeCloseTo(20_000, 6);
    expect(d.quantile(0.99)).toBeCloseTo(200_000, 4);
    expect(d.cdf(20_000)).toBeCloseTo(0.5, 12);
    // mean = median · exp(σ²/2) with σ = ln(10)/z0.99
    const sigma = Math.log(10) / 2.3263478740408408;
    expect(d.mean).toBeCloseTo(20_000 * Math.exp((sigma * sigma) / 2), 6);
  });

  it('exponential: F⁻¹(p) = −mean·ln(1−p)', () => {
    const d = compileDistribution({ kind: 'exponential', mean: 1000 });
    expect(d.quantile(0.5)).toBeCloseTo(1000 * Math.LN2, 9);
    expect(d.cdf(1000)).toBeCloseTo(1 - Math.exp(-1), 12);
  });

  it('empirical samples interpolate between order statistics (type 7, numpy default)', () => {
    const d = compileDistribution({ kind: 'empirical', samples: [4, 1, 3, 2] });
    expect(d.quantile(0)).toBe(1);
    expect(d.quantile(0.5)).toBe(2.5); // numpy.percentile([1,2,3,4], 50) == 2.5
    expect(d.quantile(0.75)).toBeCloseTo(3.25, 12);
    expect(d.mean).toBeCloseTo(2.5, 12);
  });

  it('empirical quantile table: the mean is the area under the piecewise-linear quantile function', () => {
    const d = compileDistribution({
      kind: 'empirical',
      quantiles: [
        { p: 0, value: 0 },
        { p: 0.5, value: 10 },
        { p: 1, value: 30 },
      ],
    });
    expect(d.mean).toBe(0.5 * 5 + 0.5 * 20);
    expect(d.cdf(10)).toBe(0.5);
    expect(d.cdf(20)).toBeCloseTo(0.75, 12);
  });

  test.prop([
    fc.oneof(
      fc.record({ kind: fc.constant('exponential' as const), mean: fc.integer({ min: 1, max: 1e9 }) }),
      fc
        .tuple(fc.integer({ min: 1, max: 1e7 }), fc.double({ min: 1, max: 100, noNaN: true }))
        .map(([median, f]) => ({ kind: 'lognormal' as const, median, p99: median * f })),
      fc
        .tuple(fc.integer({ min: 0, max: 1e7 }), fc.integer({ min: 0, max: 1e7 }))
        .map(([a, b]) => ({ kind: 'uniform' as const, min: Math.min(a, b), max: Math.max(a, b) })),
      fc
        .array(fc.integer({ min: 0, max: 1e8 }), { minLength: 1, maxLength: 30 })
        .map((samples) => ({ kind: 'empirical' as const, samples })),
    ),
    fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 2, maxLength: 20 }),
  ])('quantile() is non-decreasing and sample() is a whole, non-negative µs from exactly one draw', (spec, us) => {
    const d = compileDistribution(spec);
    const sorted = [...us].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++)
      expect(d.quantile(sorted[i]!)).toBeGreaterThanOrEqual(d.quantile(sorted[i - 1]!) - 1e-9);
    for (const u of us) {
      let draws = 0;
      const v = d.sample({ float: () => (draws++, u) });
      expect(draws).toBe(1);
      expect(Number.isInteger(v) && v >= 0).toBe(true);
      expect(v).toBe(Math.max(0, Math.round(d.quantile(u))));
    }
  });

  test.prop([fc.integer({ min: 1, max: 1e7 }), fc.double({ min: 0, max: 0.999, noNaN: true })])(
    'lognormal with p99 < median is a ConfigError naming the p99 field',
    (median, f) => {
      fc.pre(Math.floor(median * f) < median);
      const bad = (): Distribution =>
        compileDistribution({ kind: 'lognormal', median, p99: Math.floor(median * f) }, { field: 'spec.serviceTime' });
      expect(bad).toThrow(ConfigError);
      expect(bad).toThrow(/spec\.serviceTime\.p99/);
    },
  );

  it.each<[string, DistributionSpec, RegExp]>([
    ['negative constant', { kind: 'constant', value: -1 }, /x\.value/],
    ['zero exponential mean', { kind: 'exponential', mean: 0 }, /x\.mean/],
    ['uniform max < min', { kind: 'uniform', min: 5, max: 4 }, /x\.max/],
    ['empty samples', { kind: 'empirical', samples: [] }, /x\.samples/],
    [
      'table without p = 1',
      {
        kind: 'empirical',
        quantiles: [
          { p: 0, value: 1 },
          { p: 0.9, value: 2 },
        ],
      },
      /x\.quantiles\[1\]\.p/,
    ],
    [
      'decreasing table values',
      {
        kind: 'empirical',
        quantiles: [
          { p: 0, value: 5 },
          { p: 1, value: 2 },
        ],
      },
      /x\.quantiles\[1\]\.value/,
    ],
  ])('%s is a ConfigError at the field', (_, spec, field) => {
    expect(() => compileDistribution(spec, { field: 'x' })).toThrow(field);
  });
});
