import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { normalizePath } from './pathNormalization.js';

describe('normalizePath() — PathUtil::canonicalPath', () => {
  // Cases in the spirit of Envoy's path_utility_test.cc NormalizeValidPaths.
  it.each([
    ['/xyz', '/xyz'],
    ['/x/../z', '/z'],
    ['/x/./z', '/x/z'],
    ['/x/y/..', '/x/'],
    ['/../x', '/x'],
    ['/x/%2e%2E/z', '/z'],
    ['/x\\y', '/x/y'],
    ['/a/../b?c=/../d', '/b?c=/../d'],
    ['/a//b', '/a//b'],
  ])('%s → %s', (input, want) => {
    expect(normalizePath(input)).toBe(want);
  });
  it('merges slashes only when asked', () => {
    expect(normalizePath('/a//b///c', { mergeSlashes: true })).toBe('/a/b/c');
  });
  test.prop([fc.array(fc.constantFrom('a', 'b', '.', '..', '%2e', '', 'c d'), { maxLength: 8 })])(
    'is idempotent and leaves no dot segments',
    (segs) => {
      const once = normalizePath(`/${segs.join('/')}`);
      expect(normalizePath(once)).toBe(once);
      expect(once.split('/').some((s) => s === '.' || s === '..')).toBe(false);
    },
  );
});
