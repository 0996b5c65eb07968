import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { OutcomeDigest } from './outcomeDigest.js';

// The digest as first written: the high word by division for every value (the class skips the division
// for values in [0, 2^32), where it is 0), MurmurHash3's fmix32 to finish.
function reference(values: readonly number[]): string {
  const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));
  const fmix = (h: number): number => {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  let h1 = 0x9e3779b9;
  let h2 = 0x85ebca6b;
  for (const v of values) {
    const lo = v >>> 0;
    const hi = Math.floor(v / 4294967296) >>> 0;
    h1 = Math.imul(rotl(h1 ^ Math.imul(lo, 0xcc9e2d51), 15), 0x1b873593) ^ hi;
    h2 = Math.imul(rotl(h2 ^ Math.imul(lo ^ h1, 0x85ebca6b), 13), 0xc2b2ae35) + hi;
  }
  const x = fmix(h1 ^ Math.imul(h2, 0x27d4eb2f));
  const y = fmix(h2 ^ Math.imul(x, 0x165667b1));
  return y.toString(16).padStart(8, '0') + x.toString(16).padStart(8, '0');
}

describe('OutcomeDigest', () => {
  const value = fc.oneof(
    fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    fc.constantFrom(0, 2 ** 32 - 1, 2 ** 32, -1, -(2 ** 32), Number.MAX_SAFE_INTEGER),
    fc.maxSafeInteger(),
  );

  test.prop([fc.array(value, { maxLength: 40 })])('mixes every value as the division formula does', (values) => {
    const d = new OutcomeDigest();
    for (const v of values) d.mix(v);
    expect(d.hex).toBe(reference(values));
    expect(d.hex).toMatch(/^[0-9a-f]{16}$/);
  });

  test.prop([fc.array(fc.nat({ max: 1000 }), { minLength: 2, maxLength: 20 })])(
    'the order of values matters (a swap of two different values changes the digest)',
    (values) => {
      fc.pre(values[0] !== values[1]);
      const a = new OutcomeDigest();
      const b = new OutcomeDigest();
      for (const v of values) a.mix(v);
      for (const v of [values[1]!, values[0]!, ...values.slice(2)]) b.mix(v);
      expect(a.hex).not.toBe(b.hex);
    },
  );

  it('interns strings as 1, 2, … in first-seen order', () => {
    const d = new OutcomeDigest();
    expect(['-', 'pod a', '-', 'UO', 'pod a'].map((s) => d.intern(s))).toEqual([1, 2, 1, 3, 2]);
  });
});
