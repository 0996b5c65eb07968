import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../errors.js';
import { Priority, type EventHandler } from './eventQueue.js';
import { Simulation } from './simulation.js';

// A small workload whose trace depends on random draws: each event draws a delay and reschedules.
function randomWalk(seed: number, events: number): Simulation {
  const sim = new Simulation({ seed, trace: 'digest' });
  const stream = sim.rng.stream('walk');
  let left = events;
  const tick = (): void => {
    if (--left <= 0) return;
    const delay = stream.below(1000);
    sim.schedule(delay, tick, Priority.NORMAL, `tick after ${delay}`);
  };
  sim.schedule(0, tick, Priority.NORMAL, 'start');
  sim.run();
  return sim;
}

describe('Simulation', () => {
  test.prop([
    fc.array(
      fc.record({
        delay: fc.integer({ min: 0, max: 50 }),
        priority: fc.integer({ min: 0, max: 2 }),
        cancel: fc.boolean(),
      }),
      {
        maxLength: 200,
      },
    ),
  ])('fires in non-decreasing time, FIFO among equal (time, priority), and never fires a cancelled event', (specs) => {
    const sim = new Simulation();
    const fired: { t: number; p: number; i: number }[] = [];
    const handles = specs.map((spec, i) =>
      sim.schedule(spec.delay, () => fired.push({ t: sim.now, p: spec.priority, i }), spec.priority),
    );
    specs.forEach((spec, i) => {
      if (spec.cancel) handles[i]!.cancel();
    });
    sim.run();
    const expected = specs
      .map((spec, i) => ({ t: spec.delay, p: spec.priority, i, cancel: spec.cancel }))
      .filter((e) => !e.cancel)
      .sort((a, b) => a.t - b.t || a.p - b.p || a.i - b.i)
      .map(({ t, p, i }) => ({ t, p, i }));
    expect(fired).toEqual(expected);
  });

  test.prop([
    fc.array(
      fc.record({
        delay: fc.integer({ min: 0, max: 50 }),
        priority: fc.integer({ min: 0, max: 2 }),
        cancel: fc.boolean(),
        closureFree: fc.boolean(),
      }),
      { maxLength: 200 },
    ),
  ])('scheduleCall fires in the same order, with the same trace, as schedule with a closure', (specs) => {
    const run = (useCall: boolean): { fired: string[]; digest: string | undefined } => {
      const sim = new Simulation({ trace: 'digest' });
      const fired: string[] = [];
      const handler: EventHandler = { handleEvent: (kind) => fired.push(`${sim.now}:${kind}`) };
      const handles = specs.map((spec, i) =>
        useCall && spec.closureFree
          ? sim.scheduleCall(spec.delay, handler, i, spec.priority, `e${i}`)
          : sim.schedule(spec.delay, () => handler.handleEvent(i), spec.priority, `e${i}`),
      );
      specs.forEach((spec, i) => {
        if (spec.cancel) handles[i]!.cancel();
      });
      sim.run();
      return { fired, digest: sim.trace?.digestHex };
    };
    const closures = run(false);
    const mixed = run(true);
    expect(mixed).toEqual(closures);
    expect(mixed.fired).toHaveLength(specs.filter((spec) => !spec.cancel).length);
  });

  test.prop([
    fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 60 }),
    fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 8 }),
  ])('running to successive `until`s fires the same events at the same times as one run', (delays, steps) => {
    const build = (): { sim: Simulation; fired: string[] } => {
      const sim = new Simulation();
      const fired: string[] = [];
      delays.forEach((d, i) =>
        sim.schedule(d, () => {
          fired.push(`${sim.now}:${i}`);
          // Events due at the same instant, and later, are scheduled while running.
          if (i % 3 === 0) sim.schedule(i % 2, () => fired.push(`${sim.now}:${i}'`));
        }),
      );
      return { sim, fired };
    };
    const whole = build();
    whole.sim.run();
    const chunked = build();
    let until = 0;
    for (const step of steps) {
      until += step;
      const summary = chunked.sim.run({ until });
      expect(summary.reason).toBe('until');
      expect(chunked.sim.now).toBe(until);
      expect(chunked.fired.every((f) => Number(f.split(':')[0]) <= until)).toBe(true);
    }
    chunked.sim.run();
    expect(chunked.fired).toEqual(whole.fired);
  });

  it('run({until}) fires events at times ≤ until and then sets the clock to until', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    for (const t of [5, 10, 15]) sim.schedule(t, () => seen.push(t));
    expect(sim.run({ until: 10 })).toEqual({ reason: 'until', events: 2, now: 10 });
    expect(seen).toEqual([5, 10]);
    expect(sim.pending).toBe(1);
    expect(sim.run()).toEqual({ reason: 'empty', events: 1, now: 15 });
  });

  it('run({maxEvents}) stops after the budget', () => {
    const sim = new Simulation();
    for (let i = 0; i < 10; i++) sim.schedule(i, () => {});
    expect(sim.run({ maxEvents: 3 })).toEqual({ reason: 'maxEvents', events: 3, now: 2 });
    expect(sim.step()).toBe(true);
    expect(sim.now).toBe(3);
    expect(sim.eventsFired).toBe(4);
  });

  it('step() returns false on an empty queue', () => {
    expect(new Simulation().step()).toBe(false);
  });

  it('events scheduled during an event at delay 0 run after those already due at that time', () => {
    const sim = new Simulation();
    const order: string[] = [];
    sim.schedule(1, () => {
      order.push('a');
      sim.schedule(0, () => order.push('c'));
    });
    sim.schedule(1, () => order.push('b'));
    sim.run();
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('refuses negative, fractional and past times', () => {
    const sim = new Simulation();
    sim.schedule(10, () => {});
    sim.run();
    expect(() => sim.schedule(-1, () => {})).toThrow(InvariantError);
    expect(() => sim.schedule(1.5, () => {})).toThrow(InvariantError);
    expect(() => sim.schedule(NaN, () => {})).toThrow(InvariantError);
    expect(() => sim.schedule(Infinity, () => {})).toThrow(InvariantError);
    expect(() => sim.scheduleCall(-1, { handleEvent: () => {} }, 0)).toThrow(InvariantError);
    expect(() => sim.scheduleCall(0.5, { handleEvent: () => {} }, 0)).toThrow(InvariantError);
    expect(sim.pending).toBe(0);
    expect(() => sim.at(5, () => {})).toThrow(InvariantError);
    expect(() => sim.run({ until: 5 })).toThrow(InvariantError);
  });

  test.prop([fc.integer(), fc.integer({ min: 1, max: 300 })])(
    'the same seed gives the same trace digest',
    (seed, n) => {
      const a = randomWalk(seed, n);
      const b = randomWalk(seed, n);
      expect(a.trace?.digestHex).toBe(b.trace?.digestHex);
      expect(a.now).toBe(b.now);
    },
  );

  test.prop([fc.integer(), fc.integer()])('different seeds give different draws and digests', (s1, s2) => {
    fc.pre(s1 !== s2);
    const a = randomWalk(s1, 50);
    const b = randomWalk(s2, 50);
    expect(a.trace?.digestHex).not.toBe(b.trace?.digestHex);
  });

  it('keeps records only in records mode, with the same digest as digest mode', () => {
    const run = (mode: 'digest' | 'records'): Simulation => {
      const sim = new Simulation({ seed: 7, trace: mode });
      sim.schedule(3, () => sim.record('custom', 'hello'), Priority.NORMAL, 'first');
      sim.run();
      return sim;
    };
    const d = run('digest');
    const r = run('records');
    expect(d.trace?.records).toEqual([]);
    expect(r.trace?.records).toEqual([
      { time: 3, kind: 'event', detail: 'first' },
      { time: 3, kind: 'custom', detail: 'hello' },
    ]);
    expect(r.trace?.digestHex).toBe(d.trace?.digestHex);
    expect(new Simulation().trace).toBeNull();
  });
});
