import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  formatCidr,
  formatIp,
  parseEndpoint,
  parseGoPrefix,
  parseIp,
  parseIptablesCidr,
  type IpAddress,
} from './addr.js';
import { splitRestoreLine, splitShellWords, quoteRestoreArg } from './tokens.js';

const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));

describe('addresses', () => {
  test.prop([v4])('parseIp ∘ formatIp is the identity on dotted quads', (s) => {
    expect(formatIp(parseIp(s) as IpAddress)).toBe(s);
  });

  test.prop([fc.ipV6()])('IPv6 text round-trips through the canonical (RFC 5952) form', (s) => {
    const a = parseIp(s) as IpAddress;
    expect(a).toBeDefined();
    expect(parseIp(formatIp(a))).toEqual(a);
  });

  it.each([
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:6', '::6'],
    ['::127.0.0.53', '::7f00:35'],
    ['fd00:0:0:1::10', 'fd00:0:0:1::10'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['::ffff:10.1.2.3', '::ffff:10.1.2.3'],
  ])('formats %s as inet_ntop does: %s', (input, out) => {
    expect(formatIp(parseIp(input) as IpAddress)).toBe(out);
  });

  it('parses iptables prefixes: bare host, /len, dotted netmask; masks host bits when saved', () => {
    expect(formatCidr(parseIptablesCidr('10.96.1.1')!)).toBe('10.96.1.1/32');
    expect(formatCidr(parseIptablesCidr('10.1.2.3/8')!)).toBe('10.0.0.0/8');
    expect(formatCidr(parseIptablesCidr('10.0.0.0/255.255.0.0')!)).toBe('10.0.0.0/16');
    expect(parseIptablesCidr('10.0.0.0/255.0.255.0')).toBeUndefined();
    expect(parseIptablesCidr('example.com')).toBeUndefined();
    expect(parseGoPrefix('10.0.0.1')).toBeUndefined(); // netip.ParsePrefix needs the length
  });

  test.prop([v4, fc.integer({ min: 0, max: 32 }), v4])(
    'cidrContains agrees with comparing the top bits',
    (net, len, addr) => {
      const c = parseIptablesCidr(`${net}/${len}`)!;
      const bits = (s: string) =>
        s
          .split('.')
          .map((o) => Number(o).toString(2).padStart(8, '0'))
          .join('');
      expect(cidrContains(c, parseIp(addr)!)).toBe(bits(net).slice(0, len) === bits(addr).slice(0, len));
    },
  );

  it('parses endpoints with bracketed IPv6', () => {
    expect(parseEndpoint('10.96.0.10:80')?.port).toBe(80);
    expect(formatIp(parseEndpoint('[fd00::1]:15001')!.ip)).toBe('fd00::1');
    expect(parseEndpoint('10.96.0.10')).toBeUndefined();
  });
});

describe('tokens', () => {
  it('splits iptables-restore lines: double quotes with escapes, single quotes literal', () => {
    expect(splitRestoreLine('-A X -m comment --comment "a \\"b\\" c" -j RETURN')).toEqual([
      '-A',
      'X',
      '-m',
      'comment',
      '--comment',
      'a "b" c',
      '-j',
      'RETURN',
    ]);
    expect(splitRestoreLine(`--comment 'x y'`)).toEqual(['--comment', "'x", "y'"]);
    expect(splitRestoreLine('a "" b')).toEqual(['a', '', 'b']);
  });

  test.prop([fc.array(fc.string(), { maxLength: 6 })])('quoteRestoreArg round-trips any argument list', (args) => {
    expect(splitRestoreLine(args.map(quoteRestoreArg).join(' '))).toEqual(args);
  });

  it('splits shell words as the injection template’s args are written', () => {
    expect(splitShellWords(`-i '*' -x "" -b '*' -d 15090,15021,15020`)).toEqual([
      '-i',
      '*',
      '-x',
      '',
      '-b',
      '*',
      '-d',
      '15090,15021,15020',
    ]);
  });
});
