/**
 * What the traffic generators hand to the world, and what they are told back. A generator never knows how
 * a request travels; it sends a {@link GeneratedRequest} into a {@link TrafficSink} and, for closed loops,
 * waits for its `done` callback.
 */
import type { SimTime } from '../../engine/time.js';
import type { Duration } from '../../engine/time.js';
import type { RequestShape } from './requestMix.js';
import type { TrafficSource } from './source.js';

/** One request as a client sends it. */
export interface GeneratedRequest extends RequestShape {
  /** Sequence number within its generator, from 0. */
  readonly seq: number;
  /** The generator's name. */
  readonly generator: string;
  readonly source: TrafficSource;
  /** When the client sent it. */
  readonly sentAt: SimTime;
  /** Closed loop: the connection (Fortio "thread") that sent it; open loop: `undefined`. */
  readonly connection: number | undefined;
}

/** What the client saw in the end: an HTTP status, or 0 when no response came (reset, connect failure). */
export interface TrafficResult {
  readonly status: number;
}

/**
 * The world's entrance for generated traffic. `done` must be called exactly once per request, from a later
 * event — never synchronously inside `send`.
 */
export interface TrafficSink {
  send(request: GeneratedRequest, done: (result: TrafficResult) => void): void;
}

/** Builds a {@link GeneratedRequest} with an explicit literal (object spread is slow on this hot path). */
export function generatedRequest(
  shape: RequestShape,
  seq: number,
  generator: string,
  source: TrafficSource,
  sentAt: SimTime,
  connection: number | undefined,
): GeneratedRequest {
  return {
    method: shape.method,
    scheme: shape.scheme,
    authority: shape.authority,
    path: shape.path,
    headers: shape.headers,
    bodyBytes: shape.bodyBytes,
    seq,
    generator,
    source,
    sentAt,
    connection,
  };
}

/** Called when a generated request completes, with its client-observed latency. */
export type CompletionObserver = (request: GeneratedRequest, result: TrafficResult, latency: Duration) => void;

/** Counters of a generator. */
export interface GeneratorStats {
  /** Requests sent. */
  readonly sent: number;
  /** Requests whose `done` came back. */
  readonly completed: number;
}

/** Common to every generator. */
export interface Generator {
  readonly name: string;
  /** Schedules the generator's first event(s). Call once, before or during the run. */
  start(): void;
  readonly stats: GeneratorStats;
  /** True once it will send nothing more and every request it sent has completed. */
  readonly finished: boolean;
}
