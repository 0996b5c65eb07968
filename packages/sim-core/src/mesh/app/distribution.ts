/**
 * Distributions of durations (service times, network latency, jitter, proxy cost). Every kind samples by
 * inverse transform from exactly **one** uniform draw, so two variants that change a distribution's kind
 * or parameters still consume their stream in lockstep (common random numbers), and sampling stays
 * deterministic and cheap. Samples are integer microseconds, never negative.
 */
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import { ConfigError, type SourceLocation } from '../../errors.js';
import { lognormalSigma } from '../../engine/rng.js';
import type { Duration } from '../../engine/time.js';
import { standardNormalQuantile } from './normalQuantile.js';

/** One point of an empirical quantile table: the `p`-quantile is `value` µs. */
export interface QuantilePoint {
  /** Cumulative probability in [0, 1]. */
  readonly p: number;
  /** The duration at that probability, in µs. */
  readonly value: Duration;
}

/**
 * A distribution of durations (all values in integer µs).
 * - `constant`: always `value`.
 * - `exponential`: memoryless with the given `mean` (M/M/c service, Poisson gaps).
 * - `lognormal`: by `median` and `p99`, as latency is usually reported (σ = ln(p99/median)/z₀.₉₉).
 * - `uniform`: evenly spread over [`min`, `max`].
 * - `empirical` with `quantiles`: a quantile table from p = 0 to p = 1, linearly interpolated
 *   (e.g. percentiles read off a production dashboard).
 * - `empirical` with `samples`: observed durations; the i-th smallest of n is the i/(n−1) quantile and
 *   values in between are linearly interpolated (Hyndman & Fan type 7, numpy's default).
 */
export type DistributionSpec =
  | { readonly kind: 'constant'; readonly value: Duration }
  | { readonly kind: 'exponential'; readonly mean: Duration }
  | { readonly kind: 'lognormal'; readonly median: Duration; readonly p99: Duration }
  | { readonly kind: 'uniform'; readonly min: Duration; readonly max: Duration }
  | { readonly kind: 'empirical'; readonly quantiles: readonly QuantilePoint[] }
  | { readonly kind: 'empirical'; readonly samples: readonly Duration[] };

/** Anything that yields uniform floats in [0, 1) — a {@link RandomStream} does. */
export interface UniformSource {
  float(): number;
}

/** A validated distribution: its exact quantile function, mean, and a sampler. */
export interface Distribution {
  readonly spec: DistributionSpec;
  /** The exact (continuous) quantile function F⁻¹(p), p in [0, 1), in µs. */
  quantile(p: number): number;
  /** The exact CDF F(x) = P(X ≤ x) of the continuous distribution. */
  cdf(x: number): number;
  /** The mean in µs (of the continuous distribution, before rounding to whole µs). */
  readonly mean: number;
  /** One sample: `round(F⁻¹(u))` µs from one uniform draw `u`. */
  sample(rng: UniformSource): Duration;
}

const sub = (where: SourceLocation, field: string): SourceLocation => ({
  ...where,
  field:
    where.field === undefined ? field : field.startsWith('[') ? `${where.field}${field}` : `${where.field}.${field}`,
});

function need(ok: boolean, message: string, where: SourceLocation): asserts ok {
  if (!ok) throw new ConfigError(message, where, 'distribution');
}

const isDuration = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** `{ kind: 'constant', value }`. */
export const constant = (value: Duration): DistributionSpec => ({ kind: 'constant', value });
/** `{ kind: 'exponential', mean }`. */
export const exponential = (mean: Duration): DistributionSpec => ({ kind: 'exponential', mean });
/** `{ kind: 'lognormal', median, p99 }`. */
export const lognormal = (median: Duration, p99: Duration): DistributionSpec => ({ kind: 'lognormal', median, p99 });
/** `{ kind: 'uniform', min, max }`. */
export const uniform = (min: Duration, max: Duration): DistributionSpec => ({ kind: 'uniform', min, max });

/**
 * Validates `spec` and builds its {@link Distribution}. Throws a {@link ConfigError} at `where` (with the
 * offending field appended, e.g. `…serviceTime.p99`) for negative, non-finite or inconsistent parameters.
 */
export function compileDistribution(spec: DistributionSpec, where: SourceLocation = {}): Distribution {
  switch (spec.kind) {
    case 'constant': {
      need(
        isDuration(spec.value),
        `constant value must be a finite duration ≥ 0, got ${spec.value}`,
        sub(where, 'value'),
      );
      const v = spec.value;
      return build(
        spec,
        () => v,
        (x) => (x >= v ? 1 : 0),
        v,
      );
    }
    case 'exponential': {
      need(
        isDuration(spec.mean) && spec.mean > 0,
        `exponential mean must be > 0, got ${spec.mean}`,
        sub(where, 'mean'),
      );
      const m = spec.mean;
      return build(
        spec,
        (p) => -m * Math.log1p(-p),
        (x) => (x <= 0 ? 0 : -Math.expm1(-x / m)),
        m,
      );
    }
    case 'lognormal': {
      need(
        isDuration(spec.median) && spec.median > 0,
        `lognormal median must be > 0, got ${spec.median}`,
        sub(where, 'median'),
      );
      need(
        isDuration(spec.p99) && spec.p99 >= spec.median,
        `lognormal p99 must be ≥ median (${spec.median}), got ${spec.p99}`,
        sub(where, 'p99'),
      );
      const mu = Math.log(spec.median);
      const sigma = lognormalSigma(spec.median, spec.p99);
      if (sigma === 0)
        return build(
          spec,
          () => spec.median,
          (x) => (x >= spec.median ? 1 : 0),
          spec.median,
        );
      return build(
        spec,
        (p) => (p <= 0 ? 0 : Math.exp(mu + sigma * standardNormalQuantile(p))),
        (x) => (x <= 0 ? 0 : normalCdf((Math.log(x) - mu) / sigma)),
        Math.exp(mu + (sigma * sigma) / 2),
      );
    }
    case 'uniform': {
      need(isDuration(spec.min), `uniform min must be a finite duration ≥ 0, got ${spec.min}`, sub(where, 'min'));
      need(
        isDuration(spec.max) && spec.max >= spec.min,
        `uniform max must be ≥ min (${spec.min}), got ${spec.max}`,
        sub(where, 'max'),
      );
      const { min, max } = spec;
      const w = max - min;
      return build(
        spec,
        (p) => min + p * w,
        (x) => (x < min ? 0 : x >= max ? 1 : (x - min) / w),
        (min + max) / 2,
      );
    }
    case 'empirical':
      return 'samples' in spec
        ? fromPoints(spec, samplePoints(spec.samples, where))
        : fromPoints(spec, checkTable(spec.quantiles, where));
  }
}

