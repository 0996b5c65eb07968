/**
 * Fortio's latency histogram (fortio/fortio stats/stats.go: `Histogram`, `Export`, `CalcPercentile`),
 * reimplemented so `meshsim run -o fortio` writes the very buckets and percentiles Fortio would have: values
 * in seconds, offset 0 and resolution 0.001 (`periodic.DefaultRunnerOptions`), bucket edges at Fortio's
 * `histogramBucketValues` (0, 1, 2 … 11, 12, 14 … 100000) × resolution, each bucket the interval
 * (previous edge, edge], the first holding values ≤ 0 and the last those above 100 s (up to the maximum).
 * Percentiles interpolate linearly inside a bucket, as `CalcPercentile` does.
 */

// fortio stats.go `histogramBucketValues`.
const EDGES: readonly number[] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90, 100, 120, 140, 160,
  180, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900, 1000, 2000, 3000, 4000, 5000, 7500, 10000, 20000, 30000,
  40000, 50000, 75000, 100000,
];

/** `stats.Bucket`: an interval (seconds), the cumulative percentage up to its end, and its count. */
export interface FortioBucket {
  readonly Start: number;
  readonly End: number;
  readonly Percent: number;
  readonly Count: number;
}

/** `stats.HistogramData`, as Fortio's JSON has it. */
export interface FortioHistogramData {
  readonly Count: number;
  readonly Min: number;
  readonly Max: number;
  readonly Sum: number;
  readonly Avg: number;
  readonly StdDev: number;
  readonly Data: readonly FortioBucket[];
  readonly Percentiles?: readonly { readonly Percentile: number; readonly Value: number }[];
}

/** Fortio's default `-p 50,75,90,99,99.9`. */
export const FORTIO_PERCENTILES: readonly number[] = [50, 75, 90, 99, 99.9];

/**
 * A Fortio histogram: `stats.NewHistogram(offset, divider)`; Fortio's runner uses offset 0 and divider
 * 0.001 (1 ms resolution) for durations in seconds, the defaults here.
 */
export class FortioHistogram {
  private readonly counts = new Array<number>(EDGES.length + 1).fill(0);
  private count = 0;
  private sum = 0;
  private sumOfSquares = 0;
  private min = 0;
  private max = 0;

  constructor(
    private readonly offset = 0,
    private readonly divider = 0.001,
  ) {}

  /** Records one value (a duration in seconds, with the defaults). */
  record(v: number): void {
    if (this.count === 0 || v < this.min) this.min = v;
    if (this.count === 0 || v > this.max) this.max = v;
    this.count++;
    this.sum += v;
    this.sumOfSquares += v * v;
    const scaled = (v - this.offset) / this.divider;
    let idx: number;
    if (scaled <= 0) idx = 0;
    else if (scaled > 100000) idx = EDGES.length;
    else {
      // The bucket whose interval (previous, edge] holds the value (Fortio's epsilon-adjusted lookup).
      let svInt = Math.trunc(scaled);
      if (scaled - svInt < 1e-12) svInt--;
      idx = EDGES.findIndex((e) => e > svInt);
    }
    this.counts[idx] = (this.counts[idx] ?? 0) + 1;
  }

  /** `Export()` then `CalcPercentiles(percentiles)`. */
  export(percentiles: readonly number[] = FORTIO_PERCENTILES): FortioHistogramData {
    const c = this.count;
    const avg = c === 0 ? 0 : this.sum / c;
    const variance = c === 0 ? 0 : (this.sumOfSquares - (this.sum * this.sum) / c) / c;
    const base = {
      Count: c,
      Min: this.min,
      Max: this.max,
      Sum: this.sum,
      Avg: avg,
      StdDev: Math.sqrt(Math.max(0, variance)),
    };
    const data: FortioBucket[] = [];
    let total = 0;
    let prev = EDGES[0] as number;
    for (let i = 0; i < this.counts.length; i++) {
      const n = this.counts[i] as number;
      const edge = EDGES[i];
      if (n === 0) {
        if (edge !== undefined) prev = edge;
        continue;
      }
      total += n;
      const start = data.length === 0 ? this.min : this.divider * prev + this.offset;
      const end = edge !== undefined ? this.divider * edge + this.offset : this.max;
      if (edge !== undefined) prev = edge;
      data.push({ Start: start, End: end, Percent: (100 * total) / c, Count: n });
    }
    if (data.length === 0) return { ...base, Data: [] };
    const last = data[data.length - 1] as FortioBucket;
    data[data.length - 1] = { ...last, End: this.max };
    const out = { ...base, Data: data };
    return { ...out, Percentiles: percentiles.map((p) => ({ Percentile: p, Value: percentile(out, p) })) };
  }
}

// `CalcPercentile`: linear within the bucket, from the previous bucket's cumulative percentage.
function percentile(e: FortioHistogramData, p: number): number {
  if (p >= 100) return e.Max;
  let pp = 100 / e.Count;
  if (p <= pp) return e.Min;
  for (const b of e.Data) {
    if (p <= b.Percent) return b.Start + ((p - pp) / (b.Percent - pp)) * (b.End - b.Start);
    pp = b.Percent;
  }
  return e.Max;
}
