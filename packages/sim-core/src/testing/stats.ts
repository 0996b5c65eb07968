/**
 * Exact statistical bounds for tests. meshsim's statistical assertions never say "roughly": each states
 * an alpha and uses an exact (or exactly-computed) interval, so a correct implementation fails such a
 * check with probability at most alpha — and with fixed seeds, never flakily.
 */
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import chisquareQuantile from '@stdlib/stats-base-dists-chisquare-quantile';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** A closed interval. */
export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

function checkAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
}

function checkCounts(k: number, n: number): void {
  if (!(Number.isInteger(n) && n >= 0 && Number.isInteger(k) && k >= 0 && k <= n)) {
    throw new RangeError(`need integers 0 ≤ k ≤ n, got k=${k}, n=${n}`);
  }
}

/**
 * Clopper–Pearson exact confidence interval for a binomial proportion after `k` successes in `n` trials,
 * at confidence `1 − alpha`. Its coverage is at least `1 − alpha` for every true p.
 */
export function binomialInterval(k: number, n: number, alpha: number): Interval {
  checkAlpha(alpha);
  checkCounts(k, n);
  if (n === 0) return { lower: 0, upper: 1 };
  const lower = k === 0 ? 0 : betaQuantile(alpha / 2, k, n - k + 1);
  const upper = k === n ? 1 : betaQuantile(1 - alpha / 2, k + 1, n - k);
  return { lower, upper };
}

/** Wilson score interval for a binomial proportion at confidence `1 − alpha` (approximate, never empty). */
export function wilsonInterval(k: number, n: number, alpha: number): Interval {
  checkAlpha(alpha);
  checkCounts(k, n);
  if (n === 0) return { lower: 0, upper: 1 };
  const z = normalQuantile(1 - alpha / 2, 0, 1);
  const p = k / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n))) / (1 + z2n);
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/**
 * The acceptance region of an exact two-sided test of "the success probability is `p`" after `n` trials:
 * the smallest `[lower, upper]` counts with P(K < lower) ≤ alpha/2 and P(K > upper) ≤ alpha/2 under
 * Binomial(n, p). A count outside it rejects `p` at level `alpha`; a correct p is rejected with
 * probability ≤ alpha.
 */
export function binomialAcceptance(n: number, p: number, alpha: number): Interval {
  checkAlpha(alpha);
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  if (p === 0) return { lower: 0, upper: 0 };
  if (p === 1) return { lower: n, upper: n };
  const cdf = (k: number): number => (k < 0 ? 0 : binomialCdf(k, n, p));
  // lower: largest L with P(K ≤ L − 1) ≤ alpha/2.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cdf(mid - 1) <= alpha / 2) lo = mid;
    else hi = mid - 1;
  }
  const lower = lo;
  // upper: smallest U with P(K > U) = 1 − P(K ≤ U) ≤ alpha/2.
  lo = 0;
  hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (1 - cdf(mid) <= alpha / 2) hi = mid;
    else lo = mid + 1;
  }
  return { lower, upper: lo };
}

/**
 * Exact interval for (sample mean ÷ true mean) of `n` i.i.d. exponential draws at level `alpha`:
 * 2n·X̄/μ follows χ²(2n).
 */
export function exponentialMeanRatioInterval(n: number, alpha: number): Interval {
  checkAlpha(alpha);
  if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`n must be a positive integer, got ${n}`);
  return {
    lower: chisquareQuantile(alpha / 2, 2 * n) / (2 * n),
    upper: chisquareQuantile(1 - alpha / 2, 2 * n) / (2 * n),
  };
}

/**
 * Exact interval for (sample variance ÷ true variance) of `n` i.i.d. normal draws at level `alpha`:
 * (n−1)·S²/σ² follows χ²(n−1).
 */
export function normalVarianceRatioInterval(n: number, alpha: number): Interval {
  checkAlpha(alpha);
  if (!(Number.isInteger(n) && n > 1)) throw new RangeError(`n must be an integer > 1, got ${n}`);
  return {
    lower: chisquareQuantile(alpha / 2, n - 1) / (n - 1),
    upper: chisquareQuantile(1 - alpha / 2, n - 1) / (n - 1),
  };
}

/** Two-sided standard-normal critical value z with P(|Z| > z) = alpha. */
export function normalCritical(alpha: number): number {
  checkAlpha(alpha);
  return normalQuantile(1 - alpha / 2, 0, 1);
}

/**
 * Chi-square goodness-of-fit critical value at level `alpha` for `categories` bins (df = categories − 1).
 * Reject when the statistic exceeds it.
 */
export function chiSquareCritical(categories: number, alpha: number): number {
  checkAlpha(alpha);
  return chisquareQuantile(1 - alpha, categories - 1);
}

/** Pearson's chi-square statistic for observed counts against expected probabilities. */
export function chiSquareStatistic(observed: readonly number[], probabilities: readonly number[]): number {
  if (observed.length !== probabilities.length) throw new RangeError('observed and probabilities differ in length');
  const n = observed.reduce((a, b) => a + b, 0);
  let stat = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = n * (probabilities[i] as number);
    const d = (observed[i] as number) - e;
    stat += (d * d) / e;
  }
  return stat;
}

/**
 * The exact probability that Binomial(n, p) falls outside `acceptance` — the false-failure rate of a test
 * that accepts exactly the counts in it when `p` is true. Computed from the binomial CDF, not sampled.
 */
export function binomialRejectionProbability(n: number, p: number, acceptance: Interval): number {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  const cdf = (k: number): number => (k < 0 ? 0 : k >= n ? 1 : binomialCdf(k, n, p));
  const below = cdf(acceptance.lower - 1);
  const above = 1 - cdf(acceptance.upper);
  return Math.min(1, Math.max(0, below) + Math.max(0, above));
}
