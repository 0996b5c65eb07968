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
 * the range of the values (a slot per bin of each decade between the smallest and the largest, 90 bins per
 * decade), never by the number of values.
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

/** The bin key of a value to record: fractions truncated (Envoy's uint64 cast); negative or non-finite values refused. */
export function binOf(value: number): number {
  if (!(value >= 0 && value < Infinity))
    throw new InvariantError(`histogram values must be finite and ≥ 0, got ${value}`);
  return binKey(Math.trunc(value));
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

// Slots per decade: bins exp·100 + 10 … exp·100 + 99 sit at their key's offset (slots 90–99 stay unused).
const DECADE = 100;
const NO_COUNTS = new Float64Array(0);

/** A circllhist of non-negative integers. */
export class Circllhist {
  // Counts of the bins from key `offset` on, dense over the decades recorded so far: recording is one
  // array increment, no map entry (the hot path: three histograms per Istio series, four per cluster
  // response). The 0 bin (key −1) is kept apart.
  private counts = NO_COUNTS;
  private offset = 0;
  private zeroCount = 0;
  private zeroPresent = false;
  // A bin exists once recorded, even when its count is 0 (recorded with count 0, or brought back to 0), as
  // in libcircllhist's bin list; such bins are listed here, all others are the non-zero counts.
  private emptyBins: Set<number> | undefined;
  private bins = 0;
  private total = 0;

  /** Number of values recorded. */
  get count(): number {
    return this.total;
  }

  /** Number of distinct bins in use (the memory it takes). */
  get binCount(): number {
    return this.bins;
  }

  /** Records `count` occurrences of `value` (a non-negative integer; fractions are truncated, as Envoy's uint64 cast does). */
  record(value: number, count = 1): void {
    this.recordBin(binOf(value), count);
  }

  /** @internal Adds `count` to the bin `key` (from {@link binOf}): for recording one value in several histograms. */
  recordBin(key: number, count = 1): void {
    this.total += count;
    if (key < 0) {
      if (!this.zeroPresent) {
        this.zeroPresent = true;
        this.bins++;
      }
      this.zeroCount += count;
      return;
    }
    let j = key - this.offset;
    if (j < 0 || j >= this.counts.length) {
      this.widen(key);
      j = key - this.offset;
    }
    const counts = this.counts;
    const before = counts[j] as number;
    const after = before + count;
    counts[j] = after;
    if (before === 0 || after === 0) this.binTouched(key, before, after);
  }

  /** Adds every value of `other` (`hist_accumulate`). */
  merge(other: Circllhist): void {
    for (const [k, c] of other.sortedBins()) this.recordBin(k, c);
  }

  /** Removes every value. */
  clear(): void {
    this.counts = NO_COUNTS;
    this.offset = 0;
    this.zeroCount = 0;
    this.zeroPresent = false;
    this.emptyBins = undefined;
    this.bins = 0;
    this.total = 0;
  }

  /** The bins in ascending order, as [key, count]. */
  sortedBins(): [number, number][] {
    const out: [number, number][] = [];
    if (this.zeroPresent) out.push([-1, this.zeroCount]);
    const counts = this.counts;
    for (let j = 0; j < counts.length; j++) {
      const c = counts[j] as number;
      if (c !== 0 || this.emptyBins?.has(j + this.offset) === true) out.push([j + this.offset, c]);
    }
    return out;
  }

  /** Values whose bin lies entirely at or below `threshold` (`hist_approx_count_below`). */
  countBelow(threshold: number): number {
    let n = 0;
    for (const [k, c] of this.sortedBins()) if (binLower(k) + binWidth(k) <= threshold) n += c;
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

  // A bin's count left or reached 0: a new bin, or one that must stay listed with a count of 0.
  private binTouched(key: number, before: number, after: number): void {
    if (before === 0 && this.emptyBins?.has(key) !== true) this.bins++;
    if (after === 0) (this.emptyBins ??= new Set()).add(key);
  }

  // Extends the counts to cover the decade of `key`.
  private widen(key: number): void {
    const low = key - (key % DECADE);
    const old = this.counts;
    if (old.length === 0) {
      this.counts = new Float64Array(DECADE);
      this.offset = low + 10;
      return;
    }
    const oldLow = this.offset - 10;
    const newLow = Math.min(low, oldLow);
    const newHigh = Math.max(low + DECADE, oldLow + old.length);
    this.counts = new Float64Array(newHigh - newLow);
    this.counts.set(old, oldLow - newLow);
    this.offset = newLow + 10;
  }
}
