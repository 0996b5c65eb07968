// istiod's traffic-policy translation, after istio/istio pilot/pkg/networking/core/route/retry/retry_test.go
// (TestRetry), cluster_traffic_policy.go and route.go (TranslateFault), and istio-defaults.md §1, 2, 5, 6.
import type { IDestinationRule, IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Cluster } from '../../../envoy/config/cluster.js';
import { healthyPanicThreshold } from '../../../envoy/lb/createLoadBalancer.js';
import { applyConnectionPool, ISTIO_UNLIMITED } from './applyConnectionPool.js';
import { applyLoadBalancer, consistentHashToHashPolicy } from './applyLoadBalancer.js';
import { applyOutlierDetection } from './applyOutlierDetection.js';
import { buildRetryPolicy, DEFAULT_RETRY_ON, parseIstioRetryOn } from './buildRetryPolicy.js';
import { translateFault } from './translateFault.js';
import type {
  IstioConnectionPoolSettings,
  IstioHTTPFaultInjection,
  IstioHTTPRetry,
  IstioOutlierDetection,
} from './types.js';

const cluster: Cluster = { name: 'outbound|9080||reviews.default.svc.cluster.local' };
type TrafficPolicy = NonNullable<NonNullable<IDestinationRule['spec']>['trafficPolicy']>;
type HTTPRoute = NonNullable<NonNullable<IVirtualService['spec']>['http']>[number];

describe('Istio API types', () => {
  it('the CRD types of Istio 1.29 are assignable to the translation inputs', () => {
    expectTypeOf<NonNullable<TrafficPolicy['outlierDetection']>>().toExtend<IstioOutlierDetection>();
    expectTypeOf<NonNullable<TrafficPolicy['connectionPool']>>().toExtend<IstioConnectionPoolSettings>();
    expectTypeOf<NonNullable<HTTPRoute['retries']>>().toExtend<IstioHTTPRetry>();
    expectTypeOf<NonNullable<HTTPRoute['fault']>>().toExtend<IstioHTTPFaultInjection>();
  });
});

describe('applyOutlierDetection', () => {
  it('leaves the cluster alone without outlierDetection', () => {
    expect(applyOutlierDetection(cluster, undefined)).toBe(cluster);
  });

  it('maps an empty outlierDetection to success rate off and panic threshold 0', () => {
    const c = applyOutlierDetection(cluster, {});
    expect(c.outlierDetection).toEqual({ enforcingSuccessRate: 0 });
    expect(c.commonLbConfig?.healthyPanicThreshold).toEqual({ value: 0 });
    expect(healthyPanicThreshold(c)).toBe(0);
    expect(healthyPanicThreshold(cluster)).toBe(50); // Envoy's default without outlier detection
  });

  it('maps consecutive errors with enforcement 100, 0 disabling; copies times and maxEjectionPercent > 0', () => {
    const c = applyOutlierDetection(cluster, {
      consecutive5xxErrors: 7,
      consecutiveGatewayErrors: 0,
      interval: '5m',
      baseEjectionTime: '15m',
      maxEjectionPercent: 0,
      minHealthPercent: 30,
    });
    expect(c.outlierDetection).toEqual({
      enforcingSuccessRate: 0,
      consecutive5xx: 7,
      enforcingConsecutive5xx: 100,
      consecutiveGatewayFailure: 0,
      enforcingConsecutiveGatewayFailure: 0,
      interval: '300s',
      baseEjectionTime: '900s',
    });
    expect(c.commonLbConfig?.healthyPanicThreshold).toEqual({ value: 30 });
  });

  it('maps split local-origin errors and forces panic 0 for services that publish unready endpoints', () => {
    const c = applyOutlierDetection(
      cluster,
      { splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailures: 3, minHealthPercent: 50 },
      { forcesSupportUnhealthyEndpoints: true },
    );
    expect(c.outlierDetection).toMatchObject({
      splitExternalLocalOriginErrors: true,
      consecutiveLocalOriginFailure: 3,
      enforcingConsecutiveLocalOriginFailure: 100,
      enforcingLocalOriginSuccessRate: 0,
    });
    expect(c.commonLbConfig?.healthyPanicThreshold).toEqual({ value: 0 });
  });
});

