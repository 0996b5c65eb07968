/**
 * An open-loop generator: requests arrive at a rate regardless of how fast they are answered — users on
 * the internet do not wait for each other. `poisson` arrivals have exponential gaps (the M in M/M/c);
 * `constant` arrivals are evenly spaced. Runs for a duration and/or a number of requests.
 *
 * Randomness: `traffic/<name>/arrivals` (one uniform per Poisson gap) and `traffic/<name>/mix` (one per
 * request, picking the template).
 */
import type { RandomStream } from '../../engine/rng.js';
import type { Simulation } from '../../engine/simulation.js';
import { SECOND, type Duration, type SimTime } from '../../engine/time.js';
import { ConfigError, type SourceLocation } from '../../errors.js';
import {
  generatedRequest,
  type CompletionObserver,
  type Generator,
  type GeneratorStats,
  type TrafficResult,
  type TrafficSink,
} from './generator.js';
import { compileRequestMix, type RequestMix, type RequestTemplate } from './requestMix.js';
import type { TrafficSource } from './source.js';

/** An open-loop traffic profile. */
export interface OpenLoopSpec {
  /** Names the generator and its random streams. */
  readonly name: string;
  readonly source: TrafficSource;
  /** Mean arrival rate, requests per second (> 0). */
  readonly rate: number;
  /**
   * Gaps between arrivals.
   * @defaultValue `'poisson'`
   */
  readonly arrivals?: 'poisson' | 'constant';
  /** Send arrivals in [startAt, startAt + duration). At least one of `duration`, `requests` is required. */
  readonly duration?: Duration;
  /** Send at most this many requests. */
  readonly requests?: number;
  /**
   * When the first request may go.
   * @defaultValue the simulated time when `start()` is called
   */
  readonly startAt?: SimTime;
  readonly mix: readonly RequestTemplate[];
}

/** Validates an open-loop spec (rate, limits, mix). */
export function checkOpenLoopSpec(spec: OpenLoopSpec, where: SourceLocation = {}): RequestMix {
  const at = (f: string): SourceLocation => ({
    ...where,
    field: where.field === undefined ? f : `${where.field}.${f}`,
  });
  if (!(typeof spec.rate === 'number' && Number.isFinite(spec.rate) && spec.rate > 0)) {
    throw new ConfigError(
      `rate must be a positive number of requests per second, got ${spec.rate}`,
      at('rate'),
      'traffic',
    );
  }
  if (spec.duration === undefined && spec.requests === undefined) {
    throw new ConfigError('give a duration, a number of requests, or both', where, 'traffic');
  }
  if (spec.duration !== undefined && !(Number.isInteger(spec.duration) && spec.duration > 0)) {
    throw new ConfigError(
      `duration must be a positive whole number of µs, got ${spec.duration}`,
      at('duration'),
      'traffic',
    );
  }
  if (spec.requests !== undefined && !(Number.isInteger(spec.requests) && spec.requests >= 0)) {
    throw new ConfigError(`requests must be an integer ≥ 0, got ${spec.requests}`, at('requests'), 'traffic');
  }
  return compileRequestMix(spec.mix, at('mix'));
}

/** Generates open-loop traffic into a {@link TrafficSink}. */
export class OpenLoopGenerator implements Generator {
  readonly name: string;
  private readonly mix: RequestMix;
  private readonly arrivalRng: RandomStream;
  private readonly mixRng: RandomStream;
  private readonly meanGap: number;
  private start0: SimTime = 0;
  private end: SimTime = Infinity;
  private readonly limit: number;
  private sent = 0;
  private completed = 0;
  private stopped = false;
  // Exact (fractional) time of the next arrival; scheduling rounds it, so gaps do not drift.
  private nextAt = 0;
  // The arrival event's callback and trace label, made once (one arrival is pending at a time).
  private readonly onArrival = (): void => this.fire();
  private readonly label: string;

  constructor(
    private readonly sim: Simulation,
    private readonly spec: OpenLoopSpec,
    private readonly sink: TrafficSink,
    private readonly observer?: CompletionObserver,
  ) {
    this.name = spec.name;
    this.mix = checkOpenLoopSpec(spec);
    this.arrivalRng = sim.rng.stream(`traffic/${spec.name}/arrivals`);
    this.mixRng = sim.rng.stream(`traffic/${spec.name}/mix`);
    this.meanGap = SECOND / spec.rate;
    this.limit = spec.requests ?? Infinity;
    this.label = `traffic ${spec.name}`;
  }

  get stats(): GeneratorStats {
    return { sent: this.sent, completed: this.completed };
  }

  get finished(): boolean {
    return this.stopped && this.completed === this.sent;
  }

  start(): void {
    this.start0 = this.spec.startAt ?? this.sim.now;
    this.end = this.spec.duration === undefined ? Infinity : this.start0 + this.spec.duration;
    // Poisson: the first arrival also waits an exponential gap (arrivals form a stationary process).
    this.nextAt = this.start0 + (this.spec.arrivals === 'constant' ? 0 : this.gap());
    this.scheduleNext();
  }

  private gap(): number {
    return this.spec.arrivals === 'constant' ? this.meanGap : -this.meanGap * Math.log1p(-this.arrivalRng.float());
  }

  private scheduleNext(): void {
    const t = Math.round(this.nextAt);
    if (this.sent >= this.limit || t >= this.end) {
      this.stopped = true;
      return;
    }
    this.sim.at(Math.max(t, this.sim.now), this.onArrival, undefined, this.label);
  }

  private fire(): void {
    const shape = this.mix.pick(this.mixRng);
    const request = generatedRequest(shape, this.sent++, this.name, this.spec.source, this.sim.now, undefined);
    this.sink.send(request, (result: TrafficResult) => {
      this.completed++;
      this.observer?.(request, result, this.sim.now - request.sentAt);
    });
    this.nextAt += this.gap();
    this.scheduleNext();
  }
}
