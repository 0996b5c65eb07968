import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { buildTimeline } from './timeline.js';
import { RunTraceCollector } from './runTrace.js';
import { parseRouteProvenance, provenanceKey, type RouteProvenance } from './traceRecord.js';
import type { TraceRecordLike } from './traceAdapters.js';

const rec = (time: number, kind: string, detail: Record<string, unknown>): TraceRecordLike => ({
  time,
  kind,
  detail: JSON.stringify(detail),
});

/** The one-line provenance sim-core's router writes in `router.route` (envoy/router/routerFilter.ts). */
const routerLine = (p: RouteProvenance): string =>
  `${p.kind} ${p.namespace ?? ''}/${p.name} ${p.file ?? ''}:${p.line ?? ''} ${p.field ?? ''}`;

const VS = (i: number): RouteProvenance => ({
  kind: 'VirtualService',
  namespace: 'canary',
  name: 'canary',
  file: 'scenario.yaml',
  line: 20 + 6 * i,
  field: `spec.http[${i}]`,
  httpRouteIndex: i,
});

interface Req {
  id: string;
  proxy: string;
  route: number;
  cluster: string;
  host: string;
  tries: number;
  status: number;
  abort: boolean;
}

/** The records sim-core's world writes for one request through a client sidecar and a server sidecar. */
function lifecycle(r: Req, t0: number): TraceRecordLike[] {
  const base = { proxy: r.proxy, requestId: r.id };
  const out: TraceRecordLike[] = [
    rec(t0, 'net.request', { from: r.proxy, to: r.proxy, hop: 'loopback', networkUs: 7, serverPassUs: 300 }),
    rec(t0 + 307, 'hcm.decode', {
      ...base,
      listener: '0.0.0.0_80',
      virtualHost: 'canary.canary.svc.cluster.local:80',
      routeIndex: r.route,
      source: VS(r.route),
    }),
  ];
  let t = t0 + 307;
  if (r.abort) {
    out.push(rec(t, 'fault.abort', { ...base, status: 500 }));
    out.push(rec(t, 'hcm.complete', { ...base, status: 500, flags: 'FI' }));
    return out;
  }
  out.push(rec(t, 'router.route', { ...base, cluster: r.cluster, source: routerLine(VS(r.route)) }));
  for (let k = 1; k <= r.tries; k++) {
    out.push(rec(t, 'router.attempt', { ...base, attempt: k, cluster: r.cluster, host: r.host }));
    const server = `canary/${r.host}`;
    out.push(
      rec(t + 50, 'hcm.decode', {
        proxy: server,
        requestId: r.id,
        listener: 'virtualInbound',
        virtualHost: 'inbound|http|80',
        routeIndex: 0,
      }),
    );
    out.push(
      rec(t + 900, 'hcm.complete', {
        proxy: server,
        requestId: r.id,
        status: k < r.tries ? 503 : r.status,
        flags: '-',
      }),
    );
    if (k < r.tries)
      out.push(rec(t + 950, 'router.retry', { ...base, attempt: k, reason: 'response 503', backoffMs: 25 }));
    t += 1000;
  }
  out.push(rec(t, 'hcm.complete', { ...base, status: r.status, flags: r.tries > 1 ? '-' : '-' }));
  out.push(rec(t, 'net.response', { from: r.proxy, to: r.proxy, status: r.status, sentAt: t + 300, networkUs: 6 }));
  return out;
}

const reqArb = fc.record({
  proxy: fc.constantFrom('canary/toolbox-a', 'canary/toolbox-b'),
  route: fc.integer({ min: 0, max: 2 }),
  cluster: fc.constantFrom(
    'outbound|80|v1|canary.canary.svc.cluster.local',
    'outbound|80|v2|canary.canary.svc.cluster.local',
  ),
  host: fc.constantFrom('10.0.0.1:80', '10.0.0.2:80'),
  tries: fc.integer({ min: 1, max: 3 }),
  status: fc.constantFrom(200, 503),
  abort: fc.boolean(),
});

