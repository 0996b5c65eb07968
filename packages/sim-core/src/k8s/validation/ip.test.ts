import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isCIDR, isIPAddress, parseIPv4, parseIPv6 } from './ip.js';

describe('IP syntax (Go netip)', () => {
  test.prop([fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 })])(
    'dotted quads round-trip',
    (bytes) => {
      expect(parseIPv4(bytes.join('.'))).toEqual(bytes);
    },
  );

  test.prop([fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), fc.nat(7), fc.nat(8)])(
    'IPv6 groups round-trip, with any run of groups compressed to ::',
    (groups, from, len) => {
      const hex = groups.map((g) => g.toString(16));
      expect(parseIPv6(hex.join(':'))).toEqual(groups);
      const end = Math.min(8, from + Math.max(1, len));
      const zeroed = groups.map((g, i) => (i >= from && i < end ? 0 : g));
      const compressed = `${hex.slice(0, from).join(':')}::${hex.slice(end).join(':')}`;
      expect(parseIPv6(compressed)).toEqual(zeroed);
    },
  );

  it.each([
    ['10.0.0.1', true],
    ['10.0.0.01', false], // netip refuses leading zeros
    ['256.0.0.1', false],
    ['::', true],
    ['::ffff:192.168.1.1', true],
    ['fe80::1%eth0', true],
    ['1::2::3', false],
    ['example.com', false],
  ])('isIPAddress(%j) is %s', (s, ok) => expect(isIPAddress(s)).toBe(ok));

  it.each([
    ['10.0.0.0/8', true],
    ['10.0.0.0/33', false],
    ['2001:db8::/129', false],
    ['2001:db8::/48', true],
    ['10.0.0.0', false],
    ['fe80::1%eth0/64', false],
  ])('isCIDR(%j) is %s', (s, ok) => expect(isCIDR(s)).toBe(ok));
});
