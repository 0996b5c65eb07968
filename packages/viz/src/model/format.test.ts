import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatCount, formatMicros, formatRate, formatShare, px, significant } from './format.js';

describe('formatCount()', () => {
  it('groups thousands with commas, whatever the locale', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(-4000)).toBe('-4,000');
  });
  test.prop([fc.integer({ min: -1e15, max: 1e15 })])('reads back as the same integer', (n) => {
    expect(Number(formatCount(n).replace(/,/g, ''))).toBe(n);
  });
});

describe('formatMicros()', () => {
  it('picks the unit a person reads: µs, ms, s, then minutes', () => {
    expect(formatMicros(0)).toBe('0');
    expect(formatMicros(850)).toBe('850 µs');
    expect(formatMicros(12_345)).toBe('12.3 ms');
    expect(formatMicros(5_020_000)).toBe('5.02 s');
    expect(formatMicros(90_000_000)).toBe('1m30s');
    expect(formatMicros(Number.NaN)).toBe('–');
  });
  test.prop([fc.integer({ min: 1, max: 59_999_999 })])(
    'keeps three significant digits (relative error ≤ 0.5 %)',
    (us) => {
      const m = /^([\d.]+) (µs|ms|s)$/.exec(formatMicros(us));
      expect(m).not.toBeNull();
      const scale = { µs: 1, ms: 1_000, s: 1_000_000 }[m?.[2] as 'µs' | 'ms' | 's'];
      const back = Number(m?.[1]) * scale;
      expect(Math.abs(back - us) / us).toBeLessThanOrEqual(0.005 + 1e-12);
    },
  );
});

describe('formatShare(), formatRate(), significant(), px()', () => {
  it('formats shares with a fixed number of decimals', () => {
    expect(formatShare(0.8973)).toBe('89.7%');
    expect(formatShare(1)).toBe('100.0%');
    expect(formatShare(0.2, 0)).toBe('20%');
  });
  it('formats rates', () => {
    expect(formatRate(12.5)).toBe('12.5 rps');
    expect(formatRate(1234.4)).toBe('1,234 rps');
  });
  it('drops trailing zeros', () => {
    expect(significant(120)).toBe('120');
    expect(significant(0.5)).toBe('0.5');
    expect(significant(9.999)).toBe('10');
  });
  test.prop([fc.double({ min: -1e6, max: 1e6, noNaN: true })])('px() rounds to 1/100 px', (v) => {
    expect(Math.abs(px(v) - v)).toBeLessThanOrEqual(0.005 + 1e-9);
    expect(Math.abs(px(v) * 100 - Math.round(px(v) * 100))).toBeLessThan(1e-6);
  });
});