/** Requests' records interleaved as overlapping requests are: merged by time, ties in request order. */
function interleave(reqs: readonly Req[], starts: readonly number[]): TraceRecordLike[] {
  const all = reqs.flatMap((r, i) => lifecycle(r, starts[i] ?? 0).map((x, j) => ({ x, i, j })));
  all.sort((a, b) => a.x.time - b.x.time || a.i - b.i || a.j - b.j);
  return all.map((a) => a.x);
}

const runsArb = fc
  .array(reqArb, { minLength: 1, maxLength: 40 })
  .chain((reqs) =>
    fc.tuple(
      fc.constant(reqs.map((r, i) => ({ ...r, id: `req-${i}` }))),
      fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: reqs.length, maxLength: reqs.length }),
    ),
  );

describe('RunTraceCollector', () => {
  test.prop([runsArb])(
    'routed() counts every outbound request once, by route and cluster, never inbound ones',
    ([reqs, starts]) => {
      const c = new RunTraceCollector();
      c.addAll(interleave(reqs, starts));
      const routed = c.routed();
      expect(routed.reduce((a, r) => a + r.count, 0)).toBe(reqs.length);
      expect(routed.every((r) => r.listener !== 'virtualInbound')).toBe(true);
      for (const route of [0, 1, 2]) {
        for (const cluster of [
          'outbound|80|v1|canary.canary.svc.cluster.local',
          'outbound|80|v2|canary.canary.svc.cluster.local',
        ]) {
          const want = reqs.filter((r) => r.route === route && !r.abort && r.cluster === cluster).length;
          const got = routed
            .filter((r) => provenanceKey(r.route) === provenanceKey(VS(route)) && r.cluster === cluster)
            .reduce((a, r) => a + r.count, 0);
          expect(got).toBe(want);
        }
        const aborted = reqs.filter((r) => r.route === route && r.abort).length;
        expect(
          routed.filter((r) => r.aborted && r.route?.httpRouteIndex === route).reduce((a, r) => a + r.count, 0),
        ).toBe(aborted);
      }
      expect(c.inFlight).toBe(0);
    },
  );

  test.prop([runsArb])('samples: the first request of each route, and the first that went wrong', ([reqs, starts]) => {
    const c = new RunTraceCollector({ routesSampled: 3 });
    c.addAll(interleave(reqs, starts));
    const samples = c.samples();
    // In completion order: a request is "interesting" when retried, faulted or failed.
    const ends = reqs.map((r, i) => ({ r, i, end: (starts[i] ?? 0) + 307 + (r.abort ? 0 : 1000 * r.tries) }));
    ends.sort((a, b) => a.end - b.end || a.i - b.i);
    const interesting = (r: Req): boolean => r.tries > 1 || r.abort || r.status >= 500;
    const firstBad = ends.find((e) => interesting(e.r));
    const kept = samples.map((s) => s.requestId);
    if (firstBad !== undefined) expect(kept).toContain(firstBad.r.id);
    expect(samples.length).toBeLessThanOrEqual(3 + 1);
    // Every other sample is the first request (in completion order) of its route at its client proxy,
    // and no two of them share a route.
    const routeOf = (r: Req): string => `${r.proxy}#${r.route}`;
    const firstOfRoute = new Map<string, string>();
    for (const e of ends) if (!firstOfRoute.has(routeOf(e.r))) firstOfRoute.set(routeOf(e.r), e.r.id);
    const others = samples
      .filter((s) => s.requestId !== firstBad?.r.id)
      .map((s) => reqs.find((x) => x.id === s.requestId) as Req);
    for (const r of others) expect(firstOfRoute.get(routeOf(r))).toBe(r.id);
    expect(new Set(others.map(routeOf)).size).toBe(others.length);
    for (const s of samples) {
      const r = reqs.find((x) => x.id === s.requestId) as Req;
      // An abort sends no try at all (the fault filter answers before the router).
      expect(s.reason).toBe(r.abort ? 'fault' : r.tries > 1 ? 'retried' : r.status >= 500 ? 'failed' : 'first');
    }
    // Each sample holds its own request's records only, starting with the app's leg to its sidecar.
    for (const s of samples) {
      expect(s.records[0]?.kind).toBe('net.request');
      for (const r of s.records.slice(1))
        if (r.kind !== 'net.response') expect(r.detail['requestId']).toBe(s.requestId);
      const ok = reqs.find((x) => x.id === s.requestId) as Req;
      if (!ok.abort) expect(s.records.at(-1)?.kind).toBe('net.response');
    }
  });

  it('stops sampling after its budget of candidate requests', () => {
    const reqs: Req[] = Array.from({ length: 30 }, (_, i) => ({
      id: `r${i}`,
      proxy: 'canary/toolbox-a',
      route: 0,
      cluster: 'outbound|80|v1|canary.canary.svc.cluster.local',
      host: '10.0.0.1:80',
      tries: i === 20 ? 2 : 1,
      status: 200,
      abort: false,
    }));
    const withBudget = new RunTraceCollector({ sampleBudget: 10 });
    withBudget.addAll(
      interleave(
        reqs,
        reqs.map((_, i) => i * 5000),
      ),
    );
    expect(withBudget.samples().map((s) => s.requestId)).toEqual(['r0']);
    const unlimited = new RunTraceCollector();
    unlimited.addAll(
      interleave(
        reqs,
        reqs.map((_, i) => i * 5000),
      ),
    );
    expect(unlimited.samples().map((s) => [s.requestId, s.reason])).toEqual([
      ['r0', 'first'],
      ['r20', 'retried'],
    ]);
  });

  it('sampleIf limits samples to chosen proxies and times', () => {
    const reqs: Req[] = ['canary/toolbox-a', 'canary/toolbox-b'].map((proxy, i) => ({
      id: `r${i}`,
      proxy,
      route: 0,
      cluster: 'outbound|80|v1|canary.canary.svc.cluster.local',
      host: '10.0.0.1:80',
      tries: 1,
      status: 200,
      abort: false,
    }));
    const c = new RunTraceCollector({ sampleIf: (proxy) => proxy === 'canary/toolbox-b' });
    c.addAll(interleave(reqs, [0, 10]));
    expect(c.samples().map((s) => s.proxy)).toEqual(['canary/toolbox-b']);
  });

  it('keeps a workload’s call to itself apart from the inbound stream it opens on the same sidecar', () => {
    const vm = 'istio-demo/vm204';
    const out = { proxy: vm, requestId: 'self' };
    const c = new RunTraceCollector();
    c.addAll([
      rec(0, 'net.request', { from: vm, to: vm, networkUs: 5, serverPassUs: 300 }),
      rec(305, 'hcm.decode', {
        ...out,
        listener: '0.0.0.0_80',
        virtualHost: 'nginx.example.com:80',
        routeIndex: 0,
        source: VS(0),
      }),
      rec(305, 'router.route', { ...out, cluster: 'outbound|80|vm|nginx.example.com' }),
      rec(305, 'router.attempt', { ...out, attempt: 1, host: '192.168.0.204:80' }),
      rec(900, 'hcm.decode', { ...out, listener: 'virtualInbound', virtualHost: 'inbound|http|80', routeIndex: 0 }),
      rec(900, 'router.route', { ...out, cluster: 'inbound|80||' }),
      rec(900, 'router.attempt', { ...out, attempt: 1, host: '192.168.0.204:80' }),
      rec(1500, 'hcm.complete', { ...out, status: 200, flags: '-' }),
      rec(2000, 'hcm.complete', { ...out, status: 200, flags: '-' }),
    ]);
    expect(c.routed()).toEqual([
      expect.objectContaining({
        proxy: vm,
        cluster: 'outbound|80|vm|nginx.example.com',
        host: '192.168.0.204:80',
        status: 200,
        count: 1,
      }),
    ]);
    expect(c.samples().map((s) => s.reason)).toEqual(['first']); // one try: not "retried"
    expect(c.inFlight).toBe(0);
  });

  it('counts fault injections and overflows per route and cluster, at their exact times', () => {
    const c = new RunTraceCollector();
    const base = { proxy: 'default/fortio-0', listener: '0.0.0.0_8000', virtualHost: 'httpbin:8000' };
    c.addAll([
      rec(5, 'hcm.decode', { ...base, requestId: 'a', source: VS(1) }),
      rec(5, 'fault.delay', { proxy: base.proxy, requestId: 'a', delayMs: 5000 }),
      rec(5, 'hcm.decode', { ...base, requestId: 'b', source: VS(1) }),
      rec(5, 'fault.delay', { proxy: base.proxy, requestId: 'b', delayMs: 5000 }),
      rec(7, 'hcm.decode', { ...base, requestId: 'c' }),
      rec(7, 'router.route', {
        proxy: base.proxy,
        requestId: 'c',
        cluster: 'outbound|8000||httpbin.default.svc.cluster.local',
      }),
      rec(7, 'router.reset', { proxy: base.proxy, requestId: 'c', attempt: 1, reason: 'overflow' }),
      rec(7, 'hcm.complete', { proxy: base.proxy, requestId: 'c', status: 503, flags: 'UO' }),
    ]);
    const events = c.timelineEvents();
    expect(events).toContainEqual({
      time: 5,
      kind: 'fault_delay',
      subject: 'VirtualService canary/canary spec.http[1]',
      detail: 'delays_injected',
      count: 2,
    });
    expect(events).toContainEqual({
      time: 7,
      kind: 'overflow',
      subject: 'outbound|8000||httpbin.default.svc.cluster.local',
      detail: 'upstream_rq_pending_overflow',
    });
    const lanes = buildTimeline(events, { start: 0, end: 10, bins: 2 }).lanes;
    expect(lanes.find((l) => l.stat === 'delays_injected')?.total).toBe(2);
    expect(lanes.find((l) => l.stat === 'upstream_rq_pending_overflow')?.bins).toEqual([
      { start: 5, end: 10, count: 1 },
    ]);
  });
});

