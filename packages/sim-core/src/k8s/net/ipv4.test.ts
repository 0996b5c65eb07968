import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { AddressPool } from './ipam.js';
import { cidrContains, formatCidr, formatIPv4, parseCidr, parseIPv4 } from './ipv4.js';

describe('IPv4', () => {
  test.prop([fc.integer({ min: 0, max: 0xffffffff })])('formatIPv4/parseIPv4 round-trip', (n) => {
    expect(parseIPv4(formatIPv4(n))).toBe(n);
  });

  it('rejects malformed addresses and CIDRs', () => {
    for (const bad of ['1.2.3', '1.2.3.256', '01.2.3.4', 'a.b.c.d', '1.2.3.4.5'])
      expect(parseIPv4(bad)).toBeUndefined();
    expect(() => parseCidr('10.0.0.0/33')).toThrow(ConfigError);
    expect(formatCidr(parseCidr('10.244.3.7/16'))).toBe('10.244.0.0/16');
  });

  test.prop([fc.array(fc.string(), { maxLength: 300 })])(
    'an AddressPool hands out distinct addresses inside its block, skipping network and broadcast',
    (keys) => {
      const cidr = parseCidr('10.244.1.0/24');
      const pool = new AddressPool(cidr, 2, 1);
      const got = new Set<string>();
      const unique = [...new Set(keys)];
      for (const k of unique) {
        const a = pool.allocate(k);
        if (got.size >= 253) expect(a).toBeUndefined();
        if (a === undefined) continue;
        expect(got.has(a)).toBe(false);
        got.add(a);
        const n = parseIPv4(a) as number;
        expect(cidrContains(cidr, n)).toBe(true);
        expect(n & 255).toBeGreaterThanOrEqual(2);
        expect(n & 255).toBeLessThanOrEqual(254);
      }
    },
  );

  it('reserve() keeps an address for its owner and reports a clash', () => {
    const pool = new AddressPool(parseCidr('10.96.0.0/12'), 16, 1);
    expect(pool.reserve('10.96.0.10', 'kube-system/kube-dns')).toBeUndefined();
    expect(pool.reserve('10.96.0.10', 'default/other')).toBe('kube-system/kube-dns');
  });
});
