/**
 * Latency series for the histogram and CDF charts, per destination and per variant, from meshsim's HDR
 * histograms (sim-core envoy/observability/latencyHistogram.ts: HdrHistogram's log-linear buckets in µs,
 * merged onto a log scale with a fixed number of buckets per decade). Equal-width buckets on a log axis
 * make bar heights comparable; shares (count / total) make series of different sizes comparable.
 */

/** A bucket: values in [lower, upper] µs. */
export interface LatencyBucket {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
}

/** A percentile of a series: `p` in (0, 100], value in µs. */
export interface LatencyPercentile {
  readonly p: number;
  readonly value: number;
}

/** One distribution to draw. */
export interface LatencySeries {
  /** Stable id, e.g. `baseline/canary.canary.svc.cluster.local|v2`. */
  readonly id: string;
  /** Legend text, e.g. `canary v2` or `baseline`. */
  readonly label: string;
  readonly destination?: string;
  readonly variant?: string;
  readonly count: number;
  /** Ascending, non-overlapping, non-empty buckets. */
  readonly buckets: readonly LatencyBucket[];
  /** Ascending by p. */
  readonly percentiles: readonly LatencyPercentile[];
  /** Exact mean, µs (absent when empty). */
  readonly mean?: number;
  /** Exact maximum, µs (absent when empty). */
  readonly max?: number;
}

/** What the adapter reads from a histogram: sim-core's `LatencyHistogram` fits. */
export interface LatencyHistogramLike {
  readonly count: number;
  readonly mean: number;
  readonly max: number;
  percentile(p: number): number;
  logBuckets(perDecade?: number): readonly LatencyBucket[];
}

/** The percentiles the charts mark and the report tabulates. */
export const DEFAULT_PERCENTILES: readonly number[] = [50, 90, 99, 99.9];

/** Options of {@link latencySeriesFromHistogram}. */
export interface LatencySeriesOptions {
  /** Buckets per factor of ten. @defaultValue 20 */
  readonly perDecade?: number;
  /** @defaultValue {@link DEFAULT_PERCENTILES} */
  readonly percentiles?: readonly number[];
}

/** A series from an HDR histogram. Percentiles come from the histogram itself (its own precision). */
export function latencySeriesFromHistogram(
  h: LatencyHistogramLike,
  meta: { readonly id: string; readonly label: string; readonly destination?: string; readonly variant?: string },
  options: LatencySeriesOptions = {},
): LatencySeries {
  const ps = options.percentiles ?? DEFAULT_PERCENTILES;
  const empty = h.count === 0;
  return {
    ...meta,
    count: h.count,
    buckets: empty
      ? []
      : h.logBuckets(options.perDecade ?? 20).map((b) => ({ lower: b.lower, upper: b.upper, count: b.count })),
    percentiles: empty ? [] : ps.map((p) => ({ p, value: h.percentile(p) })),
    ...(empty ? {} : { mean: h.mean, max: h.max }),
  };
}

/** A point of an empirical CDF: the share of values ≤ `value`. */
export interface CdfPoint {
  readonly value: number;
  readonly fraction: number;
}

/**
 * The CDF at the bucket edges: `(first lower, 0)`, then at each bucket's upper edge the share of values at
 * or below it. Non-decreasing, ending at 1 for a non-empty series; empty for an empty one.
 */
export function cdfPoints(series: Pick<LatencySeries, 'buckets'>): CdfPoint[] {
  const total = series.buckets.reduce((a, b) => a + b.count, 0);
  const first = series.buckets[0];
  if (total === 0 || first === undefined) return [];
  const out: CdfPoint[] = [{ value: first.lower, fraction: 0 }];
  let acc = 0;
  for (const b of series.buckets) {
    acc += b.count;
    out.push({ value: b.upper, fraction: acc === total ? 1 : acc / total });
  }
  return out;
}

/**
 * The bucket range shared by several series (µs), for a common axis: [smallest lower, largest upper], or
 * undefined when every series is empty.
 */
export function latencyExtent(series: readonly Pick<LatencySeries, 'buckets'>[]): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (const b of s.buckets) {
      if (b.lower < lo) lo = b.lower;
      if (b.upper > hi) hi = b.upper;
    }
  }
  return lo === Infinity ? undefined : [lo, hi];
}

/** Checks a series' buckets: ascending, non-overlapping, counts positive integers summing to `count`. */
export function checkLatencySeries(s: LatencySeries): void {
  let prev = -Infinity;
  let sum = 0;
  for (const b of s.buckets) {
    if (!(b.lower >= prev && b.upper >= b.lower))
      throw new RangeError(`series ${s.id}: buckets must ascend without overlap`);
    if (!(Number.isInteger(b.count) && b.count > 0))
      throw new RangeError(`series ${s.id}: bucket counts must be positive integers`);
    prev = b.upper;
    sum += b.count;
  }
  if (sum !== s.count) throw new RangeError(`series ${s.id}: buckets hold ${sum} values, count says ${s.count}`);
}
