import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { EventQueue, type EventHandler, type ScheduledEvent } from './eventQueue.js';

// Model-based test: the heap with lazy cancellation against a naive sorted array.
interface Model {
  pending: { time: number; priority: number; seq: number; id: number }[];
  seq: number;
}
interface Real {
  queue: EventQueue;
  handles: Map<number, ScheduledEvent>;
  fired: number[];
  nextId: number;
  /** Receives the closure-free events: their kind is their id. */
  handler: EventHandler;
}

class PushCmd implements fc.Command<Model, Real> {
  constructor(
    readonly time: number,
    readonly priority: number,
    readonly closureFree: boolean,
  ) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const id = r.nextId++;
    const ev = this.closureFree
      ? r.queue.pushCall(this.time, this.priority, r.handler, id, `e${id}`)
      : r.queue.push(this.time, this.priority, () => r.fired.push(id), `e${id}`);
    r.handles.set(id, ev);
    m.pending.push({ time: this.time, priority: this.priority, seq: m.seq++, id });
    expect(r.queue.size).toBe(m.pending.length);
  }
  toString = (): string => `${this.closureFree ? 'pushCall' : 'push'}(${this.time}, ${this.priority})`;
}

class CancelCmd implements fc.Command<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Model): boolean => m.pending.length > 0;
  run(m: Model, r: Real): void {
    const victim = m.pending[this.pick % m.pending.length]!;
    m.pending = m.pending.filter((e) => e !== victim);
    const handle = r.handles.get(victim.id)!;
    handle.cancel();
    handle.cancel(); // idempotent
    expect(handle.cancelled).toBe(true);
    expect(r.queue.size).toBe(m.pending.length);
  }
  toString = (): string => `cancel(#${this.pick})`;
}

// pop(), or popDue(until): the next event only if it is due by `until`.
class PopCmd implements fc.Command<Model, Real> {
  constructor(readonly until: number | undefined) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    m.pending.sort((a, b) => a.time - b.time || a.priority - b.priority || a.seq - b.seq);
    const next = m.pending[0];
    expect(r.queue.peekTime()).toBe(next === undefined ? Infinity : next.time);
    const due = next !== undefined && (this.until === undefined || next.time <= this.until);
    const ev = this.until === undefined ? r.queue.pop() : r.queue.popDue(this.until);
    if (!due) {
      expect(ev).toBeUndefined();
      expect(r.queue.size).toBe(m.pending.length);
      return;
    }
    m.pending.shift();
    expect(ev?.label).toBe(`e${next.id}`);
    expect(ev?.time).toBe(next.time);
    expect(ev?.priority).toBe(next.priority);
    expect(ev?.pending).toBe(false);
    expect(ev?.cancelled).toBe(false);
    ev?.dispatch();
    ev?.dispatch(); // runs once
    ev?.cancel(); // no effect on a fired event
    expect(r.fired.at(-1)).toBe(next.id);
    expect(r.fired.filter((id) => id === next.id)).toHaveLength(1);
    expect(r.queue.size).toBe(m.pending.length);
  }
  toString = (): string => (this.until === undefined ? 'pop()' : `popDue(${this.until})`);
}

describe('EventQueue', () => {
  test.prop([
    fc.commands(
      [
        fc
          .tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 2 }), fc.boolean())
          .map(([t, p, closureFree]) => new PushCmd(t, p, closureFree)),
        fc.nat().map((i) => new CancelCmd(i)),
        fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }).map((until) => new PopCmd(until)),
      ],
      { size: '+1' },
    ),
  ])('orders by (time, priority, insertion) under any push/cancel/pop interleaving', (cmds) => {
    fc.modelRun(
      () => ({
        model: { pending: [], seq: 0 },
        real: ((): Real => {
          const fired: number[] = [];
          return {
            queue: new EventQueue(),
            handles: new Map(),
            fired,
            nextId: 0,
            handler: { handleEvent: (kind) => fired.push(kind) },
          };
        })(),
      }),
      cmds,
    );
  });

  it('never yields a cancelled event, even after compaction', () => {
    const q = new EventQueue();
    const handles = Array.from({ length: 1000 }, (_, i) => q.push(i, 1, () => {}, `e${i}`));
    handles.forEach((h, i) => {
      if (i % 10 !== 0) h.cancel();
    });
    expect(q.size).toBe(100);
    const out: string[] = [];
    for (let ev = q.pop(); ev !== undefined; ev = q.pop()) out.push(ev.label);
    expect(out).toEqual(Array.from({ length: 100 }, (_, i) => `e${i * 10}`));
  });

  test.prop([
    fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 2 })), {
      minLength: 200,
      maxLength: 400,
    }),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 2 })), { maxLength: 100 }),
    fc.integer({ min: 0, max: 1000 }),
  ])('keeps the order when cancellations compact the heap', (first, later, salt) => {
    // Cancelling more than half of ≥ 200 entries (> 64 dead) rebuilds the heap at least once.
    const q = new EventQueue();
    const all = [...first, ...later].map(([time, priority], seq) => ({ time, priority, seq }));
    const handles = first.map(([t, p], i) => q.push(t, p, () => {}, `e${i}`));
    const cancelled = new Set<number>();
    for (let k = 0; cancelled.size * 2 <= first.length + 2; k++) {
      const i = (k * 7919 + salt) % first.length;
      handles[i]!.cancel();
      cancelled.add(i);
    }
    later.forEach(([t, p], j) => q.push(t, p, () => {}, `e${first.length + j}`));
    expect(q.size).toBe(all.length - cancelled.size);
    const expected = all
      .filter((e) => !cancelled.has(e.seq))
      .sort((a, b) => a.time - b.time || a.priority - b.priority || a.seq - b.seq)
      .map((e) => `e${e.seq}`);
    const out: string[] = [];
    for (let ev = q.pop(); ev !== undefined; ev = q.pop()) out.push(ev.label);
    expect(out).toEqual(expected);
  });

  it('rejects priorities outside [0, 31]', () => {
    const q = new EventQueue();
    expect(() => q.push(0, 32, () => {}, '')).toThrow(RangeError);
    expect(() => q.push(0, 0.5, () => {}, '')).toThrow(RangeError);
    expect(() => q.push(0, -1, () => {}, '')).toThrow(RangeError);
    expect(() => q.push(0, NaN, () => {}, '')).toThrow(RangeError);
    expect(() => q.pushCall(0, Infinity, { handleEvent: () => {} }, 0, '')).toThrow(RangeError);
    expect(q.size).toBe(0);
  });
});
