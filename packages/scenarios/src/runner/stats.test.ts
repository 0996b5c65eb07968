import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  binomialAcceptance,
  binomialTwoSidedP,
  clopperPearson,
  orderStatistic,
  pairedShareDifference,
  quantileRanks,
  studentTCritical,
  tInterval,
} from './stats.js';

// P(lower ≤ K ≤ upper) for K ~ Binomial(n, p), from the CDF (independent of the code under test).
const inside = (n: number, p: number, lower: number, upper: number): number =>
  (upper >= n ? 1 : binomialCdf(upper, n, p)) - (lower <= 0 ? 0 : binomialCdf(lower - 1, n, p));

describe('binomialAcceptance()', () => {
  test.prop([
    fc.integer({ min: 1, max: 2000 }),
    fc.double({ min: 0.001, max: 0.999, noNaN: true }),
    fc.constantFrom(0.001, 0.01, 0.05),
  ])('a true p is rejected with probability at most alpha, and the region is the smallest such', (n, p, alpha) => {
    const r = binomialAcceptance(n, p, alpha);
    expect(1 - inside(n, p, r.lower, r.upper)).toBeLessThanOrEqual(alpha + 1e-9);
    // Narrowing either side would put more than alpha/2 in that tail.
    if (r.lower < n) expect(r.lower === 0 || binomialCdf(r.lower, n, p) > alpha / 2).toBe(true);
    if (r.upper > 0) expect(1 - binomialCdf(r.upper - 1, n, p)).toBeGreaterThan(alpha / 2);
  });

  it('p = 0 and p = 1 accept only 0 and n', () => {
    expect(binomialAcceptance(10, 0, 0.05)).toEqual({ lower: 0, upper: 0 });
    expect(binomialAcceptance(10, 1, 0.05)).toEqual({ lower: 10, upper: 10 });
  });
});

describe('clopperPearson()', () => {
  it('matches the closed forms at k = 0 and k = n: 1 − (α/2)^(1/n) and (α/2)^(1/n)', () => {
    expect(clopperPearson(0, 10, 0.05).upper).toBeCloseTo(1 - 0.025 ** (1 / 10), 12);
    expect(clopperPearson(10, 10, 0.05).lower).toBeCloseTo(0.025 ** (1 / 10), 12);
    expect(clopperPearson(0, 10, 0.05).lower).toBe(0);
  });

  test.prop([fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 500 })])('contains k/n', (n, k0) => {
    const k = k0 % (n + 1);
    const ci = clopperPearson(k, n, 0.05);
    expect(ci.lower).toBeLessThanOrEqual(k / n + 1e-12);
    expect(ci.upper).toBeGreaterThanOrEqual(k / n - 1e-12);
  });
});

describe('binomialTwoSidedP()', () => {
  it('is twice the smaller tail under Binomial(n, ½)', () => {
    expect(binomialTwoSidedP(0, 10)).toBeCloseTo(2 * 0.5 ** 10, 15);
    expect(binomialTwoSidedP(10, 10)).toBeCloseTo(2 * 0.5 ** 10, 15);
    expect(binomialTwoSidedP(5, 10)).toBe(1);
    expect(binomialTwoSidedP(0, 0)).toBe(1);
  });
});

describe('studentTCritical()', () => {
  it.each([
    [1, 0.05, 12.706205],
    [4, 0.05, 2.776445],
    [10, 0.05, 2.228139],
    [30, 0.01, 2.749996],
    [1e7, 0.05, 1.959964],
  ])('t(df=%s, alpha=%s) = %s (statistical tables)', (df, alpha, t) => {
    expect(studentTCritical(df, alpha)).toBeCloseTo(t, 5);
  });
});

describe('tInterval()', () => {
  it('1..5: mean 3 ± t(4) · s/√5', () => {
    const r = tInterval([1, 2, 3, 4, 5], 0.05);
    const half = (2.776445 * Math.sqrt(2.5)) / Math.sqrt(5);
    expect(r.mean).toBe(3);
    expect(r.interval.lower).toBeCloseTo(3 - half, 5);
    expect(r.interval.upper).toBeCloseTo(3 + half, 5);
  });

  it('one value has an unbounded interval; none has NaN', () => {
    expect(tInterval([7], 0.05).interval).toEqual({ lower: -Infinity, upper: Infinity });
    expect(tInterval([], 0.05).mean).toBeNaN();
  });
});

describe('quantileRanks()', () => {
  test.prop([fc.integer({ min: 1, max: 3000 }), fc.constantFrom(0.5, 0.9, 0.99), fc.constantFrom(0.01, 0.05)])(
    'X(lower) ≤ ξ_q ≤ X(upper) with probability ≥ 1 − alpha (exact, distribution-free)',
    (n, q, alpha) => {
      const r = quantileRanks(n, q, alpha);
      // X(r) ≤ ξ ⇔ at least r draws fall below ξ; ξ ≤ X(s) ⇔ fewer than s do.
      expect(inside(n, q, r.lower, r.upper - 1)).toBeGreaterThanOrEqual(1 - alpha - 1e-9);
    },
  );

  it('orderStatistic() maps rank 0 and n + 1 to ∓Infinity', () => {
    const s = [1, 2, 3];
    expect([orderStatistic(s, 0), orderStatistic(s, 1), orderStatistic(s, 3), orderStatistic(s, 4)]).toEqual([
      -Infinity,
      1,
      3,
      Infinity,
    ]);
  });
});

describe('pairedShareDifference()', () => {
  it('no discordant pair: no difference, p = 1', () => {
    expect(pairedShareDifference(0, 0, 100, 0.05)).toEqual({ difference: 0, interval: { lower: 0, upper: 0 }, p: 1 });
  });

  test.prop([fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 400 })])(
    'the interval holds the difference, and excludes 0 exactly when the exact test rejects',
    (b, c, extra) => {
      const n = b + c + extra;
      fc.pre(n > 0);
      const r = pairedShareDifference(b, c, n, 0.05);
      expect(r.difference).toBeCloseTo((c - b) / n, 12);
      expect(r.interval.lower).toBeLessThanOrEqual(r.difference + 1e-12);
      expect(r.interval.upper).toBeGreaterThanOrEqual(r.difference - 1e-12);
      const excludes = r.interval.lower > 1e-12 || r.interval.upper < -1e-12;
      if (b + c > 0) expect(excludes).toBe(r.p <= 0.05);
    },
  );

  test.prop([fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })])(
    'swapping the variants negates it',
    (b, c) => {
      const n = b + c + 10;
      const x = pairedShareDifference(b, c, n, 0.05);
      const y = pairedShareDifference(c, b, n, 0.05);
      expect(y.difference).toBeCloseTo(-x.difference, 12);
      expect(y.interval.lower).toBeCloseTo(-x.interval.upper, 9);
      expect(y.p).toBeCloseTo(x.p, 12);
    },
  );
});
