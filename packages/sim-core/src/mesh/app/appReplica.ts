/**
 * One running replica of an application: a concurrency limit with a FIFO queue in front of it, a service
 * time per request, downstream calls through its own sidecar, and the error/reset answers of its spec.
 * Event-driven on the {@link Simulation}; nothing per request outlives the request.
 *
 * Randomness: each replica draws from its own streams `app/<namespace>/<pod>/service` (service and compute
 * times) and `app/<namespace>/<pod>/outcome` (one uniform per request deciding reset / error / normal),
 * all at arrival — so adding a replica never shifts another's draws, and a variant that only changes an
 * error rate keeps every service time (common random numbers). With the same draw, raising an error
 * probability only turns more of the same requests into errors.
 */
import type { RandomStream } from '../../engine/rng.js';
import type { Simulation } from '../../engine/simulation.js';
import type { Duration } from '../../engine/time.js';
import { InvariantError } from '../../errors.js';
import type { CompiledBehaviour, CompiledCall, CompiledStep } from './compileApp.js';
import { Fifo } from './fifo.js';
import { propagateHeaders } from './headers.js';
import type {
  AppResponse,
  InboundHandle,
  InboundRequest,
  OutboundHandle,
  OutboundPort,
  OutboundResult,
} from './ports.js';

/** Counters of one replica. */
export interface AppReplicaStats {
  /** Requests that reached the app. */
  readonly received: number;
  /** Requests answered (any status, or reset), overloads included. */
  readonly answered: number;
  /** Requests turned away because the queue was full. */
  readonly overloaded: number;
  /** Answers that were error statuses drawn from `errors`, or failures propagated from downstream. */
  readonly errors: number;
  /** Connection resets by the app. */
  readonly resets: number;
  /** Outbound call attempts made. */
  readonly callAttempts: number;
}

/** Construction parameters of an {@link AppReplica}. */
export interface AppReplicaOptions {
  readonly sim: Simulation;
  readonly namespace: string;
  readonly pod: string;
  readonly behaviour: CompiledBehaviour;
  /** The pod's way out; required when the behaviour has downstream calls. */
  readonly outbound?: OutboundPort;
}

type Respond = (response: AppResponse) => void;

/** A running application replica. */
export class AppReplica {
  readonly namespace: string;
  readonly pod: string;
  readonly behaviour: CompiledBehaviour;
  /** @internal */ readonly sim: Simulation;
  /** @internal */ readonly outbound: OutboundPort | undefined;
  /** @internal */ readonly serviceRng: RandomStream;
  private readonly outcomeRng: RandomStream;
  private readonly queue = new Fifo<RequestTask>();
  private active = 0;
  /** @internal */ counts = { received: 0, answered: 0, overloaded: 0, errors: 0, resets: 0, callAttempts: 0 };

  constructor(options: AppReplicaOptions) {
    this.sim = options.sim;
    this.namespace = options.namespace;
    this.pod = options.pod;
    this.behaviour = options.behaviour;
    this.outbound = options.outbound;
    const hasCalls = options.behaviour.steps.some((s) => s.kind !== 'compute');
    if (hasCalls && options.outbound === undefined) {
      throw new InvariantError(
        `app ${options.namespace}/${options.pod} makes downstream calls but has no outbound port`,
      );
    }
    this.serviceRng = this.sim.rng.stream(`app/${this.namespace}/${this.pod}/service`);
    this.outcomeRng = this.sim.rng.stream(`app/${this.namespace}/${this.pod}/outcome`);
  }

  /** Requests being served now (holding a concurrency slot). */
  get inService(): number {
    return this.active;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.queue.length;
  }

  /** Counters so far. */
  get stats(): AppReplicaStats {
    return { ...this.counts };
  }

  /**
   * Hands the app a request. `respond` is called once, from a later event (an overload answer comes at the
   * same instant, without processing time), unless the returned handle is cancelled — the client left. A
   * cancelled request is still processed: like most HTTP servers, the app only notices when it writes the
   * answer.
   */
  handle(request: InboundRequest, respond: Respond): InboundHandle {
    const b = this.behaviour;
    this.counts.received++;
    const task = new RequestTask(
      this,
      request,
      respond,
      this.outcomeRng.float(),
      b.serviceTime.sample(this.serviceRng),
    );
    if (this.active < b.concurrency) this.start(task);
    else if (this.queue.length < b.queueLimit) this.queue.push(task);
    else {
      this.counts.overloaded++;
      this.sim.record('app.overload', `${this.namespace}/${this.pod}`);
      const answer: AppResponse =
        b.overload === 'reset' ? RESET : { kind: 'response', status: b.overload.status, bodyBytes: 0 };
      this.sim.schedule(0, () => task.finish(answer, false)); // never call back inside handle()
    }
    return task;
  }

  private start(task: RequestTask): void {
    this.active++;
    task.begin();
  }