function build(
  spec: DistributionSpec,
  quantile: (p: number) => number,
  cdf: (x: number) => number,
  mean: number,
): Distribution {
  return {
    spec,
    quantile,
    cdf,
    mean,
    sample(rng: UniformSource): Duration {
      const v = Math.round(quantile(rng.float()));
      return v > 0 ? v : 0;
    },
  };
}

function samplePoints(samples: readonly Duration[], where: SourceLocation): QuantilePoint[] {
  const at = sub(where, 'samples');
  need(Array.isArray(samples) && samples.length >= 1, 'empirical samples must be a non-empty list of durations', at);
  samples.forEach((v, i) =>
    need(isDuration(v), `empirical sample must be a finite duration ≥ 0, got ${v}`, sub(at, `[${i}]`)),
  );
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 1)
    return [
      { p: 0, value: sorted[0] as number },
      { p: 1, value: sorted[0] as number },
    ];
  const last = sorted.length - 1;
  return sorted.map((value, i) => ({ p: i / last, value }));
}

function checkTable(points: readonly QuantilePoint[], where: SourceLocation): QuantilePoint[] {
  const at = sub(where, 'quantiles');
  need(
    Array.isArray(points) && points.length >= 2,
    'an empirical quantile table needs at least the points p = 0 and p = 1',
    at,
  );
  points.forEach((pt, i) => {
    const here = sub(at, `[${i}]`);
    need(
      typeof pt.p === 'number' && pt.p >= 0 && pt.p <= 1,
      `quantile p must be in [0, 1], got ${pt.p}`,
      sub(here, 'p'),
    );
    need(isDuration(pt.value), `quantile value must be a finite duration ≥ 0, got ${pt.value}`, sub(here, 'value'));
    const prev = points[i - 1];
    if (prev !== undefined) {
      need(pt.p > prev.p, `quantile p must increase strictly (${prev.p} then ${pt.p})`, sub(here, 'p'));
      need(
        pt.value >= prev.value,
        `quantile values must not decrease (${prev.value} then ${pt.value})`,
        sub(here, 'value'),
      );
    }
  });
  need(points[0]?.p === 0, 'an empirical quantile table must start at p = 0 (the minimum)', sub(at, '[0].p'));
  need(
    points[points.length - 1]?.p === 1,
    'an empirical quantile table must end at p = 1 (the maximum)',
    sub(at, `[${points.length - 1}].p`),
  );
  return [...points];
}

// Piecewise-linear quantile function through the points; its CDF is the piecewise-linear inverse.
function fromPoints(spec: DistributionSpec, pts: readonly QuantilePoint[]): Distribution {
  const ps = Float64Array.from(pts, (q) => q.p);
  const vs = Float64Array.from(pts, (q) => q.value);
  const n = ps.length;
  let mean = 0;
  for (let i = 1; i < n; i++)
    mean += ((ps[i] as number) - (ps[i - 1] as number)) * (((vs[i] as number) + (vs[i - 1] as number)) / 2);
  const quantile = (p: number): number => {
    // Binary search for the segment [ps[lo], ps[lo+1]] holding p.
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((ps[mid] as number) <= p) lo = mid;
      else hi = mid;
    }
    const p0 = ps[lo] as number;
    const p1 = ps[hi] as number;
    const v0 = vs[lo] as number;
    return v0 + ((p - p0) / (p1 - p0)) * ((vs[hi] as number) - v0);
  };
  const cdf = (x: number): number => {
    if (x < (vs[0] as number)) return 0;
    if (x >= (vs[n - 1] as number)) return 1;
    let i = 1;
    while ((vs[i] as number) <= x) i++; // vs[i-1] ≤ x < vs[i]
    const v0 = vs[i - 1] as number;
    const v1 = vs[i] as number;
    return (ps[i - 1] as number) + ((x - v0) / (v1 - v0)) * ((ps[i] as number) - (ps[i - 1] as number));
  };
  return build(spec, quantile, cdf, mean);
}

// Φ(z) from the χ²(1) CDF: Z² ~ χ²(1), so Φ(z) = ½ + sign(z)·½·P(Z² ≤ z²). Exact to double precision.
function normalCdf(z: number): number {
  const half = 0.5 * chisquareCdf(z * z, 1);
  return z >= 0 ? 0.5 + half : 0.5 - half;
}
