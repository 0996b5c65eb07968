import { describe, expect, it } from 'vitest';
import { canonicalJson, fnv1a32, safeEncodeString, safeSuffix, SAFE_ALPHANUMS } from './hash.js';

describe('hash', () => {
  it('fnv1a32() matches the FNV-1a 32-bit test vectors', () => {
    // http://www.isthe.com/chongo/src/fnv/test_fnv.c (FNV1A_32 of "", "a", "foobar")
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('safeEncodeString() maps each byte to bcdfghjklmnpqrstvwxz2456789[code % 27] (k8s util/rand)', () => {
    // '0' is 48 → 48 % 27 = 21 → '4'; '9' is 57 → 3 → 'f'
    expect(safeEncodeString('09')).toBe('4f');
    expect(SAFE_ALPHANUMS).toHaveLength(27);
  });

  it('safeSuffix() gives 5 safe characters, the same for the same key', () => {
    expect(safeSuffix('nginx-7fc7f5758/0')).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(safeSuffix('k')).toBe(safeSuffix('k'));
    expect(safeSuffix('k/0')).not.toBe(safeSuffix('k/1'));
  });

  it('canonicalJson() sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"z":1}]},"b":1}',
    );
  });
});