  /** @internal a task in service has answered: free its slot and start the next queued request. */
  release(): void {
    this.active--;
    const next = this.queue.shift();
    if (next !== undefined) this.start(next);
  }
}

const RESET: AppResponse = { kind: 'reset' };

/** Result of one downstream call after the app's own attempts. */
interface CallOutcome {
  readonly ok: boolean;
  /** Status of the last response, if any arrived. */
  readonly status: number | undefined;
}

// One request inside a replica: a small state machine driven by events.
class RequestTask implements InboundHandle {
  private cancelled = false;
  private done = false;
  private step = 0;
  private computeAt = 0;
  private readonly computeTimes: Duration[] | undefined;

  constructor(
    private readonly replica: AppReplica,
    private readonly request: InboundRequest,
    private readonly respond: Respond,
    private readonly outcomeDraw: number,
    private readonly serviceTime: Duration,
  ) {
    // Draw every compute step now, so a request that fails early consumes the same numbers.
    const steps = replica.behaviour.steps;
    let times: Duration[] | undefined;
    for (const s of steps) if (s.kind === 'compute') (times ??= []).push(s.time.sample(replica.serviceRng));
    this.computeTimes = times;
  }

  cancel(): void {
    this.cancelled = true;
  }

  begin(): void {
    this.replica.sim.schedule(this.serviceTime, () => this.nextStep());
  }

  private nextStep(): void {
    const step: CompiledStep | undefined = this.replica.behaviour.steps[this.step++];
    if (step === undefined) return this.answer();
    if (step.kind === 'compute') {
      this.replica.sim.schedule(this.computeTimes?.[this.computeAt++] ?? 0, () => this.nextStep());
      return;
    }
    const calls = step.calls;
    const outcomes: (CallOutcome | undefined)[] = new Array<CallOutcome | undefined>(calls.length);
    let pending = calls.length;
    calls.forEach((call, i) =>
      this.runCall(call, 1, (outcome) => {
        outcomes[i] = outcome;
        if (--pending === 0) this.afterStep(calls, outcomes);
      }),
    );
  }

  private afterStep(calls: readonly CompiledCall[], outcomes: readonly (CallOutcome | undefined)[]): void {
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i] as CompiledCall;
      const o = outcomes[i] as CallOutcome;
      if (o.ok || call.onFailure === 'ignore') continue;
      const status =
        call.onFailure === 'propagate'
          ? o.status !== undefined && o.status >= 400
            ? o.status
            : 500
          : call.onFailure.status;
      this.replica.counts.errors++;
      return this.finish({ kind: 'response', status, bodyBytes: 0 }, true);
    }
    this.nextStep();
  }

  // One attempt of `call`; on failure, the next attempt while the app's own attempts last.
  private runCall(call: CompiledCall, attempt: number, done: (o: CallOutcome) => void): void {
    const r = this.replica;
    r.counts.callAttempts++;
    let settled = false;
    let timer: { cancel(): void } | undefined;
    const settle = (result: OutboundResult | 'timeout'): void => {
      if (settled) return;
      settled = true;
      timer?.cancel();
      const status = result !== 'timeout' && result.kind === 'response' ? result.status : undefined;
      const ok = status !== undefined && status < 400;
      if (ok || attempt >= call.attempts) done({ ok, status });
      else this.runCall(call, attempt + 1, done);
    };
    const handle: OutboundHandle = (r.outbound as OutboundPort).send(
      {
        method: call.method,
        authority: call.authority,
        path: call.path,
        headers: propagateHeaders(this.request.headers, r.behaviour.propagateHeaders, call.headers),
        bodyBytes: call.bodyBytes,
        callName: call.name,
      },
      settle,
    );
    if (call.timeout !== undefined) {
      timer = r.sim.schedule(call.timeout, () => {
        if (settled) return;
        handle.cancel();
        settle('timeout');
      });
    }
  }

  // All steps passed: the drawn outcome decides between a reset, an error answer and the normal one.
  private answer(): void {
    const b = this.replica.behaviour;
    const u = this.outcomeDraw;
    if (u < b.resetThreshold) return this.finish(RESET, true);
    for (const e of b.errors) {
      if (u < e.upTo) {
        this.replica.counts.errors++;
        return this.finish({ kind: 'response', status: e.status, bodyBytes: e.bodyBytes }, true);
      }
    }
    this.finish({ kind: 'response', status: b.status, bodyBytes: b.responseBytes }, true);
  }

  /** @internal */
  finish(response: AppResponse, inService: boolean): void {
    if (this.done) throw new InvariantError('an app request was answered twice');
    this.done = true;
    const r = this.replica;
    r.counts.answered++;
    if (response.kind === 'reset') r.counts.resets++;
    if (!this.cancelled) this.respond(response);
    if (inService) r.release();
  }
}
