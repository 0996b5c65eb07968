import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { binKey, binLower, binMidpoint, binWidth, Circllhist } from './circllhist.js';
import { ENVOY_DEFAULT_BUCKETS } from './istioMetrics.js';
import { formatG32 } from './numberFormat.js';

const fixtures = JSON.parse(readFileSync(new URL('./testdata/envoy-histograms.json', import.meta.url), 'utf8')) as {
  prometheus: { values: [number, number][]; buckets: number[]; sum: string; count: number };
  highCounts: { values: [number, number][]; buckets: number[]; sum: string; count: number };
};

describe('circllhist bins', () => {
  // Bin edges are computed as libcircllhist does, (val/10)·10^exp in doubles, so they can be off by an ulp
  // (1.1e11 becomes 110000000000.00002) exactly as in Envoy; hence the relative tolerance.
  test.prop([fc.integer({ min: 0, max: 1e12 })])(
    'a value lies in its bin, and the bin keeps two significant digits',
    (v) => {
      const k = binKey(v);
      const eps = v * 1e-15;
      expect(binLower(k)).toBeLessThanOrEqual(v + eps);
      expect(v).toBeLessThan((binLower(k) + binWidth(k) || 1) + eps);
      if (v >= 10) {
        const digits = String(v).length;
        expect(binLower(k)).toBeCloseTo(Math.floor(v / 10 ** (digits - 2)) * 10 ** (digits - 2), 3);
        expect(binWidth(k)).toBe(10 ** (digits - 2));
      }
    },
  );

  it.each([
    [0, 0, 0, 0],
    [5, 5, 0.1, 5.05],
    [20, 20, 1, 20.5],
    [250, 250, 10, 255],
    [5000, 5000, 100, 5050],
  ])('bin of %d: lower %d, width %d, midpoint %d', (v, lower, width, mid) => {
    expect(binLower(binKey(v))).toBe(lower);
    expect(binWidth(binKey(v))).toBe(width);
    expect(binMidpoint(binKey(v))).toBe(mid);
  });
});

describe('Circllhist as Envoy prints it (fixtures from Envoy’s prometheus_stats_test.cc)', () => {
  it.each([
    ['OutputWithAllMetricTypes', fixtures.prometheus],
    ['HistogramWithHighCounts', fixtures.highCounts],
  ])('%s: bucket counts, _sum and _count', (_, f) => {
    const h = new Circllhist();
    for (const [v, n] of f.values) h.record(v, n);
    expect(h.cumulativeCounts(ENVOY_DEFAULT_BUCKETS)).toEqual(f.buckets);
    expect(formatG32(h.approxSum())).toBe(f.sum);
    expect(h.count).toBe(f.count);
  });

  it('a value counts in le=b only when its whole bin is at or below b (so 5 ms is not in le="5")', () => {
    const h = new Circllhist();
    h.record(5);
    h.record(0);
    expect(h.countBelow(0.5)).toBe(1);
    expect(h.countBelow(5)).toBe(1);
    expect(h.countBelow(5.1)).toBe(2);
  });
});

describe('Circllhist properties', () => {
  test.prop([
    fc.array(fc.integer({ min: 0, max: 1e7 }), { maxLength: 200 }),
    fc.double({ min: 0, max: 2e7, noNaN: true }),
  ])('countBelow(b) counts exactly the values whose bin top is ≤ b, and cumulativeCounts agrees', (values, b) => {
    const h = new Circllhist();
    for (const v of values) h.record(v);
    const expected = values.filter((v) => binLower(binKey(v)) + binWidth(binKey(v)) <= b).length;
    expect(h.countBelow(b)).toBe(expected);
    expect(h.cumulativeCounts([b])).toEqual([expected]);
  });

  test.prop([fc.array(fc.integer({ min: 0, max: 1e6 })), fc.array(fc.integer({ min: 0, max: 1e6 }))])(
    'merge() equals recording both sets',
    (a, b) => {
      const ha = new Circllhist();
      const hb = new Circllhist();
      const all = new Circllhist();
      for (const v of a) {
        ha.record(v);
        all.record(v);
      }
      for (const v of b) {
        hb.record(v);
        all.record(v);
      }
      ha.merge(hb);
      expect(ha.sortedBins()).toEqual(all.sortedBins());
      expect(ha.count).toBe(a.length + b.length);
    },
  );

  test.prop([fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 7 })])(
    'memory is bounded by the value range, not by how many values were recorded (≤ 90 bins per decade + 1)',
    (n, decades) => {
      const h = new Circllhist();
      for (let i = 0; i < n; i++) h.record((i * 7919) % 10 ** decades);
      expect(h.binCount).toBeLessThanOrEqual(90 * decades + 1);
    },
  );

  test.prop([fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 100 })])(
    'quantiles are non-decreasing and lie between the lowest bin edge and the highest bin top',
    (values) => {
      const h = new Circllhist();
      for (const v of values) h.record(v);
      const qs = h.quantiles([0, 0.25, 0.5, 0.75, 0.9, 0.99, 1]);
      for (let i = 1; i < qs.length; i++) expect(qs[i]).toBeGreaterThanOrEqual(qs[i - 1]!);
      const lo = Math.min(...values.map((v) => binLower(binKey(v))));
      const hi = Math.max(...values.map((v) => binLower(binKey(v)) + binWidth(binKey(v))));
      expect(qs[0]).toBe(lo);
      expect(qs[qs.length - 1]).toBe(hi);
    },
  );
});

