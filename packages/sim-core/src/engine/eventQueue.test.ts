import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { EventQueue, type ScheduledEvent } from './eventQueue.js';

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
}

class PushCmd implements fc.Command<Model, Real> {
  constructor(
    readonly time: number,
    readonly priority: number,
  ) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const id = r.nextId++;
    const ev = r.queue.push(this.time, this.priority, () => r.fired.push(id), `e${id}`);
    r.handles.set(id, ev);
    m.pending.push({ time: this.time, priority: this.priority, seq: m.seq++, id });
    expect(r.queue.size).toBe(m.pending.length);
  }
  toString = (): string => `push(${this.time}, ${this.priority})`;
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

class PopCmd implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    m.pending.sort((a, b) => a.time - b.time || a.priority - b.priority || a.seq - b.seq);
    const expected = m.pending.shift();
    expect(r.queue.peekTime()).toBe(expected === undefined ? Infinity : expected.time);
    const ev = r.queue.pop();
    if (expected === undefined) {
      expect(ev).toBeUndefined();
      return;
    }
    expect(ev?.label).toBe(`e${expected.id}`);
    expect(ev?.pending).toBe(false);
    ev?.callback?.();
    expect(r.fired.at(-1)).toBe(expected.id);
    expect(r.queue.size).toBe(m.pending.length);
  }
  toString = (): string => 'pop()';
}

describe('EventQueue', () => {
  test.prop([
    fc.commands(
      [
        fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 2 })).map(([t, p]) => new PushCmd(t, p)),
        fc.nat().map((i) => new CancelCmd(i)),
        fc.constant(new PopCmd()),
      ],
      { size: '+1' },
    ),
  ])('orders by (time, priority, insertion) under any push/cancel/pop interleaving', (cmds) => {
    fc.modelRun(
      () => ({
        model: { pending: [], seq: 0 },
        real: { queue: new EventQueue(), handles: new Map(), fired: [], nextId: 0 },
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

  it('rejects priorities outside [0, 31]', () => {
    const q = new EventQueue();
    expect(() => q.push(0, 32, () => {}, '')).toThrow(RangeError);
    expect(() => q.push(0, 0.5, () => {}, '')).toThrow(RangeError);
  });
});
