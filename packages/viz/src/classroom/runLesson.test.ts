/**
 * The classroom's in-browser run, here in Node (the same code; the browser test drives the page itself).
 * Statistical claims use exact binomial bounds at alpha = 0.001 with the fixed seeds below.
 */
import { binomialAcceptance } from '@meshsim/sim-core/testing';
import { describe, expect, it } from 'vitest';
import { canaryClassroomScenario } from '../testdata/classroomFixture.js';
import { loadClassroomObjects, runLesson } from './runLesson.js';
import type { ClassroomRun } from './types.js';

const ALPHA = 1e-3;
const scenario = canaryClassroomScenario(400);
const objects = loadClassroomObjects(scenario);

const share = (run: ClassroomRun, subset: string) => run.routeShares.find((r) => r.destination.endsWith(`|${subset}`));

describe('runLesson() on the canary', () => {
  it('as written, every user goes to v1 (v2 weight 0)', () => {
    const run = runLesson(scenario, objects, {});
    expect(run.changes).toEqual([]);
    expect(share(run, 'v1')?.count).toBe(400);
    expect(share(run, 'v2')).toMatchObject({ count: 0, declared: 0 });
  });

  it.each([10, 50, 90])(
    'with the canary weight at %i, the users’ v2 share is that weight (exact binomial test)',
    (w) => {
      const run = runLesson(scenario, objects, { canaryWeight: w });
      const v1 = share(run, 'v1');
      const v2 = share(run, 'v2');
      const n = (v1?.count ?? 0) + (v2?.count ?? 0);
      expect(n).toBe(400);
      expect(v2?.declared).toBeCloseTo(w / 100, 12);
      const acc = binomialAcceptance(n, w / 100, ALPHA);
      expect(v2?.count).toBeGreaterThanOrEqual(acc.lower);
      expect(v2?.count).toBeLessThanOrEqual(acc.upper);
      // The Sankey shows the same counts for the weighted route (its link from route to v2).
      const route = run.trafficSplit?.nodes.find((x) => x.column === 'route' && x.label === 'canary http[1]');
      const link = run.trafficSplit?.links.find((l) => l.source === route?.id && l.target.endsWith('|v2'));
      expect(link?.count).toBe(v2?.count);
      expect(link?.declaredWeight).toBe(w);
    },
  );

  it('is deterministic: the same settings and seed give the same run; another seed another one', () => {
    const a = runLesson(scenario, objects, { canaryWeight: 50, seed: 3 });
    const b = runLesson(scenario, objects, { canaryWeight: 50, seed: 3 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = runLesson(scenario, objects, { canaryWeight: 50, seed: 4 });
    expect(JSON.stringify(c.routeShares)).not.toBe(JSON.stringify(a.routeShares));
  });

  it('a 100 % abort answers every user request at the client sidecar (FI), none reaches a pod', () => {
    const run = runLesson(scenario, objects, { abortPercent: 100 });
    const aborted = run.routeShares.find((r) => r.destination === 'fault abort 503 (FI)');
    expect(aborted?.count).toBe(400);
    expect(share(run, 'v1')?.count).toBe(0);
    const flow = run.flows.find((f) => f.outcome.responseFlags === 'FI');
    expect(flow?.hops.some((h) => h.label === 'fault: abort 503 (FI)')).toBe(true);
  });

  it('a 100 % delay holds every user request for the fixed delay (2 s) before it is routed', () => {
    const run = runLesson(scenario, objects, { delayPercent: 100 });
    const v1 = run.summary.find((r) => r.subset === 'v1');
    expect(v1?.requests).toBe(400);
    // Every latency includes the 2 s delay: the HDR minimum bucket is above it.
    expect(run.latency.find((s) => s.label.includes('v1'))?.buckets[0]?.lower).toBeGreaterThanOrEqual(2_000_000 * 0.99);
    expect(run.flows.some((f) => f.hops.some((h) => h.label === 'fault: delay (DI)' && h.duration === 2_000_000))).toBe(
      true,
    );
  });

  it('a failing replica answers 503 to its share of requests; the load-balancer policy is the DestinationRule’s', () => {
    const run = runLesson(scenario, objects, { replicaFailurePercent: 100, lbPolicy: 'LEAST_REQUEST' });
    const v1 = run.summary.find((r) => r.subset === 'v1');
    expect(v1?.statusCodes).toEqual([[503, 400]]);
    expect(run.changes).toContain(
      'DestinationRule canary/canary spec.trafficPolicy.loadBalancer.simple: "RANDOM" → "LEAST_REQUEST"',
    );
    const lb = run.flows[0]?.hops.find((h) => h.stage === 'lb');
    expect(lb?.label).toMatch(/^load balancer (LEAST_REQUEST|ROUND_ROBIN)$/);
  });
});
