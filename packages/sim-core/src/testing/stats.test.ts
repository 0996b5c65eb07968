import { fc, test } from '@fast-check/vitest';
import binomialPmf from '@stdlib/stats-base-dists-binomial-pmf';
import { describe, expect, it } from 'vitest';
import { binomialAcceptance, binomialInterval, wilsonInterval } from './stats.js';

describe('binomialInterval() (Clopper–Pearson)', () => {
  it('matches published values: k=0, n=10, 95 % → [0, 0.3085]', () => {
    const { lower, upper } = binomialInterval(0, 10, 0.05);
    expect(lower).toBe(0);
    expect(upper).toBeCloseTo(0.3085, 4);
  });

  it('matches published values: k=5, n=10, 95 % → [0.1871, 0.8129]', () => {
    const { lower, upper } = binomialInterval(5, 10, 0.05);
    expect(lower).toBeCloseTo(0.18709, 4);
    expect(upper).toBeCloseTo(0.81291, 4);
  });

  test.prop([fc.integer({ min: 1, max: 500 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n })))])(
    'contains k/n and nests inside [0, 1]',
    ([n, k]) => {
      const { lower, upper } = binomialInterval(k, n, 0.01);
      expect(lower).toBeLessThanOrEqual(k / n);
      expect(upper).toBeGreaterThanOrEqual(k / n);
      expect(lower).toBeGreaterThanOrEqual(0);
      expect(upper).toBeLessThanOrEqual(1);
    },
  );
});

describe('wilsonInterval()', () => {
  it('matches the textbook example k=8, n=10, 95 % → [0.490, 0.943]', () => {
    const { lower, upper } = wilsonInterval(8, 10, 0.05);
    expect(lower).toBeCloseTo(0.4902, 3);
    expect(upper).toBeCloseTo(0.9433, 3);
  });
});

describe('binomialAcceptance()', () => {
  // The false-rejection rate is computed exactly from the pmf, not sampled.
  test.prop([
    fc.integer({ min: 1, max: 400 }),
    fc.double({ min: 0.001, max: 0.999, noNaN: true }),
    fc.constantFrom(0.1, 0.05, 0.01, 0.001),
  ])('rejects a true p with probability ≤ alpha', (n, p, alpha) => {
    const { lower, upper } = binomialAcceptance(n, p, alpha);
    let outside = 0;
    for (let k = 0; k <= n; k++) if (k < lower || k > upper) outside += binomialPmf(k, n, p);
    expect(outside).toBeLessThanOrEqual(alpha + 1e-12);
    expect(lower).toBeLessThanOrEqual(upper);
  });

  it('is tight: widening the tails is unnecessary (n=1000, p=0.5, alpha=0.05 → [469, 531])', () => {
    expect(binomialAcceptance(1000, 0.5, 0.05)).toEqual({ lower: 469, upper: 531 });
  });
});
