/**
 * The logic of `expect(result).toSplit({v1: 90, v2: 10}, {alpha})`. On a route decision the split is
 * analytic (the candidates' exact probabilities, within `tolerance` percentage points); on sampled or
 * simulated requests it is the exact binomial split test at `alpha` ({@link splitTest}).
 */
import {
  aggregatedCounts,
  aggregatorOf,
  countBy,
  countsMap,
  guessKey,
  recordsOf,
  type SplitKey,
} from '../observations.js';
import { keyOf } from '../observations.js';
import type { RouteDecision } from '../routing/decide.js';
import { formatSplitVerdict, splitTest } from '../split.js';
import type { MatcherResult } from './route.js';

/** Options of `toSplit`. */
export interface ToSplitOptions {
  /** Significance level of the exact test on counts. @defaultValue 0.001 */
  readonly alpha?: number;
  /** @defaultValue guessed from the expected keys (`|` → cluster, `.` → host, else subset) */
  readonly by?: SplitKey;
  /** Analytic splits: allowed difference in percentage points. @defaultValue 1e-9 */
  readonly tolerance?: number;
}

const isDecision = (x: unknown): x is RouteDecision =>
  typeof x === 'object' && x !== null && 'candidates' in x && 'explanation' in x && 'statuses' in x;

const pct = (x: number): string => `${(100 * x).toFixed(4).replace(/\.?0+$/, '')} %`;

/** `toSplit(expected, options)` on `actual`. */
export function splitResult(
  actual: unknown,
  expected: Readonly<Record<string, number>>,
  options: ToSplitOptions = {},
): MatcherResult {
  const by = options.by ?? guessKey(Object.keys(expected));
  const total = Object.values(expected).reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new RangeError('toSplit: the expected weights must have a positive total');
  if (isDecision(actual)) {
    const got: Record<string, number> = {};
    for (const c of actual.candidates) {
      const k = keyOf({ cluster: c.name }, by) ?? '(none)';
      got[k] = (got[k] ?? 0) + c.probability;
    }
    const tol = (options.tolerance ?? 1e-9) / 100;
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(got)])].sort();
    const pass = keys.every((k) => Math.abs((got[k] ?? 0) - (expected[k] ?? 0) / total) <= tol);
    const lines = keys
      .map((k) => `  ${k}: ${pct(got[k] ?? 0)} (expected ${pct((expected[k] ?? 0) / total)})`)
      .join('\n');
    return {
      pass,
      message: `expected the route's split to ${pass ? 'differ from' : 'be'} ${JSON.stringify(expected)}:\n${lines}`,
    };
  }
  const agg = aggregatorOf(actual);
  const records = agg === undefined ? recordsOf(actual) : undefined;
  const counts =
    agg !== undefined ? aggregatedCounts(agg, by) : records !== undefined ? countBy(records, by) : countsMap(actual);
  if (counts === undefined) {
    throw new TypeError(
      'toSplit: expected a route decision, a simulation result, sampled or simulated requests, or a { key: count } map',
    );
  }
  const verdict = splitTest(counts, expected, options.alpha ?? 0.001);
  return {
    pass: verdict.pass,
    message: `expected ${verdict.n} requests ${verdict.pass ? 'not ' : ''}to fit the split ${JSON.stringify(expected)} (exact binomial test, alpha ${verdict.alpha}):\n${formatSplitVerdict(verdict)}`,
  };
}
