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
import type { EventHandler, ScheduledEvent } from '../../engine/eventQueue.js';
import type { RandomStream } from '../../engine/rng.js';
import type { Simulation } from '../../engine/simulation.js';
import type { Duration } from '../../engine/time.js';
import { InvariantError } from '../../errors.js';
import type { CompiledBehaviour, CompiledCall, CompiledStep } from './compileApp.js';
import type { Distribution } from './distribution.js';
import { Fifo } from './fifo.js';
import { HeaderPropagation } from './headers.js';
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
  /** @internal */ readonly propagation: HeaderPropagation;
  /** @internal The distributions of the compute steps, in order (drawn at arrival). */
  readonly computeTimes: readonly Distribution[];
  /** @internal The normal answer and the error answers (as `behaviour.errors`), made once: they never change. */
  readonly normalAnswer: AppResponse;
  /** @internal */ readonly errorAnswers: readonly AppResponse[];
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
    const b = options.behaviour;
    this.propagation = new HeaderPropagation(b.propagateHeaders);
    this.computeTimes = b.steps.flatMap((s) => (s.kind === 'compute' ? [s.time] : []));
    this.normalAnswer = { kind: 'response', status: b.status, bodyBytes: b.responseBytes };
    this.errorAnswers = b.errors.map((e) => ({ kind: 'response', status: e.status, bodyBytes: e.bodyBytes }));
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
const NO_CALLS: readonly CompiledCall[] = [];
// The one event a request task schedules on itself (as an EventHandler: no closure per event): its service
// time or a compute step has elapsed.
const NEXT_STEP = 0;

// One request inside a replica: a small state machine driven by events. The calls of the current step
// report to it by index (no per-step arrays or callbacks): it keeps how many are still running and the
// first failure in call order, which decides the answer when the step ends.
class RequestTask implements InboundHandle, EventHandler {
  private cancelled = false;
  private done = false;
  private step = 0;
  private computeAt = 0;
  private readonly computeTimes: Duration[] | undefined;
  /** The current step's calls, how many have not ended, and the first failing one that is not ignored. */
  private calls: readonly CompiledCall[] = NO_CALLS;
  private pending = 0;
  private failedAt = -1;
  private failedStatus: number | undefined = undefined;

  constructor(
    private readonly replica: AppReplica,
    private readonly request: InboundRequest,
    private readonly respond: Respond,
    private readonly outcomeDraw: number,
    private readonly serviceTime: Duration,
  ) {
    // Draw every compute step now, so a request that fails early consumes the same numbers.
    const compute = replica.computeTimes;
    this.computeTimes = compute.length === 0 ? undefined : compute.map((d) => d.sample(replica.serviceRng));
  }

  cancel(): void {
    this.cancelled = true;
  }

  begin(): void {
    this.replica.sim.scheduleCall(this.serviceTime, this, NEXT_STEP);
  }

  // The service time or a compute step elapsed (the only event kind, NEXT_STEP).
  handleEvent(): void {
    this.nextStep();
  }

  private nextStep(): void {
    const step: CompiledStep | undefined = this.replica.behaviour.steps[this.step++];
    if (step === undefined) return this.answer();
    if (step.kind === 'compute') {
      this.replica.sim.scheduleCall(this.computeTimes?.[this.computeAt++] ?? 0, this, NEXT_STEP);
      return;
    }
    const calls = step.calls;
    this.calls = calls;
    this.pending = calls.length;
    this.failedAt = -1;
    for (let i = 0; i < calls.length; i++) this.runCall(calls[i] as CompiledCall, i, 1);
  }

  // Call `index` of the step ended (after the app's own attempts); from its CallAttempt.
  callEnded(index: number, ok: boolean, status: number | undefined): void {
    if (
      !ok &&
      (this.calls[index] as CompiledCall).onFailure !== 'ignore' &&
      !(this.failedAt >= 0 && this.failedAt < index)
    ) {
      this.failedAt = index;
      this.failedStatus = status;
    }
    if (--this.pending === 0) this.afterStep();
  }

  private afterStep(): void {
    if (this.failedAt < 0) return this.nextStep();
    const onFailure = (this.calls[this.failedAt] as CompiledCall).onFailure;
    if (onFailure === 'ignore') throw new InvariantError('an ignored call failure ended a request');
    const status = this.failedStatus;
    const answer = onFailure !== 'propagate' ? onFailure.status : status !== undefined && status >= 400 ? status : 500;
    this.replica.counts.errors++;
    this.finish({ kind: 'response', status: answer, bodyBytes: 0 }, true);
  }

  // Attempt `attempt` of call `index`; on failure its CallAttempt starts the next while the app's attempts last.
  runCall(call: CompiledCall, index: number, attempt: number): void {
    const r = this.replica;
    r.counts.callAttempts++;
    const a = new CallAttempt(this, call, index, attempt);
    a.handle = (r.outbound as OutboundPort).send(
      {
        method: call.method,
        authority: call.authority,
        path: call.path,
        headers: r.propagation.headersFor(this.request.headers, call.headers),
        bodyBytes: call.bodyBytes,
        callName: call.name,
      },
      (result) => a.settle(result),
    );
    if (call.timeout !== undefined) a.timer = r.sim.scheduleCall(call.timeout, a, APP_TIMEOUT);
  }

  // All steps passed: the drawn outcome decides between a reset, an error answer and the normal one.
  private answer(): void {
    const b = this.replica.behaviour;
    const u = this.outcomeDraw;
    if (u < b.resetThreshold) return this.finish(RESET, true);
    const errors = b.errors;
    for (let i = 0; i < errors.length; i++) {
      if (u < (errors[i] as CompiledBehaviour['errors'][number]).upTo) {
        this.replica.counts.errors++;
        return this.finish(this.replica.errorAnswers[i] as AppResponse, true);
      }
    }
    this.finish(this.replica.normalAnswer, true);
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

// The event of a call attempt: the app's own timeout for the call has elapsed.
const APP_TIMEOUT = 0;

// One outbound attempt of a request task: settled once, by the answer or by the app's own timeout
// (whichever comes first). Its own object, as the EventHandler of the timeout: no closure per timer.
class CallAttempt implements EventHandler {
  private settled = false;
  /** The port's handle, to cancel on timeout (set right after `send`, which never answers synchronously). */
  handle: OutboundHandle | undefined = undefined;
  /** The app's timeout for the call, when it has one. */
  timer: ScheduledEvent | undefined = undefined;

  constructor(
    private readonly task: RequestTask,
    private readonly call: CompiledCall,
    private readonly index: number,
    private readonly attempt: number,
  ) {}

  /** The app's timeout (APP_TIMEOUT) elapsed: give up on the attempt and close its stream. */
  handleEvent(): void {
    if (this.settled) return;
    (this.handle as OutboundHandle).cancel();
    this.settle('timeout');
  }

  settle(result: OutboundResult | 'timeout'): void {
    if (this.settled) return;
    this.settled = true;
    this.timer?.cancel();
    const status = result !== 'timeout' && result.kind === 'response' ? result.status : undefined;
    const ok = status !== undefined && status < 400;
    if (ok || this.attempt >= this.call.attempts) this.task.callEnded(this.index, ok, status);
    else this.task.runCall(this.call, this.index, this.attempt + 1);
  }
}
