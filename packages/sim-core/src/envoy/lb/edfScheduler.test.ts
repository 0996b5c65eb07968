// EdfScheduler, checked against Envoy's test/common/upstream/edf_scheduler_test.cc (EdfSchedulerTest.*).
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../engine/rng.js';
import { chiSquareCritical, chiSquareStatistic } from '../../testing/stats.js';
import { EdfScheduler } from './edfScheduler.js';

const picks = <T>(s: EdfScheduler<T>, n: number, w: (x: T) => number): T[] =>
  Array.from({ length: n }, () => s.pickAndAdd(w) as T);

describe('EdfScheduler', () => {
  it('pickAndAdd()/peekAgain() on an empty scheduler return undefined (Empty)', () => {
    const s = new EdfScheduler<number>();
    expect(s.peekAgain(() => 1)).toBeUndefined();
    expect(s.pickAndAdd(() => 1)).toBeUndefined();
  });

  it('equal weights give plain round robin, peeks agreeing with picks (Unweighted)', () => {
    const s = new EdfScheduler<number>();
    for (let i = 0; i < 128; i++) s.add(1, i);
    for (let round = 0; round < 128; round++) {
      for (let i = 0; i < 128; i++) {
        const peek = s.peekAgain(() => 1);
        const p = s.pickAndAdd(() => 1);
        expect(p).toBe(i);
        expect(peek).toBe(p);
      }
    }
  });

  it('weights 1..128 give picks in proportion over a full cycle (Weighted)', () => {
    const s = new EdfScheduler<number>();
    const count = new Array<number>(128).fill(0);
    for (let i = 0; i < 128; i++) s.add(i + 1, i);
    for (let k = 0; k < (128 * 129) / 2; k++) {
      const peek = s.peekAgain((i) => i + 1);
      const p = s.pickAndAdd((i) => i + 1) as number;
      expect(p).toBe(peek);
      count[p]!++;
    }
    expect(count).toEqual(Array.from({ length: 128 }, (_, i) => i + 1));
  });

  it('many peeks ahead are returned by later picks in order (ManyPeekahead)', () => {
    const a = new EdfScheduler<number>();
    const b = new EdfScheduler<number>();
    for (let i = 0; i < 128; i++) {
      a.add(1, i);
      b.add(1, i);
    }
    const peeked = Array.from({ length: 10 }, () => a.peekAgain(() => 1));
    for (let r = 0; r < 10; r++) {
      const p1 = a.pickAndAdd(() => 1);
      expect(p1).toBe(peeked[r]);
      expect(b.pickAndAdd(() => 1)).toBe(p1);
    }
  });

  // Envoy's compareEdfSchedulers: same entries in the same queue order, deadlines within 1e-5 (the closed
  // form and step-by-step picking differ in the last bits), insertion order ignored.
  const expectSameQueue = <T>(a: EdfScheduler<T>, b: EdfScheduler<T>): void => {
    const qa = a.snapshot();
    const qb = b.snapshot();
    expect(qb.map((e) => e.item)).toEqual(qa.map((e) => e.item));
    qa.forEach((e, i) => expect(Math.abs(e.deadline - (qb[i] as { deadline: number }).deadline)).toBeLessThan(1e-5));
  };

  it('createWithPicks(entries, w, 0) equals adding the entries one by one (SchedulerWithZeroPicksEqualTo…)', () => {
    const entries = Array.from({ length: 128 }, (_, i) => i + 1);
    const a = new EdfScheduler<number>();
    for (const e of entries) a.add(e, e);
    expectSameQueue(
      a,
      EdfScheduler.createWithPicks(entries, (w) => w, 0),
    );
  });

  it('createWithPicks(entries, w, P) equals P picks from scratch (SchedulerWithSomePicksEqualTo…)', () => {
    // Distinct double weights in [0.01, 100.5], as in Envoy's test.
    const entries = Array.from({ length: 128 }, (_, i) => ((100.5 - 0.01) / 128) * i + 0.01);
    for (const p of [5, 140, 501, 123456, 894571]) {
      const a = new EdfScheduler<number>();
      for (const e of entries) a.add(e, e);
      picks(a, p, (w) => w);
      expectSameQueue(
        a,
        EdfScheduler.createWithPicks(entries, (w) => w, p),
      );
    }
  });

  it('createWithPicks() of no entries is empty', () => {
    const s = EdfScheduler.createWithPicks<number>([], (w) => w, 123);
    expect(s.pickAndAdd(() => 1)).toBeUndefined();
  });

  it('createWithPicks truncates the 64-bit seed to 32 bits, as the C++ uint32_t parameter does', () => {
    const entries = [1, 2, 3];
    const seq = (picksArg: number): number[] =>
      picks(
        EdfScheduler.createWithPicks(entries, (w) => w, picksArg),
        6,
        (w) => w,
      );
    expect(seq(2 ** 32 + 5)).toEqual(seq(5));
    expect(seq(429496729 + 7)).toEqual(seq(7));
  });

  // Envoy's SchedulerWithRandomPicksFirstPickDistribution, with an exact chi-square test instead of a
  // ±1 % band: the first pick after a random pre-pick count follows the weights. Fixed seed, alpha 0.001.
  it.each([[[25, 75]], [[1, 99]], [[50, 50]], [[1, 20, 79]]])(
    'the first pick after createWithPicks(random) follows weights %j',
    (weights) => {
      const rng = new RandomStream('edf-first-pick', String(weights));
      const entries = weights.map((_, i) => i);
      const counts = new Array<number>(weights.length).fill(0);
      const n = 20_000;
      for (let k = 0; k < n; k++) {
        const s = EdfScheduler.createWithPicks(entries, (i) => weights[i] as number, rng.random());
        counts[s.pickAndAdd((i) => weights[i] as number) as number]!++;
      }
      const stat = chiSquareStatistic(
        counts,
        weights.map((w) => w / 100),
      );
      expect(stat).toBeLessThan(chiSquareCritical(weights.length, 0.001));
    },
  );

  test.prop([fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 8 }), fc.nat({ max: 5000 })])(
    'over any window of Σw consecutive picks each entry is picked w times ± 1',
    (weights, pre) => {
      const entries = weights.map((_, i) => i);
      const s = EdfScheduler.createWithPicks(entries, (i) => weights[i] as number, pre);
      const total = weights.reduce((a, b) => a + b, 0);
      const count = new Array<number>(weights.length).fill(0);
      for (const p of picks(s, total, (i) => weights[i] as number)) count[p]!++;
      count.forEach((c, i) => expect(Math.abs(c - (weights[i] as number))).toBeLessThanOrEqual(1));
    },
  );
});
