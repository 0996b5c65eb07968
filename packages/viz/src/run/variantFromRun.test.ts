/**
 * The report's run adapters on real runs of sim-core's world (its own test mesh: `sleep` → `reviews`),
 * each claim checked against an independent source — the outcome aggregates, the outcomes themselves, the
 * manifest's lines — never against the adapter's own output.
 */
import {
  applyTimedChanges,
  envoy,
  loadManifestsOrThrow,
  reviewsMesh,
  sleepPod,
  World,
  type MeshModel,
  type TimedChange,
  type TrafficSpec,
  type WorkloadSpec,
} from '@meshsim/sim-core';
import type { RequestOutcome } from '@meshsim/sim-core/envoy';
import { binomialAcceptance } from '@meshsim/sim-core/testing';
import { describe, expect, it } from 'vitest';
import { destinationId } from '../model/outcomeAdapters.js';
import type { RequestFlow } from '../model/requestFlow.js';
import { collectorFor, reportVariantFromRun, runCollecting } from './variantFromRun.js';

const ALPHA = 1e-3;

interface Ran {
  readonly world: World;
  readonly outcomes: RequestOutcome[];
  readonly agg: envoy.OutcomeAggregator;
  readonly variant: ReturnType<typeof reportVariantFromRun>;
}

function runMesh(
  model: MeshModel,
  options: {
    requests?: number;
    rate?: number;
    connections?: number;
    workloads?: WorkloadSpec[];
    events?: TimedChange[];
    seed?: number;
  } = {},
): Ran {
  const source = { kind: 'pod' as const, namespace: 'default', pod: sleepPod(model) };
  const mix = [{ url: 'http://reviews:9080/' }];
  const traffic: TrafficSpec =
    options.connections !== undefined
      ? { name: 'sleep', source, connections: options.connections, qps: 0, requests: options.requests ?? 300, mix }
      : {
          name: 'sleep',
          source,
          rate: options.rate ?? 100,
          requests: options.requests ?? 300,
          arrivals: 'poisson',
          mix,
        };
  const outcomes: RequestOutcome[] = [];
  const agg = new envoy.OutcomeAggregator({});
  const world = new World({
    model,
    traffic: [traffic],
    workloads: options.workloads ?? [],
    ...(options.events !== undefined ? { events: options.events } : {}),
    seed: options.seed ?? 7,
    trace: 'records',
    onOutcome: (o) => {
      outcomes.push(o);
      agg.add(o);
    },
  });
  const collector = collectorFor(world);
  // Timed changes, as the runner applies them.
  if (options.events !== undefined) applyTimedChanges(world, options.events);
  runCollecting(world, collector);
  const variant = reportVariantFromRun({
    name: 'run',
    world,
    collector,
    destinations: agg.bySubset(),
    duration: world.sim.now,
    metrics: world.telemetry.metrics,
    alpha: ALPHA,
  });
  return { world, outcomes, agg, variant };
}

const labels = (f: RequestFlow): string[] => f.hops.map((h) => h.label);

/** Asserts `want` appear in `got` in this order (other entries may sit between). */
function inOrder(got: readonly string[], want: readonly (string | RegExp)[]): void {
  let at = 0;
  for (const w of want) {
    const i = got.findIndex((g, j) => j >= at && (typeof w === 'string' ? g === w : w.test(g)));
    expect(i, `${String(w)} after position ${at} in ${JSON.stringify(got)}`).toBeGreaterThanOrEqual(0);
    at = i + 1;
  }
}

