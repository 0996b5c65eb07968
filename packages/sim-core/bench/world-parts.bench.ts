/**
 * Benchmarks of the world's building blocks (app models, traffic generators, telemetry). Baselines, run in
 * the same process on the same workload:
 * - app+generator: a Poisson generator feeding one M/M/4 app replica through meshsim's engine, named RNG
 *   streams, request objects and app state machine, against a bare hand-written M/M/4 queue chain — a
 *   minimal binary heap of (time, kind) entries, a FIFO of arrival times, and exponential draws from a
 *   precomputed table — with no meshsim semantics at all. Unit: simulated requests per second.
 * - histograms: recording a latency into meshsim's histograms against pushing it onto a plain array.
 */
import { Simulation } from '../src/engine/simulation.js';
import { Circllhist } from '../src/envoy/observability/circllhist.js';
import { istioRequestLabels } from '../src/envoy/observability/istioLabels.js';
import { IstioMetrics } from '../src/envoy/observability/istioMetrics.js';
import { LatencyHistogram } from '../src/envoy/observability/latencyHistogram.js';
import { AppReplica } from '../src/mesh/app/appReplica.js';
import { compileBehaviour } from '../src/mesh/app/compileApp.js';
import { ClosedLoopGenerator } from '../src/mesh/traffic/closedLoop.js';
import { OpenLoopGenerator } from '../src/mesh/traffic/openLoop.js';
import { BareHeap, EXP, MASK } from './bareQueue.js';
import { compareRates, ratioRow, type BenchRow, type BenchSuite } from '../../../scripts/bench/harness.js';

const MEAN_SERVICE = 1000; // µs
const SERVERS = 4;
const RATE = 3200; // per second: ρ = 0.8

function meshsimMmc(requests: number): number {
  const sim = new Simulation({ seed: 1 });
  const app = new AppReplica({
    sim,
    namespace: 'default',
    pod: 'server-0',
    behaviour: compileBehaviour({ serviceTime: { kind: 'exponential', mean: MEAN_SERVICE }, concurrency: SERVERS }),
  });
  let done = 0;
  const gen = new OpenLoopGenerator(
    sim,
    {
      name: 'load',
      source: { kind: 'external', name: 'client' },
      rate: RATE,
      requests,
      mix: [{ url: 'http://server/' }],
    },
    { send: (req, reply) => app.handle(req, (res) => reply({ status: res.kind === 'response' ? res.status : 0 })) },
    () => void done++,
  );
  gen.start();
  sim.run();
  if (done !== requests) throw new Error(`bench: ${done} of ${requests} completed`);
  return sim.eventsFired;
}

// The baseline: arrivals and departures on a minimal heap, a FIFO of waiting arrival times.
function bareMmc(requests: number): number {
  const heap = new BareHeap(); // kinds: 0 arrival, 1 departure
  const waiting: number[] = [];
  let head = 0;
  let busy = 0;
  let sent = 0;
  let done = 0;
  let r = 0;
  let events = 0;
  let sum = 0;
  const gap = 1e6 / RATE;
  heap.push(EXP[r++ & MASK]! * gap, 0);
  sent++;
  while (heap.size > 0) {
    const now = heap.top;
    const kind = heap.pop();
    events++;
    if (kind === 0) {
      if (busy < SERVERS) {
        busy++;
        heap.push(now + EXP[r++ & MASK]! * MEAN_SERVICE, 1);
      } else waiting.push(now);
      if (sent < requests) {
        sent++;
        heap.push(now + EXP[r++ & MASK]! * gap, 0);
      }
    } else {
      done++;
      sum += now;
      if (head < waiting.length) {
        head++;
        heap.push(now + EXP[r++ & MASK]! * MEAN_SERVICE, 1);
      } else busy--;
    }
  }
  if (done !== requests || sum < 0) throw new Error('baseline broken');
  return events;
}

