import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { toAppBehaviour, toDistributionSpec, toProxyLatency, toWorldNetwork } from './convert.js';

describe('toDistributionSpec()', () => {
  it('maps each one-of key to its sim-core kind', () => {
    expect(toDistributionSpec({ constant: 5 })).toEqual({ kind: 'constant', value: 5 });
    expect(toDistributionSpec({ exponential: { mean: 7 } })).toEqual({ kind: 'exponential', mean: 7 });
    expect(toDistributionSpec({ lognormal: { median: 10, p99: 40 } })).toEqual({
      kind: 'lognormal',
      median: 10,
      p99: 40,
    });
    expect(toDistributionSpec({ uniform: { min: 1, max: 3 } })).toEqual({ kind: 'uniform', min: 1, max: 3 });
    expect(toDistributionSpec({ empirical: { samples: [3, 1, 2] } })).toEqual({
      kind: 'empirical',
      samples: [3, 1, 2],
    });
  });

  it('turns a percentile table (p0 … p100, p99.9) into quantiles 0 … 1, in order', () => {
    expect(toDistributionSpec({ empirical: { percentiles: { p50: 10, p0: 1, 'p99.9': 30, p100: 40 } } })).toEqual({
      kind: 'empirical',
      quantiles: [
        { p: 0, value: 1 },
        { p: 0.5, value: 10 },
        { p: 0.999, value: 30 },
        { p: 1, value: 40 },
      ],
    });
  });
});

describe('toAppBehaviour()', () => {
  test.prop([fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })])(
    'percentages become probabilities: errors[].percent and resets divided by 100',
    (errorPercent, resets) => {
      const b = toAppBehaviour({ errors: [{ httpStatus: 503, percent: errorPercent }], resets });
      expect(b.errors).toEqual([{ status: 503, probability: errorPercent / 100 }]);
      expect(b.resetProbability).toBe(resets / 100);
    },
  );

  it('maps calls (URL → authority and path; onFailure status → {status}), parallel groups and compute steps', () => {
    const b = toAppBehaviour({
      overload: 'reset',
      calls: [
        {
          url: 'http://ratings:9080/ratings/0',
          method: 'GET',
          headers: {},
          attempts: 2,
          onFailure: 502,
          timeout: 3_000_000,
        },
        {
          parallel: [
            { url: 'http://details:9080/', method: 'POST', headers: { a: 'b' }, attempts: 1, onFailure: 'ignore' },
          ],
        },
        { compute: { constant: 1000 } },
      ],
    });
    expect(b.overload).toBe('reset');
    expect(b.calls).toEqual([
      {
        kind: 'call',
        call: {
          authority: 'ratings:9080',
          path: '/ratings/0',
          method: 'GET',
          headers: {},
          timeout: 3_000_000,
          attempts: 2,
          onFailure: { status: 502 },
        },
      },
      {
        kind: 'parallel',
        calls: [
          {
            authority: 'details:9080',
            path: '/',
            method: 'POST',
            headers: { a: 'b' },
            attempts: 1,
            onFailure: 'ignore',
          },
        ],
      },
      { kind: 'compute', time: { kind: 'constant', value: 1000 } },
    ]);
  });

  it('leaves unset fields unset, so layering works the same on both sides', () => {
    expect(toAppBehaviour({})).toEqual({});
    expect(toAppBehaviour({ overload: 429 }).overload).toEqual({ status: 429 });
  });
});

describe('toWorldNetwork() and toProxyLatency()', () => {
  it('maps hop classes with loss and resets as probabilities, and the proxy pass cost', () => {
    expect(toWorldNetwork({ crossNode: { latency: { constant: 100 }, loss: 1, resets: 0.5 } })).toEqual({
      links: { crossNode: { latency: { kind: 'constant', value: 100 }, loss: 0.01, resetProbability: 0.005 } },
    });
    expect(toWorldNetwork(undefined)).toEqual({});
    expect(toProxyLatency({ proxy: { request: { constant: 300 } } })).toEqual({
      request: { kind: 'constant', value: 300 },
    });
    expect(toProxyLatency(undefined)).toBeUndefined();
  });
});
