/**
 * Latency histograms for meshsim's own results (percentiles, charts, variant comparisons): an HDR
 * histogram (HdrHistogram's log-linear buckets, `hdr-histogram-js`) in microseconds with a fixed range, so
 * memory is fixed when it is created and never grows with the number of values.
 *
 * The library's pure-JavaScript histogram is used (`Float64Histogram`: counts exact to 2^53); its
 * WebAssembly variant is never built, so the same code runs in Node and in any browser — bundlers pick the
 * package's `browser` build (a UMD file), which loads without WebAssembly (latencyHistogram.browser.test.ts
 * evaluates it in a context that has none).
 *
 * Recording is the hot path (once or twice per simulated request) and the library's `recordValue` costs
 * ~0.5 µs (it finds the bucket with `Math.log2`/`Math.pow`). So values are first counted in a side array
 * laid out exactly like HdrHistogram's counts array — bucket index from `Math.clz32`, as HdrHistogram's
 * reference `countsArrayIndex` does with a 64-bit leading-zero count — and moved into the library's
 * histogram, one `recordValueWithCount` per non-empty bucket, before anything reads it.
 */
import * as hdr from 'hdr-histogram-js';
import { HOUR, type Duration } from '../../engine/time.js';
import { InvariantError } from '../../errors.js';

/** Construction options of a {@link LatencyHistogram}. */
export interface LatencyHistogramOptions {
  /**
   * Significant decimal digits kept (relative error 10^−digits): 2 uses ~55 kB, 3 ~380 kB (with the side
   * array of the fast path).
   * @defaultValue 2
   */
  readonly significantDigits?: 1 | 2 | 3;
  /**
   * Largest value tracked; larger values are recorded as this value and counted in `clamped`.
   * @defaultValue 1 hour (3.6e9 µs)
   */
  readonly highest?: Duration;
}

/** A bucket for charts: values in [lower, upper] µs, `count` of them. */
export interface HistogramBucket {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
}

/** A fixed-memory latency histogram in µs. */
export class LatencyHistogram {
  readonly highest: Duration;
  readonly significantDigits: number;
  private readonly h: hdr.JsHistogram;
  private clampedCount = 0;
  private sum = 0;
  private maxValue = -Infinity;
  // Pending counts in HdrHistogram's layout (see the module comment); `pending` values not yet moved.
  private readonly buffer: Float64Array | undefined;
  private readonly halfCountMagnitude: number;
  private readonly subBucketMask: number;
  private readonly subBucketHalfCount: number;
  private pending = 0;

  constructor(options: LatencyHistogramOptions = {}) {
    this.highest = options.highest ?? HOUR;
    this.significantDigits = options.significantDigits ?? 2;
    this.h = new hdr.Float64Histogram(1, this.highest, this.significantDigits);
    this.h.autoResize = false;
    // HdrHistogram with lowestDiscernibleValue 1 (unitMagnitude 0): 2·10^digits sub-buckets, rounded up to
    // a power of two.
    const subBucketCountMagnitude = Math.ceil(Math.log2(2 * 10 ** this.significantDigits));
    this.halfCountMagnitude = subBucketCountMagnitude - 1;
    this.subBucketMask = 2 ** subBucketCountMagnitude - 1;
    this.subBucketHalfCount = 2 ** this.halfCountMagnitude;
    // The clz32 fast path needs every value below 2^32; otherwise record straight into the library.
    this.buffer = this.highest < 2 ** 32 ? new Float64Array(this.h.countsArrayLength) : undefined;
  }