describe('reportVariantFromRun() on a weighted route', () => {
  const model = reviewsMesh({
    versions: [{ name: 'v1', replicas: 2 }, { name: 'v2' }],
    virtualService: {
      http: [
        {
          route: [
            { destination: { host: 'reviews', subset: 'v1' }, weight: 70 },
            { destination: { host: 'reviews', subset: 'v2' }, weight: 30 },
          ],
        },
      ],
    },
  });
  const ran = runMesh(model, { requests: 400 });
  const split = ran.variant.trafficSplit;

  it('counts every request once, and per subset and pod as the outcomes do', () => {
    expect(split?.total).toBe(ran.outcomes.length);
    for (const g of ran.agg.bySubset()) {
      const node = split?.nodes.find((n) => n.id === `destination:${destinationId(g.service, g.subset)}`);
      expect(node?.count, g.subset).toBe(g.summary.count);
    }
    for (const g of ran.agg.byPod()) {
      expect(split?.nodes.find((n) => n.id === `pod:${g.pod ?? ''}`)?.count, g.pod).toBe(g.summary.count);
    }
  });

  it('puts the declared weights beside the observed shares, consistent at alpha', () => {
    const route = split?.nodes.find((n) => n.column === 'route');
    expect(route?.label).toBe('reviews http[0]');
    expect(route?.decidedBy?.field).toBe('spec.http[0]');
    const v2 = split?.links.find((l) => l.source === route?.id && l.target.endsWith('|v2'));
    expect(v2?.declaredWeight).toBe(30);
    expect(v2?.declaredShare).toBeCloseTo(0.3, 12);
    // Independently: the outcomes' v2 count against the declared 30 % (exact binomial, alpha 0.001).
    const n = ran.outcomes.length;
    const k = ran.outcomes.filter((o) => o.destination.subset === 'v2').length;
    const acc = binomialAcceptance(n, 0.3, ALPHA);
    expect(k).toBeGreaterThanOrEqual(acc.lower);
    expect(k).toBeLessThanOrEqual(acc.upper);
    expect(v2?.count).toBe(k);
    expect(v2?.consistent).toBe(true);
  });

  it('drains the trace as it goes, leaving the run (and its digest) as without the collector', () => {
    expect(ran.world.sim.trace?.records.length).toBe(0);
    const again = new World({ ...ran.world.options, trace: 'digest', onOutcome: () => undefined });
    again.run();
    expect(again.sim.trace?.digestHex).toBe(ran.world.sim.trace?.digestHex);
  });

  it('draws the first request hop by hop, with the pod the load balancer actually picked', () => {
    const flow = ran.variant.flows?.[0];
    expect(flow).toBeDefined();
    const f = flow as RequestFlow;
    inOrder(labels(f), [
      /^default\/sleep/,
      /^nat OUTPUT #\d+$/,
      /^nat ISTIO_OUTPUT #\d+$/,
      /^nat ISTIO_REDIRECT #\d+$/,
      'listener 0.0.0.0_9080',
      /^route /,
      /^load balancer /,
      'network',
      /^nat PREROUTING #\d+$/,
      /^nat ISTIO_INBOUND #\d+$/,
      /^nat ISTIO_IN_REDIRECT #\d+$/,
      'listener virtualInbound',
      /^inbound cluster inbound\|9080\|\|/,
      /^default\/reviews-v[12]-/,
      'response',
      'router: try 200',
      /^default\/sleep/,
    ]);
    const first = [...ran.outcomes].sort((a, b) => a.startTime - b.startTime || a.id - b.id)[0] as RequestOutcome;
    const lb = f.hops.find((h) => h.stage === 'lb');
    expect(lb?.detail).toContain(first.upstreamHost ?? '?');
    expect(f.outcome.status).toBe(first.status);
    // From the app's send to the response reaching it: the outcome's latency less DNS and connect time.
    expect(f.outcome.duration).toBeGreaterThan(0);
    expect(f.outcome.duration).toBeLessThanOrEqual(first.duration);
  });
});