describe('parseRouteProvenance()', () => {
  const provArb = fc.record(
    {
      kind: fc.constantFrom('VirtualService', 'Service'),
      namespace: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
      name: fc.stringMatching(/^[a-z][a-z0-9.-]{0,12}$/),
      // File paths may hold spaces and colons; the field never holds a space.
      file: fc.stringMatching(/^[ a-zA-Z0-9_./:-]{1,30}$/).filter((f) => f.trim() === f),
      line: fc.integer({ min: 1, max: 100_000 }),
      field: fc.option(
        fc.integer({ min: 0, max: 20 }).map((i) => `spec.http[${i}]`),
        { nil: undefined },
      ),
    },
    { requiredKeys: ['kind', 'namespace', 'name', 'file', 'line'] },
  );
  test.prop([provArb])('reads back what the router writes, file names with spaces included', (p) => {
    const parsed = parseRouteProvenance(routerLine(p));
    const index = p.field === undefined ? undefined : Number(/\d+/.exec(p.field)?.[0]);
    expect(parsed).toEqual({ ...p, ...(index !== undefined ? { httpRouteIndex: index } : {}) });
  });
  it('reads the structured form of hcm.decode and refuses junk', () => {
    expect(parseRouteProvenance(VS(1))).toEqual(VS(1));
    expect(parseRouteProvenance('junk')).toBeUndefined();
    expect(parseRouteProvenance(42)).toBeUndefined();
  });
});
