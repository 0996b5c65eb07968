/**
 * The router's shortcuts around the retry state: `mayRetryResponse` lets a response skip building the retry
 * state only when `RetryStateImpl::wouldRetryFromHeaders` (envoyproxy/envoy
 * source/common/router/retry_state_impl.cc) could not retry it; `retryHeadersOf` finds the `x-envoy-retry-*`
 * override headers `RetryStateImpl` reads (and the router strips).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../config/retry.js';
import { constantRandom } from '../lb/testHosts.js';
import { createClusterTrafficStats } from '../upstream/clusterStats.js';
import { ResourceManager } from '../upstream/resourceManager.js';
import { resolveRetryPolicy } from './retryPolicy.js';
import { RetryState } from './retryState.js';
import { mayRetryResponse, retryHeadersOf } from './routerHeaders.js';

const RETRY_HEADER_NAMES = [
  'x-envoy-retry-on',
  'x-envoy-retry-grpc-on',
  'x-envoy-max-retries',
  'x-envoy-retriable-status-codes',
  'x-envoy-retriable-header-names',
];

const arbRetryOn = fc
  .subarray([
    '5xx',
    'gateway-error',
    'connect-failure',
    'retriable-4xx',
    'retriable-status-codes',
    'retriable-headers',
    'envoy-ratelimited',
    'reset',
    'cancelled',
    'unavailable',
    'internal',
    'resource-exhausted',
    'deadline-exceeded',
  ])
  .map((tokens) => tokens.join(','));
const arbStatus = fc.constantFrom(200, 201, 204, 302, 404, 409, 425, 429, 500, 502, 503, 504);
const arbPolicy: fc.Arbitrary<RetryPolicy> = fc.record(
  {
    retryOn: arbRetryOn,
    numRetries: fc.integer({ min: 0, max: 3 }),
    retriableStatusCodes: fc.subarray([200, 204, 302, 409, 425, 429, 503]),
    retriableHeaders: fc.subarray([
      { name: 'x-retry-me', presentMatch: true },
      { name: 'x-upstream', invertMatch: true },
    ]),
  },
  { requiredKeys: [] },
);
const arbRequestRetryHeaders = fc.record(
  {
    'x-envoy-retry-on': arbRetryOn,
    'x-envoy-retry-grpc-on': fc.constantFrom('cancelled', 'unavailable,internal'),
    'x-envoy-max-retries': fc.constantFrom('0', '2'),
    'x-envoy-retriable-status-codes': fc.constantFrom('200', '302,204', 'x'),
  },
  { requiredKeys: [] },
);
const arbResponseHeaders = fc.option(
  fc.record(
    {
      'x-envoy-ratelimited': fc.constant('true'),
      'grpc-status': fc.constantFrom('0', '1', '13', '14'),
      'x-retry-me': fc.constant('1'),
      'x-upstream': fc.constant('a'),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

describe('mayRetryResponse()', () => {
  // Many runs: each way a response can be retried (a listed code, a header, rate limiting, gRPC) is a narrow
  // corner of the space.
  test.prop([arbPolicy, arbRequestRetryHeaders, arbStatus, arbResponseHeaders], { numRuns: 3000 })(
    'a response it lets skip the retry state is one the retry state would not retry',
    (policy, requestHeaders, status, responseHeaders) => {
      const resolved = resolveRetryPolicy(policy);
      const state = RetryState.create({
        policy: resolved,
        requestHeaders,
        resources: new ResourceManager('DEFAULT', { maxRetries: 1000 }),
        stats: createClusterTrafficStats(),
        random: constantRandom(0),
      });
      const decision = state?.wouldRetryFromHeaders(status, responseHeaders ?? {}, {}) ?? 'NoRetry';
      if (!mayRetryResponse(status, responseHeaders, resolved, requestHeaders)) expect(decision).toBe('NoRetry');
    },
  );

  it('lets a 200 skip it under a policy listing only error codes, but not a listed code', () => {
    const policy = resolveRetryPolicy({ retryOn: 'retriable-status-codes', retriableStatusCodes: [503] });
    expect(mayRetryResponse(200, undefined, policy, {})).toBe(false);
    expect(mayRetryResponse(503, undefined, policy, {})).toBe(true);
    const listed200 = resolveRetryPolicy({ retryOn: 'retriable-status-codes', retriableStatusCodes: [200] });
    expect(mayRetryResponse(200, undefined, listed200, {})).toBe(true);
    expect(mayRetryResponse(200, undefined, policy, { 'x-envoy-retriable-status-codes': '200' })).toBe(true);
  });
});

describe('retryHeadersOf()', () => {
  const arbHeaders = fc.dictionary(
    fc.constantFrom(...RETRY_HEADER_NAMES, ':path', 'x-request-id', 'x-envoy-upstream-rq-timeout-ms'),
    fc.constantFrom('5xx', '1', ''),
  );

  test.prop([arbHeaders])('is exactly the request’s retry headers, or undefined when it has none', (headers) => {
    const present = Object.entries(headers).filter(([k]) => RETRY_HEADER_NAMES.includes(k));
    const got = retryHeadersOf(headers);
    if (present.length === 0) expect(got).toBeUndefined();
    else expect(got).toEqual(Object.fromEntries(present));
  });
});
