/**
 * The logic of `expect(result).toHaveStatus(…)`. Without `share`: every request (or, on a route decision,
 * every possible outcome) has one of the given statuses. With `share` (a percentage): that share of
 * requests has them — exactly on a decision, by the exact binomial test at `alpha` on counts.
 */
import { aggregatorOf, recordsOf, statusOf } from '../observations.js';
import type { RouteDecision } from '../routing/decide.js';
import { binomialAcceptance } from '../stats.js';
import type { MatcherResult } from './route.js';

/** Options of `toHaveStatus`. */
export interface ToHaveStatusOptions {
  /** The percentage of requests expected with these statuses (e.g. a 10 % fault abort). */
  readonly share?: number;
  /** @defaultValue 0.001 */
  readonly alpha?: number;
  /** Analytic shares: allowed difference in percentage points. @defaultValue 1e-9 */
  readonly tolerance?: number;
}

const isDecision = (x: unknown): x is RouteDecision =>
  typeof x === 'object' && x !== null && 'statuses' in x && 'explanation' in x;

/** `toHaveStatus(status, options)` on `actual`. */
export function statusResult(
  actual: unknown,
  status: number | readonly number[],
  options: ToHaveStatusOptions = {},
): MatcherResult {
  const wanted = typeof status === 'number' ? [status] : [...status];
  const name = wanted.join(' or ');
  if (options.share !== undefined && !(options.share >= 0 && options.share <= 100))
    throw new RangeError('toHaveStatus: share is a percentage in [0, 100]');
  if (isDecision(actual)) {
    const lines = actual.statuses
      .map(
        (s) =>
          `  ${s.status}${s.flags !== undefined ? ` ${s.flags}` : ''}: ${(100 * s.probability).toFixed(4).replace(/\.?0+$/, '')} % (${s.why})`,
      )
      .join('\n');
    const p = actual.statuses.filter((s) => wanted.includes(s.status)).reduce((a, s) => a + s.probability, 0);
    const pass =
      options.share === undefined
        ? Math.abs(p - 1) < 1e-12
        : Math.abs(100 * p - options.share) <= (options.tolerance ?? 1e-9);
    const what = options.share === undefined ? `always ${name}` : `${name} for ${options.share} % of requests`;
    return {
      pass,
      message: `expected the response to ${pass ? 'not be' : 'be'} ${what}; possible responses:\n${lines}`,
    };
  }
  const agg = aggregatorOf(actual);
  const records = agg === undefined ? recordsOf(actual) : undefined;
  if (agg === undefined && records === undefined) {
    throw new TypeError(
      'toHaveStatus: expected a route decision, a simulation result, or sampled or simulated requests',
    );
  }
  const statuses =
    agg !== undefined
      ? agg.overall.statusCounts().flatMap(([s, c]) => Array<number>(c).fill(s))
      : (records ?? []).map((r) => statusOf(r) ?? 0);
  const hits = statuses.filter((s) => wanted.includes(s)).length;
  const n = statuses.length;
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  const seen = [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([s, c]) => `${s}×${c}`)
    .join(', ');
  if (options.share === undefined) {
    const pass = n > 0 && hits === n;
    return { pass, message: `expected all ${n} requests ${pass ? 'not ' : ''}to get ${name}; got ${seen || 'none'}` };
  }
  const alpha = options.alpha ?? 0.001;
  const acc = binomialAcceptance(n, options.share / 100, alpha);
  const pass = hits >= acc.lower && hits <= acc.upper;
  return {
    pass,
    message: `expected ${options.share} % of ${n} requests ${pass ? 'not ' : ''}to get ${name} (exact binomial test at alpha ${alpha}: ${acc.lower}–${acc.upper} accepted); got ${hits} (${seen})`,
  };
}
