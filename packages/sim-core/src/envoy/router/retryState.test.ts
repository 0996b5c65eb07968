// Retry state and backoff, checked against Envoy's test/common/router/retry_state_impl_test.cc
// (RouterRetryStateImplTest.Backoff, CustomBackOffInterval, CustomBackOffIntervalDefaultMax,
// NoPreferredOverLimitExceeded, ZeroMaxRetriesHeader, Budget*, ParseRetryOn, ParseRetryGrpcOn, …).
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { fixedRandom } from '../../engine/rng.js';
import type { RetryPolicy } from '../config/retry.js';
import { constantRandom, hostsOnPorts, prioritySetOf } from '../lb/testHosts.js';
import { RoundRobinLoadBalancer } from '../lb/roundRobin.js';
import { createClusterTrafficStats } from '../upstream/clusterStats.js';
import type { Host } from '../upstream/host.js';
import { ResourceManager } from '../upstream/resourceManager.js';
import { JitteredExponentialBackOffStrategy, LegacyJitteredBackOffStrategy } from './backoff.js';
import { parseRetryGrpcOn, parseRetryOn } from './retryPolicy.js';
import { RetryState, retryStatusResponseFlag, type RetryStateOptions } from './retryState.js';

function setup(policy: RetryPolicy, extra: Partial<RetryStateOptions> = {}) {
  const resources = extra.resources ?? new ResourceManager('DEFAULT', { maxRetries: 1000 });
  const stats = extra.stats ?? createClusterTrafficStats();
  const state = RetryState.create({ policy, resources, stats, random: constantRandom(0), ...extra });
  return { state: state as RetryState, resources, stats };
}

describe('JitteredExponentialBackOffStrategy', () => {
  it('has ceilings 25, 50, 100, 200, 250, 250 ms for the defaults (base 25, max 250)', () => {
    const b = new JitteredExponentialBackOffStrategy(25, 250, fixedRandom(new Array(6).fill(999)));
    // 999 ≡ −1 modulo every ceiling, so each wait is ceiling − 1.
    expect(Array.from({ length: 6 }, () => b.nextBackOffMs())).toEqual([24, 49, 99, 199, 249, 249]);
  });

  it('base 100, max 1200: 100, 200, 400, 800, 1200 (CustomBackOffInterval)', () => {
    const b = new JitteredExponentialBackOffStrategy(100, 1200, fixedRandom([149, 350, 751, 2399, 2399]));
    expect(Array.from({ length: 5 }, () => b.nextBackOffMs())).toEqual([49, 150, 351, 799, 1199]);
  });

  it('base 100, default max 1000: 100, 200, 400, 800, 1000 (CustomBackOffIntervalDefaultMax)', () => {
    const b = new JitteredExponentialBackOffStrategy(100, 1000, fixedRandom([149, 350, 751, 2999, 2999]));
    expect(Array.from({ length: 5 }, () => b.nextBackOffMs())).toEqual([49, 150, 351, 599, 999]);
  });

  test.prop([
    fc.integer({ min: 1, max: 1000 }),
    fc.integer({ min: 1, max: 20 }),
    fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
  ])('every wait is below its ceiling and no ceiling exceeds max', (base, factor, draws) => {
    const b = new JitteredExponentialBackOffStrategy(base, base * factor, fixedRandom(draws));
    for (const _ of draws) {
      const ceiling = b.nextCeilingMs;
      expect(ceiling).toBeLessThanOrEqual(base * factor);
      expect(b.nextBackOffMs()).toBeLessThan(ceiling);
    }
  });
});

describe('LegacyJitteredBackOffStrategy (Envoy ≤ 1.17)', () => {
  it('has ceilings 25, 75, 175, then min(random % 375, 250) (the old Backoff test: 49→24, 149→74, 349→174)', () => {
    const b = new LegacyJitteredBackOffStrategy(25, 250, fixedRandom([49, 149, 349, 2624, 2624]));
    expect(Array.from({ length: 5 }, () => b.nextBackOffMs())).toEqual([24, 74, 174, 250, 250]);
  });
});

