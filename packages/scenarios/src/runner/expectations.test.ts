import { fc, test } from '@fast-check/vitest';
import type { RequestOutcome } from '@meshsim/sim-core/envoy';
import { describe, expect, it } from 'vitest';
import type { Expectation } from '../schema/types/expect.js';
import { appliesTo, ExpectationAccumulator } from './expectations.js';
import { compileFilter, flagMatches, serviceHost, statusMatches, type OutcomeContext } from './requestFilter.js';
import { binomialAcceptance } from './stats.js';

const ctx: OutcomeContext = {
  destination: (pod) =>
    pod === 'default/reviews-v2-abc'
      ? { namespace: 'default', workload: 'reviews-v2', version: 'v2' }
      : pod === 'default/reviews-v1-xyz'
        ? { namespace: 'default', workload: 'reviews-v1', version: 'v1' }
        : undefined,
  source: (label) => (label === 'pod default/sleep-1' ? { namespace: 'default', workload: 'sleep' } : undefined),
  generator: (name) => (name.startsWith('users') ? 'users' : name),
};

let nextId = 0;
function outcome(o: Partial<RequestOutcome> & { subset?: string; pod?: string }): RequestOutcome {
  const { subset, pod, ...rest } = o;
  return {
    id: nextId++,
    source: 'pod default/sleep-1',
    destination: {
      service: 'reviews.default.svc.cluster.local',
      ...(subset !== undefined ? { subset } : {}),
      ...(pod !== undefined ? { pod } : {}),
    },
    status: 200,
    responseFlags: '-',
    responseCodeDetails: 'via_upstream',
    attempts: 1,
    startTime: 0,
    duration: 1000,
    ...rest,
  };
}

const expectation = (x: Partial<Expectation>): Expectation => ({ name: 'x', of: {}, ...x }) as Expectation;
const noEjections = () => 0;

describe('request filters', () => {
  it('statusMatches(): a code, a class, or 0 for no response', () => {
    expect(statusMatches(503, 503)).toBe(true);
    expect(statusMatches(503, '5xx')).toBe(true);
    expect(statusMatches(404, '5xx')).toBe(false);
    expect(statusMatches(0, '0')).toBe(true);
    expect(statusMatches(0, 0)).toBe(true);
  });

  it('flagMatches(): a flag inside a comma-joined %RESPONSE_FLAGS%, "-" only for none', () => {
    expect(flagMatches('URX,UF', 'UF')).toBe(true);
    expect(flagMatches('UO', 'U')).toBe(false);
    expect(flagMatches('-', '-')).toBe(true);
    expect(flagMatches('UO', '-')).toBe(false);
  });

  it("serviceHost() applies Istio's short-name rule with the filter's namespace", () => {
    expect(serviceHost('reviews', undefined)).toBe('reviews.default.svc.cluster.local');
    expect(serviceHost('canary', 'canary')).toBe('canary.canary.svc.cluster.local');
    expect(serviceHost('nginx.example.com', 'x')).toBe('nginx.example.com');
  });

  it('compileFilter(): every field must match; window is [start, end)', () => {
    const f = compileFilter(
      {
        traffic: 'users',
        source: { workload: 'sleep' },
        destination: { service: 'reviews', version: 'v2' },
        window: { start: 10, end: 20 },
      },
      ctx,
    );
    const base = { generator: 'users.0', pod: 'default/reviews-v2-abc' };
    expect(f(outcome({ ...base, startTime: 10 }))).toBe(true);
    expect(f(outcome({ ...base, startTime: 20 }))).toBe(false);
    expect(f(outcome({ ...base, startTime: 15, pod: 'default/reviews-v1-xyz' }))).toBe(false);
    expect(f(outcome({ ...base, startTime: 15, generator: 'tester' }))).toBe(false);
    expect(f(outcome({ ...base, startTime: 15, source: 'external client' }))).toBe(false);
    expect(f(outcome({ startTime: 15, pod: 'default/reviews-v2-abc' }))).toBe(false); // not generated
  });

  test.prop([fc.integer({ min: 0, max: 599 }), fc.constantFrom('-', 'UO', 'URX,UF')])(
    'the empty filter matches every outcome',
    (status, flags) => {
      expect(compileFilter({}, ctx)(outcome({ status, responseFlags: flags }))).toBe(true);
    },
  );
});

