/**
 * Upstream behaviour through the full data path, over fast-check-generated configurations with fixed
 * seeds and exact bounds:
 * - LEAST_REQUEST sends a slow replica fewer requests than ROUND_ROBIN does (P2C on `rq_active`, shared by
 *   all workers: envoyproxy/envoy source/extensions/load_balancing_policies/least_request);
 * - circuit breakers overflow (503 UO) only when a limit is exceeded, and `max_connections` alone never
 *   fails an HTTP request (it waits as pending): conn_pool_base.cc `newStreamImpl`, `tryCreateNewConnection`;
 * - outlier detection ejects a replica that fails every request after `consecutive5xxErrors`, keeps it out
 *   for baseEjectionTime × ejections, and traffic returns at the first interval tick after that
 *   (source/common/upstream/outlier_detection_impl.cc `onConsecutive5xx`, `onIntervalTimer`);
 * - each worker has its own round robin, so with `concurrency` > 1 the picks users see are uneven while each
 *   worker's own picks cycle exactly.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ms, s } from '../../engine/time.js';
import type { RequestOutcome } from '../../envoy/observability/outcome.js';
import { wilsonInterval } from '../../testing/stats.js';
import { reviewsMesh } from './testMeshes.js';
import { countOf, runFromSleep, type TestRun } from './testRuns.js';

const ALPHA = 1e-4;
const RUNS = { numRuns: 5 };
const CLUSTER = 'outbound|9080||reviews.default.svc.cluster.local';
const c = (value: number) => ({ kind: 'constant' as const, value });
// Constant latencies: every client's request reaches the sidecar at the same instant (circuit breakers).
const FIXED = {
  network: { links: { loopback: { latency: c(10) }, sameNode: { latency: c(50) }, crossNode: { latency: c(100) } } },
  proxyLatency: { request: c(300), response: c(200) },
};

function sleepStat(run: TestRun, stat: string): number {
  const sleep = run.result.world.instances.find((i) => i.labels['app'] === 'sleep');
  return run.result.proxyStats.get(sleep?.key ?? '')?.value(`cluster.${CLUSTER}.${stat}`) ?? 0;
}

function podOf(run: TestRun, replica: number): string {
  const pods = run.result.world.instances.filter((i) => i.labels['app'] === 'reviews').map((i) => i.key);
  pods.sort();
  return pods[replica] as string;
}

describe('LEAST_REQUEST vs ROUND_ROBIN with one slow replica', () => {
  test.prop(
    [
      fc.integer({ min: 2, max: 4 }),
      fc.integer({ min: 20, max: 60 }),
      fc.integer({ min: 200, max: 400 }),
      fc.integer({ min: 1, max: 1000 }),
    ],
    RUNS,
  )(
    'round robin gives the slow replica its 1/n share (±1 per worker); least request significantly less',
    (replicas, slowMs, rate, seed) => {
      const n = 1500;
      const counts = (simple: 'ROUND_ROBIN' | 'LEAST_REQUEST') => {
        const model = reviewsMesh({
          versions: [{ name: 'v1', replicas }],
          destinationRule: { trafficPolicy: { loadBalancer: { simple } } },
        });
        const run = runFromSleep(
          model,
          { rate, requests: n },
          {
            seed,
            workloads: [
              { selector: { matchLabels: { app: 'reviews' } }, behaviour: { serviceTime: c(ms(1)) } },
              { selector: { matchLabels: { app: 'reviews' } }, replica: 0, behaviour: { serviceTime: c(ms(slowMs)) } },
            ],
          },
        );
        expect(countOf(run.outcomes, (o) => o.status === 200)).toBe(n);
        const slow = podOf(run, 0);
        return countOf(run.outcomes, (o) => o.destination.pod === slow);
      };
      const rr = counts('ROUND_ROBIN');
      const lr = counts('LEAST_REQUEST');
      // Each of the 2 workers cycles through the hosts: per host, at most 1 off per worker.
      expect(Math.abs(rr - n / replicas)).toBeLessThanOrEqual(2);
      expect(wilsonInterval(lr, n, ALPHA).upper).toBeLessThan(1 / replicas);
      expect(lr).toBeLessThan(rr);
    },
  );
});

describe('circuit breakers', () => {
  const limit = fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined });

  test.prop([fc.integer({ min: 1, max: 10 }), limit, limit, limit, fc.integer({ min: 1, max: 1000 })], { numRuns: 12 })(
    'UO only when concurrent requests exceed http2MaxRequests or http1MaxPendingRequests; maxConnections only queues',
    (clients, maxRequests, maxPending, maxConnections, seed) => {
      const model = reviewsMesh({
        destinationRule: {
          trafficPolicy: {
            connectionPool: {
              http: {
                ...(maxRequests !== undefined ? { http2MaxRequests: maxRequests } : {}),
                ...(maxPending !== undefined ? { http1MaxPendingRequests: maxPending } : {}),
              },
              ...(maxConnections !== undefined ? { tcp: { maxConnections } } : {}),
            },
          },
        },
      });
      const n = clients * 10;
      const run = runFromSleep(
        model,
        { connections: clients, requests: n },
        {
          ...FIXED,
          seed,
          workloads: [{ selector: { matchLabels: { app: 'reviews' } }, behaviour: { serviceTime: c(ms(2)) } }],
        },
      );
      const { outcomes } = run;
      expect(outcomes).toHaveLength(n);
      const uo = outcomes.filter((o) => o.responseFlags === 'UO');
      for (const o of uo) {
        expect(o).toMatchObject({
          status: 503,
          responseCodeDetails: 'upstream_reset_before_response_started{overflow}',
          attempts: 1,
        });
      }
      expect(countOf(outcomes, (o) => o.responseFlags !== 'UO' && o.status !== 200)).toBe(0);
      expect(sleepStat(run, 'upstream_rq_pending_overflow')).toBe(uo.length);
      const within = (lim: number | undefined) => lim === undefined || clients <= lim;
      // At most `clients` requests are ever in flight: within both limits nothing can overflow.
      if (within(maxRequests) && within(maxPending)) expect(uo).toHaveLength(0);
      // All clients start at once and find no connection: they all wait as pending, then all attach.
      if (!within(maxPending) && maxRequests === undefined && maxConnections === undefined)
        expect(uo.length).toBeGreaterThan(0);
      if (!within(maxRequests) && maxPending === undefined && maxConnections === undefined)
        expect(uo.length).toBeGreaterThan(0);
      // max_connections never fails a request; it counts upstream_cx_overflow and the request waits.
      if (maxRequests === undefined && maxPending === undefined) {
        expect(uo).toHaveLength(0);
        // Each worker's pool may open one connection over the limit when it has none (2 workers).
        if (maxConnections !== undefined && clients > maxConnections + 2)
          expect(sleepStat(run, 'upstream_cx_overflow')).toBeGreaterThan(0);
      }
    },
  );
});

describe('outlier detection', () => {
  test.prop([fc.integer({ min: 1, max: 5 }), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 1000 })], {
    numRuns: 4,
  })(
    'a replica failing every request is ejected after consecutive5xxErrors and comes back after baseEjectionTime × ejections',
    (consecutive, base, seed) => {
      const model = reviewsMesh({
        destinationRule: {
          trafficPolicy: {
            // Outlier detection turns on locality failover (destination_rule.proto, OutlierDetection): keep
            // every replica in one priority so the ejected one's share goes to the others.
            loadBalancer: { simple: 'ROUND_ROBIN', localityLbSetting: { enabled: false } },
            outlierDetection: {
              consecutive5xxErrors: consecutive,
              interval: '1s',
              baseEjectionTime: `${base}s`,
              maxEjectionPercent: 100,
            },
          },
        },
      });
      const rate = 60;
      const run = runFromSleep(
        model,
        { rate, requests: rate * 40, arrivals: 'constant' },
        {
          seed,
          workloads: [
            {
              selector: { matchLabels: { app: 'reviews' } },
              replica: 0,
              behaviour: { errors: [{ status: 503, probability: 1 }] },
            },
          ],
        },
      );
      const bad = podOf(run, 0);
      const toBad = run.outcomes.filter((o) => o.destination.pod === bad).sort((a, b) => a.startTime - b.startTime);
      // Everything the bad replica answers is a 503, and nothing else fails.
      expect(toBad.every((o) => o.status === 503)).toBe(true);
      expect(countOf(run.outcomes, (o) => o.status !== 200)).toBe(toBad.length);
      // Episodes of traffic to the bad replica, separated by its ejections.
      const episodes: RequestOutcome[][] = [];
      for (const o of toBad) {
        const last = episodes.at(-1)?.at(-1);
        if (last === undefined || o.startTime - last.startTime > ms(500)) episodes.push([o]);
        else episodes.at(-1)?.push(o);
      }
      expect(episodes.length).toBeGreaterThanOrEqual(2);
      const end = run.outcomes.reduce((a, o) => Math.max(a, o.startTime), 0);
      episodes.forEach((ep, j) => {
        const lastOfEpisode = ep.at(-1) as RequestOutcome;
        const ejectedAt = lastOfEpisode.startTime + lastOfEpisode.duration;
        const out = s(base) * (j + 1);
        // Ejected by the consecutive5xxErrors-th failure in a row (the last episode may be cut by the run's end).
        if (ejectedAt + out < end) expect(ep).toHaveLength(consecutive);
        else expect(ep.length).toBeLessThanOrEqual(consecutive);
        const next = episodes[j + 1]?.[0];
        if (next === undefined) {
          // No comeback only because the run ended before the ejection time (+ the interval) was over.
          expect(ejectedAt + out).toBeGreaterThan(end - s(2));
          return;
        }
        // Out for baseEjectionTime × (times ejected); back at an interval tick (1 s), then picked within
        // one round-robin cycle of each worker.
        expect(next.startTime - ejectedAt).toBeGreaterThanOrEqual(out);
        expect(next.startTime - ejectedAt).toBeLessThanOrEqual(out + s(1) + ms(200));
      });
      const prefix = `cluster.${CLUSTER}.outlier_detection.`;
      const sleep = run.result.world.instances.find((i) => i.labels['app'] === 'sleep')?.key ?? '';
      const stats = run.result.proxyStats.get(sleep);
      const fullEpisodes = episodes.filter((e) => e.length === consecutive).length;
      expect(stats?.value(`${prefix}ejections_enforced_consecutive_5xx`)).toBe(fullEpisodes);
      expect(stats?.value(`${prefix}ejections_enforced_total`)).toBe(fullEpisodes);
    },
  );
});

describe('per-worker round robin', () => {
  const hostsByWorker = (concurrency: number) => {
    const model = reviewsMesh({
      versions: [{ name: 'v1', replicas: 3 }],
      destinationRule: { trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } },
      podAnnotations: { 'proxy.istio.io/config': JSON.stringify({ concurrency }) },
    });
    const run = runFromSleep(model, { connections: 8, requests: 90 }, { seed: 3, trace: 'records' });
    const sleep = run.result.world.instances.find((i) => i.labels['app'] === 'sleep')?.key;
    const workerOf = new Map<string, number>();
    const all: string[] = [];
    const perWorker = new Map<number, string[]>();
    for (const r of run.result.trace?.records ?? []) {
      if (r.kind !== 'hcm.decode' && r.kind !== 'router.attempt') continue;
      const d = JSON.parse(r.detail) as {
        proxy: string;
        requestId: string;
        worker?: number;
        host?: string;
        cluster?: string;
      };
      if (d.proxy !== sleep) continue;
      if (r.kind === 'hcm.decode') workerOf.set(d.requestId, d.worker as number);
      else if (d.cluster === CLUSTER) {
        const w = workerOf.get(d.requestId) as number;
        all.push(d.host as string);
        perWorker.set(w, [...(perWorker.get(w) ?? []), d.host as string]);
      }
    }
    return { all, perWorker };
  };
  // The largest gap between two hosts' counts over every prefix of the picks.
  const imbalance = (picks: readonly string[]) => {
    const n = new Map<string, number>();
    let worst = 0;
    for (const h of picks) {
      n.set(h, (n.get(h) ?? 0) + 1);
      const v = [...n.values()];
      worst = Math.max(worst, Math.max(...v) - (n.size < 3 ? 0 : Math.min(...v)));
    }
    return worst;
  };

  it('concurrency 1: one round robin, the picks cycle exactly', () => {
    const { all, perWorker } = hostsByWorker(1);
    expect(all).toHaveLength(90);
    expect(perWorker.size).toBe(1);
    expect(imbalance(all)).toBe(1);
  });

  it('concurrency 2: each worker cycles exactly, yet the picks the client sees are uneven', () => {
    const { all, perWorker } = hostsByWorker(2);
    expect(all).toHaveLength(90);
    // The kernel spread the 8 client connections over both workers.
    expect(perWorker.size).toBe(2);
    for (const picks of perWorker.values()) expect(imbalance(picks)).toBe(1);
    expect(imbalance(all)).toBeGreaterThan(1);
  });
});
