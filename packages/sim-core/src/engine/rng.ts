/**
 * Named, seeded random streams. Every consumer of randomness (a load balancer, a fault filter, an app's
 * service time, a traffic generator) takes its own stream by name, derived from the master seed and that
 * name only — so adding a component never shifts another component's draws, and the same seed replays the
 * same run. Streams are Baagøe's Alea generators, seeded as `seedrandom.alea("<seed>/<name>")` seeds them;
 * the generator itself runs here (see {@link RandomStream}), producing seedrandom's exact sequence.
 */
import seedrandom from 'seedrandom';
import { InvariantError } from '../errors.js';

/**
 * A source of uniformly distributed non-negative integers, as Envoy's `Random::RandomGenerator::random()`.
 * Envoy's values are uint64; ours are below 2^53 (exact in a JS number). Everything Envoy derives from them
 * (`random() % n`, `% 100`, `% 1000000`) keeps its distribution, and fixed sequences in tests are small.
 */
export interface RandomSource {
  /** A uniform integer in [0, 2^53). */
  random(): number;
}

const TWO_POW_53 = 2 ** 53;
// Standard normal quantile at 0.99, for lognormal parameters from a median and a p99.
const Z_99 = 2.3263478740408408;

// Alea's multiplier and 2^-32 (Baagøe, "Better random numbers for JavaScript", 2010), and 2^-53.
const ALEA_MULTIPLIER = 2091639;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;
const TWO_POW_MINUS_53 = 1.1102230246251565e-16;

/**
 * A seeded stream with the distributions the simulation needs.
 *
 * The generator is Alea, a multiply-with-carry generator over three 32-bit fractions and a carry. The
 * state is seeded by `seedrandom.alea` (its Mash hash of `<seed>/<name>`), then stepped here as
 * seedrandom's `alea.js` steps it (`next`; `double` is two steps) — same arithmetic, same order, so every
 * stream yields seedrandom's sequence bit for bit (rng.test.ts compares millions of values). Why not call
 * seedrandom's closures: a draw was three closure calls; here the steps inline into the draw (every
 * latency, service time and load-balancer pick draws here).
 */
export class RandomStream implements RandomSource {
  /** The stream's name, e.g. `lb/outbound|9080||reviews.default.svc.cluster.local`. */
  readonly name: string;
  private readonly seed: string;
  // Alea's state: three 32-bit fractions and a carry. Declared as numbers (0) so V8 keeps them as unboxed
  // doubles: a field that starts out undefined holds a double in a box, and every step would allocate.
  // Seeded on the first draw: many streams of a run are never drawn from, and hashing the name costs.
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private c = 0;
  // The next float, computed one draw ahead: a draw is a chain of ~15 dependent floating-point operations
  // (~20 ns of latency), and a draw's value feeds straight into the caller's work (a quantile lookup, a
  // schedule time). Returning a value computed at the previous draw lets the CPU run the chain for the next
  // one alongside the caller. The sequence is unchanged; the state is simply one step further on.
  private ahead = 0;
  private seeded = false;

  constructor(seed: string, name: string) {
    this.name = name;
    this.seed = seed;
  }

  /** A uniform integer in [0, 2^53): Envoy's `random()`. */
  random(): number {
    return Math.floor(this.float() * TWO_POW_53);
  }

  /** A uniform float in [0, 1) with 53 random bits (seedrandom's `double()`: 32 bits, then 21 more). */
  float(): number {
    if (!this.seeded) this.seedState();
    const u = this.ahead;
    this.ahead = this.aleaDouble();
    return u;
  }

  // seedrandom's `double()`: two Alea steps, fused. t = 2091639·s0 + c·2^-32; the carry is its integer
  // part, the output its fraction.
  private aleaDouble(): number {
    let t = ALEA_MULTIPLIER * this.s0 + this.c * TWO_POW_MINUS_32;
    let c = t | 0;
    const high = t - c;
    t = ALEA_MULTIPLIER * this.s1 + c * TWO_POW_MINUS_32;
    c = t | 0;
    const low = t - c;
    this.s0 = this.s2;
    this.s1 = high;
    this.s2 = low;
    this.c = c;
    return high + ((low * 0x200000) | 0) * TWO_POW_MINUS_53;
  }

  private seedState(): void {
    const state = seedrandom.alea(`${this.seed}/${this.name}`, { state: true }).state();
    this.s0 = state.s0;
    this.s1 = state.s1;
    this.s2 = state.s2;
    this.c = state.c;
    this.ahead = this.aleaDouble();
    this.seeded = true;
  }

  /** An integer in [0, n) computed as Envoy does: `random() % n`. */
  below(n: number): number {
    return this.random() % n;
  }

  /** True with probability `p`. */
  bernoulli(p: number): boolean {
    return this.float() < p;
  }

  /** Exponentially distributed with the given mean (inverse transform). */
  exponential(mean: number): number {
    return -mean * Math.log1p(-this.float());
  }

  /** Normally distributed (Box–Muller; two uniforms per draw, no cached spare, so draw counts are simple). */
  normal(mean: number, stddev: number): number {
    const u1 = 1 - this.float(); // (0, 1]
    const u2 = this.float();
    return mean + stddev * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /**
   * Lognormally distributed, parameterised as latency is usually described: by its median and its 99th
   * percentile (`p99 ≥ median > 0`). μ = ln(median), σ = ln(p99/median) / z₀.₉₉.
   */
  lognormal(median: number, p99: number): number {
    return Math.exp(Math.log(median) + lognormalSigma(median, p99) * this.normal(0, 1));
  }

  /** Index `i` with probability `weights[i] / Σ weights`. Weights must be ≥ 0 with a positive total. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    if (!(total > 0)) throw new RangeError('weightedIndex: weights must have a positive total');
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i] as number;
      if (x < 0) return i;
    }
    // Rounding can leave x at ~0 after the last positive weight: return that weight's index.
    for (let i = weights.length - 1; i >= 0; i--) if ((weights[i] as number) > 0) return i;
    return weights.length - 1;
  }
}

/** σ of a lognormal with the given median and 99th percentile. */
export function lognormalSigma(median: number, p99: number): number {
  if (!(median > 0) || !(p99 >= median)) {
    throw new RangeError(`lognormal needs p99 ≥ median > 0 (got median ${median}, p99 ${p99})`);
  }
  return Math.log(p99 / median) / Z_99;
}

/** The family of named streams of one run. The same name always returns the same stream object. */
export class RngStreams {
  /** The master seed, as a string. */
  readonly seed: string;
  private readonly streams = new Map<string, RandomStream>();

  constructor(seed: string | number) {
    this.seed = String(seed);
  }

  /** The stream called `name`, created on first use from the master seed and the name alone. */
  stream(name: string): RandomStream {
    let s = this.streams.get(name);
    if (s === undefined) {
      s = new RandomStream(this.seed, name);
      this.streams.set(name, s);
    }
    return s;
  }
}

/**
 * A {@link RandomSource} that returns the given values in order, for replaying Envoy's unit tests
 * (`EXPECT_CALL(random_, random()).WillOnce(Return(x))`). Throws when a component draws more values than
 * were given, so a test also pins how many draws happen. `drawn` counts the draws so far.
 */
export function fixedRandom(values: readonly number[]): RandomSource & { readonly drawn: number } {
  let i = 0;
  return {
    random(): number {
      const v = values[i];
      if (v === undefined) {
        throw new InvariantError(`fixed random sequence exhausted: draw #${i + 1} of ${values.length} given`);
      }
      i++;
      return v;
    },
    get drawn(): number {
      return i;
    },
  };
}