  /** Records a duration (µs, ≥ 0). */
  record(value: Duration): void {
    if (!(value >= 0)) throw new InvariantError(`latency must be ≥ 0, got ${value}`);
    this.sum += value;
    if (value > this.maxValue) this.maxValue = value;
    let v = Math.trunc(value);
    if (v > this.highest) {
      this.clampedCount++;
      v = this.highest;
    }
    const buf = this.buffer;
    if (buf === undefined) return this.h.recordValue(v);
    const bucket = 31 - Math.clz32(v | this.subBucketMask) - this.halfCountMagnitude;
    const sub = v >>> bucket;
    buf[((bucket + 1) << this.halfCountMagnitude) + sub - this.subBucketHalfCount]! += 1;
    this.pending++;
  }

  // Moves the pending counts into the library's histogram.
  private sync(): hdr.JsHistogram {
    const buf = this.buffer;
    if (buf !== undefined && this.pending > 0) {
      for (let i = 0; i < buf.length; i++) {
        const c = buf[i] as number;
        if (c === 0) continue;
        this.h.recordValueWithCount(this.h.valueFromIndex(i), c);
        buf[i] = 0;
      }
      this.pending = 0;
    }
    return this.h;
  }

  /** Values recorded. */
  get count(): number {
    return this.h.totalCount + this.pending;
  }

  /** Values above `highest`, recorded as `highest`. */
  get clamped(): number {
    return this.clampedCount;
  }

  /** Exact mean of the recorded values (µs), NaN when empty. */
  get mean(): number {
    return this.count === 0 ? NaN : this.sum / this.count;
  }

  /** Largest value recorded (µs), exactly; NaN when empty. */
  get max(): number {
    return this.count === 0 ? NaN : this.maxValue;
  }

  /** The value at percentile `p` (0–100), within the histogram's precision; NaN when empty. */
  percentile(p: number): number {
    return this.count === 0 ? NaN : this.sync().getValueAtPercentile(p);
  }

  /** Adds every value of `other` (same options required). */
  merge(other: LatencyHistogram): void {
    if (other.highest !== this.highest || other.significantDigits !== this.significantDigits) {
      throw new InvariantError('merging latency histograms with different ranges or precision');
    }
    this.sync().add(other.sync());
    this.sum += other.sum;
    this.clampedCount += other.clampedCount;
    if (other.maxValue > this.maxValue) this.maxValue = other.maxValue;
  }

  /** Removes every value. */
  reset(): void {
    this.h.reset();
    this.buffer?.fill(0);
    this.pending = 0;
    this.sum = 0;
    this.clampedCount = 0;
    this.maxValue = -Infinity;
  }

  /** Memory the counts take, in bytes (fixed at construction): the library's histogram and the side array. */
  get footprintBytes(): number {
    return this.h.estimatedFootprintInBytes + (this.buffer?.byteLength ?? 0);
  }

  /** The non-empty HDR buckets, ascending: the finest export, for exact charts. */
  recordedBuckets(): HistogramBucket[] {
    const out: HistogramBucket[] = [];
    const h = this.sync();
    for (let i = 0; i < h.countsArrayLength; i++) {
      const c = h.getCountAtIndex(i);
      if (c === 0) continue;
      const v = h.valueFromIndex(i);
      out.push({ lower: h.lowestEquivalentValue(v), upper: h.highestEquivalentValue(v), count: c });
    }
    return out;
  }

  /**
   * Buckets merged onto a log scale with `perDecade` buckets per factor of ten (edges 10^(k/perDecade) µs),
   * for charts; empty buckets are left out.
   */
  logBuckets(perDecade = 10): HistogramBucket[] {
    const merged = new Map<number, number>();
    for (const b of this.recordedBuckets()) {
      const k = b.lower <= 0 ? -Infinity : Math.floor(Math.log10(b.lower) * perDecade + 1e-9);
      merged.set(k, (merged.get(k) ?? 0) + b.count);
    }
    return [...merged]
      .sort((a, b) => a[0] - b[0])
      .map(([k, count]) =>
        k === -Infinity
          ? { lower: 0, upper: 1, count }
          : { lower: 10 ** (k / perDecade), upper: 10 ** ((k + 1) / perDecade), count },
      );
  }
}
