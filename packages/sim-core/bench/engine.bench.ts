/**
 * Engine micro-benchmarks. Baselines, run in the same process:
 * - schedule+pop: a minimal hand-written binary heap of {time, seq, callback} with no priorities, no
 *   cancellation and no trace hook — the floor any event list pays;
 * - cancel-heavy: the same heap where a cancel removes the entry by searching for it (the naive approach).
 * Workload ("hold model"): keep `pending` events in the queue; each fired event schedules a successor at
 * a pseudo-random delay drawn from a precomputed table (so both sides do identical arithmetic).
 */
import { Simulation } from '../src/engine/simulation.js';
import { compareRates, ratioRow, type BenchRow, type BenchSuite } from '../../../scripts/bench/harness.js';

const DELAYS = (() => {
  // xorshift32 table, so the workload is the same on every run and both sides see the same delays.
  let x = 2463534242;
  return Uint32Array.from({ length: 1 << 16 }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % 10_000;
  });
})();
const MASK = DELAYS.length - 1;

interface BaseEntry {
  time: number;
  seq: number;
  fn: () => void;
}

/** The baseline: a minimal binary heap keyed by (time, seq). */
class MinimalHeap {
  items: BaseEntry[] = [];
  private seq = 0;
  now = 0;
  push(time: number, fn: () => void): BaseEntry {
    const e = { time, seq: this.seq++, fn };
    const a = this.items;
    let i = a.length;
    a.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pe = a[p]!;
      if (pe.time < time || (pe.time === time && pe.seq < e.seq)) break;
      a[i] = pe;
      i = p;
    }
    a[i] = e;
    return e;
  }
  pop(): BaseEntry | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top !== undefined && last !== undefined && a.length > 0) this.sinkFrom(0, last);
    return top;
  }
  /** Naive cancel: find the entry by linear search, move the last entry into its slot, restore order. */
  remove(e: BaseEntry): void {
    const a = this.items;
    const i = a.indexOf(e);
    if (i < 0) return;
    const last = a.pop()!;
    if (i === a.length) return;
    this.sinkFrom(i, last);
    let j = i;
    while (j > 0) {
      const p = (j - 1) >> 1;
      const pe = a[p]!;
      const cur = a[j]!;
      if (pe.time < cur.time || (pe.time === cur.time && pe.seq < cur.seq)) break;
      a[j] = pe;
      a[p] = cur;
      j = p;
    }
  }
  private sinkFrom(i: number, e: BaseEntry): void {
    const a = this.items;
    const n = a.length;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ce = a[c]!;
      if (c + 1 < n) {
        const r = a[c + 1]!;
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
  run(): void {
    for (let e = this.pop(); e !== undefined; e = this.pop()) {
      this.now = e.time;
      e.fn();
    }
  }
}

function holdEngine(total: number, pending: number): void {
  const sim = new Simulation();
  let left = total - pending;
  let k = 0;
  const tick = (): void => {
    if (left-- > 0) sim.schedule(DELAYS[k++ & MASK]!, tick);
  };
  for (let i = 0; i < pending; i++) sim.schedule(DELAYS[k++ & MASK]!, tick);
  sim.run();
}

function holdBaseline(total: number, pending: number): void {
  const heap = new MinimalHeap();
  let left = total - pending;
  let k = 0;
  const tick = (): void => {
    if (left-- > 0) heap.push(heap.now + DELAYS[k++ & MASK]!, tick);
  };
  for (let i = 0; i < pending; i++) heap.push(DELAYS[k++ & MASK]!, tick);
  heap.run();
}

// Cancel-heavy: each request arms a 15 s timeout and a response after a short delay; the response
// cancels the timeout (as Envoy's route timeout almost always is). Counted events: fired + cancelled.
function cancelEngine(requests: number, concurrency: number): void {
  const sim = new Simulation();
  let left = requests - concurrency;
  let k = 0;
  const start = (): void => {
    const timeout = sim.schedule(15_000_000, start);
    sim.schedule(DELAYS[k++ & MASK]!, () => {
      timeout.cancel();
      if (left-- > 0) start();
    });
  };
  for (let i = 0; i < concurrency; i++) start();
  sim.run();
}

function cancelBaseline(requests: number, concurrency: number): void {
  const heap = new MinimalHeap();
  let left = requests - concurrency;
  let k = 0;
  const start = (): void => {
    const timeout = heap.push(heap.now + 15_000_000, start);
    heap.push(heap.now + DELAYS[k++ & MASK]!, () => {
      heap.remove(timeout);
      if (left-- > 0) start();
    });
  };
  for (let i = 0; i < concurrency; i++) start();
  heap.run();
}

const suite: BenchSuite = {
  name: 'engine',
  run(ctx): BenchRow[] {
    const rows: BenchRow[] = [];
    const sizes = ctx.quick ? [1_000_000] : [1_000_000, 10_000_000];
    for (const total of sizes) {
      const label = `${total / 1_000_000}M`;
      ctx.log(`  schedule+pop ${label} events, 10k pending`);
      const m = compareRates(
        total,
        () => holdEngine(total, 10_000),
        () => holdBaseline(total, 10_000),
        total > 1_000_000 ? 1 : 3,
      );
      rows.push(ratioRow(`engine/schedule-pop-${label}`, 'events/s', m, 'minimal binary heap'));
    }
    const requests = ctx.quick ? 100_000 : 300_000;
    ctx.log(`  cancel-heavy ${requests / 1000}k requests, 2k concurrent`);
    const c = compareRates(
      requests * 3,
      () => cancelEngine(requests, 2_000),
      () => cancelBaseline(requests, 2_000),
    );
    rows.push(ratioRow('engine/schedule-cancel', 'events/s', c, 'binary heap, cancel by search'));
    return rows;
  },
};
export default suite;
