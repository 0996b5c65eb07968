import { fc, test } from '@fast-check/vitest';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import {
  binomialAcceptance,
  chiSquareCritical,
  chiSquareStatistic,
  exponentialMeanRatioInterval,
  normalCritical,
  normalVarianceRatioInterval,
} from '../testing/stats.js';
import { fixedRandom, lognormalSigma, RngStreams } from './rng.js';

const ALPHA = 1e-4; // every goodness-of-fit check below: a correct generator fails it with probability ≤ 1e-4
const N = 50_000;

const draws = (n: number, f: () => number): number[] => Array.from({ length: n }, f);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]): number => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
};

describe('RngStreams', () => {
  test.prop([fc.integer(), fc.string(), fc.array(fc.string(), { maxLength: 5 })])(
    'adding other named streams never changes the values of an existing stream',
    (seed, name, others) => {
      fc.pre(!others.includes(name));
      const alone = new RngStreams(seed).stream(name);
      const crowded = new RngStreams(seed);
      for (const o of others) crowded.stream(o).random();
      const s = crowded.stream(name);
      for (const o of others) crowded.stream(o).random();
      expect(draws(5, () => s.random())).toEqual(draws(5, () => alone.random()));
    },
  );

  test.prop([fc.integer(), fc.integer(), fc.string()])('different seeds give different draws', (a, b, name) => {
    fc.pre(a !== b);
    const x = new RngStreams(a).stream(name);
    const y = new RngStreams(b).stream(name);
    expect(draws(4, () => x.random())).not.toEqual(draws(4, () => y.random()));
  });

  it('returns the same stream object for the same name', () => {
    const rng = new RngStreams(1);
    expect(rng.stream('lb/outbound|9080||reviews.default.svc.cluster.local')).toBe(
      rng.stream('lb/outbound|9080||reviews.default.svc.cluster.local'),
    );
  });

  // The generator runs in RandomStream (for speed) but must stay seedrandom's Alea: every pinned digest and
  // every recorded scenario outcome depends on the exact sequence.
  it.each([
    ['1', 'app/default/productpage-v1-0/service'],
    ['42', 'proxy/default/reviews-v2-0'],
    ['seed with spaces', ''],
    ['-7', 'network/crossNode/latency'],
  ])(
    'float() is seedrandom.alea(seed/name).double(), bit for bit, over 1 M draws (seed %j, stream %j)',
    (seed, name) => {
      const ours = new RngStreams(seed).stream(name);
      const theirs = seedrandom.alea(`${seed}/${name}`);
      let differing = 0;
      for (let i = 0; i < 1_000_000; i++) if (ours.float() !== theirs.double()) differing++;
      expect(differing).toBe(0);
    },
  );

  test.prop([
    fc.string(),
    fc.string(),
    fc.array(fc.constantFrom('float', 'random', 'below', 'bernoulli'), { maxLength: 50 }),
  ])('every draw method consumes and maps seedrandom.alea(seed/name).double() exactly', (seed, name, calls) => {
    const ours = new RngStreams(seed).stream(name);
    const theirs = seedrandom.alea(`${seed}/${name}`);
    for (const call of calls) {
      const u = theirs.double();
      if (call === 'float') expect(ours.float()).toBe(u);
      else if (call === 'random') expect(ours.random()).toBe(Math.floor(u * 2 ** 53));
      else if (call === 'below') expect(ours.below(1000)).toBe(Math.floor(u * 2 ** 53) % 1000);
      else expect(ours.bernoulli(0.25)).toBe(u < 0.25);
    }
  });

  it('random() yields integers in [0, 2^53)', () => {
    const s = new RngStreams(3).stream('ints');
    for (const v of draws(1000, () => s.random())) {
      expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
    }
  });
});

