/**
 * Evaluating a scenario's `expect` block. Each expectation that applies to the run gets an accumulator fed
 * with every request outcome as it happens (nothing is kept per request): the count of requests its `of`
 * selects, the hits of `share.to`, errors, status codes, response flags, retries and an HDR latency
 * histogram (3 significant digits: percentiles within 0.1 %). At the end each check is decided:
 *
 * - `share` with `percent`: the exact two-sided binomial test at `alpha` — the check passes when the
 *   observed count lies in the acceptance region of Binomial(n, percent/100), so a model whose true share
 *   is `percent` fails it with probability at most `alpha`;
 * - `share` with `min`/`max`, `errorRate`: plain bounds on the observed percentage;
 * - `count`, `statusCodes`, `responseFlags`, `retries`, `ejections`: bounds on counts;
 * - `latency`: bounds on percentiles (`p50`, `p99.9`), `mean`, `min`, `max` of caller-observed latency.
 *
 * A rate, share or latency check over zero selected requests fails: there is nothing to check it on.
 */
import { formatDuration, type Duration } from '@meshsim/sim-core';
import { LatencyHistogram, type RequestOutcome } from '@meshsim/sim-core/envoy';
import type { Bounds, DurationBounds } from '../schema/types/common.js';
import type { Expectation, ExpectCheck } from '../schema/types/expect.js';
import {
  compileFilter,
  flagMatches,
  serviceHost,
  statusMatches,
  type OutcomeContext,
  type OutcomePredicate,
} from './requestFilter.js';
import { binomialAcceptance } from './stats.js';

/** One decided check. */
export interface CheckResult {
  readonly check: ExpectCheck;
  /** The status code, flag or latency statistic checked (`503`, `UO`, `p99`), for checks with several. */
  readonly key?: string;
  readonly passed: boolean;
  /** What was observed: a count, a percentage, or µs for latency. */
  readonly observed: number;
  /** What was expected, in words (`≤ 250ms`, `10 % ± exact binomial test at α = 0.001: 91–125 of 1000`). */
  readonly expected: string;
}

/** The verdict of one expectation. */
export interface ExpectationResult {
  readonly name: string;
  readonly passed: boolean;
  /** Requests its `of` selected. */
  readonly requests: number;
  readonly checks: readonly CheckResult[];
}

/** Whether an expectation applies to a run of `variant`. */
export function appliesTo(x: Expectation, variant: string): boolean {
  return x.variants === undefined || x.variants.includes(variant);
}

/** Ejections (`ejections_enforced_total`) in the clusters of a destination, summed over some proxies. */
export type EjectionCounter = (
  destination: { readonly service?: string; readonly subset?: string; readonly port?: number },
  source: { readonly namespace?: string; readonly workload?: string } | undefined,
) => number;

/** Streams outcomes into one expectation's counters. */
export class ExpectationAccumulator {
  readonly expectation: Expectation;
  private readonly of: OutcomePredicate;
  private readonly to: OutcomePredicate | undefined;
  private n = 0;
  private hits = 0;
  private errors = 0;
  private retries = 0;
  private min = Infinity;
  private readonly statuses = new Map<number, number>();
  private readonly flags = new Map<string, number>();
  private readonly latency: LatencyHistogram | undefined;

  constructor(expectation: Expectation, ctx: OutcomeContext) {
    this.expectation = expectation;
    this.of = compileFilter(expectation.of, ctx);
    this.to = expectation.share === undefined ? undefined : compileFilter(expectation.share.to, ctx);
    this.latency = expectation.latency === undefined ? undefined : new LatencyHistogram({ significantDigits: 3 });
  }

  /** Counts an outcome if `of` selects it. */
  add(o: RequestOutcome): void {
    if (!this.of(o)) return;
    this.n++;
    if (this.to !== undefined && this.to(o)) this.hits++;
    if (o.status === 0 || o.status >= 500) this.errors++;
    if (o.attempts > 1) this.retries += o.attempts - 1;
    this.statuses.set(o.status, (this.statuses.get(o.status) ?? 0) + 1);
    this.flags.set(o.responseFlags, (this.flags.get(o.responseFlags) ?? 0) + 1);
    if (this.latency !== undefined) {
      this.latency.record(o.duration);
      if (o.duration < this.min) this.min = o.duration;
    }
  }

