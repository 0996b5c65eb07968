/**
 * The pieces of the benchmarks' bare baselines (world, world-parts): exponential draws from a precomputed
 * table and a minimal binary heap of (time, kind) entries — what a hand-written queue simulation needs and
 * nothing of meshsim's engine, so the baselines measure the cost of the semantics meshsim adds.
 */

/** Exponential(1) draws, precomputed so a baseline pays nothing for randomness (xorshift32 table). */
export const EXP = (() => {
  let x = 2463534242;
  return Float64Array.from({ length: 1 << 16 }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return -Math.log1p(-(x >>> 0) / 4294967296);
  });
})();
/** Index mask of {@link EXP}: `EXP[r++ & MASK]` cycles through the table. */
export const MASK = EXP.length - 1;

/** A binary min-heap of (time, kind) entries in two parallel arrays: no objects per entry. */
export class BareHeap {
  private readonly times: number[] = [];
  private readonly kinds: number[] = [];

  /** How many entries wait. */
  get size(): number {
    return this.times.length;
  }

  /** The earliest time (the heap must not be empty). */
  get top(): number {
    return this.times[0] as number;
  }

  push(t: number, k: number): void {
    const { times, kinds } = this;
    let i = times.length;
    times.push(t);
    kinds.push(k);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((times[p] as number) <= t) break;
      times[i] = times[p] as number;
      kinds[i] = kinds[p] as number;
      i = p;
    }
    times[i] = t;
    kinds[i] = k;
  }

  /** Removes the earliest entry and returns its kind (read {@link top} first for its time). */
  pop(): number {
    const { times, kinds } = this;
    const k0 = kinds[0] as number;
    const t = times.pop() as number;
    const k = kinds.pop() as number;
    const n = times.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && (times[c + 1] as number) < (times[c] as number)) c++;
        if (t <= (times[c] as number)) break;
        times[i] = times[c] as number;
        kinds[i] = kinds[c] as number;
        i = c;
      }
      times[i] = t;
      kinds[i] = k;
    }
    return k0;
  }
}