describe('RandomStream distributions (goodness of fit at alpha = 1e-4, fixed seeds)', () => {
  const rng = new RngStreams('distributions');

  it('below(n) is uniform on [0, n) (chi-square)', () => {
    const s = rng.stream('below');
    const n = 7;
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < N; i++) counts[s.below(n)]!++;
    expect(chiSquareStatistic(counts, new Array(n).fill(1 / n))).toBeLessThan(chiSquareCritical(n, ALPHA));
  });

  it('float() is uniform on [0, 1) (chi-square over 20 bins)', () => {
    const s = rng.stream('float');
    const counts = new Array<number>(20).fill(0);
    for (let i = 0; i < N; i++) {
      const x = s.float();
      expect(x >= 0 && x < 1).toBe(true);
      counts[Math.floor(x * 20)]!++;
    }
    expect(chiSquareStatistic(counts, new Array(20).fill(1 / 20))).toBeLessThan(chiSquareCritical(20, ALPHA));
  });

  it.each([0.01, 0.3, 0.9])('bernoulli(%f) succeeds within the exact binomial acceptance region', (p) => {
    const s = rng.stream(`bernoulli/${p}`);
    let k = 0;
    for (let i = 0; i < N; i++) if (s.bernoulli(p)) k++;
    const region = binomialAcceptance(N, p, ALPHA);
    expect(k).toBeGreaterThanOrEqual(region.lower);
    expect(k).toBeLessThanOrEqual(region.upper);
  });

  it('exponential(mean): sample mean within the exact chi-square interval', () => {
    const s = rng.stream('exponential');
    const xs = draws(N, () => s.exponential(250));
    const { lower, upper } = exponentialMeanRatioInterval(N, ALPHA);
    expect(mean(xs) / 250).toBeGreaterThan(lower);
    expect(mean(xs) / 250).toBeLessThan(upper);
    // P(X > mean) = e^-1 exactly: a binomial check on the tail shape, not just the mean.
    const region = binomialAcceptance(N, Math.exp(-1), ALPHA);
    const k = xs.filter((x) => x > 250).length;
    expect(k).toBeGreaterThanOrEqual(region.lower);
    expect(k).toBeLessThanOrEqual(region.upper);
  });

  it('normal(mean, sd): mean within the z interval and variance within the chi-square interval', () => {
    const s = rng.stream('normal');
    const xs = draws(N, () => s.normal(10, 2));
    const z = normalCritical(ALPHA);
    expect(Math.abs(mean(xs) - 10)).toBeLessThan((z * 2) / Math.sqrt(N));
    const { lower, upper } = normalVarianceRatioInterval(N, ALPHA);
    expect(variance(xs) / 4).toBeGreaterThan(lower);
    expect(variance(xs) / 4).toBeLessThan(upper);
  });

  it('lognormal(median, p99): half the draws fall below the median and 99 % below the p99', () => {
    const s = rng.stream('lognormal');
    const xs = draws(N, () => s.lognormal(20, 200));
    for (const [q, at] of [
      [0.5, 20],
      [0.99, 200],
    ] as const) {
      const k = xs.filter((x) => x < at).length;
      const region = binomialAcceptance(N, q, ALPHA);
      expect(k).toBeGreaterThanOrEqual(region.lower);
      expect(k).toBeLessThanOrEqual(region.upper);
    }
    expect(() => lognormalSigma(20, 10)).toThrow(RangeError);
  });

  it('weightedIndex(weights) picks i with probability w_i / Σw (chi-square), never a zero weight', () => {
    const s = rng.stream('weighted');
    const weights = [10, 0, 30, 60];
    const counts = new Array<number>(weights.length).fill(0);
    for (let i = 0; i < N; i++) counts[s.weightedIndex(weights)]!++;
    expect(counts[1]).toBe(0);
    const kept = [counts[0]!, counts[2]!, counts[3]!];
    expect(chiSquareStatistic(kept, [0.1, 0.3, 0.6])).toBeLessThan(chiSquareCritical(3, ALPHA));
    expect(() => s.weightedIndex([0, 0])).toThrow(RangeError);
  });
});

describe('fixedRandom()', () => {
  it('replays the given values and counts draws', () => {
    const r = fixedRandom([3, 1, 4]);
    expect([r.random(), r.random()]).toEqual([3, 1]);
    expect(r.drawn).toBe(2);
  });

  it('throws when a component draws more values than given', () => {
    const r = fixedRandom([0]);
    r.random();
    expect(() => r.random()).toThrow('exhausted');
  });
});
