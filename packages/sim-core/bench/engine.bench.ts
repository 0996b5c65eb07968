/**
 * Engine micro-benchmarks. Baselines, run in the same process:
 * - schedule+pop: a minimal hand-written binary heap of {time, seq, callback} with no priorities, no
 *   cancellation and no trace hook (bareQueue.ts `BareCallbackHeap`) — the floor any event list pays;
 * - cancel-heavy: the same heap where a cancel removes the entry by searching for it (the naive approach);
 * - schedule-call: the engine itself with a closure per event (`schedule(d, () => stream.handleEvent(k))`,
 *   as callers write today), so the ratio is what the closure-free `scheduleCall(d, stream, k)` saves.
 * Workload ("hold model"): keep `pending` events in the queue; each fired event schedules a successor at
 * a pseudo-random delay drawn from a precomputed table (so both sides do identical arithmetic).
 */
import type { EventHandler } from '../src/engine/eventQueue.js';
import { Simulation } from '../src/engine/simulation.js';
import { compareRates, ratioRow, type BenchRow, type BenchSuite } from '../../../scripts/bench/harness.js';
import { BareCallbackHeap, xorshift32 } from './bareQueue.js';

const DELAYS = xorshift32(1 << 16).map((u) => u % 10_000);
const MASK = DELAYS.length - 1;

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
  const heap = new BareCallbackHeap();
  let left = total - pending;
  let k = 0;
  const tick = (): void => {
    if (left-- > 0) heap.push(heap.now + DELAYS[k++ & MASK]!, tick);
  };
  for (let i = 0; i < pending; i++) heap.push(DELAYS[k++ & MASK]!, tick);
  heap.run();
}

/**
 * Hold model where each event carries its own state, as a message for one stream does: `pending` "streams",
 * each event of stream `i` schedules the next event of stream `i`. `closureFree` uses `scheduleCall`; otherwise
 * a closure per event, as `sim.schedule(d, () => stream.arrive())` allocates.
 */
function holdStreams(total: number, pending: number, closureFree: boolean): void {
  const sim = new Simulation();
  let left = total - pending;
  let k = 0;
  const hops = new Uint32Array(pending);
  const streams: EventHandler = {
    handleEvent(i: number): void {
      hops[i]!++;
      if (left-- <= 0) return;
      if (closureFree) sim.scheduleCall(DELAYS[k++ & MASK]!, streams, i);
      else sim.schedule(DELAYS[k++ & MASK]!, () => streams.handleEvent(i));
    },
  };
  for (let i = 0; i < pending; i++) {
    if (closureFree) sim.scheduleCall(DELAYS[k++ & MASK]!, streams, i);
    else sim.schedule(DELAYS[k++ & MASK]!, () => streams.handleEvent(i));
  }
  sim.run();
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
  const heap = new BareCallbackHeap();
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
    // 100 pending: the size of the future event list in the Bookinfo world (≈ 80 entries).
    ctx.log('  schedule-call 1M events, 100 streams');
    const sc = compareRates(
      1_000_000,
      () => holdStreams(1_000_000, 100, true),
      () => holdStreams(1_000_000, 100, false),
    );
    rows.push(ratioRow('engine/schedule-call-1M', 'events/s', sc, 'schedule with a closure per event'));
    return rows;
  },
};
export default suite;
