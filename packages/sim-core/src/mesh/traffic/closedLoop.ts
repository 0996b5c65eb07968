/**
 * A closed-loop generator with Fortio's semantics (fortio/fortio periodic/periodic.go, `runQPSSetup`,
 * `runMaxQPSSetup`, `runOne`): `connections` (Fortio's `-c` threads) each send a request, wait for its
 * answer, then wait until the next request is due and send again.
 * - `qps > 0` (total, split evenly over connections): request i of a connection is due at
 *   i / perConnectionQps after the start — with a duration, stretched to (i + i/(n−1)) / perConnectionQps
 *   so the last of the n requests lands at the end. A connection that falls behind catches up by sending
 *   at once (`noCatchUp` skips the missed requests instead, Fortio's `-nocatchup`); `jitter` adds ±10 %
 *   to each wait (`-jitter`); `uniform` staggers the connections' starts (`-uniform`).
 *   With a duration, the total is ⌊qps × seconds⌋ requests, at least 2, split evenly (Fortio lowers the
 *   connection count so each does at least 2); with `requests`, that many, the remainder going to
 *   connection 0.
 * - `qps = 0`: as fast as possible — each connection sends its next request as soon as the previous
 *   answer arrives, until the duration is over or the request count is reached.
 *
 * Deviations from Fortio: with `qps = 0` and more connections than requests, Fortio sends at least one
 * request per connection; here only `requests` are sent (the extra connections stay idle). Fortio truncates
 * due times to whole nanoseconds; here they are rounded to the nearest microsecond.
 *
 * Randomness: `traffic/<name>/mix` (template per request) and `traffic/<name>/jitter`.
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

/** A closed-loop (Fortio-style) traffic profile. */
export interface ClosedLoopSpec {
  readonly name: string;
  readonly source: TrafficSource;
  /** Concurrent connections, Fortio's `-c` (≥ 1). */
  readonly connections: number;
  /** Total target requests per second over all connections; 0 = as fast as possible (Fortio's `-qps`). */
  readonly qps: number;
  /** Run time (Fortio's `-t`). */
  readonly duration?: Duration;
  /** Exact number of requests (Fortio's `-n`); wins over `duration` for the count. */
  readonly requests?: number;
  /** @defaultValue false */
  readonly uniform?: boolean;
  /** @defaultValue false */
  readonly jitter?: boolean;
  /** @defaultValue false */
  readonly noCatchUp?: boolean;
  /** @defaultValue the simulated time when `start()` is called */
  readonly startAt?: SimTime;
  readonly mix: readonly RequestTemplate[];
}

interface Connection {
  readonly id: number;
  /** Sends its next request: the callback of every event that does (one pending at a time). */
  readonly issue: () => void;
  /** Requests this connection must send (Infinity: until the duration ends). */
  readonly calls: number;
  /** Its start (after the `uniform` stagger). */
  start: SimTime;
  /** Requests started so far (Fortio's `i`). */
  i: number;
}

/** Generates closed-loop traffic into a {@link TrafficSink}. */
export class ClosedLoopGenerator implements Generator {
  readonly name: string;
  /** Connections actually used (Fortio may lower `-c` for short runs). */
  readonly effectiveConnections: number;
  private readonly mix: RequestMix;
  private readonly mixRng: RandomStream;
  private readonly jitterRng: RandomStream;
  private readonly conns: Connection[];
  private readonly perConnQps: number;
  private start0: SimTime = 0;
  private end: SimTime = Infinity;
  private sent = 0;
  private completed = 0;
  private active = 0;
  private started = false;

  constructor(
    private readonly sim: Simulation,
    private readonly spec: ClosedLoopSpec,
    private readonly sink: TrafficSink,
    private readonly observer?: CompletionObserver,
    where: SourceLocation = {},
  ) {
    this.name = spec.name;
    this.mix = checkClosedLoopSpec(spec, where);
    this.mixRng = sim.rng.stream(`traffic/${spec.name}/mix`);
    this.jitterRng = sim.rng.stream(`traffic/${spec.name}/jitter`);
    const plan = planCalls(spec);
    this.effectiveConnections = plan.length;
    this.perConnQps = spec.qps / plan.length;
    this.conns = plan.map((calls, id) => {
      const c: Connection = { id, issue: () => this.issue(c), calls, start: 0, i: 0 };
      return c;
    });
  }

  get stats(): GeneratorStats {
    return { sent: this.sent, completed: this.completed };
  }

  get finished(): boolean {
    return this.started && this.active === 0 && this.completed === this.sent;
  }

  start(): void {
    this.started = true;
    this.start0 = this.spec.startAt ?? this.sim.now;
    this.end = this.spec.duration === undefined ? Infinity : this.start0 + this.spec.duration;
    const n = this.conns.length;
    for (const c of this.conns) {
      if (c.calls === 0) continue;
      this.active++;
      let delay = 0;
      if (this.spec.uniform === true && this.perConnQps > 0) {
        // Fortio: delay = d − d/n·(n − id), i.e. connection id starts id/n of a period late.
        const d = 1 / this.perConnQps;
        delay = Math.round((d - (d / n) * (n - c.id)) * SECOND);
      }
      c.start = this.start0 + delay;
      this.sim.at(c.start, c.issue, undefined, `traffic ${this.name}`);
    }
  }

