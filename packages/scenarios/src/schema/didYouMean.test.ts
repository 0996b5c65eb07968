/** editDistance() is a metric (optimal string alignment) and didYouMean() only suggests close names. */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from './didYouMean.js';

const word = fc.string({ maxLength: 8 });

describe('editDistance()', () => {
  it.each([
    ['rat', 'rate', 1],
    ['rate', 'rtae', 1], // an adjacent swap costs one
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%s → %s is %i', (a, b, d) => expect(editDistance(a, b)).toBe(d));

  test.prop([word, word])('is symmetric and zero exactly for equal strings', (a, b) => {
    expect(editDistance(a, b)).toBe(editDistance(b, a));
    expect(editDistance(a, b) === 0).toBe(a === b);
  });
  test.prop([word, word])('is between the length difference and the longer length', (a, b) => {
    const d = editDistance(a, b);
    expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
    expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
  });
});

describe('didYouMean()', () => {
  const fields = ['rate', 'arrival', 'connections', 'qps', 'duration', 'requests', 'startAt'];
  it.each([
    ['rat', 'rate'],
    ['Rate', 'rate'],
    ['conections', 'connections'],
    ['durration', 'duration'],
    ['start', 'startAt'],
  ])('%s → %s', (typo, fix) => expect(didYouMean(typo, fields)).toBe(fix));
  it('suggests nothing for an unrelated word', () => expect(didYouMean('weight', fields)).toBeUndefined());
  test.prop([fc.constantFrom(...fields)])('a known name suggests itself', (f) => {
    expect(didYouMean(f, fields)).toBe(f);
  });
});