describe('applyConnectionPool', () => {
  it('gives every cluster 2^32−1 thresholds and the mesh connect timeout', () => {
    const c = applyConnectionPool(cluster);
    expect(c.circuitBreakers?.thresholds).toEqual([
      {
        maxRetries: ISTIO_UNLIMITED,
        maxRequests: ISTIO_UNLIMITED,
        maxConnections: ISTIO_UNLIMITED,
        maxPendingRequests: ISTIO_UNLIMITED,
        trackRemaining: true,
      },
    ]);
    expect(c.connectTimeout).toBe('10s');
  });

  it('lowers only the limits set to a positive value; http2MaxRequests is max_requests for every protocol', () => {
    const c = applyConnectionPool(
      cluster,
      {
        tcp: { maxConnections: 1, connectTimeout: '250ms' },
        http: { http1MaxPendingRequests: 1, http2MaxRequests: 0, maxRetries: 3 },
      },
      { percent: 25 },
    );
    expect(c.circuitBreakers?.thresholds?.[0]).toEqual({
      maxRetries: 3,
      maxRequests: ISTIO_UNLIMITED,
      maxConnections: 1,
      maxPendingRequests: 1,
      trackRemaining: true,
      retryBudget: { budgetPercent: { value: 25 }, minRetryConcurrency: 3 },
    });
    expect(c.connectTimeout).toBe('0.250s');
  });
});

describe('applyLoadBalancer', () => {
  it('defaults to LEAST_REQUEST; LEAST_CONN is LEAST_REQUEST; RANDOM and ROUND_ROBIN map through', () => {
    expect(applyLoadBalancer(cluster, undefined).lbPolicy).toBe('LEAST_REQUEST');
    expect(applyLoadBalancer(cluster, { simple: 'LEAST_CONN' }).lbPolicy).toBe('LEAST_REQUEST');
    expect(applyLoadBalancer(cluster, { simple: 'RANDOM' }).lbPolicy).toBe('RANDOM');
    expect(applyLoadBalancer(cluster, { simple: 'ROUND_ROBIN' }).lbPolicy).toBe('ROUND_ROBIN');
    expect(applyLoadBalancer(cluster, { simple: 'PASSTHROUGH' })).toMatchObject({
      lbPolicy: 'CLUSTER_PROVIDED',
      type: 'ORIGINAL_DST',
    });
  });

  it('consistentHash selects RING_HASH (min ring 1024) or MAGLEV, and a route hash policy', () => {
    expect(applyLoadBalancer(cluster, { consistentHash: { httpHeaderName: 'x-user' } })).toMatchObject({
      lbPolicy: 'RING_HASH',
      ringHashLbConfig: { minimumRingSize: 1024 },
    });
    expect(
      applyLoadBalancer(cluster, { consistentHash: { useSourceIp: true, maglev: { tableSize: 7 } } }),
    ).toMatchObject({
      lbPolicy: 'MAGLEV',
      maglevLbConfig: { tableSize: 7 },
    });
    expect(consistentHashToHashPolicy({ httpCookie: { name: 'user', ttl: '1h' } })).toEqual({
      cookie: { name: 'user', ttl: '3600s' },
    });
    expect(consistentHashToHashPolicy({ httpQueryParameterName: 'id' })).toEqual({ queryParameter: { name: 'id' } });
  });

  it('sets panic threshold 0 for services that support unhealthy endpoints, unless already set', () => {
    expect(applyLoadBalancer(cluster, undefined, { supportsUnhealthyEndpoints: true }).commonLbConfig).toEqual({
      healthyPanicThreshold: { value: 0 },
    });
    const withOd = applyOutlierDetection(cluster, { minHealthPercent: 40 });
    expect(applyLoadBalancer(withOd, undefined, { supportsUnhealthyEndpoints: true }).commonLbConfig).toEqual({
      healthyPanicThreshold: { value: 40 },
    });
  });
});

