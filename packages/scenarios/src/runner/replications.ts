/**
 * Repetitions of a run over seeds — the method of independent replications. Each seed gives one
 * independent run (every random stream is seeded from it), so a metric's per-run values are i.i.d. and its
 * mean has a Student-t confidence interval at `1 − alpha`, whatever the autocorrelation inside a run
 * (queues, round robin, ejections). Shares and error rates are per-run percentages; latency percentiles
 * are per-run percentiles (the interval is for the mean over runs of that percentile).
 */
import type { LoadedScenario } from '../load/loadScenario.js';
import type { RunOverrides } from './plan.js';
import type { DestinationResult, GeneratorResult, RunResult } from './result.js';
import { run, type RunProgress } from './run.js';
import { tInterval, type Interval } from './stats.js';

/** A metric over replications: its per-run values, mean, standard deviation and interval. */
export interface Estimate {
  readonly mean: number;
  readonly sd: number;
  readonly interval: Interval;
  readonly values: readonly number[];
}

/** Options of {@link replicate}. */
export interface ReplicationOptions extends Omit<RunOverrides, 'seed'> {
  /** One run per seed. */
  readonly seeds: readonly number[];
  /** @defaultValue 0.05 (95 % intervals) */
  readonly alpha?: number;
  readonly onProgress?: (run: number, progress: RunProgress) => void;
}

/** A generator's metrics over replications. */
export interface GeneratorEstimate {
  readonly name: string;
  readonly requests: Estimate;
  readonly errorRate: Estimate;
  readonly p50: Estimate;
  readonly p90: Estimate;
  readonly p99: Estimate;
}

/** A destination's metrics over replications. */
export interface DestinationEstimate {
  readonly service: string;
  readonly subset?: string;
  readonly share: Estimate;
  readonly errorRate: Estimate;
  readonly p50: Estimate;
  readonly p99: Estimate;
}

/** The runs and the estimates. */
export interface ReplicationResult {
  readonly kind: 'meshsim.replications';
  readonly schemaVersion: 1;
  readonly scenario: string;
  readonly variant: string;
  readonly seeds: readonly number[];
  readonly alpha: number;
  readonly generators: readonly GeneratorEstimate[];
  readonly destinations: readonly DestinationEstimate[];
  /** Per expectation: in how many runs it passed. */
  readonly expectations: readonly { readonly name: string; readonly passed: number; readonly runs: number }[];
  readonly runs: readonly RunResult[];
  /** Whether every expectation passed in every run. */
  readonly passed: boolean;
}

function estimate(values: readonly number[], alpha: number): Estimate {
  const t = tInterval(values, alpha);
  return { mean: t.mean, sd: t.sd, interval: t.interval, values };
}

const destKey = (d: { service: string; subset?: string }): string => `${d.service}\u0000${d.subset ?? ''}`;

/** Runs `loaded` once per seed and estimates its metrics with Student-t intervals. */
export function replicate(loaded: LoadedScenario, options: ReplicationOptions): ReplicationResult {
  if (options.seeds.length === 0) throw new RangeError('replicate needs at least one seed');
  const alpha = options.alpha ?? 0.05;
  const { seeds, onProgress, alpha: _a, ...overrides } = options;
  const runs = seeds.map(
    (seed, i) =>
      run(loaded, { ...overrides, seed, ...(onProgress !== undefined ? { onProgress: (p) => onProgress(i, p) } : {}) })
        .result,
  );
  const first = runs[0] as RunResult;
  const lat = (
    x: { latency: { p50: number; p90: number; p99: number } | null } | undefined,
    k: 'p50' | 'p90' | 'p99',
  ) => x?.latency?.[k] ?? NaN;
  const finite = (xs: number[]): number[] => xs.filter((x) => Number.isFinite(x));
  const generators = first.generators.map((g) => {
    const per = runs.map((r) => r.generators.find((x) => x.name === g.name) as GeneratorResult);
    return {
      name: g.name,
      requests: estimate(
        per.map((x) => x.requests),
        alpha,
      ),
      errorRate: estimate(
        per.map((x) => x.errorRate),
        alpha,
      ),
      p50: estimate(finite(per.map((x) => lat(x, 'p50'))), alpha),
      p90: estimate(finite(per.map((x) => lat(x, 'p90'))), alpha),
      p99: estimate(finite(per.map((x) => lat(x, 'p99'))), alpha),
    };
  });
  const keys = new Map<string, { service: string; subset?: string }>();
  for (const r of runs)
    for (const d of r.destinations)
      keys.set(destKey(d), { service: d.service, ...(d.subset !== undefined ? { subset: d.subset } : {}) });
  const destinations = [...keys.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([key, d]) => {
      const per = runs.map((r) => r.destinations.find((x) => destKey(x) === key) as DestinationResult | undefined);
      return {
        ...d,
        share: estimate(
          per.map((x) => x?.share ?? 0),
          alpha,
        ),
        errorRate: estimate(finite(per.map((x) => (x === undefined ? NaN : x.errorRate))), alpha),
        p50: estimate(finite(per.map((x) => lat(x, 'p50'))), alpha),
        p99: estimate(finite(per.map((x) => lat(x, 'p99'))), alpha),
      };
    });
  const expectations = first.expectations.map((x, i) => ({
    name: x.name,
    passed: runs.filter((r) => r.expectations[i]?.passed === true).length,
    runs: runs.length,
  }));
  return {
    kind: 'meshsim.replications',
    schemaVersion: 1,
    scenario: first.scenario,
    variant: first.variant,
    seeds,
    alpha,
    generators,
    destinations,
    expectations,
    runs,
    passed: runs.every((r) => r.passed),
  };
}
