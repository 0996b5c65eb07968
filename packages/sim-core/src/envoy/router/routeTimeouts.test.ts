/**
 * `FilterUtility::finalTimeout` (envoyproxy/envoy source/common/router/router.cc) and the per-route values
 * the router uses when a request carries no `x-envoy-upstream-rq-*timeout-ms` header.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { compileRoute } from './compiledRoute.js';
import { finalTimeout, hasTimeoutHeaders, requestTimeouts } from './routeTimeouts.js';

const arbMs = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 120_000 }));
const arbHeaders = fc.dictionary(
  fc.constantFrom(':path', 'x-request-id', 'x-envoy-upstream-rq-timeout-ms', 'x-envoy-upstream-rq-per-try-timeout-ms'),
  fc.constantFrom('/', '250', '0', 'x', ' 40 '),
);

describe('finalTimeout()', () => {
  it('takes the headers (ms) over the route and drops a per-try timeout not below the global one', () => {
    const h = { 'x-envoy-upstream-rq-timeout-ms': '500', 'x-envoy-upstream-rq-per-try-timeout-ms': '800' };
    expect(finalTimeout(3000, 1000, h)).toEqual({ global: 500_000, perTry: 0 });
    expect(h).toEqual({});
    expect(finalTimeout(0, 1000, {})).toEqual({ global: 0, perTry: 1_000_000 });
    expect(finalTimeout(3000, 3000, {})).toEqual({ global: 3_000_000, perTry: 0 });
  });

  test.prop([arbMs, arbMs, arbHeaders, fc.boolean()])(
    'without override headers it is requestTimeouts() and leaves the headers alone',
    (routeMs, perTryMs, headers, trust) => {
      const before = { ...headers };
      const got = finalTimeout(routeMs, perTryMs, headers, trust);
      if (!hasTimeoutHeaders(before)) {
        expect(got).toEqual(requestTimeouts(routeMs, perTryMs));
        expect(headers).toEqual(before);
      } else {
        expect(hasTimeoutHeaders(headers)).toBe(false);
      }
    },
  );
});

describe('CompiledRoute.timeouts', () => {
  test.prop([fc.option(arbMs, { nil: undefined }), fc.option(arbMs, { nil: undefined })])(
    'is what finalTimeout gives the route’s timeout and per-try timeout for a request without headers',
    (timeoutMs, perTryMs) => {
      const route = compileRoute({
        match: { prefix: '/' },
        route: {
          cluster: 'c',
          ...(timeoutMs !== undefined ? { timeout: `${timeoutMs / 1000}s` } : {}),
          ...(perTryMs !== undefined ? { retryPolicy: { perTryTimeout: `${perTryMs / 1000}s` } } : {}),
        },
      });
      expect(route.timeouts).toEqual(finalTimeout(route.timeoutMs, route.retryPolicy?.perTryTimeoutMs ?? 0, {}));
      // Envoy's 15 s default when the route sets none.
      if (timeoutMs === undefined) expect(route.timeouts.global).toBe(15_000_000);
    },
  );
});
