/**
 * The report's input: everything one run (or one comparison of what-if variants) shows, already in chart
 * form. `renderReport` (report/) turns it into one self-contained HTML file; the CLI builds it from a run
 * result with the adapters of this folder.
 */
import type { SummaryRow } from './outcomeAdapters.js';
import type { LatencySeries } from './latency.js';
import type { RequestFlow } from './requestFlow.js';
import type { ServiceGraph } from './serviceGraph.js';
import type { Timeline } from './timeline.js';
import type { TrafficSplit } from './trafficSplit.js';

/** An `expect` assertion of the scenario and its verdict. */
export interface ReportExpectation {
  readonly name: string;
  readonly passed: boolean;
  readonly detail?: string;
}

/** One variant's results (the baseline is a variant too). */
export interface ReportVariant {
  /** Unique in the report, e.g. `baseline`, `v2-at-50`. */
  readonly name: string;
  readonly description?: string;
  /** Simulated duration, µs. */
  readonly duration?: number;
  readonly summary: readonly SummaryRow[];
  readonly trafficSplit?: TrafficSplit;
  readonly latency?: readonly LatencySeries[];
  readonly timeline?: Timeline;
  readonly serviceGraph?: ServiceGraph;
  /** Example requests, hop by hop. */
  readonly flows?: readonly RequestFlow[];
  readonly expectations?: readonly ReportExpectation[];
}

/** What `renderReport` renders. */
export interface ReportInput {
  readonly title: string;
  /** One paragraph: what the scenario asks. */
  readonly description?: string;
  readonly scenario?: string;
  readonly seed?: number | string;
  /** e.g. `meshsim 0.1.0`. */
  readonly generator?: string;
  /** At least one; the first is the baseline the others are compared with. */
  readonly variants: readonly ReportVariant[];
  readonly notes?: readonly string[];
}

/** Checks the invariants the report relies on: at least one variant, names non-empty and unique. */
export function checkReportInput(input: ReportInput): void {
  if (input.variants.length === 0) throw new RangeError('a report needs at least one variant');
  const seen = new Set<string>();
  for (const v of input.variants) {
    if (v.name === '') throw new RangeError('variant names must not be empty');
    if (seen.has(v.name)) throw new RangeError(`variant ${JSON.stringify(v.name)} appears twice`);
    seen.add(v.name);
  }
}
