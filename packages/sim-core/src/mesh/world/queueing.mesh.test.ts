/**
 * Queueing sanity through the whole mesh path: `sleep` sends Poisson traffic through its sidecar, the
 * network and the server's sidecar to one `reviews` replica with exponential service and `c` workers. With
 * constant network and proxy latencies the path adds a constant D to every warm request (4 loopback trips,
 * 2 network trips, 2 request and 2 response passes through an Envoy), and a constant delay keeps Poisson
 * arrivals Poisson — so the client-observed mean must be the M/M/c mean response time + D.
 *
 * Method (as part A's app-only test, mesh/app/queueing.test.ts): batch means over one long run with a fixed
 * seed; the first WARMUP outcomes are discarded (the queue starts empty and connections are being opened),
 * the rest cut into BATCHES batches in completion order; a two-sided Student-t interval at ALPHA = 0.001
 * must contain the theoretical mean, and its half-width must be under 3 % of the queueing part.
 */
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import { describe, expect, it } from 'vitest';
import { MILLISECOND, SECOND } from '../../engine/time.js';
import { mmcMeanResponseTime } from '../app/queueing.js';
import { simulate } from './simulate.js';
import { reviewsMesh } from './testMeshes.js';
import { sleepPod } from './testRuns.js';

const ALPHA = 0.001;
const WARMUP = 5_000;
const BATCHES = 40;
const PER_BATCH = 8_000;
const LOOP = 10;
const SAME = 50;
const CROSS = 100;
const REQ = 300;
const RESP = 200;
const c = (value: number) => ({ kind: 'constant' as const, value });

function tCritical(alpha: number, nu: number): number {
  const x = betaQuantile(alpha, nu / 2, 0.5);
  return Math.sqrt((nu * (1 - x)) / x);
}

function run(rate: number, servers: number) {
  const model = reviewsMesh({ versions: [{ name: 'v1', replicas: 1 }] });
  const server = model.cluster.pods.find((p) => p.labels['app'] === 'reviews');
  const client = model.cluster.pods.find((p) => p.labels['app'] === 'sleep');
  const hop = server?.nodeName === client?.nodeName ? SAME : CROSS;
  const path = 4 * LOOP + 2 * hop + 2 * REQ + 2 * RESP;
  const sums = new Float64Array(BATCHES);
  let done = 0;
  let failed = 0;
  simulate({
    model,
    seed: `mmc-${servers}`,
    network: {
      links: { loopback: { latency: c(LOOP) }, sameNode: { latency: c(SAME) }, crossNode: { latency: c(CROSS) } },
    },
    proxyLatency: { request: c(REQ), response: c(RESP) },
    workloads: [
      {
        selector: { matchLabels: { app: 'reviews' } },
        behaviour: { serviceTime: { kind: 'exponential', mean: MILLISECOND }, concurrency: servers },
      },
    ],
    traffic: [
      {
        name: 'poisson',
        source: { kind: 'pod', namespace: 'default', pod: sleepPod(model) },
        rate,
        requests: WARMUP + BATCHES * PER_BATCH,
        mix: [{ url: 'http://reviews:9080/' }],
      },
    ],
    onOutcome: (o) => {
      if (o.status !== 200) failed++;
      const k = done++ - WARMUP;
      if (k >= 0) sums[Math.floor(k / PER_BATCH)]! += o.duration;
    },
  });
  expect(failed).toBe(0);
  expect(done).toBe(WARMUP + BATCHES * PER_BATCH);
  const means = Array.from(sums, (x) => x / PER_BATCH);
  const grand = means.reduce((a, b) => a + b, 0) / BATCHES;
  const sd = Math.sqrt(means.reduce((a, m) => a + (m - grand) ** 2, 0) / (BATCHES - 1));
  return { grand, half: (tCritical(ALPHA, BATCHES - 1) * sd) / Math.sqrt(BATCHES), path };
}

describe('queueing through the mesh (batch means, t-interval at alpha = 0.001)', () => {
  it('M/M/1 at ρ = 0.5 behind two sidecars: 1/(μ − λ) + the constant path', () => {
    const rate = 500;
    const { grand, half, path } = run(rate, 1);
    const w = mmcMeanResponseTime(rate / SECOND, 1 / MILLISECOND, 1);
    expect(half / w).toBeLessThan(0.03);
    expect(Math.abs(grand - (w + path))).toBeLessThanOrEqual(half);
  });

  it('M/M/3 at ρ = 0.6 behind two sidecars: Erlang C mean + the constant path', () => {
    const rate = 1800;
    const { grand, half, path } = run(rate, 3);
    const w = mmcMeanResponseTime(rate / SECOND, 1 / MILLISECOND, 3);
    expect(half / w).toBeLessThan(0.03);
    expect(Math.abs(grand - (w + path))).toBeLessThanOrEqual(half);
  });
});
