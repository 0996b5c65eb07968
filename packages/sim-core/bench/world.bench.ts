/**
 * End-to-end benchmarks of the simulated world.
 *
 * - `world/bookinfo-*`: Poisson user requests from a `sleep` pod to Bookinfo's productpage (→ details, →
 *   reviews v1/v2/v3 → ratings for v2/v3), every hop through both sidecars (netfilter capture, listener,
 *   HCM, route, fault filter, router, pools, LB, network, inbound listener, app), with retries on reviews,
 *   fault injection on details and ratings, outlier detection on reviews and 1 % of reviews-v1 answers
 *   failing — telemetry on (Istio metrics, cluster stats, outcome histograms; access log off, Istio's
 *   default). Baseline, same run: a bare hand-written queue chain with the same call graph (productpage →
 *   details → reviews → ratings for 2 of 3) and the same exponential service times — a binary heap of
 *   (time, kind) entries and precomputed exponential draws, no Envoy semantics at all. Units: user requests
 *   per second (`req/s`) and all HTTP requests the sidecars carried (`calls/s`).
 * - `world/sleep-reviews-*`: the simplest mesh path — `sleep` → `reviews` (3 replicas, retries and outlier
 *   detection on), each request through two sidecars; baseline: the same bare queue with one station.
 * - `world/peak-rss-*`: peak resident memory of a fresh process running 1 M and 10 M requests (`sleep` →
 *   `reviews`, retries and outlier detection on): with outcomes streamed and latencies in histograms it must
 *   stay flat. Each is measured in a child process (`--world-bench-child`), so earlier suites do not count.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { simulate } from '../src/mesh/world/simulate.js';
import { bookinfoMesh, bookinfoWorkloads, reviewsMesh } from '../src/mesh/world/testMeshes.js';
import { sleepPod } from '../src/mesh/world/testRuns.js';
import { BareHeap, EXP, MASK } from './bareQueue.js';
import { compareRates, peakRssMiB, ratioRow, type BenchRow, type BenchSuite } from '../../../scripts/bench/harness.js';

const MEAN_SERVICE = 1000; // µs, every Bookinfo app
const RATE = 400; // user requests per second

const virtualService = (host: string, spec: Record<string, unknown>) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: host, namespace: 'default' },
  spec: { hosts: [host], ...spec },
});

function bookinfo() {
  return bookinfoMesh({
    reviewsVirtualService: {
      http: [
        {
          route: ['v1', 'v2', 'v3'].map((v) => ({
            destination: { host: 'reviews', subset: v },
            weight: v === 'v1' ? 34 : 33,
          })),
          retries: { attempts: 2, retryOn: '5xx,connect-failure,reset', perTryTimeout: '1s' },
          timeout: '3s',
        },
      ],
    },
    trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s' } },
    extra: [
      virtualService('details', {
        http: [
          {
            fault: { abort: { percentage: { value: 0.5 }, httpStatus: 503 } },
            route: [{ destination: { host: 'details' } }],
          },
        ],
      }),
      virtualService('ratings', {
        http: [
          {
            fault: { delay: { percentage: { value: 1 }, fixedDelay: '5ms' } },
            route: [{ destination: { host: 'ratings' } }],
          },
        ],
      }),
    ],
  });
}

/** Runs `requests` Bookinfo user requests; returns the HTTP calls the sidecars carried. */
function meshsimBookinfo(model: ReturnType<typeof bookinfo>, requests: number): number {
  const r = simulate({
    model,
    seed: 1,
    workloads: [
      ...bookinfoWorkloads(MEAN_SERVICE),
      {
        selector: { matchLabels: { app: 'reviews', version: 'v1' } },
        behaviour: { errors: [{ status: 503, probability: 0.01 }] },
      },
    ],
    traffic: [
      {
        name: 'users',
        source: { kind: 'pod', namespace: 'default', pod: sleepPod(model) },
        rate: RATE,
        requests,
        mix: [{ url: 'http://productpage:9080/productpage' }],
      },
    ],
  });
  if (r.counts.generated !== requests) throw new Error('bookinfo run lost requests');
  return r.counts.generated + r.counts.downstreamCalls;
}

/**
 * The baseline: Bookinfo's call graph as a chain of delay stations on a hand-written binary heap — user
 * arrival, productpage, details, reviews, ratings (2 of 3 requests), with the same service times.
 */
function bareBookinfo(requests: number): number {
  return bareChain(requests, 4);
}

/**
 * `stations` delay stations in a row (arrival → 1 → … → stations); with 4 the last (ratings) is visited by 2
 * of 3 requests, as reviews v2 and v3 call it.
 */
