/**
 * The `expect` section: assertions checked at the end of a run and reported pass/fail. Each entry selects
 * requests with `of` and makes one or more checks on them.
 *
 * A *request* here is one application-level call, as the calling application sees it (Istio's
 * `reporter="source"` view): each request a traffic generator sends, and each downstream call an
 * application makes. Its destination is where the caller's proxy (sidecar or gateway) routed it; its
 * status code, response flags and latency are what the caller got. A request with no response (reset,
 * connection failure) has status code 0.
 */
import type { Duration } from '@meshsim/sim-core';
import type { Bounds, DurationBounds, Percent } from './common.js';

/** Which requests an expectation looks at. Every field set must match (AND); `{}` matches all. */
export interface RequestFilter {
  /** Requests sent by this traffic generator (the generated requests themselves, not the calls they cause). */
  readonly traffic?: string;
  /** The calling workload (Istio's `source_*` labels). */
  readonly source?: {
    readonly namespace?: string;
    /** Workload name: the Deployment (or StatefulSet, bare Pod, WorkloadEntry) — `source_workload`. */
    readonly workload?: string;
  };
  /** Where the request was routed (Istio's `destination_*` labels). */
  readonly destination?: {
    /**
     * Service host. A name without dots is short for `<name>.<namespace>.svc.cluster.local`, with this
     * filter's `namespace` (default `default`) — Istio's short-name rule.
     */
    readonly service?: string;
    readonly namespace?: string;
    /** DestinationRule subset of the cluster it was sent to (`outbound|9080|v2|reviews…`). */
    readonly subset?: string;
    /** Serving workload's name (`destination_workload`). */
    readonly workload?: string;
    /** Serving workload's `version` label (`destination_version`). */
    readonly version?: string;
    /** Service port. */
    readonly port?: number;
  };
  /** Status code (`503`), class (`5xx`), or `0` for no response. */
  readonly responseCode?: number | string;
  /** An Envoy response flag the request carries (`UO`), or `-` for none. */
  readonly responseFlag?: string;
  /** Requests that started in [start, end). @defaultValue the whole run */
  readonly window?: { readonly start?: Duration; readonly end?: Duration };
}

/**
 * The share of the selected requests that also match `to`. With `percent`, an exact two-sided binomial
 * test at `alpha` (the check fails when the observed count lies outside the acceptance region for that
 * share); with `min`/`max`, plain bounds in percent.
 */
export interface ShareCheck {
  readonly to: RequestFilter;
  readonly percent?: Percent;
  /** Significance level of the `percent` test: the chance it fails although the true share is `percent`. @defaultValue 0.001 */
  readonly alpha: number;
  readonly min?: Percent;
  readonly max?: Percent;
}

/** Latency checks by percentile (`p50`, `p90`, `p99`, `p99.9`, …) and `mean`/`max`. */
export type LatencyChecks = Readonly<Record<string, DurationBounds>>;

/** One expectation: a request filter and at least one check. */
export interface Expectation {
  /** Shown in reports. @defaultValue `expect[<index>]` */
  readonly name: string;
  /** Runs it applies to (variant names, `baseline` for the unchanged scenario). Absent: every run. */
  readonly variants?: readonly string[];
  /** Which requests. @defaultValue `{}` (all) */
  readonly of: RequestFilter;
  /** Number of selected requests. */
  readonly count?: Bounds;
  readonly share?: ShareCheck;
  /** Percentage of selected requests with status ≥ 500 or no response. */
  readonly errorRate?: Bounds;
  /** Counts by status code or class (`"200"`, `"503"`, `"5xx"`, `"0"`). */
  readonly statusCodes?: Readonly<Record<string, Bounds>>;
  /** Counts by Envoy response flag (`UO`, `URX`, `UH`, …; `-` for none). */
  readonly responseFlags?: Readonly<Record<string, Bounds>>;
  /** Latency as the caller saw it. */
  readonly latency?: LatencyChecks;
  /** Retries Envoy made for the selected requests (`upstream_rq_retry`). */
  readonly retries?: Bounds;
  /**
   * Outlier ejections (`outlier_detection.ejections_enforced_total`) in the clusters of
   * `of.destination`, summed over the proxies of `of.source` (default: every proxy).
   */
  readonly ejections?: Bounds;
}

/** The check keys of an expectation, in the order reports list them. */
export const EXPECT_CHECKS = [
  'count',
  'share',
  'errorRate',
  'statusCodes',
  'responseFlags',
  'latency',
  'retries',
  'ejections',
] as const;

/** The name of one kind of check. */
export type ExpectCheck = (typeof EXPECT_CHECKS)[number];