describe('RetryState', () => {
  it('create() returns null without any retry condition', () => {
    expect(setup({}).state).toBeNull();
    expect(setup({ numRetries: 3 }).state).toBeNull();
    expect(setup({}, { requestHeaders: { 'x-envoy-retry-on': '5xx' } }).state).not.toBeNull();
  });

  it('backs off 15, 40, 90 ms for random() 190, then counts the success (Backoff)', () => {
    const random = fixedRandom([190, 190, 190]);
    const { state, stats, resources } = setup({ retryOn: 'connect-failure', numRetries: 3 }, { random });
    expect(state.shouldRetryReset('RemoteConnectionFailure')).toEqual({ status: 'Yes', backoffMs: 15 });
    expect(state.shouldRetryReset('RemoteConnectionFailure')).toEqual({ status: 'Yes', backoffMs: 40 });
    expect(state.shouldRetryReset('RemoteConnectionFailure')).toEqual({ status: 'Yes', backoffMs: 90 });
    expect(state.shouldRetryHeaders(200)).toEqual({ status: 'No' });
    expect(stats.upstream_rq_retry).toBe(3);
    expect(stats.upstream_rq_retry_success).toBe(1);
    expect(resources.retries.count()).toBe(0); // the slot is released at the next decision
  });

  it('a non-retriable response is No even with no retries left (NoPreferredOverLimitExceeded)', () => {
    const { state, stats } = setup({}, { requestHeaders: { 'x-envoy-retry-on': '5xx', 'x-envoy-max-retries': '1' } });
    expect(state.shouldRetryHeaders(503).status).toBe('Yes');
    expect(state.shouldRetryHeaders(200).status).toBe('No');
    expect(stats.upstream_rq_retry_limit_exceeded).toBe(0);
    expect(stats.upstream_rq_retry).toBe(1);
  });

  it('x-envoy-max-retries: 0 replaces num_retries: the first retriable failure is URX (ZeroMaxRetriesHeader)', () => {
    const { state, stats } = setup(
      { numRetries: 5 },
      { requestHeaders: { 'x-envoy-retry-on': 'connect-failure', 'x-envoy-max-retries': '0' } },
    );
    const r = state.shouldRetryReset('RemoteConnectionFailure');
    expect(r.status).toBe('NoRetryLimitExceeded');
    expect(retryStatusResponseFlag(r.status)).toBe('URX');
    expect(stats.upstream_rq_retry_limit_exceeded).toBe(1);
    expect(stats.upstream_rq_retry).toBe(0);
  });

  it('a full retry circuit breaker gives UO and still uses up a retry (NoAvailableRetries)', () => {
    const { state, stats } = setup(
      { retryOn: '5xx', numRetries: 2 },
      { resources: new ResourceManager('DEFAULT', { maxRetries: 0 }) },
    );
    const r = state.shouldRetryHeaders(503);
    expect(r.status).toBe('NoOverflow');
    expect(retryStatusResponseFlag(r.status)).toBe('UO');
    expect(stats.upstream_rq_retry_overflow).toBe(1);
    expect(state.remaining).toBe(1);
  });

  it('circuit-breaker overflow is never retried, whatever retry_on says', () => {
    const { state, stats } = setup({ retryOn: '5xx,gateway-error,reset,connect-failure,retriable-4xx', numRetries: 5 });
    expect(state.shouldRetryReset('Overflow')).toEqual({ status: 'No' });
    expect(stats.upstream_rq_retry + stats.upstream_rq_retry_limit_exceeded).toBe(0);
  });

  it('retry budget: min_retry_concurrency 3 with nothing active, then 20 % of 20 requests (BudgetVerifyMinimumConcurrency)', () => {
    const resources = new ResourceManager('DEFAULT', {
      maxRequests: 1000,
      maxRetries: 0,
      retryBudget: { budgetPercent: { value: 20 }, minRetryConcurrency: 3 },
    });
    const { state } = setup(
      {},
      { resources, requestHeaders: { 'x-envoy-retry-on': '5xx', 'x-envoy-max-retries': '42' } },
    );
    resources.retries.inc();
    resources.retries.inc();
    expect(state.shouldRetryHeaders(500).status).toBe('Yes');
    resources.retries.inc();
    expect(state.shouldRetryHeaders(500).status).toBe('NoOverflow');
    for (let i = 0; i < 20; i++) resources.requests.inc();
    expect(state.shouldRetryHeaders(500).status).toBe('Yes');
    resources.retries.inc();
    expect(state.shouldRetryHeaders(500).status).toBe('NoOverflow');
  });

  it('a budget of 0 % with no minimum allows no retry (BudgetNoAvailableRetries)', () => {
    const resources = new ResourceManager('DEFAULT', {
      maxRequests: 20,
      maxRetries: 5,
      retryBudget: { budgetPercent: { value: 0 }, minRetryConcurrency: 0 },
    });
    const { state } = setup({}, { resources, requestHeaders: { 'x-envoy-retry-on': '5xx' } });
    expect(state.shouldRetryHeaders(500).status).toBe('NoOverflow');
  });

  it('a per-try timeout (LocalReset) is retried by 5xx or reset, not by connect-failure alone', () => {
    expect(setup({ retryOn: 'connect-failure' }).state.wouldRetryFromReset('LocalReset')).toBe('NoRetry');
    expect(setup({ retryOn: '5xx' }).state.wouldRetryFromReset('LocalReset')).toBe('RetryWithBackoff');
    expect(setup({ retryOn: 'reset' }).state.wouldRetryFromReset('LocalReset')).toBe('RetryWithBackoff');
    expect(setup({ retryOn: 'reset-before-request' }).state.wouldRetryFromReset('LocalReset', true)).toBe('NoRetry');
    expect(setup({ retryOn: 'reset-before-request' }).state.wouldRetryFromReset('LocalReset', false)).toBe(
      'RetryWithBackoff',
    );
    expect(setup({ retryOn: 'refused-stream' }).state.wouldRetryFromReset('RemoteRefusedStreamReset')).toBe(
      'RetryWithBackoff',
    );
  });

  it('matches response codes: 5xx, gateway-error, retriable-4xx (409 only), retriable status codes', () => {
    const s = (retryOn: string, codes: number[] = []) => setup({ retryOn, retriableStatusCodes: codes }).state;
    expect(s('5xx').wouldRetryFromHeaders(500)).toBe('RetryWithBackoff');
    expect(s('gateway-error').wouldRetryFromHeaders(500)).toBe('NoRetry');
    expect(s('gateway-error').wouldRetryFromHeaders(504)).toBe('RetryWithBackoff');
    expect(s('retriable-4xx').wouldRetryFromHeaders(409)).toBe('RetryWithBackoff');
    expect(s('retriable-4xx').wouldRetryFromHeaders(404)).toBe('NoRetry');
    expect(s('retriable-status-codes', [503]).wouldRetryFromHeaders(503)).toBe('RetryWithBackoff');
    expect(s('retriable-status-codes').wouldRetryFromHeaders(503)).toBe('NoRetry');
    expect(s('5xx').wouldRetryFromHeaders(503, { 'x-envoy-ratelimited': 'true' })).toBe('NoRetry');
    expect(s('envoy-ratelimited').wouldRetryFromHeaders(429, { 'x-envoy-ratelimited': 'true' })).toBe(
      'RetryWithBackoff',
    );
  });

  it("Istio's default policy retries connect failures and gRPC UNAVAILABLE, not a plain 503 (since 1.24)", () => {
    const istio: RetryPolicy = {
      retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes',
      numRetries: 2,
      retryHostPredicate: [{ name: 'envoy.retry_host_predicates.previous_hosts' }],
      hostSelectionRetryMaxAttempts: '5',
    };
    const { state } = setup(istio);
    expect(state.wouldRetryFromHeaders(503)).toBe('NoRetry');
    expect(state.wouldRetryFromHeaders(200, { 'grpc-status': '14' })).toBe('RetryWithBackoff');
    expect(state.wouldRetryFromReset('RemoteConnectionFailure')).toBe('RetryWithBackoff');
    expect(state.hostSelectionMaxAttempts).toBe(5);
  });

  it('previous_hosts: a retry avoids the hosts already tried when the LB can find another', () => {
    const hosts = hostsOnPorts(3);
    const lb = new RoundRobinLoadBalancer({ prioritySet: prioritySetOf(hosts), random: constantRandom(0) });
    const { state } = setup({
      retryOn: 'connect-failure',
      numRetries: 2,
      retryHostPredicate: [{ name: 'envoy.retry_host_predicates.previous_hosts' }],
      hostSelectionRetryMaxAttempts: 5,
    });
    const first = lb.chooseHost(state.loadBalancerContext(false)) as Host;
    state.onHostAttempted(first);
    lb.chooseHost(); // another request moves the RR index on to the first host again
    lb.chooseHost();
    const retry = lb.chooseHost(state.loadBalancerContext(true)) as Host;
    expect(first).toBe(hosts[0]);
    expect(retry).not.toBe(first);
  });

  it('parseRetryOn / parseRetryGrpcOn trim, ignore unknown tokens and report them (ParseRetryOn, ParseRetryGrpcOn)', () => {
    expect(parseRetryOn('5xx,gateway-error,connect-failure')).toEqual({ bits: 7, allValid: true });
    expect(parseRetryOn('xxx,gateway-error,connect-failure')).toEqual({ bits: 6, allValid: false });
    expect(parseRetryOn(' 5xx,gateway-error ,  connect-failure   ')).toEqual({ bits: 7, allValid: true });
    expect(parseRetryOn(' 5 xx,gateway-error ,  connect-failure   ')).toEqual({ bits: 6, allValid: false });
    expect(parseRetryGrpcOn('cancelled,deadline-exceeded,resource-exhausted')).toEqual({ bits: 224, allValid: true });
    expect(parseRetryGrpcOn('cancelled,deadline-exceeded,resource-exhaust')).toEqual({ bits: 96, allValid: false });
  });

  test.prop([
    fc.array(fc.constantFrom(200, 404, 500, 503, 504), { minLength: 1, maxLength: 10 }),
    fc.integer({ min: 0, max: 4 }),
  ])(
    'never more than num_retries retries, and a slot is held only between a Yes and the next decision',
    (codes, numRetries) => {
      const { state, stats, resources } = setup({ retryOn: '5xx', numRetries });
      for (const c of codes) {
        const r = state.shouldRetryHeaders(c);
        expect(resources.retries.count()).toBe(r.status === 'Yes' ? 1 : 0);
        if (r.status !== 'Yes') break;
      }
      expect(stats.upstream_rq_retry).toBeLessThanOrEqual(numRetries);
      state.dispose();
      expect(resources.retries.count()).toBe(0);
    },
  );
});
