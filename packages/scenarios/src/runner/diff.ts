/**
 * Comparing two variants of a scenario with common random numbers. Both run with the same seed, and every
 * component draws from its own named stream, so the k-th request of a generator leaves at the same instant
 * with the same method, URL and headers in both runs (open loop: exactly; closed loop: it is the k-th
 * request of the same Fortio connection schedule) — differences come from the change, not from noise. The
 * analysis is paired: request k of variant A is compared with request k of variant B.
 *
 * Tests (each at level `alpha`, two-sided):
 * - **split** — for each destination (service, subset), the change in the share of the generator's requests
 *   it received: McNemar's exact test on the discordant pairs (requests that went there under one variant
 *   only), with the exact conditional interval of the difference (Clopper–Pearson on the discordant pairs);
 * - **error rate** — the same test on "status ≥ 500 or no response";
 * - **latency shift** — the exact sign test on the paired differences B − A, with the distribution-free
 *   interval of their median (order statistics);
 * - **latency percentiles** (p50, p90, p99) — the change in each percentile, with an interval built from the
 *   distribution-free order-statistic interval of the percentile in each variant at `alpha/2` (Bonferroni):
 *   valid whatever the dependence between the paired runs, so CRN's positive correlation never makes it
 *   anti-conservative.
 *
 * Requests are treated as independent within a run (as a binomial share test does); with `runs > 1` the
 * pairs of several seeds are pooled, and pairs from different seeds are independent. Identical variants
 * give identical runs, hence no difference at all.
 */
import type { RequestOutcome } from '@meshsim/sim-core/envoy';
import type { LoadedScenario } from '../load/loadScenario.js';
import { BASELINE } from '../schema/types/variants.js';
import type { RunOverrides } from './plan.js';
import { run, type RunProgress } from './run.js';
import { binomialTwoSidedP, orderStatistic, pairedShareDifference, quantileRanks, type Interval } from './stats.js';

/** Options of {@link diffVariants}. */
export interface DiffOptions extends Omit<RunOverrides, 'seed' | 'variant'> {
  /** @defaultValue `'baseline'` */
  readonly a?: string;
  readonly b: string;
  /** First seed. @defaultValue the scenario's */
  readonly seed?: number;
  /** Seeds `seed`, `seed + 1`, … whose pairs are pooled. @defaultValue 1 */
  readonly runs?: number;
  /** @defaultValue 0.05 */
  readonly alpha?: number;
  readonly onProgress?: (run: number, variant: string, progress: RunProgress) => void;
}

/** The change of a paired proportion (a share or an error rate), in percentage points. */
export interface ProportionChange {
  /** Percentage under A and under B (over the paired requests). */
  readonly a: number;
  readonly b: number;
  /** B − A, percentage points, with its exact conditional interval. */
  readonly difference: number;
  readonly interval: Interval;
  /** McNemar's exact two-sided p-value. */
  readonly p: number;
  readonly significant: boolean;
  /** Requests in it under A only, under B only. */
  readonly discordant: { readonly aOnly: number; readonly bOnly: number };
}

/** The change of one destination's share. */
export interface ShareChange extends ProportionChange {
  readonly service: string;
  readonly subset?: string;
}

/** The change of a latency percentile, µs. */
export interface PercentileChange {
  readonly percentile: number;
  readonly a: number;
  readonly b: number;
  readonly difference: number;
  readonly interval: Interval;
  readonly significant: boolean;
}

/** The sign test on paired latency differences. */
export interface LatencyShift {
  /** Pairs where B was slower, faster, or equal. */
  readonly slower: number;
  readonly faster: number;
  readonly ties: number;
  /** Median of B − A, µs, with its distribution-free interval. */
  readonly median: number;
  readonly interval: Interval;
  readonly p: number;
  readonly significant: boolean;
}

/** One generator's comparison. */
export interface GeneratorDiff {
  readonly name: string;
  /** Requests paired (the first min(nA, nB) of each run), and those left over in A and in B. */
  readonly pairs: number;
  readonly unpaired: { readonly a: number; readonly b: number };
  readonly shares: readonly ShareChange[];
  readonly errorRate: ProportionChange;
  readonly latencyShift: LatencyShift;
  readonly percentiles: readonly PercentileChange[];
  /** Whether any of its tests found a significant difference. */
  readonly significant: boolean;
}

