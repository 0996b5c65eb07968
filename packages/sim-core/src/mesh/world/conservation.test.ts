/**
 * Conservation over fast-check-generated worlds — sidecars or not, weighted subsets, faults, retries,
 * timeouts, circuit breakers, outlier detection, failing and resetting apps with bounded queues, open- and
 * closed-loop traffic, pods killed, made unready or scaled mid-run, config pushed mid-run:
 * - every generated request ends in exactly one outcome with one status code (and nothing is left in flight);
 * - the client sidecar's `istio_requests_total{reporter="source"}` equals the outcomes, per response code
 *   and response flags;
 * - simulated time never goes backwards (trace records and outcome end times are ordered);
 * - the same seed gives the same outcome digest and the same trace digest.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { ms } from '../../engine/time.js';
import { loadManifests } from '../../k8s/load/loadManifests.js';
import type { AppBehaviour } from '../app/appSpec.js';
import type { TimedChange } from './changes.js';
import { reviewsMesh } from './testMeshes.js';
import { runFromSleep, type SleepTraffic } from './testRuns.js';

const versionsArb = fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 1, maxLength: 3 });

const vsArb = (versions: number) =>
  fc.option(
    fc.record(
      {
        weights: fc.array(fc.integer({ min: 0, max: 10 }), { minLength: versions, maxLength: versions }),
        abort: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
        delay: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
        attempts: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
        retryOn: fc.constantFrom('5xx', 'reset,connect-failure', 'gateway-error,retriable-status-codes,500'),
        timeoutMs: fc.option(fc.integer({ min: 5, max: 60 }), { nil: undefined }),
        perTryMs: fc.option(fc.integer({ min: 2, max: 30 }), { nil: undefined }),
      },
      { requiredKeys: ['weights', 'retryOn'] },
    ),
    { nil: undefined },
  );

const drArb = fc.record(
  {
    lb: fc.constantFrom('ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM'),
    limits: fc.option(
      fc.record({
        maxRequests: fc.integer({ min: 1, max: 6 }),
        maxPending: fc.integer({ min: 1, max: 6 }),
        maxConnections: fc.integer({ min: 1, max: 6 }),
      }),
      {
        nil: undefined,
      },
    ),
    maxRequestsPerConnection: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    outlier: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  },
  { requiredKeys: ['lb'] },
);

const appArb: fc.Arbitrary<AppBehaviour> = fc.record({
  serviceTime: fc.integer({ min: 100, max: 10_000 }).map((mean) => ({ kind: 'exponential' as const, mean })),
  errors: fc.double({ min: 0, max: 0.3, noNaN: true }).map((p) => [{ status: 503, probability: p }]),
  resetProbability: fc.double({ min: 0, max: 0.1, noNaN: true }),
  concurrency: fc.integer({ min: 1, max: 4 }),
  queueLimit: fc.integer({ min: 0, max: 4 }),
});

const trafficArb: fc.Arbitrary<SleepTraffic> = fc.oneof(
  fc.record({ rate: fc.integer({ min: 100, max: 800 }), requests: fc.integer({ min: 50, max: 250 }) }),
  fc.record({ connections: fc.integer({ min: 1, max: 6 }), requests: fc.integer({ min: 50, max: 250 }) }),
);

const eventArb: fc.Arbitrary<TimedChange | undefined> = fc.option(
  fc.oneof(
    fc.constant<TimedChange>({
      at: ms(40),
      change: { kind: 'kill', target: { selector: { matchLabels: { app: 'reviews' } }, replica: 0 } },
    }),
    fc.constant<TimedChange>({
      at: ms(20),
      change: {
        kind: 'unready',
        target: { selector: { matchLabels: { app: 'reviews' } }, replica: 0 },
        duration: ms(100),
      },
    }),
    fc.constant<TimedChange>({ at: ms(30), change: { kind: 'scale', name: 'reviews-v1', replicas: 3 } }),
    fc.constant<TimedChange>({ at: ms(30), change: { kind: 'scale', name: 'reviews-v1', replicas: 0 } }),
    fc.constant<TimedChange>({ at: ms(25), change: { kind: 'partition', node: 'node-3', duration: ms(50) } }),
    fc.constant<TimedChange>({
      at: ms(20),
      change: {
        kind: 'setWorkload',
        workload: {
          selector: { matchLabels: { app: 'reviews' } },
          behaviour: { errors: [{ status: 500, probability: 1 }], resetProbability: 0 },
        },
        duration: ms(60),
      },
    }),
    fc.constant<TimedChange>({
      at: ms(10),
      change: {
        kind: 'apply',
        objects: loadManifests([
          {
            file: '<event>',
            text: JSON.stringify({
              apiVersion: 'networking.istio.io/v1',
              kind: 'VirtualService',
              metadata: { name: 'reviews', namespace: 'default' },
              spec: {
                hosts: ['reviews'],
                http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }], timeout: '20ms' }],
              },
            }),
          },
        ]).objects,
      },
    }),
  ),
  { nil: undefined },
);

const worldArb = versionsArb.chain((replicas) =>
  fc.record({
    replicas: fc.constant(replicas),
    sidecars: fc.boolean(),
    vs: vsArb(replicas.length),
    dr: drArb,
    app: appArb,
    traffic: trafficArb,
    event: eventArb,
    seed: fc.integer({ min: 1, max: 1 << 20 }),
  }),
);

type WorldConfig = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function build(w: WorldConfig) {
  const versions = w.replicas.map((r, i) => ({ name: `v${i + 1}`, replicas: r }));
  const vs = w.vs;
  const weights = vs !== undefined && vs.weights.some((x) => x > 0) ? vs.weights : undefined;
  return reviewsMesh({
    versions,
    sidecars: w.sidecars,
    ...(vs !== undefined
      ? {
          virtualService: {
            http: [
              {
                route:
                  weights !== undefined
                    ? weights.map((weight, i) => ({ destination: { host: 'reviews', subset: `v${i + 1}` }, weight }))
                    : [{ destination: { host: 'reviews' } }],
                ...(vs.abort !== undefined || vs.delay !== undefined
                  ? {
                      fault: {
                        ...(vs.abort !== undefined
                          ? { abort: { percentage: { value: vs.abort }, httpStatus: 503 } }
                          : {}),
                        ...(vs.delay !== undefined
                          ? { delay: { percentage: { value: vs.delay }, fixedDelay: '3ms' } }
                          : {}),
                      },
                    }
                  : {}),
                ...(vs.attempts !== undefined
                  ? {
                      retries: {
                        attempts: vs.attempts,
                        ...(vs.attempts > 0 ? { retryOn: vs.retryOn } : {}),
                        ...(vs.attempts > 0 && vs.perTryMs !== undefined ? { perTryTimeout: `${vs.perTryMs}ms` } : {}),
                      },
                    }
                  : {}),
                ...(vs.timeoutMs !== undefined ? { timeout: `${vs.timeoutMs}ms` } : {}),
              },
            ],
          },
        }
      : {}),
    destinationRule: {
      trafficPolicy: {
        loadBalancer: { simple: w.dr.lb },
        ...(w.dr.limits !== undefined || w.dr.maxRequestsPerConnection !== undefined
          ? {
              connectionPool: {
                http: {
                  ...(w.dr.limits !== undefined
                    ? { http2MaxRequests: w.dr.limits.maxRequests, http1MaxPendingRequests: w.dr.limits.maxPending }
                    : {}),
                  ...(w.dr.maxRequestsPerConnection !== undefined
                    ? { maxRequestsPerConnection: w.dr.maxRequestsPerConnection }
                    : {}),
                },
                ...(w.dr.limits !== undefined ? { tcp: { maxConnections: w.dr.limits.maxConnections } } : {}),
              },
            }
          : {}),
        ...(w.dr.outlier !== undefined
          ? {
              outlierDetection: {
                consecutive5xxErrors: w.dr.outlier,
                interval: '50ms',
                baseEjectionTime: '100ms',
                maxEjectionPercent: 100,
              },
            }
          : {}),
      },
    },
  });
}

describe('conservation', () => {
  test.prop([worldArb], { numRuns: 25 })(
    'one outcome per request; metrics equal outcomes; time moves forward; same seed, same digests',
    (w) => {
      const model = build(w);
      const options = {
        seed: w.seed,
        workloads: [{ selector: { matchLabels: { app: 'reviews' } }, behaviour: w.app }],
        events: w.event !== undefined ? [w.event] : [],
      };
      const run = runFromSleep(model, w.traffic, { ...options, trace: 'records' });
      const { result, outcomes } = run;
      const n = w.traffic.requests;

      // Every request generated ends exactly once, with one status code.
      expect(result.generators).toEqual([{ name: 'sleep', sent: n, completed: n }]);
      expect(outcomes).toHaveLength(n);
      expect(result.inFlight).toBe(0);
      expect(result.counts.generated).toBe(n);
      expect(result.counts.downstreamCalls).toBe(0);
      expect(new Set(outcomes.map((o) => o.id)).size).toBe(n);
      expect(result.outcomes.overall.count).toBe(n);
      for (const o of outcomes) {
        expect(Number.isInteger(o.status) && (o.status === 0 || (o.status >= 100 && o.status <= 599))).toBe(true);
        expect(o.duration).toBeGreaterThanOrEqual(0);
        expect(o.responseFlags).not.toBe('');
      }

      // The source reporter's counters equal the outcomes, per response code and flags.
      const expected = new Map<string, number>();
      for (const o of outcomes) {
        const k = `${o.status} ${o.responseFlags}`;
        expected.set(k, (expected.get(k) ?? 0) + 1);
      }
      if (w.sidecars) {
        expect(result.counts.throughProxy).toBe(n);
        for (const [k, count] of expected) {
          const [code, flags] = k.split(' ');
          expect(
            result.metrics.requestsTotal(
              (l) => l.reporter === 'source' && l.response_code === code && l.response_flags === flags,
            ),
          ).toBe(count);
        }
        expect(result.metrics.requestsTotal((l) => l.reporter === 'source')).toBe(n);
        // The server sidecars saw at most one request per try.
        const tries = outcomes.reduce((a, o) => a + o.attempts, 0);
        expect(result.metrics.requestsTotal((l) => l.reporter === 'destination')).toBeLessThanOrEqual(tries);
      } else {
        expect(result.counts.throughProxy).toBe(0);
        expect(result.metrics.seriesCount).toBe(0);
      }

      // Time never goes backwards.
      const records = result.trace?.records ?? [];
      for (let i = 1; i < records.length; i++) {
        expect((records[i]?.time as number) >= (records[i - 1]?.time as number)).toBe(true);
      }
      for (let i = 1; i < outcomes.length; i++) {
        const prev = outcomes[i - 1] as (typeof outcomes)[number];
        const cur = outcomes[i] as (typeof outcomes)[number];
        expect(cur.startTime + cur.duration).toBeGreaterThanOrEqual(prev.startTime + prev.duration);
      }
      expect(result.endTime).toBeGreaterThanOrEqual(result.lastOutcomeTime);

      // Same seed, same run (tracing on or off does not change what happens).
      const again = runFromSleep(model, w.traffic, { ...options, trace: 'digest' });
      expect(again.result.digest).toBe(result.digest);
      expect(again.result.trace?.digestHex).toBe(result.trace?.digestHex);
      expect(runFromSleep(model, w.traffic, options).result.digest).toBe(result.digest);
    },
  );
});
