/**
 * The benchmark harness behind `pnpm bench`. Speed is measured as a ratio against a baseline measured in
 * the same process and run, never as an absolute time in a unit test. Each suite returns rows; the runner
 * prints them as a table or, with `--json`, as one JSON array.
 */

/** One measured quantity. `name` starts with the component: `engine/schedule-pop-1M`, `lb/round-robin-30-hosts`. */
export interface BenchRow {
  readonly name: string;
  /** The measured value (higher is better for rates). */
  readonly value: number;
  /** What is counted: `events/s`, `req/s`, `picks/s`, `MiB`, `s`. */
  readonly unit: string;
  /** The same workload on the baseline, in the same unit; `null` when the row has no baseline. */
  readonly baseline: number | null;
  /** `value / baseline`, or `null`. */
  readonly ratio: number | null;
  /** What the baseline is, for the table. */
  readonly note?: string;
}

export interface BenchContext {
  /** Smaller workloads (CI smoke runs and `--quick`). */
  readonly quick: boolean;
  /** Progress lines go here (stderr), so `--json` stdout stays clean. */
  log(line: string): void;
}

export interface BenchSuite {
  readonly name: string;
  run(ctx: BenchContext): Promise<BenchRow[]> | BenchRow[];
}

/** Wall time of `fn` in seconds. */
export function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/**
 * Runs `subject` and `baseline` alternately (`reps` times each, after one warm-up of each) and returns
 * their median rates in operations per second. Alternating spreads machine noise over both sides.
 */
export function compareRates(
  ops: number,
  subject: () => void,
  baseline: () => void,
  reps = 3,
): { value: number; baseline: number } {
  subject();
  baseline();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < reps; i++) {
    a.push(ops / time(subject));
    b.push(ops / time(baseline));
  }
  return { value: median(a), baseline: median(b) };
}

/** Median rate of `fn` over `reps` runs after a warm-up, in operations per second. */
export function rate(ops: number, fn: () => void, reps = 3): number {
  fn();
  const xs: number[] = [];
  for (let i = 0; i < reps; i++) xs.push(ops / time(fn));
  return median(xs);
}

/** A row with a baseline. */
export function ratioRow(name: string, unit: string, m: { value: number; baseline: number }, note?: string): BenchRow {
  return { name, unit, value: m.value, baseline: m.baseline, ratio: m.value / m.baseline, ...(note ? { note } : {}) };
}

/** Peak resident memory so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
