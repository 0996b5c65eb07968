/**
 * Envoy's histogram: a log-linear histogram with two significant digits per bin (libcircllhist, which
 * Envoy's `ParentHistogramImpl` feeds with `hist_insert_intscale(value, 0, 1)`). meshsim keeps the same bins
 * so that what it prints — Prometheus bucket counts, `_sum`, the `P50(…)` quantiles of `/stats` — is what
 * Envoy would print for the same recorded values, approximations included:
 * - a value v is counted in bucket `le=b` only if its whole bin lies at or below b
 *   (`hist_approx_count_below`: bin upper edge ≤ b), so an integer 5 (bin [5, 5.1)) is *not* in `le="5"`;
 * - `_sum` is the sum of bin midpoints (`hist_approx_sum`), not of the values;
 * - quantiles interpolate linearly inside a bin (`hist_approx_quantile`).
 * Values are non-negative integers (Envoy records integer milliseconds or bytes). Memory is bounded by
 * the number of distinct bins (at most 90 per decade), never by the number of values.
 *
 * Re-implemented from the semantics of openhistogram/libcircllhist src/circllhist.c
 * (`int_scale_to_hist_bucket`, `hist_bucket_to_double`, `hist_bucket_to_double_bin_width`,
 * `hist_bucket_midpoint`, `hist_approx_count_below`, `hist_approx_sum`, `hist_approx_quantile`), with the
 * same double arithmetic so results match bit for bit.
 */
import { InvariantError } from '../../errors.js';

// power_of_ten[exp] for the exponents integers use.
const POW10: readonly number[] = Array.from({ length: 20 }, (_, i) => Number(`1e${i}`));

/** Bin key of a non-negative integer: −1 for 0, else exp·100 + val with val in 10..99 (two digits). */
export function binKey(value: number): number {
  if (value === 0) return -1;
  let v = value;
  let exp = 1; // int_scale_to_hist_bucket with scale 0: scale++ → 1
  if (v < 10) {
    v *= 10;
    exp -= 1;
  }
  while (v >= 100) {
    v = Math.floor(v / 10);
    exp++;
  }
  return exp * 100 + v;
}

/** Lower edge of a bin (`hist_bucket_to_double`). */
export function binLower(key: number): number {
  if (key < 0) return 0;
  const val = key % 100;
  const exp = (key - val) / 100;
  return (val / 10) * (POW10[exp] as number);
}

/** Width of a bin (`hist_bucket_to_double_bin_width`); 0 for the zero bin. */
export function binWidth(key: number): number {
  if (key < 0) return 0;
  const exp = (key - (key % 100)) / 100;
  return (POW10[exp] as number) / 10;
}

/** Midpoint of a bin (`hist_bucket_midpoint`). */
export function binMidpoint(key: number): number {
  return key < 0 ? 0 : binLower(key) + binWidth(key) / 2;
}

/** A circllhist of non-negative integers. */
export class Circllhist {
  private readonly bins = new Map<number, number>();
  private total = 0;

  /** Number of values recorded. */
  get count(): number {
    return this.total;
  }

  /** Number of distinct bins in use (the memory it takes). */
  get binCount(): number {
    return this.bins.size;
  }

  /** Records `count` occurrences of `value` (a non-negative integer; fractions are truncated, as Envoy's uint64 cast does). */
  record(value: number, count = 1): void {
    if (!(value >= 0)) throw new InvariantError(`histogram values must be ≥ 0, got ${value}`);
    const key = binKey(Math.trunc(value));
    this.bins.set(key, (this.bins.get(key) ?? 0) + count);
    this.total += count;
  }

  /** Adds every value of `other` (`hist_accumulate`). */
  merge(other: Circllhist): void {
    for (const [k, c] of other.bins) this.bins.set(k, (this.bins.get(k) ?? 0) + c);
    this.total += other.total;
  }

  /** Removes every value. */
  clear(): void {
    this.bins.clear();
    this.total = 0;
  }

  /** The bins in ascending order, as [key, count]. */
  sortedBins(): [number, number][] {
    return [...this.bins].sort((a, b) => a[0] - b[0]);
  }

  /** Values whose bin lies entirely at or below `threshold` (`hist_approx_count_below`). */
  countBelow(threshold: number): number {
    let n = 0;
    for (const [k, c] of this.bins) if (binLower(k) + binWidth(k) <= threshold) n += c;
    return n;
  }

  /** Cumulative counts for each bucket bound, in one pass (what Prometheus `le` buckets print). */
  cumulativeCounts(bounds: readonly number[]): number[] {
    const sorted = this.sortedBins();
    const out: number[] = [];
    let i = 0;
    let running = 0;
    for (const b of bounds) {
      while (i < sorted.length) {
        const [k, c] = sorted[i] as [number, number];
        if (binLower(k) + binWidth(k) > b) break;
        running += c;
        i++;
      }
      out.push(running);
    }
    return out;
  }

  /** Sum of bin midpoints weighted by counts, in bin order (`hist_approx_sum`). */
  approxSum(): number {
    let sum = 0;
    for (const [k, c] of this.sortedBins()) sum += binMidpoint(k) * c;
    return sum;
  }

  /**
   * Approximate quantiles (`hist_approx_quantile`): `qs` ascending in [0, 1]; NaN for each when empty.
   * Inside a bin the quantile is interpolated linearly between its edges.
   */
  quantiles(qs: readonly number[]): number[] {
    if (this.total === 0) return qs.map(() => NaN);
    const bins = this.sortedBins();
    const out: number[] = [];
    let i = 0;
    let [key, cnt] = bins[0] as [number, number];
    let lower = 0;
    let upper = cnt;
    for (const q of qs) {
      const target = this.total * q;
      while (i < bins.length - 1 && upper < target) {
        i++;
        [key, cnt] = bins[i] as [number, number];
        lower = upper;
        upper = lower + cnt;
      }
      const left = binLower(key);
      const width = binWidth(key);
      if (lower === target) out.push(left);
      else if (upper === target) out.push(left + width);
      else if (width === 0) out.push(left);
      else out.push(left + ((target - lower) / (upper - lower)) * width);
    }
    return out;
  }
}
