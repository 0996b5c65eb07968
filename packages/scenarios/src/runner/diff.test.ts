import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, type LoadedScenario } from '../load/loadScenario.js';
import { diffVariants } from './diff.js';

const CANARY = join(import.meta.dirname, '..', 'library', 'canary', 'scenario.yaml');
let canary: LoadedScenario;
beforeAll(async () => {
  canary = await loadScenario(CANARY);
});

describe('diffVariants()', () => {
  // Same variant, any seed: common random numbers make both runs identical, so nothing can differ.
  test.prop([fc.integer({ min: 0, max: 1_000_000 })], { numRuns: 5 })(
    'identical variants: no significant difference, whatever the seed',
    (seed) => {
      const d = diffVariants(canary, { a: 'baseline', b: 'baseline', seed, duration: 8_000_000 });
      expect(d.significant).toBe(false);
      for (const g of d.generators) {
        expect(g.unpaired).toEqual({ a: 0, b: 0 });
        for (const s of g.shares) expect([s.difference, s.discordant]).toEqual([0, { aOnly: 0, bOnly: 0 }]);
        expect(g.latencyShift.ties).toBe(g.pairs);
        for (const p of g.percentiles) expect(p.difference).toBe(0);
      }
    },
  );

  it('a weight change: the split moves by the weight difference, within the interval, and is significant', () => {
    // Before the first event (30 s) the users' route is 90/10 in the baseline and 50/50 in fifty-fifty.
    const d = diffVariants(canary, { a: 'baseline', b: 'fifty-fifty', duration: 25_000_000 });
    const users = d.generators.find((g) => g.name === 'users');
    const v2 = users?.shares.find((s) => s.subset === 'v2');
    expect(v2?.significant).toBe(true);
    expect(v2?.interval.lower).toBeLessThan(40);
    expect(v2?.interval.upper).toBeGreaterThan(40);
    // The tester's route is untouched: its split cannot change.
    const tester = d.generators.find((g) => g.name === 'tester');
    expect(tester?.shares.every((s) => !s.significant)).toBe(true);
  });

  it('a slower v2: the tester (always on v2) gets slower; the sign test and its median interval say so', () => {
    const d = diffVariants(canary, { a: 'baseline', b: 'slow-v2', duration: 40_000_000 });
    const tester = d.generators.find((g) => g.name === 'tester');
    expect(tester?.latencyShift.significant).toBe(true);
    expect(tester?.latencyShift.interval.lower).toBeGreaterThan(0);
    // The split does not depend on service times.
    const users = d.generators.find((g) => g.name === 'users');
    expect(users?.shares.every((s) => !s.significant)).toBe(true);
  });

  it('pools the pairs of several seeds', () => {
    const one = diffVariants(canary, { a: 'baseline', b: 'fifty-fifty', duration: 5_000_000 });
    const two = diffVariants(canary, { a: 'baseline', b: 'fifty-fifty', duration: 5_000_000, runs: 2 });
    expect(two.seeds).toEqual([1, 2]);
    const pairs = (d: typeof one) => d.generators.find((g) => g.name === 'users')?.pairs ?? 0;
    expect(pairs(two)).toBeGreaterThan(pairs(one));
  });
});
