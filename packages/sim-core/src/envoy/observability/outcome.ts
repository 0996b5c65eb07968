/**
 * The outcome of one simulated request as its client saw it, and an aggregator that keeps counts and
 * latency histograms per destination (service, subset, pod) — bounded by the topology, never by the number
 * of requests. Outcomes are handed to the aggregator as they happen and need not be kept.
 */
import type { Duration, SimTime } from '../../engine/time.js';
import { LatencyHistogram, type LatencyHistogramOptions } from './latencyHistogram.js';

/** Time spent in one hop of a request's journey, e.g. `client sidecar`, `network`, `reviews app`. */
export interface HopTiming {
  readonly hop: string;
  readonly duration: Duration;
}

/** Where a request ended up. */
export interface OutcomeDestination {
  /** Service host, e.g. `reviews.default.svc.cluster.local`; `''` when no route or cluster was found. */
  readonly service: string;
  /** DestinationRule subset, e.g. `v2`. */
  readonly subset?: string;
  /** The pod that answered (last attempt), e.g. `default/reviews-v2-0`. */
  readonly pod?: string;
}

/** One request's end, as its client saw it. */
export interface RequestOutcome {
  /** Unique per run. */
  readonly id: number;
  /** The traffic generator that sent it. */
  readonly generator?: string;
  /** Who sent it, e.g. `pod default/productpage-0`. */
  readonly source: string;
  readonly destination: OutcomeDestination;
  /** HTTP status the client received; 0 when it received none (reset, connect failure, client timeout). */
  readonly status: number;
  /** `%RESPONSE_FLAGS%` of the client-side proxy, `-` for none. */
  readonly responseFlags: string;
  /** `%RESPONSE_CODE_DETAILS%` of the client-side proxy, e.g. `via_upstream`. */
  readonly responseCodeDetails: string;
  /** Upstream tries by the client-side proxy (1 + retries); 0 when the request never left it (fault abort, no route). */
  readonly attempts: number;
  /** `ip:port` of the last upstream host tried. */
  readonly upstreamHost?: string;
  readonly startTime: SimTime;
  /** Client-observed latency. */
  readonly duration: Duration;
  /** Time per hop, in order, when the world records them. */
  readonly hops?: readonly HopTiming[];
}

/** Aggregates of one group of outcomes. */
export class OutcomeSummary {
  count = 0;
  /** Requests that were retried (attempts > 1). */
  retried = 0;
  /** Σ attempts. */
  attempts = 0;
  private readonly statuses = new Tallies<number>();
  private readonly flags = new Tallies<string>();
  readonly latency: LatencyHistogram;

  constructor(histogram: LatencyHistogramOptions) {
    this.latency = new LatencyHistogram(histogram);
  }

  /** @internal */
  add(o: RequestOutcome): void {
    this.addCall(o.status, o.responseFlags, o.attempts, o.duration);
  }

  /** @internal Adds one outcome given by its fields (no {@link RequestOutcome} needed). */
  addCall(status: number, responseFlags: string, attempts: number, duration: Duration): void {
    this.count++;
    this.attempts += attempts;
    if (attempts > 1) this.retried++;
    this.statuses.add(status, 1);
    this.flags.add(responseFlags, 1);
    this.latency.record(duration);
  }

  /** @internal */
  merge(other: OutcomeSummary): void {
    this.count += other.count;
    this.retried += other.retried;
    this.attempts += other.attempts;
    this.statuses.merge(other.statuses);
    this.flags.merge(other.flags);
    this.latency.merge(other.latency);
  }

  /** Requests per status code, ascending by code. */
  statusCounts(): [number, number][] {
    return this.statuses.entries().sort((a, b) => a[0] - b[0]);
  }

  /** Requests per response-flags string, sorted by the string. */
  flagCounts(): [string, number][] {
    return this.flags.entries().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** Requests with this status. */
  withStatus(code: number): number {
    return this.statuses.get(code);
  }
}

/** One destination group and its summary. */
export interface DestinationSummary extends OutcomeDestination {
  readonly summary: OutcomeSummary;
}

/** Aggregates outcomes per destination (service, subset, pod) and overall. */
export class OutcomeAggregator {
  /** Every outcome together. */
  readonly overall: OutcomeSummary;
  private readonly groups = new Map<string, { dest: OutcomeDestination; summary: OutcomeSummary }>();
  private readonly histogram: LatencyHistogramOptions;

