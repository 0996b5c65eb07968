import { fc, test } from '@fast-check/vitest';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { describe, expect, it } from 'vitest';
import { RngStreams } from '../../engine/rng.js';
import { compileDistribution } from './distribution.js';
import { standardNormalQuantile } from './normalQuantile.js';

describe('standardNormalQuantile()', () => {
  // Percentage points of the standard normal to 17 significant digits (the values SciPy's norm.ppf and R's
  // qnorm print with digits = 17; the 0.99 point is rng.ts's z₀.₉₉).
  it.each([
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.99, 2.3263478740408408],
    [0.995, 2.5758293035489004],
    [0.9995, 3.2905267314919255],
  ])('Φ⁻¹(%d) = %d to within 2 ulps', (p, z) => {
    expect(Math.abs(standardNormalQuantile(p) - z)).toBeLessThanOrEqual(2 * Number.EPSILON * Math.max(1, z));
    expect(Math.abs(standardNormalQuantile(1 - p) + z)).toBeLessThanOrEqual(2 * Number.EPSILON * Math.max(1, z));
  });

  it('is ±∞ at 0 and 1, NaN outside [0, 1]', () => {
    expect(standardNormalQuantile(0)).toBe(-Infinity);
    expect(standardNormalQuantile(1)).toBe(Infinity);
    expect(standardNormalQuantile(-0.1)).toBeNaN();
    expect(standardNormalQuantile(1.1)).toBeNaN();
    expect(standardNormalQuantile(NaN)).toBeNaN();
  });

  // stdlib computes √2·erfinv(2p − 1), which loses digits to the cancellation in 2p − 1 as p → 0 (at
  // p = 1e-6 it is off by 5e-12); within [0.001, 0.999] both are exact to double precision.
  test.prop([fc.double({ min: 0.001, max: 0.999, noNaN: true })])(
    "agrees with stdlib's normal quantile to 1e-14 (relative) where stdlib is exact",
    (p) => {
      const want = normalQuantile(p, 0, 1);
      expect(Math.abs(standardNormalQuantile(p) - want)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(want)));
    },
  );

  test.prop([fc.integer({ min: 1, max: 2 ** 30 - 1 })])('is odd about ½: Φ⁻¹(1 − p) = −Φ⁻¹(p)', (k) => {
    const p = k / 2 ** 30; // 1 − p is exact
    expect(standardNormalQuantile(1 - p)).toBe(-standardNormalQuantile(p));
  });

  test.prop([fc.double({ min: 1e-300, max: 0.5, noNaN: true }), fc.double({ min: 1e-300, max: 0.5, noNaN: true })])(
    'is non-decreasing away from its region boundaries',
    (a, b) => {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      expect(standardNormalQuantile(lo)).toBeLessThanOrEqual(standardNormalQuantile(hi));
    },
  );

  // A piecewise rational approximation can step back by one rounding error where its regions meet; AS 241
  // does so by at most 1 ulp there — far below a microsecond once a sample is scaled and rounded.
  it('steps back by at most 1 ulp where its regions meet (p = 0.075, 0.925, and r = 5 near p = 1.4e-11)', () => {
    for (const edge of [0.075, 0.925, Math.exp(-25)]) {
      let p = edge * (1 - 64 * Number.EPSILON);
      let prev = standardNormalQuantile(p);
      for (let i = 0; i < 128; i++) {
        p = p * (1 + Number.EPSILON);
        const z = standardNormalQuantile(p);
        expect(prev - z).toBeLessThanOrEqual(Number.EPSILON * Math.abs(z));
        prev = z;
      }
    }
  });
});

describe('lognormal samples', () => {
  it('are the same whole microseconds the stdlib quantile gave (200 000 draws each, five parameterisations)', () => {
    const rng = new RngStreams('lognormal-equivalence');
    for (const [median, p99] of [
      [370, 590], // the default Envoy pass
      [1000, 5000],
      [50_000, 200_000],
      [10, 11],
      [2000, 100_000],
    ] as const) {
      const d = compileDistribution({ kind: 'lognormal', median, p99 });
      const mu = Math.log(median);
      const sigma = Math.log(p99 / median) / normalQuantile(0.99, 0, 1);
      const stream = rng.stream(`${median}/${p99}`);
      let mismatches = 0;
      for (let i = 0; i < 200_000; i++) {
        const u = stream.float();
        const before = u <= 0 ? 0 : Math.max(0, Math.round(Math.exp(mu + sigma * normalQuantile(u, 0, 1))));
        if (d.sample({ float: () => u }) !== before) mismatches++;
      }
      expect(mismatches, `lognormal(${median}, ${p99})`).toBe(0);
    }
  });
});
