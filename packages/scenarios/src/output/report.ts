/**
 * `meshsim run --report FILE.html`: runs as the viz package's self-contained HTML report — per variant,
 * side by side: the summary per destination, the traffic split per VirtualService route (declared weights
 * beside observed shares, with exact tests), latency histograms and CDFs, the timeline of ejections,
 * overflows, fault injections, pushes and scenario events, the service graph Kiali would draw from Istio's
 * `istio_requests_total`, the request path of sampled requests, and the expectations' verdicts. Everything
 * comes from the run itself: its outcome aggregates, its metrics, and its trace (read as the run goes by a
 * collector, never kept whole).
 */
import { dirname, relative, sep } from 'node:path';
import type { ReportInput, RunTraceCollector } from '@meshsim/viz';
import { renderReport } from '@meshsim/viz/report';
import { collectorFor, reportVariantFromRun } from '@meshsim/viz/run';
import type { LoadedScenario } from '../load/loadScenario.js';
import type { RunOverrides } from '../runner/plan.js';
import { run, type RunOptions, type RunOutput } from '../runner/run.js';
import { BASELINE } from '../schema/types/variants.js';
import { formatCheck } from './runTable.js';

/** A run and what its trace said. */
export interface ReportRun {
  readonly out: RunOutput;
  readonly collector: RunTraceCollector;
}

/** Runs a scenario (as {@link run}) and reads its trace for the report as it goes. */
export function runForReport(loaded: LoadedScenario, options: RunOptions = {}): ReportRun {
  const reading = reportCollector();
  const out = run(loaded, { ...options, traceSink: reading.sink });
  return { out, collector: reading.collector() };
}

/** A trace sink for `run({ traceSink })` that reads the run for the report; `collector()` once it ran. */
export function reportCollector(): {
  readonly sink: NonNullable<RunOptions['traceSink']>;
  collector(): RunTraceCollector;
} {
  let collector: RunTraceCollector | undefined;
  return {
    sink: (world) => {
      const c = collectorFor(world);
      collector = c;
      return (records) => c.addAll(records);
    },
    collector() {
      if (collector === undefined) throw new Error('the run never built its world');
      return collector;
    },
  };
}

/**
 * The report of `main` side by side with the other variants: a baseline run shows beside every variant
 * of the scenario, a variant's run beside the baseline. The other runs use `main`'s overrides and seed
 * (common random numbers). `progress` makes a progress reporter per extra run.
 */
export function variantsReport(
  loaded: LoadedScenario,
  main: ReportRun,
  overrides: RunOverrides,
  version: string,
  progress?: (label: string) => { onProgress: NonNullable<RunOptions['onProgress']>; stop(): void },
): string {
  const variant = main.out.result.variant;
  const others = variant === BASELINE ? loaded.scenario.variants.map((v) => v.name) : [BASELINE];
  const runs: ReportRun[] = [main];
  for (const name of others) {
    const p = progress?.(`${loaded.scenario.name} (${name})`);
    try {
      runs.push(
        runForReport(loaded, {
          ...overrides,
          seed: main.out.result.seed,
          variant: name,
          ...(p !== undefined ? { onProgress: p.onProgress } : {}),
        }),
      );
    } finally {
      p?.stop();
    }
  }
  if (variant !== BASELINE) runs.reverse();
  return runReport(runs, version, loaded.file);
}

/** Manifest paths as the report shows them: relative to the scenario's folder when inside it. */
function displayPath(scenarioFile: string): (path: string) => string {
  const dir = dirname(scenarioFile);
  return (path) => {
    const rel = relative(dir, path);
    return rel === '' || rel.startsWith('..') || rel.startsWith(sep) ? path : rel.split(sep).join('/');
  };
}

/** The report input of one or more runs of one scenario (the first is the baseline the others are compared with). */
export function reportInput(runs: readonly ReportRun[], version: string, scenarioFile?: string): ReportInput {
  const first = runs[0];
  if (first === undefined) throw new RangeError('a report needs at least one run');
  const file = scenarioFile !== undefined ? displayPath(scenarioFile) : undefined;
  const variants = runs.map(({ out, collector }) => {
    const r = out.result;
    return reportVariantFromRun({
      name: r.variant,
      ...(r.variant !== 'baseline'
        ? { description: out.plan.scenario.variants.find((v) => v.name === r.variant)?.description ?? '' }
        : {}),
      world: out.world,
      collector,
      destinations: out.outcomes.bySubset(),
      duration: r.simulatedTime,
      metrics: out.metrics,
      expectations: r.expectations.map((x) => ({
        name: x.name,
        passed: x.passed,
        detail: x.checks.map(formatCheck).join('; '),
      })),
      ...(file !== undefined ? { file } : {}),
    });
  });
  const r0 = first.out.result;
  return {
    title: `${r0.scenario}: ${r0.description}`,
    description: r0.description,
    scenario: r0.scenario,
    seed: r0.seed,
    generator: `meshsim ${version}`,
    variants,
    notes: [
      `Every variant ran with seed ${r0.seed} (common random numbers): differences between columns come from the variant, not from chance.`,
      'Request paths are sampled from the run: the first request of each route from the scenario’s traffic sources, and the first one that was retried, hit a fault or failed; each is explained with the configuration it ran with.',
    ],
  };
}

/** The HTML report of one or more runs. */
export function runReport(runs: readonly ReportRun[], version: string, scenarioFile?: string): string {
  return renderReport(reportInput(runs, version, scenarioFile));
}