/** libcircllhist's model: a list of (bin, count), a bin listed once recorded, even with count 0. */
class ReferenceHist {
  readonly bins = new Map<number, number>();
  total = 0;
  record(v: number, count: number): void {
    const k = binKey(Math.trunc(v));
    this.bins.set(k, (this.bins.get(k) ?? 0) + count);
    this.total += count;
  }
  sorted(): [number, number][] {
    return [...this.bins].sort((a, b) => a[0] - b[0]);
  }
}

describe('Circllhist storage (dense counts over the decades recorded)', () => {
  // Values over 13 decades in any order, so the dense counts grow downwards and upwards; counts of 0 too.
  const value = fc.oneof(
    fc.integer({ min: 0, max: 9 }),
    fc.integer({ min: 0, max: 1000 }),
    fc.integer({ min: 0, max: 1e12 }),
    fc.double({ min: 0, max: 1e6, noNaN: true }),
  );
  const op = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.constant('record' as const), value, fc.constantFrom(1, 1, 1, 0, 3, 1e6)) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constant('merge' as const), fc.array(value, { maxLength: 20 }), fc.constant(1)),
    },
    { weight: 1, arbitrary: fc.tuple(fc.constant('clear' as const), fc.constant(0), fc.constant(0)) },
  );

  test.prop([fc.array(op, { maxLength: 80 })])(
    'bins, counts, binCount, sums and quantiles equal the bin-list model after any records, merges and clears',
    (ops) => {
      const h = new Circllhist();
      let ref = new ReferenceHist();
      for (const [kind, v, n] of ops) {
        if (kind === 'record') {
          h.record(v, n);
          ref.record(v, n);
        } else if (kind === 'merge') {
          const other = new Circllhist();
          for (const x of v) {
            other.record(x);
            ref.record(x, 1);
          }
          h.merge(other);
        } else {
          h.clear();
          ref = new ReferenceHist();
        }
      }
      const bins = ref.sorted();
      expect(h.sortedBins()).toEqual(bins);
      expect(h.binCount).toBe(bins.length);
      expect(h.count).toBe(ref.total);
      let sum = 0;
      for (const [k, c] of bins) sum += binMidpoint(k) * c;
      expect(h.approxSum()).toBe(sum);
      expect(h.cumulativeCounts(ENVOY_DEFAULT_BUCKETS)).toEqual(
        ENVOY_DEFAULT_BUCKETS.map((b) =>
          bins.filter(([k]) => binLower(k) + binWidth(k) <= b).reduce((a, [, c]) => a + c, 0),
        ),
      );
    },
  );

  it('a bin recorded with count 0 is listed, and takes part in quantiles as libcircllhist’s bin list does', () => {
    const h = new Circllhist();
    h.record(5, 0);
    h.record(20);
    expect(h.sortedBins()).toEqual([
      [binKey(5), 0],
      [binKey(20), 1],
    ]);
    expect(h.binCount).toBe(2);
    // The empty bin [5, 5.1) is the first of the list: P0 is its lower edge.
    expect(h.quantiles([0, 1])).toEqual([5, 21]);
  });

  it('refuses values it cannot bin (negative, NaN, infinite)', () => {
    const h = new Circllhist();
    for (const v of [-1, NaN, Infinity]) expect(() => h.record(v)).toThrow(/finite and ≥ 0/);
  });
});