  private issue(c: Connection): void {
    const qpsMode = this.perConnQps > 0;
    // Fortio checks the clock before each call: past the end, stop — except that in qps mode a connection
    // always makes its first 2 calls and its last one (`(i >= 2) && (i != numCalls-1)`).
    if (this.spec.requests === undefined && this.sim.now > this.end) {
      if (!qpsMode || (c.i >= 2 && c.i !== c.calls - 1)) return this.retire();
    }
    const shape = this.mix.pick(this.mixRng);
    const request = generatedRequest(shape, this.sent++, this.name, this.spec.source, this.sim.now, c.id);
    this.sink.send(request, (result: TrafficResult) => {
      this.completed++;
      this.observer?.(request, result, this.sim.now - request.sentAt);
      this.next(c);
    });
  }

  private next(c: Connection): void {
    if (this.perConnQps <= 0) {
      c.i++;
      if (c.i >= c.calls) return this.retire();
      this.sim.schedule(0, c.issue); // at once, but never inside the sink's callback
      return;
    }
    const stretched = this.spec.duration !== undefined && this.spec.requests === undefined;
    for (;;) {
      c.i++;
      if (c.i >= c.calls) return this.retire();
      const target = stretched ? (c.i + c.i / (c.calls - 1)) / this.perConnQps : c.i / this.perConnQps;
      let sleep = Math.round(target * SECOND) - (this.sim.now - c.start);
      if (this.spec.noCatchUp === true && sleep < 0) continue; // skip the late request
      if (this.spec.jitter === true) sleep += this.jitterOf(sleep);
      this.sim.schedule(Math.max(0, sleep), c.issue);
      return;
    }
  }

  // Fortio getJitter: uniform integer in [−j, j] with j = round(t/10), 0 when j ≤ 0.
  private jitterOf(t: Duration): Duration {
    const j = Math.floor(t / 10 + 0.5);
    return j <= 0 ? 0 : this.jitterRng.below(2 * j + 1) - j;
  }

  private retire(): void {
    this.active--;
  }
}

/** Validates a closed-loop spec. */
export function checkClosedLoopSpec(spec: ClosedLoopSpec, where: SourceLocation = {}): RequestMix {
  const at = (f: string): SourceLocation => ({
    ...where,
    field: where.field === undefined ? f : `${where.field}.${f}`,
  });
  if (!(Number.isInteger(spec.connections) && spec.connections >= 1)) {
    throw new ConfigError(`connections must be an integer ≥ 1, got ${spec.connections}`, at('connections'), 'traffic');
  }
  if (!(typeof spec.qps === 'number' && Number.isFinite(spec.qps) && spec.qps >= 0)) {
    throw new ConfigError(`qps must be a number ≥ 0 (0 = as fast as possible), got ${spec.qps}`, at('qps'), 'traffic');
  }
  if (spec.duration !== undefined && !(Number.isInteger(spec.duration) && spec.duration > 0)) {
    throw new ConfigError(
      `duration must be a positive whole number of µs, got ${spec.duration}`,
      at('duration'),
      'traffic',
    );
  }
  if (spec.requests !== undefined && !(Number.isInteger(spec.requests) && spec.requests >= 1)) {
    throw new ConfigError(`requests must be an integer ≥ 1, got ${spec.requests}`, at('requests'), 'traffic');
  }
  if (spec.qps === 0 && spec.duration === undefined && spec.requests === undefined) {
    throw new ConfigError('with qps 0 (as fast as possible) give a duration or a number of requests', where, 'traffic');
  }
  return compileRequestMix(spec.mix, at('mix'));
}

// Requests per connection, as Fortio's runQPSSetup / runMaxQPSSetup split them.
function planCalls(spec: ClosedLoopSpec): number[] {
  let threads = spec.connections;
  if (spec.qps === 0) {
    if (spec.requests === undefined) return Array.from({ length: threads }, () => Infinity);
    threads = Math.min(threads, spec.requests);
    const each = Math.floor(spec.requests / threads);
    return Array.from({ length: threads }, (_, t) => each + (t === 0 ? spec.requests! - each * threads : 0));
  }
  if (spec.duration === undefined && spec.requests === undefined)
    return Array.from({ length: threads }, () => Infinity);
  let total = spec.requests ?? Math.trunc((spec.qps * (spec.duration as number)) / SECOND);
  if (total < 2) {
    total = 2;
    threads = 1;
  }
  if (2 * threads > total) threads = Math.floor(total / 2);
  const each = Math.floor(total / threads);
  const leftover = spec.requests !== undefined ? spec.requests - each * threads : 0;
  return Array.from({ length: threads }, (_, t) => each + (t === 0 ? Math.max(0, leftover) : 0));
}
