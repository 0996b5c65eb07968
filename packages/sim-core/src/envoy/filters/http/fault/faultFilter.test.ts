// The fault filter, after Envoy's test/extensions/filters/http/fault/fault_filter_test.cc
// (FaultFilterTest.AbortWithHttpStatus, FixedDelayAndAbort*, HeaderAbort*, DelayForDownstreamCluster…).
import { describe, expect, it } from 'vitest';
import { fixedRandom, RandomStream } from '../../../../engine/rng.js';
import { ConfigError } from '../../../../errors.js';
import { binomialAcceptance } from '../../../../testing/stats.js';
import type { HTTPFault } from '../../../config/fault.js';
import { FaultFilter, FaultFilterConfig } from './faultFilter.js';

const HUNDRED = (n: number) => ({ numerator: n, denominator: 'HUNDRED' as const });
const MILLION = (n: number) => ({ numerator: n, denominator: 'MILLION' as const });

describe('FaultFilter', () => {
  it('aborts with the configured status after one draw; FI; the abort never reaches the router', () => {
    const config = new FaultFilterConfig({ abort: { httpStatus: 503, percentage: HUNDRED(100) } });
    const random = fixedRandom([99]);
    const f = new FaultFilter(config, random);
    expect(f.decodeHeaders({})).toEqual({
      action: 'abort',
      status: 503,
      body: 'fault filter abort',
      responseCodeDetails: 'fault_filter_abort',
    });
    expect(random.drawn).toBe(1);
    expect(f.flags.toString()).toBe('FI');
    expect(config.stats).toMatchObject({ aborts_injected: 1, active_faults: 1 });
    f.onDestroy();
    expect(config.stats.active_faults).toBe(0);
  });

  it('delays, then draws again for the abort after the delay: "DI,FI"', () => {
    const config = new FaultFilterConfig({
      delay: { fixedDelay: '5s', percentage: MILLION(1_000_000) },
      abort: { httpStatus: 500, percentage: MILLION(1_000_000) },
    });
    const random = fixedRandom([0, 0]);
    const f = new FaultFilter(config, random);
    expect(f.decodeHeaders({})).toEqual({ action: 'delay', delayMs: 5000 });
    expect(random.drawn).toBe(1);
    expect(f.flags.toString()).toBe('DI');
    const after = f.onDelayTimer();
    expect(after).toMatchObject({ action: 'abort', status: 500 });
    expect(random.drawn).toBe(2);
    expect(f.flags.toString()).toBe('DI,FI');
    expect(config.stats).toMatchObject({ delays_injected: 1, aborts_injected: 1, active_faults: 1 });
  });

  it('delay and abort are independent draws: delayed but not aborted continues, and stops counting as active', () => {
    const config = new FaultFilterConfig({
      delay: { fixedDelay: '0.1s', percentage: HUNDRED(50) },
      abort: { httpStatus: 500, percentage: HUNDRED(50) },
    });
    const f = new FaultFilter(config, fixedRandom([49, 50]));
    expect(f.decodeHeaders({})).toEqual({ action: 'delay', delayMs: 100 });
    expect(f.onDelayTimer()).toEqual({ action: 'continue' });
    expect(f.flags.toString()).toBe('DI');
    expect(config.stats.active_faults).toBe(0);
    // Not delayed (50 % 100 = 50, not < 50): the abort is drawn at once.
    const g = new FaultFilter(config, fixedRandom([50, 0]));
    expect(g.decodeHeaders({})).toMatchObject({ action: 'abort', status: 500 });
    expect(g.flags.toString()).toBe('FI');
  });

  it('evaluates a MILLION percentage as random() % 1e6 < numerator (Istio 0.1 % → 1000)', () => {
    const config = new FaultFilterConfig({ abort: { httpStatus: 400, percentage: MILLION(1000) } });
    expect(new FaultFilter(config, fixedRandom([999])).decodeHeaders({}).action).toBe('abort');
    expect(new FaultFilter(config, fixedRandom([1000])).decodeHeaders({}).action).toBe('continue');
    expect(new FaultFilter(config, fixedRandom([3_000_999])).decodeHeaders({}).action).toBe('abort');
  });

  it('an abort without a percentage (Istio abort with no percentage) never fires, but still draws', () => {
    const random = fixedRandom([0]);
    expect(new FaultFilter(new FaultFilterConfig({ abort: { httpStatus: 503 } }), random).decodeHeaders({})).toEqual({
      action: 'continue',
    });
    expect(random.drawn).toBe(1);
  });

  it('gRPC aborts answer :status 200 with a grpc-status', () => {
    const config = new FaultFilterConfig({ abort: { grpcStatus: 14, percentage: HUNDRED(100) } });
    expect(new FaultFilter(config, fixedRandom([0])).decodeHeaders({})).toMatchObject({
      action: 'abort',
      status: 200,
      grpcStatus: 14,
    });
  });

  it('header-controlled delay and abort read x-envoy-fault-* (first value; invalid statuses ignored)', () => {
    const config = new FaultFilterConfig({
      delay: { headerDelay: {}, percentage: HUNDRED(100) },
      abort: { headerAbort: {}, percentage: HUNDRED(100) },
    });
    expect(
      new FaultFilter(config, fixedRandom([0])).decodeHeaders({ 'x-envoy-fault-delay-request': ['250', '999'] }),
    ).toEqual({ action: 'delay', delayMs: 250 });
    expect(
      new FaultFilter(config, fixedRandom([0, 0])).decodeHeaders({ 'x-envoy-fault-abort-request': '429' }),
    ).toMatchObject({
      action: 'abort',
      status: 429,
    });
    expect(
      new FaultFilter(config, fixedRandom([0, 0])).decodeHeaders({ 'x-envoy-fault-abort-request': '600' }),
    ).toEqual({
      action: 'continue',
    });
  });

  it('a percentage header can only lower the configured numerator', () => {
    const config = new FaultFilterConfig({ abort: { headerAbort: {}, percentage: HUNDRED(50) } });
    const headers = { 'x-envoy-fault-abort-request': '503', 'x-envoy-fault-abort-request-percentage': '80' };
    expect(new FaultFilter(config, fixedRandom([60])).decodeHeaders(headers).action).toBe('continue'); // min(80, 50)
    const lower = { ...headers, 'x-envoy-fault-abort-request-percentage': '10' };
    expect(new FaultFilter(config, fixedRandom([20])).decodeHeaders(lower).action).toBe('continue');
    expect(new FaultFilter(config, fixedRandom([9])).decodeHeaders(lower).action).toBe('abort');
  });

  it('max_active_faults: a fault over the limit is not applied and counts faults_overflow', () => {
    const config = new FaultFilterConfig({ delay: { fixedDelay: '1s', percentage: HUNDRED(100) }, maxActiveFaults: 1 });
    const a = new FaultFilter(config, fixedRandom([0]));
    expect(a.decodeHeaders({}).action).toBe('delay');
    const b = new FaultFilter(config, fixedRandom([0]));
    expect(b.decodeHeaders({})).toEqual({ action: 'continue' });
    expect(config.stats).toMatchObject({ faults_overflow: 1, delays_injected: 1, active_faults: 1 });
    expect(b.flags.toString()).toBe('-');
  });

  it('does not draw when the route cluster, downstream node or header matchers exclude the request', () => {
    const fault: HTTPFault = {
      abort: { httpStatus: 503, percentage: HUNDRED(100) },
      upstreamCluster: 'outbound|9080||reviews.default.svc.cluster.local',
      downstreamNodes: ['productpage'],
      headers: [{ name: 'end-user', stringMatch: { exact: 'jason' } }],
    };
    const config = new FaultFilterConfig(fault);
    const random = fixedRandom([0]);
    const f = (h: Record<string, string>, cluster = fault.upstreamCluster) =>
      new FaultFilter(config, random).decodeHeaders(h, cluster !== undefined ? { routeClusterName: cluster } : {});
    expect(f({ 'end-user': 'jason', 'x-envoy-downstream-service-node': 'productpage' }, 'other')).toEqual({
      action: 'continue',
    });
    expect(f({ 'end-user': 'jason' })).toEqual({ action: 'continue' });
    expect(f({ 'end-user': 'bob', 'x-envoy-downstream-service-node': 'productpage' })).toEqual({ action: 'continue' });
    expect(random.drawn).toBe(0);
    expect(f({ 'end-user': 'jason', 'x-envoy-downstream-service-node': 'productpage' }).action).toBe('abort');
  });

  it('counts per downstream cluster when x-envoy-downstream-service-cluster is set', () => {
    const config = new FaultFilterConfig({ abort: { httpStatus: 503, percentage: HUNDRED(100) } });
    new FaultFilter(config, fixedRandom([0])).decodeHeaders({ 'x-envoy-downstream-service-cluster': 'web' });
    expect(config.downstreamClusterStats.get('web')).toEqual({ delays_injected: 0, aborts_injected: 1 });
  });

  it('rejects an abort without any error type and an out-of-range status', () => {
    expect(() => new FaultFilterConfig({ abort: { percentage: HUNDRED(1) } })).toThrow(ConfigError);
    expect(() => new FaultFilterConfig({ abort: { httpStatus: 99 } })).toThrow(ConfigError);
  });

  it('aborts 10 % of requests at percentage 10 (exact binomial acceptance, alpha 0.001)', () => {
    const config = new FaultFilterConfig({ abort: { httpStatus: 503, percentage: MILLION(100_000) } });
    const random = new RandomStream('fault', 'ten-percent');
    const n = 20_000;
    let aborted = 0;
    for (let i = 0; i < n; i++) {
      const f = new FaultFilter(config, random);
      if (f.decodeHeaders({}).action === 'abort') aborted++;
      f.onDestroy();
    }
    const band = binomialAcceptance(n, 0.1, 0.001);
    expect(aborted).toBeGreaterThanOrEqual(band.lower);
    expect(aborted).toBeLessThanOrEqual(band.upper);
  });

  it("per-route settings can share one filter config's stats (Istio puts faults in typed_per_filter_config)", () => {
    const abort = new FaultFilterConfig({ abort: { httpStatus: 500, percentage: HUNDRED(100) } });
    const delay = new FaultFilterConfig({ delay: { fixedDelay: '1s', percentage: HUNDRED(100) } }, abort);
    new FaultFilter(abort, fixedRandom([0])).decodeHeaders({});
    new FaultFilter(delay, fixedRandom([0])).decodeHeaders({});
    expect(abort.stats).toBe(delay.stats);
    expect(abort.stats).toMatchObject({ aborts_injected: 1, delays_injected: 1, active_faults: 2 });
  });
});
