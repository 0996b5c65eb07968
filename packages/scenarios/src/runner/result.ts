/**
 * The result of one run, as `meshsim run -o json` prints it (its JSON Schema is
 * output/runResult.schema.ts). Plain data: counts, percentages (0–100) and durations in integer-valued
 * microseconds; a latency summary is `null` when no request was observed.
 */
import type { ExpectationResult } from './expectations.js';

/** Caller-observed latency, µs (percentiles from HDR histograms, within 1 %; `mean` and `max` exact). */
export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly mean: number;
  readonly max: number;
}

/** What a group of requests got. */
export interface RequestStats {
  readonly requests: number;
  /** Requests per status code (`"200"`, `"503"`; `"0"` for no response), ascending by code. */
  readonly statusCodes: Readonly<Record<string, number>>;
  /** Requests per `%RESPONSE_FLAGS%` string (`"-"` for none, `"UO"`, `"URX,UF"`), sorted. */
  readonly responseFlags: Readonly<Record<string, number>>;
  /** Percentage of requests with status ≥ 500 or no response. */
  readonly errorRate: number;
  /** Retries the caller's Envoy made (Σ attempts − 1; `upstream_rq_retry`). */
  readonly retries: number;
  readonly latency: LatencySummary | null;
}

/** One pod (or VM) that served requests of a destination. */
export interface PodResult extends RequestStats {
  /** `namespace/name`. */
  readonly pod: string;
  readonly workload?: string;
  readonly version?: string;
  /** Percentage of the destination service's requests this pod served. */
  readonly share: number;
}

/** Requests routed to one service and subset, by every caller (Istio's `reporter="source"` view). */
export interface DestinationResult extends RequestStats {
  /** Service host (`reviews.default.svc.cluster.local`); `""` when no route or cluster was found. */
  readonly service: string;
  /** DestinationRule subset of the cluster. */
  readonly subset?: string;
  /** Percentage of the service's requests that went to this subset. */
  readonly share: number;
  /** Outlier ejections (`ejections_enforced_total`) in this subset's clusters, over every proxy. */
  readonly ejections: number;
  readonly pods: readonly PodResult[];
}

/** What one traffic generator sent and saw. */
export interface GeneratorResult extends RequestStats {
  readonly name: string;
  /** Where its requests start (`pod default/sleep-…`, `gateway istio-system/istio-ingressgateway`). */
  readonly from: readonly string[];
  readonly sent: number;
  readonly completed: number;
  /** Completed requests per second from its first request to its last response (Fortio's `ActualQPS`). */
  readonly actualQps: number;
}

/** An event of the scenario and when it ran. */
export interface EventResult {
  readonly at: number;
  readonly name: string;
}

/** One run of a scenario. */
export interface RunResult {
  readonly kind: 'meshsim.run';
  readonly schemaVersion: 1;
  readonly scenario: string;
  readonly description: string;
  readonly variant: string;
  readonly seed: number;
  /** Simulated time when the run stopped, µs. */
  readonly simulatedTime: number;
  /** Discrete events fired. */
  readonly eventsFired: number;
  /** Fingerprint of every outcome in order: same scenario, variant and seed ⇒ same digest. */
  readonly digest: string;
  readonly generators: readonly GeneratorResult[];
  readonly destinations: readonly DestinationResult[];
  readonly events: readonly EventResult[];
  readonly expectations: readonly ExpectationResult[];
  /** Whether every expectation that applies to this run passed. */
  readonly passed: boolean;
}
