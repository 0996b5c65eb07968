/**
 * What an application container does with a request: how long it works, how many requests it serves at
 * once, how it fails, and which downstream services it calls — the parameters a scenario gives for each
 * workload. Plain data; {@link compileAppSpec} validates it once, before time 0.
 */
import type { Duration } from '../../engine/time.js';
import type { DistributionSpec } from './distribution.js';

/** An error the app answers with, with probability `probability` per request. */
export interface ErrorResponseSpec {
  /** HTTP status code, 100–599. */
  readonly status: number;
  /** Probability in [0, 1]. */
  readonly probability: number;
  /**
   * Response body size in bytes.
   * @defaultValue 0
   */
  readonly bodyBytes?: number;
}

/**
 * What a request gets when the app's queue is full: an HTTP status (a framework's "server busy" answer)
 * or a TCP reset (a listen backlog overflowing).
 */
export type OverloadBehaviour = { readonly status: number } | 'reset';

/**
 * What the app does when a downstream call fails (no response, or a status ≥ 400, after its own attempts):
 * - `ignore`: carry on and answer normally (Bookinfo's productpage renders "reviews unavailable" with 200);
 * - `propagate`: stop and answer with the downstream status, or 500 when there was no response at all
 *   (an exception in the handler);
 * - `{ status }`: stop and answer with that status.
 */
export type OnCallFailure = 'ignore' | 'propagate' | { readonly status: number };

/** One outbound HTTP call the app makes through its own sidecar. */
export interface DownstreamCallSpec {
  /**
   * Label for traces and stats.
   * @defaultValue `<authority><path>`
   */
  readonly name?: string;
  /** Host (and port) as the app writes it in the URL, e.g. `reviews:9080`; becomes `:authority`. */
  readonly authority: string;
  /** @defaultValue `GET` */
  readonly method?: string;
  /** Request path, e.g. `/reviews/0`. */
  readonly path: string;
  /** Extra request headers (lower-case names win over propagated ones). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Request body size in bytes.
   * @defaultValue 0
   */
  readonly bodyBytes?: number;
  /**
   * The app's own client timeout per attempt (e.g. Bookinfo's `requests.get(..., timeout=3.0)`). When it
   * fires the app abandons the attempt and closes the stream — the sidecar then logs a downstream
   * disconnect. `undefined`: wait forever.
   */
  readonly timeout?: Duration;
  /**
   * Tries the app itself makes until a response < 400 arrives (Bookinfo's productpage tries reviews
   * twice: `for _ in range(2)` in productpage.py `getProductReviews`). These come on top of Envoy's retries.
   * @defaultValue 1
   */
  readonly attempts?: number;
  /** @defaultValue `'propagate'` */
  readonly onFailure?: OnCallFailure;
}

/** A step of the request handler, run in order after the service time. */
export type CallStep =
  | { readonly kind: 'call'; readonly call: DownstreamCallSpec }
  /** Calls issued at once; the step ends when all have ended. */
  | { readonly kind: 'parallel'; readonly calls: readonly DownstreamCallSpec[] }
  /** More processing time between calls. */
  | { readonly kind: 'compute'; readonly time: DistributionSpec };

/** The behaviour of one replica. */
export interface AppBehaviour {
  /**
   * The app's own processing time per request, spent first (before any downstream call) while holding
   * a concurrency slot.
   * @defaultValue constant 0
   */
  readonly serviceTime?: DistributionSpec;
  /**
   * Status of a normal answer.
   * @defaultValue 200
   */
  readonly status?: number;
  /**
   * Body size of a normal answer, in bytes.
   * @defaultValue 0
   */
  readonly responseBytes?: number;
  /** Error answers, drawn independently per request; probabilities sum to at most 1 − `resetProbability`. */
  readonly errors?: readonly ErrorResponseSpec[];
  /**
   * Probability that the app resets the connection instead of answering (a crash mid-request).
   * @defaultValue 0
   */
  readonly resetProbability?: number;
  /**
   * Requests served at once (worker threads, event-loop concurrency); the rest wait in a FIFO queue.
   * @defaultValue Infinity (no limit)
   */
  readonly concurrency?: number;
  /**
   * Requests that may wait for a slot; one more gets the `overload` answer at once.
   * @defaultValue Infinity (unbounded)
   */
  readonly queueLimit?: number;
  /** @defaultValue `{ status: 503 }` */
  readonly overload?: OverloadBehaviour;
  /** Downstream calls made for every request, in order. */
  readonly calls?: readonly CallStep[];
  /**
   * Request headers the app copies from the incoming request onto every downstream call (lower-case).
   * @defaultValue {@link DEFAULT_PROPAGATED_HEADERS}
   */
  readonly propagateHeaders?: readonly string[];
}

/**
 * Behaviour that differs on some replicas ("one bad pod"): selected by the pod's 0-based index in the
 * workload (pods ordered by name) or by the pod's name; fields given here replace the workload's.
 */
export interface ReplicaOverride extends AppBehaviour {
  readonly index?: number;
  readonly pod?: string;
}

/** An application's behaviour, with per-replica overrides. */
export interface AppSpec extends AppBehaviour {
  readonly replicas?: readonly ReplicaOverride[];
}

/**
 * Headers an app forwards by default: those Bookinfo's productpage forwards (istio/istio
 * samples/bookinfo/src/productpage/productpage.py, `getForwardHeaders`: request id, trace contexts of
 * every supported tracer, `user-agent`, `cookie`, `authorization`, `jwt`), the B3 headers it forwards
 * through OpenTelemetry's propagator, and `end-user`, which Bookinfo sets from the logged-in user and the
 * request-routing task matches on.
 */
export const DEFAULT_PROPAGATED_HEADERS: readonly string[] = [
  'x-request-id',
  'x-ot-span-context',
  'x-datadog-trace-id',
  'x-datadog-parent-id',
  'x-datadog-sampling-priority',
  'traceparent',
  'tracestate',
  'x-cloud-trace-context',
  'grpc-trace-bin',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
  'b3',
  'sw8',
  'user-agent',
  'cookie',
  'authorization',
  'jwt',
  'end-user',
];

/** The replica a behaviour is resolved for. */
export interface ReplicaIdentity {
  /** 0-based index of the pod in its workload. */
  readonly index: number;
  /** Pod name. */
  readonly pod: string;
}

/**
 * The behaviour of one replica: the workload's, with every matching override applied in order (later
 * overrides win field by field).
 */
export function resolveReplica(spec: AppSpec, replica: ReplicaIdentity): AppBehaviour {
  const { replicas, ...base } = spec;
  let out: AppBehaviour = base;
  for (const o of replicas ?? []) {
    const hit = (o.index !== undefined && o.index === replica.index) || (o.pod !== undefined && o.pod === replica.pod);
    if (!hit) continue;
    const { index: _i, pod: _p, ...fields } = o;
    out = { ...out, ...definedOnly(fields) };
  }
  return out;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