describe('reportVariantFromRun() with retries, faults and overflows', () => {
  it('samples a retried request: a failed try, the retry, and the next try', () => {
    const model = reviewsMesh({
      versions: [{ name: 'v1', replicas: 2 }],
      virtualService: {
        http: [{ route: [{ destination: { host: 'reviews' } }], retries: { attempts: 2, retryOn: '5xx' } }],
      },
    });
    const bad = model.cluster.pods
      .filter((p) => p.labels['app'] === 'reviews')
      .map((p) => p.name)
      .sort()[0] as string;
    const ran = runMesh(model, {
      requests: 200,
      workloads: [{ namespace: 'default', pod: bad, behaviour: { errors: [{ status: 503, probability: 1 }] } }],
    });
    const retried = ran.variant.flows?.find((f) => f.title.endsWith('(retried)'));
    expect(retried).toBeDefined();
    const f = retried as RequestFlow;
    expect(f.outcome.attempts).toBeGreaterThanOrEqual(2);
    inOrder(labels(f), [/^load balancer /, 'router: try 503', 'router: retry (upstream_rq_retry)', /^load balancer /]);
    expect(f.hops.find((h) => h.label === 'router: retry (upstream_rq_retry)')?.status).toBe('retry');
    // Independently: some outcome was retried (the sample is one of them).
    expect(ran.outcomes.some((o) => o.attempts >= 2)).toBe(true);
  });

  it('shows fault aborts as their own destination and hop, decided by the fault’s line', () => {
    const model = reviewsMesh({
      virtualService: {
        http: [
          {
            fault: { abort: { httpStatus: 503, percentage: { value: 100 } } },
            route: [{ destination: { host: 'reviews' } }],
          },
        ],
      },
    });
    const ran = runMesh(model, { requests: 50 });
    const aborted = ran.variant.trafficSplit?.nodes.find((n) => n.label === 'fault abort 503 (FI)');
    expect(aborted?.count).toBe(ran.outcomes.filter((o) => o.responseFlags === 'FI').length);
    expect(aborted?.count).toBe(50);
    // No weight declares a share of a local reply: the link to it carries no declared share and no test.
    const toAbort = ran.variant.trafficSplit?.links.find((l) => l.target === aborted?.id);
    expect(toAbort?.declaredShare).toBeUndefined();
    expect(toAbort?.consistent).toBeUndefined();
    const f = ran.variant.flows?.[0] as RequestFlow;
    const hop = f.hops.find((h) => h.stage === 'fault');
    expect(hop?.label).toBe('fault: abort 503 (FI)');
    const vs = model.istio.virtualServices[0];
    expect(hop?.decidedBy[0]).toMatchObject({
      field: 'spec.http[0].fault.abort',
      line: vs?.source.lineOf(['spec', 'http', 0, 'fault', 'abort']),
    });
    expect(f.outcome).toMatchObject({ status: 503, responseFlags: 'FI', attempts: 0 });
  });

  it('puts circuit-breaker overflows on the timeline, one per 503 UO the clients got', () => {
    const model = reviewsMesh({
      versions: [{ name: 'v1', replicas: 1 }],
      destinationRule: {
        trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } } },
      },
    });
    const ran = runMesh(model, {
      connections: 4,
      requests: 200,
      workloads: [
        {
          namespace: 'default',
          selector: { matchLabels: { app: 'reviews' } },
          behaviour: { serviceTime: { kind: 'constant', value: 5000 } },
        },
      ],
    });
    const uo = ran.outcomes.filter((o) => o.responseFlags.split(',').includes('UO')).length;
    expect(uo).toBeGreaterThan(0);
    const lane = ran.variant.timeline?.lanes.find((l) => l.stat === 'upstream_rq_pending_overflow');
    expect(lane?.total).toBe(uo);
    expect(lane?.label).toContain('outbound|9080||reviews.default.svc.cluster.local');
  });

  it('gives each version of a replaced VirtualService its own route, with its own weights', () => {
    const weighted = (v1: number, v2: number) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'default' },
      spec: {
        hosts: ['reviews'],
        http: [
          {
            route: [
              { destination: { host: 'reviews', subset: 'v1' }, weight: v1 },
              { destination: { host: 'reviews', subset: 'v2' }, weight: v2 },
            ],
          },
        ],
      },
    });
    const model = reviewsMesh({ versions: [{ name: 'v1' }, { name: 'v2' }], virtualService: weighted(90, 10).spec });
    const shifted = loadManifestsOrThrow([{ file: 'shift.yaml', text: JSON.stringify(weighted(20, 80)) }]);
    const ran = runMesh(model, {
      requests: 600,
      rate: 100,
      events: [{ at: 3_000_000, name: 'shift', change: { kind: 'apply', objects: shifted } }],
    });
    const routes = ran.variant.trafficSplit?.nodes.filter((n) => n.column === 'route') ?? [];
    expect(routes.map((r) => r.label)).toEqual(['reviews http[0] from 0s', 'reviews http[0] from 3s']);
    const declaredV2 = routes.map(
      (r) => ran.variant.trafficSplit?.links.find((l) => l.source === r.id && l.target.endsWith('|v2'))?.declaredWeight,
    );
    expect(declaredV2).toEqual([10, 80]);
    for (const l of ran.variant.trafficSplit?.links.filter((x) => x.declaredShare !== undefined) ?? []) {
      expect(l.consistent, `${l.source} → ${l.target}`).toBe(true);
    }
    expect(routes.reduce((a, r) => a + r.count, 0)).toBe(ran.outcomes.length);
  });
});
