/**
 * The kinds of {@link Distribution}: each an exact quantile function F⁻¹ with its CDF and mean, sampled as
 * `max(0, round(F⁻¹(u)))` µs from one uniform `u`. One class per kind, with its parameters as fields, so a
 * draw calls no closure and allocates nothing; after {@link TABLE_AFTER_DRAWS} draws (of all distributions
 * with the same kind and parameters) it looks its samples up in a {@link RoundedQuantileTable} — the same
 * values, bit for bit — and computes F⁻¹ only where the table cannot tell.
 */
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import type { Duration } from '../../engine/time.js';
import type { Distribution, DistributionSpec, UniformSource } from './distribution.js';
import { standardNormalQuantile } from './normalQuantile.js';
import { quantileTableSlot, RoundedQuantileTable, TABLE_AFTER_DRAWS, type QuantileTableSlot } from './quantileTable.js';

/** `max(0, round(x))`: a quantile as a whole, non-negative number of µs. */
function wholeMicros(x: number): Duration {
  const v = Math.round(x);
  return v > 0 ? v : 0;
}

/** Always the same value (still one uniform per sample, so streams stay in step across variants). */
export class ConstantDistribution implements Distribution {
  readonly mean: number;
  private readonly sampled: Duration;

  constructor(
    readonly spec: DistributionSpec,
    private readonly value: number,
  ) {
    this.mean = value;
    this.sampled = wholeMicros(value);
  }

  quantile(): number {
    return this.value;
  }

  cdf(x: number): number {
    return x >= this.value ? 1 : 0;
  }

  sample(rng: UniformSource): Duration {
    rng.float();
    return this.sampled;
  }
}

/** A continuous kind: samples by inverse transform, through its quantile table once it has one. */
abstract class InverseTransformDistribution implements Distribution {
  private slot: QuantileTableSlot | undefined = undefined;

  constructor(
    readonly spec: DistributionSpec,
    readonly mean: number,
  ) {}

  abstract quantile(p: number): number;
  abstract cdf(x: number): number;
  /** The kind and exact parameters: distributions with equal keys share one quantile table. */
  protected abstract tableKey(): string;

  sample(rng: UniformSource): Duration {
    const u = rng.float();
    const slot = (this.slot ??= quantileTableSlot(this.tableKey()));
    const table = slot.table;
    if (table !== undefined && table !== null) {
      const v = table.lookup(u);
      if (v >= 0) return v;
    } else if (table === undefined && ++slot.draws >= TABLE_AFTER_DRAWS) {
      slot.table = RoundedQuantileTable.build(this) ?? null;
    }
    return wholeMicros(this.quantile(u));
  }
}

/** Memoryless with mean `m`: F⁻¹(p) = −m·ln(1 − p). */
export class ExponentialDistribution extends InverseTransformDistribution {
  constructor(
    spec: DistributionSpec,
    private readonly m: number,
  ) {
    super(spec, m);
  }

  quantile(p: number): number {
    return -this.m * Math.log1p(-p);
  }

  cdf(x: number): number {
    return x <= 0 ? 0 : -Math.expm1(-x / this.m);
  }

  protected tableKey(): string {
    return `exponential ${this.m}`;
  }
}

/** Lognormal with log-mean μ and log-sd σ > 0: F⁻¹(p) = exp(μ + σ·Φ⁻¹(p)). */
export class LognormalDistribution extends InverseTransformDistribution {
  constructor(
    spec: DistributionSpec,
    private readonly mu: number,
    private readonly sigma: number,
  ) {
    super(spec, Math.exp(mu + (sigma * sigma) / 2));
  }

  quantile(p: number): number {
    return p <= 0 ? 0 : Math.exp(this.mu + this.sigma * standardNormalQuantile(p));
  }

  cdf(x: number): number {
    return x <= 0 ? 0 : normalCdf((Math.log(x) - this.mu) / this.sigma);
  }

  protected tableKey(): string {
    return `lognormal ${this.mu} ${this.sigma}`;
  }
}

/** Evenly spread over [min, max]. */
export class UniformDistribution extends InverseTransformDistribution {
  private readonly width: number;

  constructor(
    spec: DistributionSpec,
    private readonly min: number,
    private readonly max: number,
  ) {
    super(spec, (min + max) / 2);
    this.width = max - min;
  }

  quantile(p: number): number {
    return this.min + p * this.width;
  }

  cdf(x: number): number {
    return x < this.min ? 0 : x >= this.max ? 1 : (x - this.min) / this.width;
  }

  protected tableKey(): string {
    return `uniform ${this.min} ${this.max}`;
  }
}

/**
 * A piecewise-linear quantile function through the points (p, value) — an empirical table or interpolated
 * order statistics; its CDF is the piecewise-linear inverse.
 */
export class PiecewiseLinearDistribution extends InverseTransformDistribution {
  constructor(
    spec: DistributionSpec,
    private readonly ps: Float64Array,
    private readonly vs: Float64Array,
  ) {
    super(spec, areaUnder(ps, vs));
  }

  quantile(p: number): number {
    const ps = this.ps;
    const vs = this.vs;
    // Binary search for the segment [ps[lo], ps[lo+1]] holding p.
    let lo = 0;
    let hi = ps.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((ps[mid] as number) <= p) lo = mid;
      else hi = mid;
    }
    const p0 = ps[lo] as number;
    const p1 = ps[hi] as number;
    const v0 = vs[lo] as number;
    return v0 + ((p - p0) / (p1 - p0)) * ((vs[hi] as number) - v0);
  }

  cdf(x: number): number {
    const ps = this.ps;
    const vs = this.vs;
    const n = ps.length;
    if (x < (vs[0] as number)) return 0;
    if (x >= (vs[n - 1] as number)) return 1;
    let i = 1;
    while ((vs[i] as number) <= x) i++; // vs[i-1] ≤ x < vs[i]
    const v0 = vs[i - 1] as number;
    const v1 = vs[i] as number;
    return (ps[i - 1] as number) + ((x - v0) / (v1 - v0)) * ((ps[i] as number) - (ps[i - 1] as number));
  }

  protected tableKey(): string {
    return `piecewise ${this.ps.join(',')} ${this.vs.join(',')}`;
  }
}

// The mean of a piecewise-linear quantile function: the area under it.
function areaUnder(ps: Float64Array, vs: Float64Array): number {
  let mean = 0;
  for (let i = 1; i < ps.length; i++)
    mean += ((ps[i] as number) - (ps[i - 1] as number)) * (((vs[i] as number) + (vs[i - 1] as number)) / 2);
  return mean;
}

// Φ(z) from the χ²(1) CDF: Z² ~ χ²(1), so Φ(z) = ½ + sign(z)·½·P(Z² ≤ z²). Exact to double precision.
function normalCdf(z: number): number {
  const half = 0.5 * chisquareCdf(z * z, 1);
  return z >= 0 ? 0.5 + half : 0.5 - half;
}
