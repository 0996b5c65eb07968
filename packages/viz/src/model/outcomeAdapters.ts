/**
 * Chart inputs from sim-core's outcome aggregates (envoy/observability/outcome.ts `OutcomeAggregator`:
 * counts, status codes, response flags, retries and HDR latency histograms per destination): summary-table
 * rows, latency series per destination, and the observed flows of the traffic-split Sankey.
 */
import {
  latencySeriesFromHistogram,
  type LatencyHistogramLike,
  type LatencySeries,
  type LatencySeriesOptions,
} from './latency.js';
import type { SplitFlowSpec } from './trafficSplit.js';

/** One group's aggregates (sim-core's `OutcomeSummary`). */
export interface OutcomeSummaryLike {
  readonly count: number;
  readonly retried: number;
  readonly attempts: number;
  statusCounts(): [number, number][];
  flagCounts(): [string, number][];
  readonly latency: LatencyHistogramLike;
}

/** A destination group (sim-core's `DestinationSummary`). */
export interface DestinationSummaryLike {
  readonly service: string;
  readonly subset?: string;
  readonly pod?: string;
  readonly summary: OutcomeSummaryLike;
}

/** A row of the report's summary table: one destination. Latencies in µs. */
export interface SummaryRow {
  readonly service: string;
  readonly subset?: string;
  readonly pod?: string;
  readonly requests: number;
  /** requests / all requests of the table. */
  readonly share: number;
  /** [status, requests], ascending by status (0 = no response). */
  readonly statusCodes: readonly (readonly [number, number])[];
  /** [flags, requests], sorted by flags (`-` = none). */
  readonly responseFlags: readonly (readonly [string, number])[];
  /** Requests the client sidecar retried at least once. */
  readonly retried: number;
  /** Σ upstream tries. */
  readonly attempts: number;
  readonly p50?: number;
  readonly p90?: number;
  readonly p99?: number;
  readonly mean?: number;
  readonly max?: number;
}

/** `service|subset`: the id of a destination in Sankeys and series. */
export function destinationId(service: string, subset?: string): string {
  return `${service}|${subset ?? ''}`;
}

/** `canary.canary v2`: the host without `.svc.<domain>`, then the subset. */
export function destinationLabel(service: string, subset?: string, domain = 'cluster.local'): string {
  const suffix = `.svc.${domain}`;
  const host =
    service === '' ? '(no destination)' : service.endsWith(suffix) ? service.slice(0, -suffix.length) : service;
  return subset !== undefined && subset !== '' ? `${host} ${subset}` : host;
}

/** Summary rows, in the groups' order; shares are of the groups' total. */
export function summaryRows(groups: readonly DestinationSummaryLike[]): SummaryRow[] {
  const total = groups.reduce((a, g) => a + g.summary.count, 0);
  return groups.map((g) => {
    const s = g.summary;
    const h = s.latency;
    const empty = h.count === 0;
    return {
      service: g.service,
      ...(g.subset !== undefined ? { subset: g.subset } : {}),
      ...(g.pod !== undefined ? { pod: g.pod } : {}),
      requests: s.count,
      share: total === 0 ? 0 : s.count / total,
      statusCodes: s.statusCounts(),
      responseFlags: s.flagCounts(),
      retried: s.retried,
      attempts: s.attempts,
      ...(empty
        ? {}
        : { p50: h.percentile(50), p90: h.percentile(90), p99: h.percentile(99), mean: h.mean, max: h.max }),
    };
  });
}

/** One latency series per destination group, labelled `canary.canary v2` (and the variant, when given). */
export function latencySeriesByDestination(
  groups: readonly DestinationSummaryLike[],
  variant?: string,
  options: LatencySeriesOptions = {},
): LatencySeries[] {
  return groups.map((g) => {
    const dest = destinationId(g.service, g.subset) + (g.pod !== undefined ? `|${g.pod}` : '');
    const label = destinationLabel(g.service, g.subset) + (g.pod !== undefined ? ` ${g.pod}` : '');
    return latencySeriesFromHistogram(
      g.summary.latency,
      {
        id: variant !== undefined ? `${variant}/${dest}` : dest,
        label,
        destination: dest,
        ...(variant !== undefined ? { variant } : {}),
      },
      options,
    );
  });
}

/**
 * Observed Sankey flows from per-pod groups (`OutcomeAggregator.byPod()`), all attributed to one source
 * and one route. Use it when a single route decides the traffic shown (as in a weighted canary); when
 * several routes share the traffic the flows must come from per-route counts.
 */
export function splitFlowsFromDestinations(
  groups: readonly (Pick<DestinationSummaryLike, 'service' | 'subset' | 'pod'> & {
    readonly summary: { readonly count: number };
  })[],
  route: string,
  source: string,
): SplitFlowSpec[] {
  return groups.map((g) => ({
    source,
    route,
    destination: destinationId(g.service, g.subset),
    destinationLabel: destinationLabel(g.service, g.subset),
    ...(g.pod !== undefined ? { pod: g.pod } : {}),
    count: g.summary.count,
  }));
}
