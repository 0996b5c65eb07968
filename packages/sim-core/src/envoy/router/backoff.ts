/**
 * Retry backoff strategies. Envoy's current one is fully jittered exponential: the k-th retry waits
 * `random() % ceiling_k`, the ceiling doubling from `base` until it reaches `max/2`, then `max` — for the
 * defaults (25 ms, 250 ms) the ceilings are 25, 50, 100, 200, 250, 250… ms. Mirrors
 * `JitteredExponentialBackOffStrategy` and `JitteredLowerBoundBackOffStrategy` (envoyproxy/envoy
 * source/common/common/backoff_strategy.{h,cc}). The pre-2021 `JitteredBackOffStrategy` (ceilings
 * `(2^k − 1) × base`: 25, 75, 175, then `min(random % 375, 250)`) is kept as a documented option.
 */
import type { RandomSource } from '../../engine/rng.js';

/** `BackOffStrategy`: milliseconds to wait before the next retry. One `random()` per call. */
export interface BackOffStrategy {
  nextBackOffMs(): number;
  reset(): void;
}

/** `JitteredExponentialBackOffStrategy(base, max)`: Envoy's current retry backoff. */
export class JitteredExponentialBackOffStrategy implements BackOffStrategy {
  private next: number;
  private readonly doublingLimit: number;

  constructor(
    readonly baseIntervalMs: number,
    readonly maxIntervalMs: number,
    private readonly random: RandomSource,
  ) {
    this.next = baseIntervalMs;
    this.doublingLimit = Math.floor(maxIntervalMs / 2);
  }

  /** The ceiling the next call will draw below (for inspection). */
  get nextCeilingMs(): number {
    return this.next;
  }

  nextBackOffMs(): number {
    const backoff = this.next;
    this.next = this.next < this.doublingLimit ? this.next * 2 : this.maxIntervalMs;
    return this.random.random() % backoff;
  }

  reset(): void {
    this.next = this.baseIntervalMs;
  }
}

/** `JitteredLowerBoundBackOffStrategy(min)`: `[min, 1.5 × min)`, for rate-limited retries (reset headers). */
export class JitteredLowerBoundBackOffStrategy implements BackOffStrategy {
  constructor(
    readonly minIntervalMs: number,
    private readonly random: RandomSource,
  ) {}

  nextBackOffMs(): number {
    return (this.random.random() % Math.floor(this.minIntervalMs / 2)) + this.minIntervalMs;
  }

  reset(): void {}
}

/**
 * Envoy ≤ 1.17's `JitteredBackOffStrategy`: retry k draws `random() % ((2^k − 1) × base)`, capped at max;
 * the exponent stops growing once the ceiling passes max. The Envoy docs still describe this formula
 * ("[0, (2^N−1)B)"); current Envoy uses {@link JitteredExponentialBackOffStrategy}.
 */
export class LegacyJitteredBackOffStrategy implements BackOffStrategy {
  private currentRetry = 1;

  constructor(
    readonly baseIntervalMs: number,
    readonly maxIntervalMs: number,
    private readonly random: RandomSource,
  ) {}

  nextBackOffMs(): number {
    const ceiling = (2 ** this.currentRetry - 1) * this.baseIntervalMs;
    if (ceiling <= this.maxIntervalMs) this.currentRetry++;
    return Math.min(this.random.random() % ceiling, this.maxIntervalMs);
  }

  reset(): void {
    this.currentRetry = 1;
  }
}
