import { fc, test } from '@fast-check/vitest';
import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { HOUR } from '../../engine/time.js';
import { LatencyHistogram } from './latencyHistogram.js';

describe('LatencyHistogram', () => {
  test.prop([
    fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: HOUR }),
        fc.integer({ min: 2 ** 31 - 5, max: 2 ** 31 + 5 }),
      ),
      {
        maxLength: 300,
      },
    ),
    fc.constantFrom(1, 2, 3),
  ])('the clz32 fast path fills exactly the buckets the library’s own recordValue fills', (values, digits) => {
    const ours = new LatencyHistogram({ significantDigits: digits as 1 | 2 | 3 });
    const lib = new hdr.Float64Histogram(1, HOUR, digits);
    for (const v of values) {
      ours.record(v);
      lib.recordValue(Math.min(v, HOUR));
    }
    const libBuckets = [];
    for (let i = 0; i < lib.countsArrayLength; i++) {
      const c = lib.getCountAtIndex(i);
      if (c > 0)
        libBuckets.push({
          lower: lib.lowestEquivalentValue(lib.valueFromIndex(i)),
          upper: lib.highestEquivalentValue(lib.valueFromIndex(i)),
          count: c,
        });
    }
    expect(ours.recordedBuckets()).toEqual(libBuckets);
    for (const p of [0, 50, 99.9, 100])
      if (values.length > 0) expect(ours.percentile(p)).toBe(lib.getValueAtPercentile(p));
  });

  test.prop([
    fc.array(fc.integer({ min: 0, max: 10 * HOUR }), { minLength: 1, maxLength: 500 }),
    fc.constantFrom(1, 2, 3),
  ])('percentiles are within the configured relative precision of the exact order statistics', (values, digits) => {
    const h = new LatencyHistogram({ significantDigits: digits as 1 | 2 | 3 });
    for (const v of values) h.record(v);
    const sorted = values.map((v) => Math.min(v, HOUR)).sort((a, b) => a - b);
    for (const p of [50, 90, 99, 100]) {
      const exact = sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
      const tol = Math.max(1, exact * 10 ** -digits * 2);
      expect(Math.abs(h.percentile(p) - exact)).toBeLessThanOrEqual(tol);
    }
    expect(h.count).toBe(values.length);
    expect(h.clamped).toBe(values.filter((v) => v > HOUR).length);
    expect(h.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6);
  });

  test.prop([fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 1, max: 1e9 })])(
    'memory is fixed at construction: the footprint does not depend on how many values were recorded',
    (n, spread) => {
      const h = new LatencyHistogram();
      const before = h.footprintBytes;
      for (let i = 0; i < n; i++) h.record((i * 104_729) % spread);
      expect(h.footprintBytes).toBe(before);
    },
  );

  test.prop([fc.array(fc.integer({ min: 0, max: 1e8 })), fc.array(fc.integer({ min: 0, max: 1e8 }))])(
    'merge() equals recording both sets',
    (a, b) => {
      const x = new LatencyHistogram();
      const y = new LatencyHistogram();
      const all = new LatencyHistogram();
      for (const v of a) {
        x.record(v);
        all.record(v);
      }
      for (const v of b) {
        y.record(v);
        all.record(v);
      }
      x.merge(y);
      expect(x.recordedBuckets()).toEqual(all.recordedBuckets());
      expect(x.count).toBe(all.count);
    },
  );

  it('exports buckets for charts: the finest HDR buckets and log-scale buckets, with all values counted', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 1000; i++) h.record(1000 + i * 10);
    const fine = h.recordedBuckets();
    const coarse = h.logBuckets(10);
    expect(fine.reduce((a, b) => a + b.count, 0)).toBe(1000);
    expect(coarse.reduce((a, b) => a + b.count, 0)).toBe(1000);
    for (const b of coarse) expect(b.upper / b.lower).toBeCloseTo(10 ** 0.1, 9);
    expect(coarse[0]!.lower).toBeCloseTo(1000, 6);
  });

  it('empty: percentiles and mean are NaN', () => {
    const h = new LatencyHistogram();
    expect(h.percentile(50)).toBeNaN();
    expect(h.mean).toBeNaN();
  });
});
