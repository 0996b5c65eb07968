/**
 * The exact statistics the runner states its verdicts with. Every test here is exact (computed from the
 * binomial or Student-t distribution, never simulated) and every interval has coverage of at least
 * `1 − alpha` under its stated assumptions:
 *
 * - {@link binomialAcceptance}: the acceptance region of the exact two-sided binomial test of "the share is
 *   p" (an expectation's `share: {percent}`);
 * - {@link clopperPearson}: the exact interval of a binomial proportion;
 * - {@link binomialTwoSidedP}: the two-sided p-value of a count under Binomial(n, ½) — the exact sign test
 *   and McNemar's exact (conditional) test of paired proportions;
 * - {@link pairedShareDifference}: the exact conditional interval of a difference of paired proportions
 *   (Clopper–Pearson on the discordant pairs);
 * - {@link quantileRanks}: distribution-free order-statistic ranks bounding a quantile;
 * - {@link tInterval}: the Student-t interval of a mean over independent replications.
 *
 * The binomial acceptance region and the Clopper–Pearson interval are sim-core's (`testing/stats.ts`, the
 * bounds meshsim's own tests use): one implementation states both the tests' and the CLI's verdicts.
 */
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import { binomialAcceptance, binomialInterval, type Interval } from '@meshsim/sim-core/testing';

export { binomialAcceptance, type Interval };
/** Clopper–Pearson exact interval of a binomial proportion after `k` successes in `n` trials (sim-core's `binomialInterval`). */
export const clopperPearson: (k: number, n: number, alpha: number) => Interval = binomialInterval;

function checkAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
}

function checkCounts(k: number, n: number): void {
  if (!(Number.isInteger(n) && n >= 0 && Number.isInteger(k) && k >= 0 && k <= n)) {
    throw new RangeError(`need integers 0 ≤ k ≤ n, got k=${k}, n=${n}`);
  }
}

/**
 * Two-sided exact p-value of `k` successes in `n` trials under Binomial(n, ½): twice the smaller tail,
 * capped at 1. With `n = 0` it is 1. This is the exact sign test, and McNemar's exact test when `k` and
 * `n − k` are the two kinds of discordant pairs.
 */
export function binomialTwoSidedP(k: number, n: number): number {
  checkCounts(k, n);
  if (n === 0) return 1;
  const low = binomialCdf(Math.min(k, n - k), n, 0.5);
  return Math.min(1, 2 * low);
}

/**
 * The difference of two paired proportions, B − A, with the exact conditional interval: given the `m = b +
 * c` discordant pairs (`b` in the category under A only, `c` under B only), `c` is Binomial(m, ψ) and the
 * difference is m(2ψ − 1)/n; the Clopper–Pearson interval of ψ maps onto it. Significant (the interval
 * excludes 0) exactly when McNemar's exact test rejects at `alpha`.
 */
export function pairedShareDifference(
  b: number,
  c: number,
  n: number,
  alpha: number,
): { readonly difference: number; readonly interval: Interval; readonly p: number } {
  const m = b + c;
  checkCounts(m, n);
  if (n === 0) return { difference: 0, interval: { lower: 0, upper: 0 }, p: 1 };
  const psi = clopperPearson(c, m, alpha);
  return {
    difference: (c - b) / n,
    interval:
      m === 0 ? { lower: 0, upper: 0 } : { lower: (m * (2 * psi.lower - 1)) / n, upper: (m * (2 * psi.upper - 1)) / n },
    p: binomialTwoSidedP(c, m),
  };
}

/**
 * Ranks (1-based; 0 means "below every value", `n + 1` "above every value") of the order statistics that
 * bound the `q`-quantile of a continuous distribution with confidence at least `1 − alpha`, from `n`
 * independent draws: X₍lower₎ ≤ ξ_q ≤ X₍upper₎. Distribution-free: the count of draws below ξ_q is
 * Binomial(n, q), and the ranks come from its exact acceptance region.
 */
export function quantileRanks(n: number, q: number, alpha: number): { readonly lower: number; readonly upper: number } {
  if (!(q > 0 && q < 1)) throw new RangeError(`q must be in (0, 1), got ${q}`);
  if (n === 0) return { lower: 0, upper: 1 };
  const region = binomialAcceptance(n, q, alpha);
  return { lower: region.lower, upper: region.upper + 1 };
}

/**
 * The value of rank `r` (1-based) in ascending `sorted`, with rank 0 as −Infinity and rank n + 1 as
 * +Infinity.
 */
export function orderStatistic(sorted: ArrayLike<number>, r: number): number {
  if (r <= 0) return -Infinity;
  if (r > sorted.length) return Infinity;
  return sorted[r - 1] as number;
}

/** The `(1 − alpha/2)` quantile of Student's t with `df` degrees of freedom (|T|²/(df + T²) ~ Beta(½, df/2)). */
export function studentTCritical(df: number, alpha: number): number {
  checkAlpha(alpha);
  if (!(df > 0)) throw new RangeError(`df must be positive, got ${df}`);
  // P(|T| > t) = alpha ⇔ df/(df + t²) = x with x the alpha-quantile of Beta(df/2, ½).
  const x = betaQuantile(alpha, df / 2, 0.5);
  return Math.sqrt((df * (1 - x)) / x);
}

/** Mean of `values` with its Student-t interval (independent replications); a single value has an infinite interval. */
export function tInterval(
  values: readonly number[],
  alpha: number,
): { readonly mean: number; readonly sd: number; readonly interval: Interval } {
  const n = values.length;
  if (n === 0) return { mean: NaN, sd: NaN, interval: { lower: NaN, upper: NaN } };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, sd: NaN, interval: { lower: -Infinity, upper: Infinity } };
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  const sd = Math.sqrt(ss / (n - 1));
  const half = (studentTCritical(n - 1, alpha) * sd) / Math.sqrt(n);
  return { mean, sd, interval: { lower: mean - half, upper: mean + half } };
}
