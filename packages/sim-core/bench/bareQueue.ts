/**
 * The pieces of the benchmarks' bare baselines (engine, world, world-parts): fixed pseudo-random tables, a
 * minimal binary heap of (time, kind) entries and one of callbacks — what a hand-written queue simulation
 * needs and nothing of meshsim's engine, so the baselines measure the cost of the semantics meshsim adds.
 */

/** `n` xorshift32 draws from a fixed seed (Marsaglia's triple 13, 17, 5): the same workload on every run. */
export function xorshift32(n: number): Uint32Array {
  let x = 2463534242;
  return Uint32Array.from({ length: n }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  });
}

/** Exponential(1) draws, precomputed so a baseline pays nothing for randomness (xorshift32 table). */
export const EXP = Float64Array.from(xorshift32(1 << 16), (u) => -Math.log1p(-u / 4294967296));
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

/** An entry of {@link BareCallbackHeap}. */
export interface BareEntry {
  readonly time: number;
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * A minimal binary min-heap of callbacks keyed by (time, seq) — FIFO among equal times, as the engine — with no
 * priorities, no O(1) cancellation and no trace hook: the floor any callback event list pays.
 */
export class BareCallbackHeap {
  private readonly items: BareEntry[] = [];
  private seq = 0;
  /** The time of the entry being run. */
  now = 0;

  push(time: number, fn: () => void): BareEntry {
    const e = { time, seq: this.seq++, fn };
    const a = this.items;
    let i = a.length;
    a.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pe = a[p] as BareEntry;
      if (pe.time < time || (pe.time === time && pe.seq < e.seq)) break;
      a[i] = pe;
      i = p;
    }
    a[i] = e;
    return e;
  }

  pop(): BareEntry | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top !== undefined && last !== undefined && a.length > 0) this.sinkFrom(0, last);
    return top;
  }

  /** Naive cancel: find the entry by linear search, move the last entry into its slot, restore order. */
  remove(e: BareEntry): void {
    const a = this.items;
    const i = a.indexOf(e);
    if (i < 0) return;
    const last = a.pop() as BareEntry;
    if (i === a.length) return;
    this.sinkFrom(i, last);
    let j = i;
    while (j > 0) {
      const p = (j - 1) >> 1;
      const pe = a[p] as BareEntry;
      const cur = a[j] as BareEntry;
      if (pe.time < cur.time || (pe.time === cur.time && pe.seq < cur.seq)) break;
      a[j] = pe;
      a[p] = cur;
      j = p;
    }
  }

  /** Pops and runs entries until none is left. */
  run(): void {
    for (let e = this.pop(); e !== undefined; e = this.pop()) {
      this.now = e.time;
      e.fn();
    }
  }

  private sinkFrom(i: number, e: BareEntry): void {
    const a = this.items;
    const n = a.length;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ce = a[c] as BareEntry;
      if (c + 1 < n) {
        const r = a[c + 1] as BareEntry;
        if (r.time < ce.time || (r.time === ce.time && r.seq < ce.seq)) {
          c++;
          ce = r;
        }
      }
      if (e.time < ce.time || (e.time === ce.time && e.seq < ce.seq)) break;
      a[i] = ce;
      i = c;
    }
    a[i] = e;
  }
}