describe('buildRetryPolicy', () => {
  it("defaults to 2 retries, Istio's retryOn, previous_hosts and 5 host-selection attempts (TestNilRetryShouldReturnDefault)", () => {
    expect(buildRetryPolicy(undefined)).toEqual({
      numRetries: 2,
      retryOn: DEFAULT_RETRY_ON,
      hostSelectionRetryMaxAttempts: 5,
      retryHostPredicate: [{ name: 'envoy.retry_host_predicates.previous_hosts' }],
    });
    expect(buildRetryPolicy(undefined, { consistentHash: true })?.retryHostPredicate).toBeUndefined();
  });

  it('attempts: 0 disables retries (TestZeroAttemptsShouldReturnNilPolicy)', () => {
    expect(buildRetryPolicy({ attempts: 0 })).toBeUndefined();
  });

  it('copies all fields (TestRetryWithAllFieldsSet) and drops empty retryOn parts (TestRetryOnWithEmptyParts)', () => {
    expect(
      buildRetryPolicy({ attempts: 2, retryOn: 'some,fake,conditions', perTryTimeout: '3s', backoff: '2s' }),
    ).toEqual({
      numRetries: 2,
      retryOn: 'some,fake,conditions',
      hostSelectionRetryMaxAttempts: 5,
      retryHostPredicate: [{ name: 'envoy.retry_host_predicates.previous_hosts' }],
      perTryTimeout: '3s',
      retryBackOff: { baseInterval: '2s' },
    });
    expect(buildRetryPolicy({ attempts: 2, retryOn: 'some,fake,conditions,,,' })?.retryOn).toBe('some,fake,conditions');
  });

  it('turns status codes into retriable_status_codes, adding the condition once (TestRetryOnWithRetriableStatusCodes…)', () => {
    expect(buildRetryPolicy({ attempts: 2, retryOn: 'gateway-error,retriable-status-codes,503' })).toMatchObject({
      retryOn: 'gateway-error,retriable-status-codes',
      retriableStatusCodes: [503],
    });
    expect(buildRetryPolicy({ attempts: 2, retryOn: 'gateway-error,503' })).toMatchObject({
      retryOn: 'gateway-error,retriable-status-codes',
      retriableStatusCodes: [503],
    });
    expect(parseIstioRetryOn('5xx,999,306,418')).toEqual({ retryOn: '5xx,999,306', codes: [418] });
  });

  it('honours retryIgnorePreviousHosts false, retryRemoteLocalities and the mesh default policy', () => {
    expect(buildRetryPolicy({ attempts: 3, retryIgnorePreviousHosts: false })?.retryHostPredicate).toBeUndefined();
    expect(buildRetryPolicy({ attempts: 3, retryRemoteLocalities: true })?.retryPriority?.name).toBe(
      'envoy.retry_priorities.previous_priorities',
    );
    expect(buildRetryPolicy(undefined, { meshDefaultHttpRetryPolicy: { attempts: 4, retryOn: '5xx' } })).toMatchObject({
      numRetries: 4,
      retryOn: '5xx',
    });
  });
});

describe('translateFault', () => {
  it('maps percentage.value × 10000 over MILLION and the legacy integer percent over HUNDRED', () => {
    expect(translateFault({ delay: { fixedDelay: '5s', percentage: { value: 0.1 } } })).toEqual({
      delay: { fixedDelay: '5s', percentage: { numerator: 1000, denominator: 'MILLION' } },
    });
    expect(translateFault({ delay: { fixedDelay: '7s', percent: 20 } })).toEqual({
      delay: { fixedDelay: '7s', percentage: { numerator: 20, denominator: 'HUNDRED' } },
    });
    expect(translateFault({ abort: { httpStatus: 418, percentage: { value: 100 } } })).toEqual({
      abort: { httpStatus: 418, percentage: { numerator: 1_000_000, denominator: 'MILLION' } },
    });
  });

  it('keeps an abort without percentage unset (never fires), maps gRPC names, drops exponential delays', () => {
    expect(translateFault({ abort: { httpStatus: 503 } })).toEqual({ abort: { httpStatus: 503 } });
    expect(translateFault({ abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 50 } } })).toEqual({
      abort: { grpcStatus: 14, percentage: { numerator: 500_000, denominator: 'MILLION' } },
    });
    expect(translateFault({ delay: { exponentialDelay: '1s', percentage: { value: 50 } } })).toBeUndefined();
  });

  test.prop([fc.double({ min: 0, max: 100, noNaN: true })])('a percentage keeps 0.0001 % resolution', (value) => {
    const n = translateFault({ abort: { httpStatus: 500, percentage: { value } } })?.abort?.percentage?.numerator ?? -1;
    expect(n).toBe(Math.trunc(value * 10000));
    expect(Math.abs(n / 10000 - value)).toBeLessThan(0.0001 + 1e-9);
  });
});
