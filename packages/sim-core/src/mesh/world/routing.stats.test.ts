/**
 * Statistical properties of routing through the full data path (app → client sidecar → network → server
 * sidecar → app), over fast-check-generated configurations, each checked with exact binomial bounds at a
 * stated alpha and fixed seeds (deterministic: a failure is a bug, never noise):
 * - weighted routes converge to weight / Σ weights, and a weight-0 destination gets nothing
 *   (virtual_service.proto `HTTPRouteDestination.weight`; Istio drops weight-0 clusters, route.go);
 * - abort and delay fractions match their `percentage` (the fault filter draws each independently,
 *   envoyproxy/envoy source/extensions/filters/http/fault/fault_filter.cc `isDelayEnabled`/`isAbortEnabled`);
 * - an aborted request never reaches the router, so it never retries (the fault filter answers before the
 *   router filter runs; Istio's translation adds the fault config and keeps the route's retry policy,
 *   istio/istio pilot/pkg/networking/core/route/route.go `translateRoute`);
 * - retries never exceed `attempts`, and a retriable answer is retried until it succeeds or they run out.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { ms } from '../../engine/time.js';
import { binomialAcceptance } from '../../testing/stats.js';
import { reviewsMesh } from './testMeshes.js';
import { countOf, runFromSleep } from './testRuns.js';

// Per-check significance; a run makes at most ~40 checks, so a correct simulator fails one with
// probability < 4e-3 — and with fixed seeds it either always passes or always fails.
const ALPHA = 1e-4;
const RUNS = { numRuns: 6 };

const clusterStat = (run: ReturnType<typeof runFromSleep>, cluster: string, stat: string): number => {
  const pod = run.result.world.instances.find((i) => i.labels['app'] === 'sleep');
  return run.result.proxyStats.get(pod?.key ?? '')?.value(`cluster.${cluster}.${stat}`) ?? 0;
};

describe('weighted routes', () => {
  test.prop(
    [
      fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 4 }).filter((w) => w.some((x) => x > 0)),
      fc.integer({ min: 1, max: 1000 }),
    ],
    RUNS,
  )('each subset gets weight / Σ weights of the requests; a weight-0 subset gets none', (weights, seed) => {
    const versions = weights.map((_, i) => ({ name: `v${i + 1}` }));
    const model = reviewsMesh({
      versions,
      virtualService: {
        http: [
          { route: weights.map((w, i) => ({ destination: { host: 'reviews', subset: `v${i + 1}` }, weight: w })) },
        ],
      },
    });
    const n = 1500;
    const { outcomes } = runFromSleep(model, { rate: 500, requests: n }, { seed });
    expect(outcomes).toHaveLength(n);
    expect(countOf(outcomes, (o) => o.status === 200)).toBe(n);
    const total = weights.reduce((a, b) => a + b, 0);
    weights.forEach((w, i) => {
      const k = countOf(outcomes, (o) => o.destination.subset === `v${i + 1}`);
      if (w === 0) {
        expect(k).toBe(0);
        return;
      }
      const band = binomialAcceptance(n, w / total, ALPHA);
      expect(k).toBeGreaterThanOrEqual(band.lower);
      expect(k).toBeLessThanOrEqual(band.upper);
    });
  });
});

describe('fault injection', () => {
  const percent = fc.oneof(
    fc.constantFrom(0, 100),
    fc.double({ min: 0.5, max: 99.5, noNaN: true }).map((x) => Math.round(x * 10) / 10),
  );

  test.prop([percent, percent, fc.integer({ min: 1, max: 1000 })], RUNS)(
    'aborts and delays hit their percentages, drawn independently; aborted requests never leave the sidecar',
    (abortPct, delayPct, seed) => {
      const model = reviewsMesh({
        virtualService: {
          http: [
            {
              fault: {
                abort: { percentage: { value: abortPct }, httpStatus: 503 },
                delay: { percentage: { value: delayPct }, fixedDelay: '7ms' },
              },
              route: [{ destination: { host: 'reviews' } }],
            },
          ],
        },
      });
      const n = 1200;
      const { outcomes } = runFromSleep(model, { rate: 400, requests: n }, { seed });
      expect(outcomes).toHaveLength(n);
      const flags = (o: { responseFlags: string }) => o.responseFlags.split(',');
      const aborted = outcomes.filter((o) => flags(o).includes('FI'));
      const delayed = outcomes.filter((o) => flags(o).includes('DI'));
      for (const [k, p] of [
        [aborted.length, abortPct / 100],
        [delayed.length, delayPct / 100],
        // Independence: both faults on one request with probability p_abort × p_delay.
        [countOf(aborted, (o) => flags(o).includes('DI')), (abortPct / 100) * (delayPct / 100)],
      ] as const) {
        const band = binomialAcceptance(n, p, ALPHA);
        expect(k).toBeGreaterThanOrEqual(band.lower);
        expect(k).toBeLessThanOrEqual(band.upper);
      }
      for (const o of aborted) {
        expect(o).toMatchObject({ status: 503, responseCodeDetails: 'fault_filter_abort', attempts: 0 });
        expect(o.upstreamHost).toBeUndefined();
      }
      // A delay holds the request in the client sidecar for the whole fixed delay.
      for (const o of delayed) expect(o.duration).toBeGreaterThanOrEqual(ms(7));
      expect(countOf(outcomes, (o) => !flags(o).includes('FI') && o.status !== 200)).toBe(0);
    },
  );

  test.prop(
    [
      fc.integer({ min: 10, max: 90 }),
      fc.double({ min: 0.2, max: 0.8, noNaN: true }),
      fc.integer({ min: 1, max: 1000 }),
    ],
    RUNS,
  )(
    'a faulted route never retries an aborted request; the requests it lets through retry as the route says',
    (abortPct, errorP, seed) => {
      const model = reviewsMesh({
        virtualService: {
          http: [
            {
              fault: { abort: { percentage: { value: abortPct }, httpStatus: 503 } },
              retries: { attempts: 3, retryOn: '5xx' },
              route: [{ destination: { host: 'reviews' } }],
            },
          ],
        },
      });
      const n = 800;
      const run = runFromSleep(
        model,
        { rate: 300, requests: n },
        {
          seed,
          workloads: [
            {
              selector: { matchLabels: { app: 'reviews' } },
              behaviour: { errors: [{ status: 503, probability: errorP }] },
            },
          ],
        },
      );
      const { outcomes } = run;
      const aborted = outcomes.filter((o) => o.responseFlags === 'FI');
      const passed = outcomes.filter((o) => o.responseFlags !== 'FI');
      expect(aborted.every((o) => o.attempts === 0)).toBe(true);
      expect(passed.every((o) => o.attempts >= 1 && o.attempts <= 4)).toBe(true);
      const retries = passed.reduce((a, o) => a + o.attempts - 1, 0);
      expect(clusterStat(run, 'outbound|9080||reviews.default.svc.cluster.local', 'upstream_rq_retry')).toBe(retries);
      // Σ (tries) = upstream requests; aborted ones made none.
      expect(clusterStat(run, 'outbound|9080||reviews.default.svc.cluster.local', 'upstream_rq_total')).toBe(
        retries + passed.length,
      );
      // A request the fault let through is retried while the app answers 503: P(k tries) = p^(k-1)(1-p) (k < 4).
      const band = binomialAcceptance(passed.length, 1 - errorP, ALPHA);
      const once = countOf(passed, (o) => o.attempts === 1);
      expect(once).toBeGreaterThanOrEqual(band.lower);
      expect(once).toBeLessThanOrEqual(band.upper);
    },
  );
});

describe('retries', () => {
  const retryOn = fc.constantFrom('5xx', 'gateway-error', 'retriable-status-codes,503', '503', 'connect-failure');

  test.prop(
    [
      fc.integer({ min: 0, max: 4 }),
      retryOn,
      fc.double({ min: 0.1, max: 0.9, noNaN: true }),
      fc.integer({ min: 1, max: 1000 }),
    ],
    RUNS,
  )(
    'no request makes more than attempts + 1 tries; a retriable 503 is retried until it succeeds or tries run out',
    (attempts, on, errorP, seed) => {
      const model = reviewsMesh({
        // Istio's validation refuses retryOn with attempts 0 (validation.go validateHTTPRetry).
        virtualService: {
          http: [
            {
              retries: attempts === 0 ? { attempts } : { attempts, retryOn: on },
              route: [{ destination: { host: 'reviews' } }],
            },
          ],
        },
      });
      const n = 600;
      const run = runFromSleep(
        model,
        { rate: 300, requests: n },
        {
          seed,
          workloads: [
            {
              selector: { matchLabels: { app: 'reviews' } },
              behaviour: { errors: [{ status: 503, probability: errorP }] },
            },
          ],
        },
      );
      const { outcomes } = run;
      expect(outcomes).toHaveLength(n);
      // Istio: attempts 0 disables retries (retry.go ConvertPolicy returns nil).
      const maxTries = attempts + 1;
      const retriable = on !== 'connect-failure' && attempts > 0;
      for (const o of outcomes) {
        expect(o.attempts).toBeGreaterThanOrEqual(1);
        expect(o.attempts).toBeLessThanOrEqual(maxTries);
        if (!retriable) expect(o.attempts).toBe(1);
        // Without a route timeout nothing cuts retries short: a 503 at the end means every try was used.
        else if (o.status === 503) expect(o.attempts).toBe(maxTries);
        // URX: the last try's answer was retriable but no retry was left (Envoy's UpstreamRetryLimitExceeded).
        expect(o.responseFlags).toBe(retriable && o.status === 503 ? 'URX' : '-');
      }
      const retries = outcomes.reduce((a, o) => a + o.attempts - 1, 0);
      expect(clusterStat(run, 'outbound|9080||reviews.default.svc.cluster.local', 'upstream_rq_retry')).toBe(retries);
      // P(503 at the end) = p^tries when retriable, p otherwise.
      const band = binomialAcceptance(n, retriable ? errorP ** maxTries : errorP, ALPHA);
      const failed = countOf(outcomes, (o) => o.status === 503);
      expect(failed).toBeGreaterThanOrEqual(band.lower);
      expect(failed).toBeLessThanOrEqual(band.upper);
    },
  );
});
