/**
 * Exact whole-microsecond inverse-transform sampling by table lookup. A sample is `round(F⁻¹(u))` from one
 * uniform `u` (distribution.ts); for a lognormal that is a normal quantile and an `exp` per draw, about
 * 100 ns, and a mesh call draws a dozen (four proxy passes, six network messages, a service time). But the
 * rounded quantile is a step function of `u`: it is `k` for every `u` between the two points where F⁻¹
 * crosses k − ½ and k + ½. This table stores those steps (from the CDF) and finds the step holding `u`
 * through a guide table (Chen & Asau's indexed search), in one or two comparisons.
 *
 * The table must return exactly what the floating-point `round(F⁻¹(u))` returns — every pinned run digest
 * depends on it. It does not trust the CDF to place a step exactly: around each step it keeps a window
 * where it answers "don't know" (−1, the caller computes F⁻¹), and builds each window so that the
 * floating-point quantile at its edges is verifiably at least `MARGIN × x` away from the rounding
 * boundary x = k ± ½. Between the windows of two adjacent steps the sample is then `k` under one assumption:
 * the floating-point quantile differs from the exact, increasing F⁻¹ by less than half that margin (then
 * F⁻¹ itself is more than half a margin inside (k − ½, k + ½) at both window edges, hence everywhere in
 * between, and so is the floating-point value). It does, by far: every kind's quantile is within ~1e-14
 * relative (AS 241, `exp`, `log1p` and a few multiplications); the margin is 1e-9 relative. quantileTable.test.ts compares the table with the direct computation on millions of
 * random draws and on the floating-point neighbours of every window edge.
 */

/** The functions a table is built from. */
export interface InverseTransform {
  /** The floating-point quantile function the sampler rounds, F⁻¹(p). */
  quantile(p: number): number;
  /** The CDF F(x), used to place the steps (the windows absorb its error). */
  cdf(x: number): number;
}

// The table covers the rounded values from the 2^-10 to the 1 − 2^-10 quantile (so ~0.2 % of draws fall
// outside it), at most MAX_STEPS steps from the low end, and is only built when it covers at least half
// of the probability.
const U_LOW = 2 ** -10;
const U_HIGH = 1 - 2 ** -10;
const MAX_STEPS = 4096;
const MIN_COVERAGE = 0.5;
// Steps where the CDF is below this (or above 1 − this) are left out: their windows would leave (0, 1).
const EDGE_MASS = 2 ** -40;
// Guaranteed distance of the floating-point quantile at a window edge from the rounding boundary x, as a
// fraction of x: some 1e5 times the error the quantile functions make.
const MARGIN = 1e-9;
// Window half-width search: start from the width the local density predicts, widen ×4 up to 24 times.
const WIDEN_TRIES = 24;

/** The steps of `round(F⁻¹(u))` (clamped at 0) over most of (0, 1), with a guide table to find them. */
export class RoundedQuantileTable {
  private constructor(
    /** The value below step 0. */
    private readonly first: number,
    /**
     * @internal The window of step i is [edges[2i], edges[2i + 1]]; lower edges increase. Interleaved so a
     * lookup's two reads (a lower edge and the previous upper edge) share a cache line.
     */
    readonly edges: Float64Array,
    /** Per bucket of u: the first step ≥ 1 whose lower edge is in that bucket or a later one. */
    private readonly guide: Int32Array,
    /** The range of u the table answers: (start, end). */
    private readonly start: number,
    private readonly end: number,
    /** Bucket b holds u with ⌊(u − origin) · scale⌋ = b. */
    private readonly origin: number,
    private readonly scale: number,
  ) {}

  /**
   * `max(0, round(F⁻¹(u)))` for `u` in [0, 1), or −1 when the table cannot tell (outside its range or
   * inside a step's window): then the caller computes the quantile.
   */
  lookup(u: number): number {
    if (!(u > this.start && u < this.end)) return -1;
    const edges = this.edges;
    let i = 2 * (this.guide[((u - this.origin) * this.scale) | 0] as number);
    while (u >= (edges[i] as number)) i += 2;
    // Now step i/2 − 1 starts at or below u and step i/2 above it: past the former unless in its window.
    if (u <= (edges[i - 1] as number)) return -1;
    return this.first + i / 2;
  }