  /** Decides every check. */
  result(ejections: EjectionCounter): ExpectationResult {
    const x = this.expectation;
    const checks: CheckResult[] = [];
    const n = this.n;
    if (x.count !== undefined) checks.push(bounded('count', undefined, n, x.count, (v) => String(v)));
    if (x.share !== undefined) checks.push(this.shareCheck());
    if (x.errorRate !== undefined) {
      checks.push(
        nonEmpty(n, bounded('errorRate', undefined, n === 0 ? NaN : (100 * this.errors) / n, x.errorRate, pct)),
      );
    }
    for (const [code, b] of Object.entries(x.statusCodes ?? {})) {
      let count = 0;
      for (const [status, c] of this.statuses) if (statusMatches(status, code)) count += c;
      checks.push(bounded('statusCodes', code, count, b, (v) => String(v)));
    }
    for (const [flag, b] of Object.entries(x.responseFlags ?? {})) {
      let count = 0;
      for (const [flags, c] of this.flags) if (flagMatches(flags, flag)) count += c;
      checks.push(bounded('responseFlags', flag, count, b, (v) => String(v)));
    }
    for (const [stat, b] of Object.entries(x.latency ?? {})) {
      checks.push(nonEmpty(n, durationBounded(stat, this.latencyStat(stat), b)));
    }
    if (x.retries !== undefined) checks.push(bounded('retries', undefined, this.retries, x.retries, (v) => String(v)));
    if (x.ejections !== undefined) {
      const d = x.of.destination;
      const count = ejections(
        {
          ...(d?.service !== undefined ? { service: serviceHost(d.service, d.namespace) } : {}),
          ...(d?.subset !== undefined ? { subset: d.subset } : {}),
          ...(d?.port !== undefined ? { port: d.port } : {}),
        },
        x.of.source,
      );
      checks.push(bounded('ejections', undefined, count, x.ejections, (v) => String(v)));
    }
    return { name: x.name, passed: checks.every((c) => c.passed), requests: n, checks };
  }

  private shareCheck(): CheckResult {
    const s = this.expectation.share;
    if (s === undefined) throw new TypeError('no share check');
    const n = this.n;
    const observed = n === 0 ? NaN : (100 * this.hits) / n;
    if (s.percent !== undefined) {
      const region = binomialAcceptance(n, s.percent / 100, s.alpha);
      const expected = `${pct(s.percent)} (exact binomial test, α = ${s.alpha}: ${region.lower}–${region.upper} of ${n})`;
      return {
        check: 'share',
        passed: n > 0 && this.hits >= region.lower && this.hits <= region.upper,
        observed,
        expected,
      };
    }
    return nonEmpty(n, bounded('share', undefined, observed, s, pct));
  }

  private latencyStat(stat: string): number {
    const h = this.latency;
    if (h === undefined || h.count === 0) return NaN;
    if (stat === 'mean') return h.mean;
    if (stat === 'max') return h.max;
    if (stat === 'min') return this.min;
    // HDR percentiles are the upper end of their bucket (within 0.1 %): never above the exact maximum.
    return Math.min(h.percentile(Number(stat.slice(1))), h.max);
  }
}

const pct = (v: number): string => `${Number.isInteger(v) ? v : Number(v.toFixed(3))} %`;

function describeBounds(b: Bounds, show: (v: number) => string): string {
  if (b.min !== undefined && b.max !== undefined)
    return b.min === b.max ? `= ${show(b.min)}` : `${show(b.min)} – ${show(b.max)}`;
  if (b.min !== undefined) return `≥ ${show(b.min)}`;
  return `≤ ${show(b.max as number)}`;
}

function within(v: number, b: Bounds): boolean {
  return !Number.isNaN(v) && (b.min === undefined || v >= b.min) && (b.max === undefined || v <= b.max);
}

function bounded(
  check: ExpectCheck,
  key: string | undefined,
  observed: number,
  b: Bounds,
  show: (v: number) => string,
): CheckResult {
  return {
    check,
    ...(key !== undefined ? { key } : {}),
    passed: within(observed, b),
    observed,
    expected: describeBounds(b, show),
  };
}

function durationBounded(stat: string, observed: number, b: DurationBounds): CheckResult {
  return bounded('latency', stat, observed, b, (v) => formatDuration(v as Duration));
}

function nonEmpty(n: number, r: CheckResult): CheckResult {
  return n > 0 ? r : { ...r, passed: false, expected: `${r.expected} (no request selected)` };
}

/** Accumulators for the expectations of `expect` that apply to `variant`. */
export function expectationAccumulators(
  expect: readonly Expectation[],
  variant: string,
  ctx: OutcomeContext,
): ExpectationAccumulator[] {
  return expect.filter((x) => appliesTo(x, variant)).map((x) => new ExpectationAccumulator(x, ctx));
}
