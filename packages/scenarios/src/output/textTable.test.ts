import { describe, expect, it } from 'vitest';
import { formatCounts, formatLatency, formatPercent, renderTable } from './textTable.js';

describe('formatLatency()', () => {
  it.each([
    [0, '0µs'],
    [850, '850µs'],
    [999.6, '1ms'],
    [12_645, '12.6ms'],
    [999_935, '1s'],
    [1_784_000, '1.78s'],
    [null, '-'],
    [NaN, '-'],
  ])('%s µs → %s', (us, text) => expect(formatLatency(us)).toBe(text));
});

describe('renderTable()', () => {
  it('pads columns, right-aligns numbers and trims line ends', () => {
    const out = renderTable(
      [{ header: 'NAME' }, { header: 'N', right: true }, { header: 'NOTE' }],
      [
        ['a', '1', ''],
        ['long', '100', 'x'],
      ],
    );
    expect(out).toBe('NAME    N  NOTE\na       1\nlong  100  x\n');
  });
});

describe('formatCounts() and formatPercent()', () => {
  it('lists counts as key×count, or - when empty', () => {
    expect(formatCounts({ '200': 3, '503': 1 })).toBe('200×3 503×1');
    expect(formatCounts({})).toBe('-');
    expect(formatPercent(45.747)).toBe('45.7%');
  });
});
