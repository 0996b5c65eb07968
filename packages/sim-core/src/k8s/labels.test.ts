import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatLabels, labelsMatch, selectorMatches } from './labels.js';

describe('label selectors (k8s.io/apimachinery/pkg/labels)', () => {
  const pod = { app: 'reviews', version: 'v1', empty: '' };
  it.each([
    ['empty selector selects everything', {}, true],
    ['matchLabels equal', { matchLabels: { app: 'reviews' } }, true],
    ['matchLabels differ', { matchLabels: { app: 'ratings' } }, false],
    ['In', { matchExpressions: [{ key: 'version', operator: 'In' as const, values: ['v1', 'v2'] }] }, true],
    ['In, key absent', { matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['x'] }] }, false],
    [
      'NotIn, key absent matches',
      { matchExpressions: [{ key: 'tier', operator: 'NotIn' as const, values: ['x'] }] },
      true,
    ],
    ['NotIn', { matchExpressions: [{ key: 'version', operator: 'NotIn' as const, values: ['v1'] }] }, false],
    ['Exists, empty value', { matchExpressions: [{ key: 'empty', operator: 'Exists' as const }] }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'empty', operator: 'DoesNotExist' as const }] }, false],
    [
      'labels and expressions are ANDed',
      {
        matchLabels: { app: 'reviews' },
        matchExpressions: [{ key: 'version', operator: 'In' as const, values: ['v2'] }],
      },
      false,
    ],
  ])('%s', (_, selector, want) => {
    expect(selectorMatches(selector, pod)).toBe(want);
  });

  const labels = fc.dictionary(fc.constantFrom('app', 'version', 'tier'), fc.constantFrom('a', 'b', ''));
  test.prop([labels, labels])('a selector matches any superset of itself', (sel, extra) => {
    expect(labelsMatch(sel, { ...extra, ...sel })).toBe(true);
  });

  it('formatLabels() is labels.Selector.String(): sorted k=v joined by commas', () => {
    expect(formatLabels({ version: 'v1', app: 'reviews' })).toBe('app=reviews,version=v1');
  });
});
