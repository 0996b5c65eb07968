import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { FortioHistogram } from './fortioHistogram.js';

const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, 'testdata', 'fortio-histogram-export.json'), 'utf8'),
) as {
  offset: number;
  divider: number;
  values: number[];
  percentiles: number[];
  expected: unknown;
};

describe('FortioHistogram', () => {
  it("export() gives Fortio's own JSON for its TestHistogramExport1 data", () => {
    const h = new FortioHistogram(fixture.offset, fixture.divider);
    for (const v of fixture.values) h.record(v);
    expect(JSON.parse(JSON.stringify(h.export(fixture.percentiles)))).toEqual(fixture.expected);
  });

  it("percentiles interpolate as Fortio's TestHistogramData expects (divider 1)", () => {
    // fortio stats_test.go TestHistogramData: -1, 0×3, 1, 2, 3, 4, 5×2.
    const h = new FortioHistogram(0, 1);
    for (const v of [-1, 0, 0, 0, 1, 2, 3, 4, 5, 5]) h.record(v);
    const e = h.export([0, 1, 10, 25, 40, 50, 60, 70, 80, 90, 99, 100]);
    expect(e.Count).toBe(10);
    expect(e.Avg).toBeCloseTo(1.9, 12);
    expect(e.Percentiles?.map((p) => p.Value)).toEqual([-1, -1, -1, -0.5, 0, 1, 2, 3, 4, 4.5, 4.95, 5]);
  });

  it('an empty histogram has no buckets and no percentiles', () => {
    expect(new FortioHistogram().export()).toEqual({ Count: 0, Min: 0, Max: 0, Sum: 0, Avg: 0, StdDev: 0, Data: [] });
  });

  test.prop([fc.array(fc.double({ min: 0, max: 200, noNaN: true }), { minLength: 1, maxLength: 200 })])(
    'buckets partition the values: counts add up, cumulative percent ends at 100, intervals ascend',
    (values) => {
      const h = new FortioHistogram();
      for (const v of values) h.record(v);
      const e = h.export();
      expect(e.Data.reduce((a, b) => a + b.Count, 0)).toBe(values.length);
      expect(e.Data[e.Data.length - 1]?.Percent).toBeCloseTo(100, 9);
      for (let i = 1; i < e.Data.length; i++)
        expect(e.Data[i]!.Start).toBeGreaterThanOrEqual(e.Data[i - 1]!.End - 1e-12);
      expect(e.Min).toBe(Math.min(...values));
      expect(e.Max).toBe(Math.max(...values));
    },
  );
});
