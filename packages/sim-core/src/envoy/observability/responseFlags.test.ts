// Response flags print in Envoy's table order (ResponseFlagUtilsTest.toShortStringConversion in
// test/common/stream_info/utility_test.cc checks every flag and combinations such as DI,FI).
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  ALL_RESPONSE_STRINGS_FLAGS,
  formatResponseFlags,
  isResponseFlag,
  ResponseFlags,
  type ResponseFlag,
} from './responseFlags.js';

describe('ResponseFlags', () => {
  it('prints "-" when no flag is set', () => {
    expect(new ResponseFlags().toString()).toBe('-');
    expect(new ResponseFlags().toLongString()).toBe('-');
  });

  it('prints a delayed-then-aborted request as "DI,FI" whatever the order the flags were set in', () => {
    expect(formatResponseFlags(['FI', 'DI'])).toBe('DI,FI');
    expect(new ResponseFlags(['FI', 'DI']).toLongString()).toBe('DelayInjected,FaultInjected');
  });

  it('prints UO before URX and UH before UT (table order, not insertion order)', () => {
    expect(formatResponseFlags(['URX', 'UO'])).toBe('UO,URX');
    expect(formatResponseFlags(['UT', 'UH'])).toBe('UH,UT');
  });

  it("knows every short name of Envoy's table, once each", () => {
    const shorts = ALL_RESPONSE_STRINGS_FLAGS.map((f) => f.short);
    expect(new Set(shorts).size).toBe(shorts.length);
    expect(shorts.slice(0, 11)).toEqual(['LH', 'UH', 'UT', 'LR', 'UR', 'UF', 'UC', 'UO', 'NR', 'DI', 'FI']);
    expect(isResponseFlag('URX')).toBe(true);
    expect(isResponseFlag('XX')).toBe(false);
  });

  test.prop([fc.subarray(ALL_RESPONSE_STRINGS_FLAGS.map((f) => f.short as ResponseFlag))])(
    'any set prints as the table-ordered comma join of its members',
    (flags) => {
      const shuffled = [...flags].reverse();
      const expected = ALL_RESPONSE_STRINGS_FLAGS.map((f) => f.short).filter((s) => flags.includes(s as ResponseFlag));
      expect(formatResponseFlags(shuffled)).toBe(expected.length === 0 ? '-' : expected.join(','));
    },
  );

  test.prop([fc.subarray(ALL_RESPONSE_STRINGS_FLAGS.map((f) => f.short as ResponseFlag)), fc.boolean()])(
    'mask identifies the set: equal masks exactly when equal strings (a key for per-flag-set caches)',
    (flags, dropOne) => {
      const other = dropOne ? flags.slice(1) : [...flags].reverse();
      const a = new ResponseFlags(flags);
      const b = new ResponseFlags(other);
      expect(a.mask === b.mask).toBe(a.toString() === b.toString());
      expect(a.mask).toBe(
        flags.reduce((m, f) => m | (1 << ALL_RESPONSE_STRINGS_FLAGS.findIndex((x) => x.short === f)), 0),
      );
    },
  );

  test.prop([
    fc.subarray(ALL_RESPONSE_STRINGS_FLAGS.map((f) => f.short as ResponseFlag)),
    fc.subarray(ALL_RESPONSE_STRINGS_FLAGS.map((f) => f.short as ResponseFlag)),
  ])('list() and toLongString() follow the table order; setAll() is the union, as setting each flag is', (a, b) => {
    const x = new ResponseFlags(a);
    const inTable = (set: readonly string[]) => ALL_RESPONSE_STRINGS_FLAGS.filter((f) => set.includes(f.short));
    expect(x.list()).toEqual(inTable(a).map((f) => f.short));
    expect(x.toLongString()).toBe(
      a.length === 0
        ? '-'
        : inTable(a)
            .map((f) => f.long)
            .join(','),
    );
    const union = new ResponseFlags(a);
    for (const f of b) union.set(f);
    expect(new ResponseFlags(a).setAll(new ResponseFlags(b)).mask).toBe(union.mask);
    expect(new ResponseFlags(a).setAll(new ResponseFlags(b)).toString()).toBe(union.toString());
  });
});