function bareChain(requests: number, stations: number): number {
  const heap = new BareHeap();
  let r = 0;
  let sent = 1;
  let done = 0;
  let calls = 0;
  const gap = 1e6 / RATE;
  heap.push(EXP[r++ & MASK]! * gap, 0);
  while (heap.size > 0) {
    const now = heap.top;
    const kind = heap.pop();
    calls++;
    // 0 arrival → 1 productpage done → 2 details done → 3 reviews done (→ 4 ratings done) → finished.
    if (kind === 0) {
      heap.push(now + EXP[r++ & MASK]! * MEAN_SERVICE, 1);
      if (sent < requests) {
        sent++;
        heap.push(now + EXP[r++ & MASK]! * gap, 0);
      }
    } else if (kind < stations - 1) heap.push(now + EXP[r++ & MASK]! * MEAN_SERVICE, kind + 1);
    else if (kind === stations - 1 && stations === 4 && r % 3 !== 0)
      heap.push(now + EXP[r++ & MASK]! * MEAN_SERVICE, 4);
    else done++;
  }
  if (done !== requests) throw new Error('baseline broken');
  return calls;
}

/** `sleep` → `reviews` (3 replicas), retries and outlier detection on: one request crosses two sidecars. */
function memoryRun(requests: number): void {
  const model = reviewsMesh({
    virtualService: {
      http: [{ route: [{ destination: { host: 'reviews' } }], retries: { attempts: 2, retryOn: '5xx' } }],
    },
    destinationRule: { trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5 } } },
  });
  let n = 0;
  simulate({
    model,
    seed: 1,
    workloads: [
      {
        selector: { matchLabels: { app: 'reviews' } },
        behaviour: { serviceTime: { kind: 'exponential', mean: 500 }, errors: [{ status: 503, probability: 0.01 }] },
      },
    ],
    traffic: [
      {
        name: 'load',
        source: { kind: 'pod', namespace: 'default', pod: sleepPod(model) },
        rate: 2000,
        requests,
        mix: [{ url: 'http://reviews:9080/' }],
      },
    ],
    onOutcome: () => void n++,
  });
  if (n !== requests) throw new Error('memory run lost requests');
}

// Child mode: run the memory workload in a fresh process and print its peak RSS.
const CHILD_FLAG = '--world-bench-child';
const childAt = process.argv.indexOf(CHILD_FLAG);
if (childAt >= 0) {
  memoryRun(Number(process.argv[childAt + 1]));
  process.stdout.write(`${peakRssMiB()}\n`);
}

function peakRssOfChild(requests: number): number {
  const out = execFileSync(
    process.execPath,
    [
      '--conditions=@meshsim/source',
      '--import',
      fileURLToPath(new URL('../../../scripts/run-ts/register.mjs', import.meta.url)),
      fileURLToPath(import.meta.url),
      CHILD_FLAG,
      String(requests),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return Number(out.trim().split('\n').at(-1));
}

const suite: BenchSuite = {
  name: 'world',
  run(ctx): BenchRow[] {
    const rows: BenchRow[] = [];
    const n = ctx.quick ? 20_000 : 100_000;
    const label = `${n / 1000}k`;
    const model = bookinfo();
    ctx.log(`  bookinfo: ${label} user requests at ${RATE}/s, retries + faults + outlier detection`);
    let calls = 0;
    let bareCalls = 0;
    const m = compareRates(
      n,
      () => void (calls = meshsimBookinfo(model, n)),
      () => void (bareCalls = bareBookinfo(n)),
    );
    rows.push(
      ratioRow(`world/bookinfo-${label}-user-requests`, 'req/s', m, 'bare hand-written queue chain, same call graph'),
    );
    rows.push({
      name: `world/bookinfo-${label}-http-calls`,
      value: (m.value * calls) / n,
      unit: 'calls/s',
      baseline: (m.baseline * bareCalls) / n,
      ratio: (m.value * calls) / n / ((m.baseline * bareCalls) / n),
      note: 'HTTP requests through sidecars (baseline: station visits)',
    });
    const single = ctx.quick ? 50_000 : 200_000;
    ctx.log(`  sleep → reviews: ${single / 1000}k requests through two sidecars`);
    const p = compareRates(
      single,
      () => memoryRun(single),
      () => void bareChain(single, 1),
    );
    rows.push(ratioRow(`world/sleep-reviews-${single / 1000}k`, 'req/s', p, 'bare hand-written queue: one station'));
    for (const requests of ctx.quick ? [100_000, 1_000_000] : [1_000_000, 10_000_000]) {
      const tag = `${requests / 1_000_000}M`;
      ctx.log(`  peak RSS of a fresh process running ${tag} requests (sleep → reviews)`);
      rows.push({
        name: `world/peak-rss-${tag}-requests`,
        value: peakRssOfChild(requests),
        unit: 'MiB',
        baseline: null,
        ratio: null,
      });
    }
    return rows;
  },
};

export default suite;