describe('ExpectationAccumulator', () => {
  test.prop([fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 400 }), fc.constantFrom(10, 50, 90)])(
    'share with percent passes exactly when the hits lie in the exact binomial acceptance region',
    (n, k0, percent) => {
      const k = k0 % (n + 1);
      const a = new ExpectationAccumulator(
        expectation({ share: { to: { destination: { subset: 'v2' } }, percent, alpha: 0.001 } }),
        ctx,
      );
      for (let i = 0; i < n; i++) a.add(outcome({ subset: i < k ? 'v2' : 'v1' }));
      const region = binomialAcceptance(n, percent / 100, 0.001);
      const r = a.result(noEjections);
      expect(r.requests).toBe(n);
      expect(r.passed).toBe(k >= region.lower && k <= region.upper);
      expect(r.checks[0]?.observed).toBeCloseTo((100 * k) / n, 9);
    },
  );

  it('a share, rate or latency check over no request fails; a count check does not', () => {
    const x = expectation({
      of: { traffic: 'nobody' },
      share: { to: {}, min: 0, alpha: 0.001 },
      errorRate: { max: 100 },
      latency: { p50: { max: 1 } },
      count: { max: 0 },
    });
    const a = new ExpectationAccumulator(x, ctx);
    a.add(outcome({ generator: 'users' }));
    const r = a.result(noEjections);
    expect(r.checks.map((c) => [c.check, c.passed])).toEqual([
      ['count', true],
      ['share', false],
      ['errorRate', false],
      ['latency', false],
    ]);
  });

  it('counts errors (≥ 500 or no response), status classes, flags inside flag lists and retries', () => {
    const x = expectation({
      errorRate: { max: 50 },
      statusCodes: { '5xx': { min: 2, max: 2 }, '0': { min: 1, max: 1 } },
      responseFlags: { UF: { min: 2, max: 2 }, '-': { min: 1, max: 1 } },
      retries: { min: 3, max: 3 },
    });
    const a = new ExpectationAccumulator(x, ctx);
    a.add(outcome({ status: 503, responseFlags: 'URX,UF', attempts: 3 }));
    a.add(outcome({ status: 504, responseFlags: 'UT' }));
    a.add(outcome({ status: 0, responseFlags: 'UF', attempts: 2 }));
    a.add(outcome({ status: 200 }));
    const r = a.result(noEjections);
    expect(r.checks.find((c) => c.check === 'errorRate')?.observed).toBe(75);
    expect(r.checks.filter((c) => c.check !== 'errorRate').every((c) => c.passed)).toBe(true);
    expect(r.passed).toBe(false); // 75 % > 50 %
  });

  it('latency percentiles never exceed the exact maximum; min, max and mean are exact', () => {
    const a = new ExpectationAccumulator(
      expectation({
        latency: { p99: { max: 10_000 }, min: { min: 1000 }, max: { max: 9999 }, mean: { min: 5500, max: 5500 } },
      }),
      ctx,
    );
    for (let i = 1; i <= 10; i++) a.add(outcome({ duration: i * 1000 }));
    const byKey = Object.fromEntries(a.result(noEjections).checks.map((c) => [c.key, c.observed]));
    expect(byKey['p99']).toBeLessThanOrEqual(10_000);
    expect(byKey['min']).toBe(1000);
    expect(byKey['max']).toBe(10_000);
    expect(byKey['mean']).toBe(5500);
  });

  it('ejections ask the counter for the destination host (short names expanded) and the source', () => {
    const seen: unknown[] = [];
    const x = expectation({
      of: { destination: { service: 'reviews', subset: 'v1' }, source: { workload: 'sleep' } },
      ejections: { min: 1 },
    });
    const r = new ExpectationAccumulator(x, ctx).result((d, s) => {
      seen.push(d, s);
      return 2;
    });
    expect(seen).toEqual([{ service: 'reviews.default.svc.cluster.local', subset: 'v1' }, { workload: 'sleep' }]);
    expect(r.passed).toBe(true);
  });

  it('appliesTo(): every run without variants, else only those named', () => {
    expect(appliesTo(expectation({}), 'bad-v2')).toBe(true);
    expect(appliesTo(expectation({ variants: ['baseline'] }), 'baseline')).toBe(true);
    expect(appliesTo(expectation({ variants: ['baseline'] }), 'bad-v2')).toBe(false);
  });
});
