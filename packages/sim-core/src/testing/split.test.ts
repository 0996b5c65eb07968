/**
 * The split assertion is exact: its false-failure probability — computed from the binomial (and, for
 * small n, the multinomial) distribution, not sampled — never exceeds alpha; over many seeded samples of a
 * correct split its failures stay within what that bound allows; and it catches splits that are off.
 */
import binomialPmf from '@stdlib/stats-base-dists-binomial-pmf';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RngStreams } from '../engine/rng.js';
import { formatSplitVerdict, splitFalseFailureBound, splitTest } from './split.js';
import { binomialAcceptance } from './stats.js';

/** P(K ∉ [lower, upper]) for K ~ Binomial(n, p), summed term by term from the pmf. */
function rejectionByPmf(n: number, p: number, lower: number, upper: number): number {
  let inside = 0;
  for (let k = lower; k <= upper; k++) inside += binomialPmf(k, n, p);
  return 1 - inside;
}

/** Exact P(splitTest rejects) under the true split, by enumerating every outcome of 3 categories. */
function exactRejection3(n: number, probs: readonly [number, number, number], alpha: number): number {
  const logFact: number[] = [0];
  for (let i = 1; i <= n; i++) logFact[i] = (logFact[i - 1] as number) + Math.log(i);
  let reject = 0;
  for (let a = 0; a <= n; a++) {
    for (let b = 0; a + b <= n; b++) {
      const c = n - a - b;
      const logP =
        (logFact[n] as number) -
        (logFact[a] as number) -
        (logFact[b] as number) -
        (logFact[c] as number) +
        a * Math.log(probs[0]) +
        b * Math.log(probs[1]) +
        c * Math.log(probs[2]);
      if (!splitTest({ x: a, y: b, z: c }, { x: probs[0], y: probs[1], z: probs[2] }, alpha).pass)
        reject += Math.exp(logP);
    }
  }
  return reject;
}

describe('splitTest() false-failure rate, computed exactly', () => {
  const ns = [10, 50, 100, 1000, 5000];
  const ps = [0.01, 0.1, 0.25, 0.5, 0.9];
  const alphas = [0.05, 0.01, 0.001];
  it.each(ns.flatMap((n) => ps.flatMap((p) => alphas.map((alpha) => [n, p, alpha] as const))))(
    'two categories, n=%i, p=%d, alpha=%d: P(false failure) ≤ alpha',
    (n, p, alpha) => {
      const bound = splitFalseFailureBound(n, { a: p, b: 1 - p }, alpha);
      const { lower, upper } = binomialAcceptance(n, p, alpha);
      // The same probability from the pmf, independently of the CDF the helper uses.
      expect(Math.abs(bound - rejectionByPmf(n, p, lower, upper))).toBeLessThan(1e-9);
      expect(bound).toBeLessThanOrEqual(alpha + 1e-12);
    },
  );

  it.each([
    [12, [0.5, 0.3, 0.2]],
    [30, [0.6, 0.3, 0.1]],
    [40, [1 / 3, 1 / 3, 1 / 3]],
  ] as const)(
    'three categories, n=%i, split %j: the exact multinomial rejection probability ≤ the bound ≤ alpha',
    (n, probs) => {
      for (const alpha of [0.05, 0.01]) {
        const exact = exactRejection3(n, probs, alpha);
        const bound = splitFalseFailureBound(n, { x: probs[0], y: probs[1], z: probs[2] }, alpha);
        expect(exact).toBeLessThanOrEqual(bound + 1e-12);
        expect(bound).toBeLessThanOrEqual(alpha + 1e-12);
      }
    },
  );

  test.prop([
    fc.integer({ min: 1, max: 3000 }),
    fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 2, maxLength: 5 }),
    fc.constantFrom(0.05, 0.01, 0.001),
  ])('for any n and weights, the exact bound never exceeds alpha', (n, weights, alpha) => {
    const expected = Object.fromEntries(weights.map((w, i) => [`v${i + 1}`, w]));
    expect(splitFalseFailureBound(n, expected, alpha)).toBeLessThanOrEqual(alpha + 1e-12);
  });
});

describe('splitTest() over many seeded samples of a correct split', () => {
  it('fails no more often than its exact bound allows (2000 seeds, 90/10, n = 500, alpha = 0.01)', () => {
    const seeds = 2000;
    const n = 500;
    const alpha = 0.01;
    let failures = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const s = new RngStreams(seed).stream('split');
      let v2 = 0;
      for (let i = 0; i < n; i++) if (s.below(100) < 10) v2++; // Envoy: random % 100 over weights 90/10 in order
      if (!splitTest({ v1: n - v2, v2 }, { v1: 90, v2: 10 }, alpha).pass) failures++;
    }
    const rate = splitFalseFailureBound(n, { v1: 90, v2: 10 }, alpha);
    // Failures ~ Binomial(2000, rate) with rate ≤ alpha: more than the upper end of its 1e-6 acceptance region
    // would refute the claim.
    expect(failures).toBeLessThanOrEqual(binomialAcceptance(seeds, rate, 1e-6).upper);
  });
});

describe('splitTest() decisions', () => {
  it('accepts a count inside the exact region and rejects one outside', () => {
    const { lower, upper } = binomialAcceptance(1000, 0.1, 0.001);
    expect(splitTest({ v1: 1000 - lower, v2: lower }, { v1: 90, v2: 10 }, 0.001).pass).toBe(true);
    expect(splitTest({ v1: 1000 - upper, v2: upper }, { v1: 90, v2: 10 }, 0.001).pass).toBe(true);
    expect(splitTest({ v1: 1000 - upper - 1, v2: upper + 1 }, { v1: 90, v2: 10 }, 0.001).pass).toBe(false);
    expect(splitTest({ v1: 1000 - lower + 1, v2: lower - 1 }, { v1: 90, v2: 10 }, 0.001).pass).toBe(false);
  });

  it('fails any request to a destination expected at 0 %, and names it', () => {
    const v = splitTest({ v1: 999, v3: 1 }, { v1: 100, v2: 0 }, 0.001);
    expect(v.pass).toBe(false);
    expect(formatSplitVerdict(v)).toContain('✗ v3: 1 of 1000');
  });

  it('uses alpha/m per category beyond two categories (Bonferroni)', () => {
    expect(splitTest({ a: 10, b: 10, c: 10 }, { a: 1, b: 1, c: 1 }, 0.03).alphaPerCategory).toBeCloseTo(0.01, 15);
    expect(splitTest({ a: 10, b: 10 }, { a: 1, b: 1 }, 0.03).alphaPerCategory).toBe(0.03);
  });

  it('rejects bad input before testing', () => {
    expect(() => splitTest({ a: 1.5 }, { a: 1 }, 0.01)).toThrow(RangeError);
    expect(() => splitTest({ a: 1 }, { a: 0 }, 0.01)).toThrow(RangeError);
    expect(() => splitTest({ a: 1 }, { a: 1 }, 1)).toThrow(RangeError);
  });
});