function meshsimClosedLoop(requests: number): void {
  const sim = new Simulation({ seed: 2 });
  const app = new AppReplica({
    sim,
    namespace: 'default',
    pod: 'server-0',
    behaviour: compileBehaviour({ serviceTime: { kind: 'exponential', mean: MEAN_SERVICE }, concurrency: SERVERS }),
  });
  const gen = new ClosedLoopGenerator(
    sim,
    {
      name: 'fortio',
      source: { kind: 'external', name: 'client' },
      connections: 16,
      qps: 0,
      requests,
      mix: [{ url: 'http://server/' }],
    },
    { send: (req, reply) => app.handle(req, () => reply({ status: 200 })) },
  );
  gen.start();
  sim.run();
}

const LATENCIES = Float64Array.from({ length: 1 << 16 }, (_, i) => Math.round(EXP[i]! * 20_000));

const suite: BenchSuite = {
  name: 'world-parts',
  run(ctx): BenchRow[] {
    const rows: BenchRow[] = [];
    const n = ctx.quick ? 200_000 : 1_000_000;
    const label = `${n / 1000}k`;

    ctx.log(`  app+generator: M/M/4 at ρ = 0.8, ${label} requests`);
    let events = 0;
    const m = compareRates(
      n,
      () => void (events = meshsimMmc(n)),
      () => void bareMmc(n),
    );
    rows.push(ratioRow(`world-parts/app-generator-mm4-${label}`, 'req/s', m, 'bare hand-written M/M/4 queue chain'));
    rows.push({
      name: `world-parts/app-generator-mm4-${label}-events`,
      value: (m.value * events) / n,
      unit: 'events/s',
      baseline: null,
      ratio: null,
    });

    ctx.log(`  closed loop (Fortio, 16 connections, qps 0) into M/M/4, ${label} requests`);
    const c = compareRates(
      n,
      () => meshsimClosedLoop(n),
      () => void bareMmc(n),
    );
    rows.push(ratioRow(`world-parts/closed-loop-mm4-${label}`, 'req/s', c, 'bare hand-written M/M/4 queue chain'));

    const records = ctx.quick ? 2_000_000 : 10_000_000;
    const recLabel = `${records / 1_000_000}M`;
    const arrayPush = (): void => {
      const a: number[] = [];
      for (let i = 0; i < records; i++) a.push(LATENCIES[i & MASK]!);
      if (a.length !== records) throw new Error('baseline broken');
    };
    ctx.log(`  histogram records, ${recLabel} values`);
    const hdr = compareRates(
      records,
      () => {
        const h = new LatencyHistogram();
        for (let i = 0; i < records; i++) h.record(LATENCIES[i & MASK]!);
      },
      arrayPush,
    );
    rows.push(ratioRow(`world-parts/hdr-histogram-record-${recLabel}`, 'values/s', hdr, 'plain array push'));
    const circ = compareRates(
      records,
      () => {
        const h = new Circllhist();
        for (let i = 0; i < records; i++) h.record(Math.floor(LATENCIES[i & MASK]! / 1000));
      },
      arrayPush,
    );
    rows.push(ratioRow(`world-parts/envoy-histogram-record-${recLabel}`, 'values/s', circ, 'plain array push'));

    const metrics = new IstioMetrics();
    const series = metrics.series(
      istioRequestLabels({
        reporter: 'source',
        local: { workload: 'productpage-v1', namespace: 'default', labels: { app: 'productpage', version: 'v1' } },
        peer: { workload: 'reviews-v2', namespace: 'default', labels: { app: 'reviews', version: 'v2' } },
        service: { host: 'reviews.default.svc.cluster.local', name: 'reviews', namespace: 'default' },
        responseCode: 200,
        responseFlags: '-',
      }),
    )!;
    const istio = compareRates(
      records,
      () => {
        for (let i = 0; i < records; i++) series.record(LATENCIES[i & MASK]!, 300, 5000);
      },
      arrayPush,
    );
    rows.push(ratioRow(`world-parts/istio-series-record-${recLabel}`, 'requests/s', istio, 'plain array push'));
    return rows;
  },
};
export default suite;