/** The comparison of two variants. */
export interface DiffResult {
  readonly kind: 'meshsim.diff';
  readonly schemaVersion: 1;
  readonly scenario: string;
  readonly a: string;
  readonly b: string;
  readonly seeds: readonly number[];
  readonly alpha: number;
  readonly generators: readonly GeneratorDiff[];
  readonly significant: boolean;
  /** The tests used, in words. */
  readonly methods: readonly string[];
}

/** The tests, as reports state them. */
export const DIFF_METHODS: readonly string[] = [
  'pairing: request k of a generator under A with request k under B (same seed, common random numbers)',
  "split and error rate: McNemar's exact test, exact conditional interval of the difference",
  'latency shift: exact sign test on paired differences, order-statistic interval of their median',
  'latency percentiles: order-statistic interval of each percentile at alpha/2 per variant (Bonferroni), valid under any dependence',
];

/** One generated request as the diff keeps it. */
interface Sample {
  start: number;
  id: number;
  group: number;
  latency: number;
  error: boolean;
}

function collect(
  loaded: LoadedScenario,
  variant: string,
  seed: number,
  overrides: RunOverrides,
  groups: Map<string, number>,
  onProgress?: (p: RunProgress) => void,
) {
  const by = new Map<string, Sample[]>();
  const onOutcome = (o: RequestOutcome, generator: string | undefined): void => {
    if (generator === undefined) return;
    const key = `${o.destination.service}\u0000${o.destination.subset ?? ''}`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = groups.size));
    let list = by.get(generator);
    if (list === undefined) by.set(generator, (list = []));
    list.push({ start: o.startTime, id: o.id, group, latency: o.duration, error: o.status === 0 || o.status >= 500 });
  };
  const out = run(loaded, {
    ...overrides,
    variant,
    seed,
    onOutcome,
    ...(onProgress !== undefined ? { onProgress } : {}),
  });
  for (const list of by.values()) list.sort((x, y) => x.start - y.start || x.id - y.id);
  return { by, generators: out.plan.generators.map((g) => g.name) };
}

function proportion(
  aIn: (i: number) => boolean,
  bIn: (i: number) => boolean,
  n: number,
  alpha: number,
): ProportionChange {
  let a = 0;
  let b = 0;
  let aOnly = 0;
  let bOnly = 0;
  for (let i = 0; i < n; i++) {
    const x = aIn(i);
    const y = bIn(i);
    if (x) a++;
    if (y) b++;
    if (x && !y) aOnly++;
    if (y && !x) bOnly++;
  }
  const d = pairedShareDifference(aOnly, bOnly, n, alpha);
  return {
    a: n === 0 ? 0 : (100 * a) / n,
    b: n === 0 ? 0 : (100 * b) / n,
    difference: 100 * d.difference,
    interval: { lower: 100 * d.interval.lower, upper: 100 * d.interval.upper },
    p: d.p,
    significant: d.p <= alpha && aOnly + bOnly > 0,
    discordant: { aOnly, bOnly },
  };
}

function percentileChange(q: number, a: Float64Array, b: Float64Array, alpha: number): PercentileChange {
  const point = (s: Float64Array): number =>
    s.length === 0 ? NaN : (s[Math.max(0, Math.ceil(q * s.length) - 1)] as number);
  const ra = quantileRanks(a.length, q, alpha / 2);
  const rb = quantileRanks(b.length, q, alpha / 2);
  const interval = {
    lower: orderStatistic(b, rb.lower) - orderStatistic(a, ra.upper),
    upper: orderStatistic(b, rb.upper) - orderStatistic(a, ra.lower),
  };
  const pa = point(a);
  const pb = point(b);
  return {
    percentile: 100 * q,
    a: pa,
    b: pb,
    difference: pb - pa,
    interval,
    significant: interval.lower > 0 || interval.upper < 0,
  };
}

