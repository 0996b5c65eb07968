/**
 * The `workloads` section: how the application inside selected pods and VMs behaves — service time,
 * concurrency and queue, errors, resets, the downstream calls it makes and the headers it forwards.
 * Entries are layers: every entry that selects an instance applies, in order, each field a later entry
 * sets replacing the earlier value. A per-replica override is an entry with `replica` after the general one.
 * Maps onto the world's `AppSpec` (sim-core mesh/app/appSpec.ts).
 */
import type { Duration } from '@meshsim/sim-core';
import type { Distribution, InstanceTarget, Percent, StringMap } from './common.js';

/** An error response the application returns by itself, with a probability. */
export interface ErrorResponse {
  /** Status code of the response, 200–599 (the spelling of Istio's `fault.abort.httpStatus`). */
  readonly httpStatus: number;
  /** Share of requests answered with it, 0–100. */
  readonly percent: Percent;
}

/**
 * What a failed downstream call (no response, or a status ≥ 400, after the app's own attempts) does to
 * the request being served: `propagate` answers it with the downstream status (500 when no response came,
 * as an unhandled exception would); `ignore` carries on (Bookinfo's productpage shows "reviews
 * unavailable" and still returns 200); a number answers with that status.
 */
export type OnFailure = 'propagate' | 'ignore' | number;

/** A request the application makes to another service while serving one (through its own sidecar). */
export interface DownstreamCall {
  /** `http://host[:port]/path` as the application calls it (`http://ratings:9080/ratings/0`). */
  readonly url: string;
  /** @defaultValue `'GET'` */
  readonly method: string;
  /** Extra request headers, names lower-cased. @defaultValue `{}` */
  readonly headers: StringMap;
  /** The application's own client timeout per attempt (Bookinfo: 3 s). Absent: it waits forever. */
  readonly timeout?: Duration;
  /** Tries the application itself makes until a response below 400 (on top of Envoy's retries). @defaultValue 1 */
  readonly attempts: number;
  /** @defaultValue `'propagate'` */
  readonly onFailure: OnFailure;
}

/** Calls issued at once; the step ends when the last one has. */
export interface ParallelCalls {
  readonly parallel: readonly DownstreamCall[];
}

/** More processing time between calls. */
export interface ComputeStep {
  readonly compute: Distribution;
}

/** A step of the request handler, run in order after the service time. */
export type CallStep = DownstreamCall | ParallelCalls | ComputeStep;

/** What a request gets when the queue is full: a TCP reset, or an answer with this status. */
export type Overload = 'reset' | number;

/** The application's behaviour; every field is optional (unset keeps the value of an earlier layer). */
export interface WorkloadBehavior {
  /** Time the application works on one request before its calls, holding a concurrency slot. @defaultValue `0s` */
  readonly serviceTime?: Distribution;
  /** Requests served at once; more wait in a FIFO queue. @defaultValue unlimited */
  readonly concurrency?: number;
  /** Requests that may wait for a slot; one more gets the `overload` answer. @defaultValue unlimited */
  readonly queueLimit?: number;
  /** @defaultValue 503 */
  readonly overload?: Overload;
  /** Error responses, each drawn with its probability (errors and resets add up to at most 100 %). */
  readonly errors?: readonly ErrorResponse[];
  /** Share of requests whose connection the application resets instead of answering, 0–100. @defaultValue 0 */
  readonly resets?: Percent;
  /** The handler's steps after the service time: calls, parallel groups, more computing. @defaultValue `[]` */
  readonly calls?: readonly CallStep[];
  /**
   * Request headers the application copies from the request it serves onto its downstream calls, names
   * lower-cased. @defaultValue the headers Bookinfo's productpage forwards (`x-request-id`, the trace
   * contexts, `end-user`, `cookie`, `authorization`, …: sim-core's `DEFAULT_PROPAGATED_HEADERS`)
   */
  readonly propagateHeaders?: readonly string[];
}

/** One `workloads` entry: which instances, and how their application behaves. */
export interface WorkloadSpec extends InstanceTarget, WorkloadBehavior {}

/** True when a call step is a parallel group. */
export function isParallel(step: CallStep): step is ParallelCalls {
  return 'parallel' in step;
}

/** True when a call step is a compute step. */
export function isCompute(step: CallStep): step is ComputeStep {
  return 'compute' in step;
}
