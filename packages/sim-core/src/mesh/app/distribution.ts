/**
 * Distributions of durations (service times, network latency, jitter, proxy cost). Every kind samples by
 * inverse transform from exactly **one** uniform draw, so two variants that change a distribution's kind
 * or parameters still consume their stream in lockstep (common random numbers), and sampling stays
 * deterministic and cheap. Samples are integer microseconds, never negative.
 */
import { ConfigError, type SourceLocation } from '../../errors.js';
import { lognormalSigma } from '../../engine/rng.js';
import type { Duration } from '../../engine/time.js';
import {
  ConstantDistribution,
  ExponentialDistribution,
  LognormalDistribution,
  PiecewiseLinearDistribution,
  UniformDistribution,
} from './distributionKinds.js';

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
    case 'constant':
      need(
        isDuration(spec.value),
        `constant value must be a finite duration ≥ 0, got ${spec.value}`,
        sub(where, 'value'),
      );
      return new ConstantDistribution(spec, spec.value);
    case 'exponential':
      need(
        isDuration(spec.mean) && spec.mean > 0,
        `exponential mean must be > 0, got ${spec.mean}`,
        sub(where, 'mean'),
      );
      return new ExponentialDistribution(spec, spec.mean);
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
      const sigma = lognormalSigma(spec.median, spec.p99);
      if (sigma === 0) return new ConstantDistribution(spec, spec.median);
      return new LognormalDistribution(spec, Math.log(spec.median), sigma);
    }
    case 'uniform':
      need(isDuration(spec.min), `uniform min must be a finite duration ≥ 0, got ${spec.min}`, sub(where, 'min'));
      need(
        isDuration(spec.max) && spec.max >= spec.min,
        `uniform max must be ≥ min (${spec.min}), got ${spec.max}`,
        sub(where, 'max'),
      );
      return new UniformDistribution(spec, spec.min, spec.max);
    case 'empirical': {
      const points = 'samples' in spec ? samplePoints(spec.samples, where) : checkTable(spec.quantiles, where);
      return new PiecewiseLinearDistribution(
        spec,
        Float64Array.from(points, (q) => q.p),
        Float64Array.from(points, (q) => q.value),
      );
    }
  }
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