  /** Builds the table of `d`, or `undefined` when one would not pay (few steps, little coverage) or fails. */
  static build(d: InverseTransform): RoundedQuantileTable | undefined {
    // Steps at x = k + ½ for k in [first, last): one value beyond each quantile, so that even a narrow
    // distribution's few values lie between steps; none where the CDF is (nearly) 0 or 1 (bounded support).
    let first = Math.max(0, Math.round(d.quantile(U_LOW)) - 1);
    let last = Math.round(d.quantile(U_HIGH)) + 1;
    while (first < last && !(d.cdf(first + 0.5) >= EDGE_MASS)) first++;
    while (last > first && !(d.cdf(last - 0.5) <= 1 - EDGE_MASS)) last--;
    const steps = Math.min(last - first, MAX_STEPS);
    if (!(steps >= 2)) return undefined;
    const at = new Float64Array(steps);
    for (let j = 0; j < steps; j++) at[j] = d.cdf(first + j + 0.5);
    if (!((at[steps - 1] as number) - (at[0] as number) >= MIN_COVERAGE)) return undefined;
    // Where the first step is at ½, every u below it samples 0 (anything under ½ rounds or clamps to 0):
    // a sentinel step with the window [−1, −1] lets the table answer those too.
    const zeroBelow = first === 0 ? 1 : 0;
    const edges = new Float64Array(2 * (zeroBelow + steps)).fill(-1);
    for (let j = 0; j < steps; j++) {
      const w = windowAround(d, first + j + 0.5, at, j);
      if (w === undefined) return undefined;
      const i = 2 * (zeroBelow + j);
      edges[i] = (at[j] as number) - w;
      edges[i + 1] = (at[j] as number) + w;
      if (i > 0 && !((edges[i] as number) > (edges[i - 2] as number))) return undefined;
    }
    const start = edges[1] as number;
    const end = edges[edges.length - 2] as number;
    const origin = Math.max(start, 0);
    if (!(end > origin)) return undefined;
    const buckets = 2 * steps;
    const scale = buckets / (end - origin);
    const guide = guideTable(edges, origin, scale, buckets);
    return new RoundedQuantileTable(first - zeroBelow, edges, guide, start, end, origin, scale);
  }
}

// guide[b]: the first step j ≥ 1 whose lower edge falls in bucket b or later, with buckets computed as
// lookup() computes them — that arithmetic is monotone in u, so every earlier step's edge is below any u of
// bucket b. One spare bucket: (u − origin) · scale can round up to `buckets` for u just below the end.
function guideTable(edges: Float64Array, origin: number, scale: number, buckets: number): Int32Array {
  const steps = edges.length / 2;
  const guide = new Int32Array(buckets + 1);
  let b = 0;
  for (let j = 1; j < steps; j++) {
    const last = Math.min((((edges[2 * j] as number) - origin) * scale) | 0, buckets);
    while (b <= last) guide[b++] = j;
  }
  while (b <= buckets) guide[b++] = steps - 1;
  return guide;
}

// Half-width of the window around the step at x (CDF value at[j]): the floating-point quantile must be
// ≤ x − margin at its lower edge and ≥ x + margin at its upper edge.
function windowAround(d: InverseTransform, x: number, at: Float64Array, j: number): number | undefined {
  const t = at[j] as number;
  const margin = MARGIN * x;
  // Probability per µs near x, from the neighbouring steps: the quantile moves `margin` over margin·density.
  const below = j > 0 ? t - (at[j - 1] as number) : Infinity;
  const above = j + 1 < at.length ? (at[j + 1] as number) - t : Infinity;
  const density = Math.min(below, above);
  let w = Math.max(4 * margin * (Number.isFinite(density) ? density : 0), t * 2 ** -48, 2 ** -1070);
  for (let i = 0; i < WIDEN_TRIES; i++, w *= 4) {
    if (!(t - w > 0 && t + w < 1)) return undefined;
    if (d.quantile(t - w) <= x - margin && d.quantile(t + w) >= x + margin) return w;
  }
  return undefined;
}

/**
 * Where the distributions with one kind and parameters keep their table: the draws made so far (the
 * table is built after {@link TABLE_AFTER_DRAWS}) and the table once built (`null`: none pays).
 */
export class QuantileTableSlot {
  draws = 0;
  table: RoundedQuantileTable | null | undefined = undefined;
}

/**
 * Draws after which a table is built: that costs about as much as a few thousand direct draws, so rarely
 * sampled distributions (a push delay, a pod's start-up) never pay it.
 */
export const TABLE_AFTER_DRAWS = 4096;

// Tables are pure functions of a distribution's kind and parameters, and the proxies, hop classes and
// replicas of a run compile the same few many times (each proxy its own pass costs): they share one slot
// per key — across runs, too — up to a bound (a process keeps these); beyond it a distribution gets a
// slot of its own, collected with it.
const slots = new Map<string, QuantileTableSlot>();
const MAX_SHARED_SLOTS = 64; // at most ~100 KiB each

/** The slot of the distributions identified by `key` (their kind and exact parameters). */
export function quantileTableSlot(key: string): QuantileTableSlot {
  let slot = slots.get(key);
  if (slot === undefined) {
    slot = new QuantileTableSlot();
    if (slots.size < MAX_SHARED_SLOTS) slots.set(key, slot);
  }
  return slot;
}