/** Runs variants `a` and `b` with the same seed(s) and compares them, generator by generator. */
export function diffVariants(loaded: LoadedScenario, options: DiffOptions): DiffResult {
  const a = options.a ?? BASELINE;
  const b = options.b;
  const alpha = options.alpha ?? 0.05;
  const first = options.seed ?? loaded.scenario.seed;
  const seeds = Array.from({ length: Math.max(1, options.runs ?? 1) }, (_, i) => first + i);
  const overrides: RunOverrides = {
    ...(options.requests !== undefined ? { requests: options.requests } : {}),
    ...(options.duration !== undefined ? { duration: options.duration } : {}),
  };
  const groups = new Map<string, number>();
  const pooled = new Map<string, { a: Sample[]; b: Sample[]; unpairedA: number; unpairedB: number }>();
  let names: string[] = [];
  seeds.forEach((seed, r) => {
    const progress = (v: string) =>
      options.onProgress === undefined ? undefined : (p: RunProgress) => options.onProgress?.(r, v, p);
    const ra = collect(loaded, a, seed, overrides, groups, progress(a));
    const rb = collect(loaded, b, seed, overrides, groups, progress(b));
    names = ra.generators;
    for (const g of names) {
      const la = ra.by.get(g) ?? [];
      const lb = rb.by.get(g) ?? [];
      const n = Math.min(la.length, lb.length);
      let p = pooled.get(g);
      if (p === undefined) pooled.set(g, (p = { a: [], b: [], unpairedA: 0, unpairedB: 0 }));
      for (let i = 0; i < n; i++) {
        p.a.push(la[i] as Sample);
        p.b.push(lb[i] as Sample);
      }
      p.unpairedA += la.length - n;
      p.unpairedB += lb.length - n;
    }
  });
  const groupList = [...groups.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const generators: GeneratorDiff[] = names.map((name) => {
    const p = pooled.get(name) ?? { a: [], b: [], unpairedA: 0, unpairedB: 0 };
    const n = p.a.length;
    const shares: ShareChange[] = [];
    for (const [key, g] of groupList) {
      const change = proportion(
        (i) => p.a[i]?.group === g,
        (i) => p.b[i]?.group === g,
        n,
        alpha,
      );
      if (change.a === 0 && change.b === 0) continue;
      const [service = '', subset = ''] = key.split('\u0000');
      shares.push({ service, ...(subset !== '' ? { subset } : {}), ...change });
    }
    const errorRate = proportion(
      (i) => p.a[i]?.error === true,
      (i) => p.b[i]?.error === true,
      n,
      alpha,
    );
    const d = new Float64Array(n);
    let slower = 0;
    let faster = 0;
    for (let i = 0; i < n; i++) {
      const x = (p.b[i] as Sample).latency - (p.a[i] as Sample).latency;
      d[i] = x;
      if (x > 0) slower++;
      else if (x < 0) faster++;
    }
    d.sort();
    const ranks = quantileRanks(n, 0.5, alpha);
    const signP = binomialTwoSidedP(slower, slower + faster);
    const latencyShift: LatencyShift = {
      slower,
      faster,
      ties: n - slower - faster,
      median:
        n === 0
          ? NaN
          : n % 2 === 1
            ? (d[(n - 1) / 2] as number)
            : ((d[n / 2 - 1] as number) + (d[n / 2] as number)) / 2,
      interval: { lower: orderStatistic(d, ranks.lower), upper: orderStatistic(d, ranks.upper) },
      p: signP,
      significant: signP <= alpha && slower + faster > 0,
    };
    const la = Float64Array.from(p.a, (s) => s.latency).sort();
    const lb = Float64Array.from(p.b, (s) => s.latency).sort();
    const percentiles = [0.5, 0.9, 0.99].map((q) => percentileChange(q, la, lb, alpha));
    return {
      name,
      pairs: n,
      unpaired: { a: p.unpairedA, b: p.unpairedB },
      shares,
      errorRate,
      latencyShift,
      percentiles,
      significant:
        shares.some((s) => s.significant) ||
        errorRate.significant ||
        latencyShift.significant ||
        percentiles.some((x) => x.significant),
    };
  });
  return {
    kind: 'meshsim.diff',
    schemaVersion: 1,
    scenario: loaded.scenario.name,
    a,
    b,
    seeds,
    alpha,
    generators,
    significant: generators.some((g) => g.significant),
    methods: DIFF_METHODS,
  };
}
