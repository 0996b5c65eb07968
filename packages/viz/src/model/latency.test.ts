import { fc, test } from '@fast-check/vitest';
import { envoy } from '@meshsim/sim-core';
import { describe, expect, it } from 'vitest';
import { cdfPoints, checkLatencySeries, latencyExtent, latencySeriesFromHistogram } from './latency.js';

const samples = fc.array(fc.integer({ min: 1, max: 50_000_000 }), { minLength: 1, maxLength: 300 });

function seriesOf(values: readonly number[], perDecade = 20) {
  const h = new envoy.LatencyHistogram();
  for (const v of values) h.record(v);
  return { h, s: latencySeriesFromHistogram(h, { id: 'x', label: 'x' }, { perDecade }) };
}

describe('latencySeriesFromHistogram()', () => {
  test.prop([samples])('keeps every value: ascending buckets whose counts sum to the count', (values) => {
    const { s } = seriesOf(values);
    expect(s.count).toBe(values.length);
    expect(() => checkLatencySeries(s)).not.toThrow();
  });

  test.prop([samples])('takes percentiles, mean and max from the HDR histogram itself', (values) => {
    const { h, s } = seriesOf(values);
    expect(s.percentiles.map((p) => p.p)).toEqual([50, 90, 99, 99.9]);
    for (const p of s.percentiles) expect(p.value).toBe(h.percentile(p.p));
    expect(s.mean).toBe(values.reduce((a, b) => a + b, 0) / values.length);
    expect(s.max).toBe(Math.max(...values));
  });

  it('an empty histogram gives an empty series with no percentiles', () => {
    const s = latencySeriesFromHistogram(new envoy.LatencyHistogram(), { id: 'e', label: 'e' });
    expect(s).toEqual({ id: 'e', label: 'e', count: 0, buckets: [], percentiles: [] });
    expect(cdfPoints(s)).toEqual([]);
    expect(latencyExtent([s])).toBeUndefined();
  });
});

describe('cdfPoints()', () => {
  test.prop([samples])('rises from 0 to exactly 1, never falling', (values) => {
    const pts = cdfPoints(seriesOf(values).s);
    expect(pts[0]?.fraction).toBe(0);
    expect(pts.at(-1)?.fraction).toBe(1);
    for (let i = 1; i < pts.length; i++) {
      expect((pts[i] as { value: number }).value).toBeGreaterThanOrEqual((pts[i - 1] as { value: number }).value);
      expect((pts[i] as { fraction: number }).fraction).toBeGreaterThanOrEqual(
        (pts[i - 1] as { fraction: number }).fraction,
      );
    }
  });

  test.prop([samples])(
    'agrees with the empirical CDF of the raw values within the HDR precision (2 digits)',
    (values) => {
      // A value is counted at the bucket edge U when its HDR bucket starts below U; HDR buckets at 2
      // significant digits are at most 1/128 of their value wide, so the counted values lie within a factor
      // 1.008 of U (2 % allowed for the log-scale edge arithmetic).
      const empirical = (x: number): number => values.filter((v) => v <= x).length / values.length;
      for (const p of cdfPoints(seriesOf(values).s).slice(1)) {
        expect(p.fraction).toBeGreaterThanOrEqual(empirical(p.value / 1.02));
        expect(p.fraction).toBeLessThanOrEqual(empirical(p.value * 1.02));
      }
    },
  );
});

describe('latencyExtent()', () => {
  test.prop([samples, samples])('spans the buckets of every series', (a, b) => {
    const sa = seriesOf(a).s;
    const sb = seriesOf(b).s;
    const [lo, hi] = latencyExtent([sa, sb]) ?? [NaN, NaN];
    for (const bucket of [...sa.buckets, ...sb.buckets]) {
      expect(bucket.lower).toBeGreaterThanOrEqual(lo);
      expect(bucket.upper).toBeLessThanOrEqual(hi);
    }
  });
});
