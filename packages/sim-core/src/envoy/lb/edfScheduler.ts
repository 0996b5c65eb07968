/**
 * Earliest-deadline-first scheduler for weighted round robin, as Envoy's `EdfScheduler`
 * (envoyproxy/envoy source/common/upstream/edf_scheduler.h). Each entry waits until its deadline
 * `current_time + 1/weight`; a pick takes the earliest deadline (ties: the smaller insertion order, FIFO)
 * and re-inserts the same entry with its weight recomputed at that moment. All arithmetic is IEEE-754
 * double exactly as Envoy writes it, so sequences match Envoy's bit for bit.
 */

interface Entry<T> {
  deadline: number;
  order: number;
  item: T;
}

// (deadline, order) is a total order, so the heap's shape never affects which entry comes out.
function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.order < b.order);
}

/** Picks larger at most this many times when pre-advancing (`UINT_MAX / 10` in Envoy). */
const MAX_PRE_PICKS = 429496729;
/** Added to weights only while pre-advancing, so heavier hosts win exact ties (envoyproxy/envoy#31592). */
const EPSILON = 1e-13;

/** An EDF schedule of items of type `T`. */
export class EdfScheduler<T> {
  private heap: Entry<T>[] = [];
  private currentTime = 0;
  private orderOffset = 0;
  private prepicks: T[] = [];

  /**
   * `EdfScheduler::createWithPicks(entries, calculate_weight, picks)`: the state reached by adding every
   * entry and then picking `picks` times, computed in closed form. `picks` is Envoy's `uint32_t`
   * parameter: callers pass the LB's 64-bit seed, which C++ truncates to 32 bits before the modulo.
   */
  static createWithPicks<T>(entries: readonly T[], weight: (item: T) => number, picks: number): EdfScheduler<T> {
    const s = new EdfScheduler<T>();
    if (entries.length === 0) return s;
    const p = (picks % 2 ** 32) % MAX_PRE_PICKS;
    let sum = 0;
    for (const e of entries) sum += weight(e) + EPSILON;
    let picksSoFar = 0;
    let maxPickTime = 0;
    for (let i = 0; i < entries.length; i++) {
      const item = entries[i] as T;
      const w = weight(item) + EPSILON;
      // static_cast<uint32_t>(w * picks / sum): left to right, then truncated.
      let floor = Math.trunc((w * p) / sum);
      if (floor > 0 && floor / w >= p / sum) floor--;
      const pickTime = floor / w;
      s.heap.push({ deadline: (floor + 1) / w, order: i, item });
      if (pickTime > maxPickTime) maxPickTime = pickTime;
      picksSoFar += floor;
    }
    s.heapify();
    s.currentTime = maxPickTime;
    s.orderOffset = entries.length;
    while (picksSoFar < p) {
      s.pickAndAdd(weight);
      picksSoFar++;
    }
    return s;
  }

  /** True when nothing is scheduled. */
  get empty(): boolean {
    return this.heap.length === 0;
  }

  /** The scheduler's virtual time (the deadline of the last pick). */
  get time(): number {
    return this.currentTime;
  }

  /** `add(weight, entry)`: schedules `item` at `current_time + 1/weight`. Weight must be > 0. */
  add(weight: number, item: T): void {
    this.push({ deadline: this.currentTime + 1.0 / weight, order: this.orderOffset++, item });
  }

  /**
   * `pickAndAdd(calculate_weight)`: returns the entry with the earliest deadline and re-inserts it with
   * `calculate_weight(entry)` evaluated now. Entries handed out by {@link peekAgain} come first.
   */
  pickAndAdd(weight: (item: T) => number): T | undefined {
    const pre = this.prepicks.shift();
    if (pre !== undefined) return pre;
    const top = this.pop();
    if (top === undefined) return undefined;
    this.add(weight(top), top);
    return top;
  }

  /**
   * `peekAgain(calculate_weight)`: the next pick not yet peeked, re-inserted as if picked and remembered,
   * so later {@link pickAndAdd} calls return the peeked entries in order.
   */
  peekAgain(weight: (item: T) => number): T | undefined {
    const top = this.pop();
    if (top === undefined) return undefined;
    this.prepicks.push(top);
    this.add(weight(top), top);
    return top;
  }

  /** The queued entries in pick order (deadline, then insertion order), for inspection and tests. */
  snapshot(): { deadline: number; item: T }[] {
    return [...this.heap]
      .sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))
      .map((e) => ({ deadline: e.deadline, item: e.item }));
  }

  private pop(): T | undefined {
    const h = this.heap;
    const top = h[0];
    if (top === undefined) return undefined;
    this.currentTime = top.deadline;
    const last = h.pop() as Entry<T>;
    if (h.length > 0) {
      h[0] = last;
      this.sink(0);
    }
    return top.item;
  }

  private push(e: Entry<T>): void {
    const h = this.heap;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pe = h[p] as Entry<T>;
      if (!before(e, pe)) break;
      h[i] = pe;
      i = p;
    }
    h[i] = e;
  }

  private sink(i: number): void {
    const h = this.heap;
    const n = h.length;
    const e = h[i] as Entry<T>;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ce = h[c] as Entry<T>;
      const r = c + 1;
      if (r < n && before(h[r] as Entry<T>, ce)) {
        c = r;
        ce = h[r] as Entry<T>;
      }
      if (!before(ce, e)) break;
      h[i] = ce;
      i = c;
    }
    h[i] = e;
  }

  private heapify(): void {
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.sink(i);
  }
}
