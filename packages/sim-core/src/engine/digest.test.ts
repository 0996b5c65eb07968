import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { Digest, digestOf } from './digest.js';

describe('Digest', () => {
  it('is a stable 16-hex-digit fingerprint (pinned: it must not change across machines or releases)', () => {
    expect(digestOf([])).toMatch(/^[0-9a-f]{16}$/);
    expect(digestOf(['meshsim'])).toBe('86247a562bf55580');
    expect(digestOf(['ab', 'c'])).not.toBe(digestOf(['a', 'bc']));
  });

  test.prop([fc.array(fc.string()), fc.array(fc.string())])(
    'digests differ when the sequences differ (no collisions seen)',
    (a, b) => {
      fc.pre(JSON.stringify(a) !== JSON.stringify(b));
      expect(digestOf(a)).not.toBe(digestOf(b));
    },
  );

  it('hex() does not disturb further updates', () => {
    const d = new Digest().update('x');
    d.hex();
    expect(d.update('y').hex()).toBe(digestOf(['x', 'y']));
  });
});