  constructor(options: { readonly histogram?: LatencyHistogramOptions } = {}) {
    this.histogram = options.histogram ?? {};
    this.overall = new OutcomeSummary(this.histogram);
  }

  /** Adds one outcome. */
  add(o: RequestOutcome): void {
    this.overall.add(o);
    this.group(o.destination).add(o);
  }

  /**
   * The summary of one destination group, created when absent. A caller that sees the same destinations
   * again and again (the simulated world) keeps it and adds with {@link addToGroup}, sparing the group key.
   */
  group(d: OutcomeDestination): OutcomeSummary {
    const key = `${d.service}\u0000${d.subset ?? ''}\u0000${d.pod ?? ''}`;
    let g = this.groups.get(key);
    if (g === undefined) {
      g = {
        dest: { service: d.service, ...(d.subset ? { subset: d.subset } : {}), ...(d.pod ? { pod: d.pod } : {}) },
        summary: new OutcomeSummary(this.histogram),
      };
      this.groups.set(key, g);
    }
    return g.summary;
  }

  /** Adds one outcome to the overall summary and to `group` (from {@link group} for its destination). */
  addToGroup(group: OutcomeSummary, o: RequestOutcome): void {
    this.addCallToGroup(group, o.status, o.responseFlags, o.attempts, o.duration);
  }

  /** @internal {@link addToGroup} for an outcome given by its fields (no {@link RequestOutcome} needed). */
  addCallToGroup(
    group: OutcomeSummary,
    status: number,
    responseFlags: string,
    attempts: number,
    duration: Duration,
  ): void {
    this.overall.addCall(status, responseFlags, attempts, duration);
    group.addCall(status, responseFlags, attempts, duration);
  }

  /** Groups by (service, subset, pod), sorted by service, then subset, then pod. */
  byPod(): DestinationSummary[] {
    return [...this.groups.values()]
      .map((g) => ({ ...g.dest, summary: g.summary }))
      .sort(
        (a, b) => cmp(a.service, b.service) || cmp(a.subset ?? '', b.subset ?? '') || cmp(a.pod ?? '', b.pod ?? ''),
      );
  }

  /** Groups rolled up to (service, subset). */
  bySubset(): DestinationSummary[] {
    return this.rollUp((d) => ({ service: d.service, ...(d.subset ? { subset: d.subset } : {}) }));
  }

  /** Groups rolled up to the service. */
  byService(): DestinationSummary[] {
    return this.rollUp((d) => ({ service: d.service }));
  }

  private rollUp(project: (d: OutcomeDestination) => OutcomeDestination): DestinationSummary[] {
    const out = new Map<string, { dest: OutcomeDestination; summary: OutcomeSummary }>();
    for (const g of this.byPod()) {
      const dest = project(g);
      const key = `${dest.service}\u0000${dest.subset ?? ''}`;
      let r = out.get(key);
      if (r === undefined) out.set(key, (r = { dest, summary: new OutcomeSummary(this.histogram) }));
      r.summary.merge(g.summary);
    }
    return [...out.values()].map((r) => ({ ...r.dest, summary: r.summary }));
  }
}

/** A count in a box, incremented in place. */
interface Tally {
  n: number;
}

/**
 * Counts per key. Most outcomes of a group share their status and flags, so the last key's count is kept
 * at hand: counting one more is then a comparison, not a map lookup.
 */
class Tallies<K> {
  private readonly byKey = new Map<K, Tally>();
  private lastKey: K | undefined;
  private last: Tally | undefined;

  add(key: K, n: number): void {
    if (this.last !== undefined && key === this.lastKey) {
      this.last.n += n;
      return;
    }
    let t = this.byKey.get(key);
    if (t === undefined) this.byKey.set(key, (t = { n: 0 }));
    t.n += n;
    this.lastKey = key;
    this.last = t;
  }

  get(key: K): number {
    return this.byKey.get(key)?.n ?? 0;
  }

  merge(other: Tallies<K>): void {
    for (const [k, t] of other.byKey) this.add(k, t.n);
  }

  /** [key, count] pairs in first-seen order. */
  entries(): [K, number][] {
    return [...this.byKey].map(([k, t]): [K, number] => [k, t.n]);
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
