/**
 * Load-balancer pick rates, one row per policy and host count (3, 30, 300 hosts). Baseline, same run: a bare
 * random pick, `hosts[random.below(n)]` with the same `RandomStream` type — Envoy's RANDOM balancer minus
 * its host-source selection (envoy source/extensions/load_balancing_policies/random/random_lb.cc
 * `peekOrChoose`: one `random()`, `hostSourceToUse(context, hash)` picks the priority and healthy/panic
 * set from it, then `hosts[hash % size]`), so the floor every zone-aware balancer pays. The ratio is what the
 * policy's own state costs on top: round robin's per-source index, LEAST_REQUEST's extra draws and
 * active-request comparisons, the EDF scheduler for weighted hosts, the ring's binary search over 64-bit
 * hashes, Maglev's table lookup. (A bare `hosts[i++ % n]` baseline was tried and dropped: a few nanoseconds
 * per pick, so its rate swung 5× between rows with machine noise and the ratios meant nothing.)
 * A final row measures outlier detection's per-response bookkeeping against a bare consecutive-5xx counter.
 */
import { RandomStream } from '../src/engine/rng.js';
import type { LbPolicy } from '../src/envoy/config/cluster.js';
import { createLoadBalancer } from '../src/envoy/lb/createLoadBalancer.js';
import type { LoadBalancer } from '../src/envoy/lb/loadBalancer.js';
import { hostsOnPorts, prioritySetOf } from '../src/envoy/lb/testHosts.js';
import type { Host } from '../src/envoy/upstream/host.js';
import { OutlierDetector } from '../src/envoy/upstream/outlierDetector.js';
import { compareRates, ratioRow, type BenchRow, type BenchSuite } from '../../../scripts/bench/harness.js';

interface Variant {
  readonly name: string;
  readonly policy: LbPolicy;
  readonly weighted: boolean;
  readonly hashed?: boolean;
}

const VARIANTS: readonly Variant[] = [
  { name: 'round-robin', policy: 'ROUND_ROBIN', weighted: false },
  { name: 'round-robin-weighted', policy: 'ROUND_ROBIN', weighted: true },
  { name: 'least-request', policy: 'LEAST_REQUEST', weighted: false },
  { name: 'least-request-weighted', policy: 'LEAST_REQUEST', weighted: true },
  { name: 'random', policy: 'RANDOM', weighted: false },
  { name: 'ring-hash', policy: 'RING_HASH', weighted: false, hashed: true },
  { name: 'maglev', policy: 'MAGLEV', weighted: false, hashed: true },
];

let sink = 0;

function makeLb(v: Variant, n: number): { lb: LoadBalancer; hosts: Host[] } {
  const hosts = hostsOnPorts(n, { address: '10.1.0.1', weights: v.weighted ? hostsWeights(n) : undefined });
  hosts.forEach((h, i) => (h.stats.rq_active = i % 4));
  const lb = createLoadBalancer(
    { name: `bench-${v.name}`, lbPolicy: v.policy },
    prioritySetOf(hosts),
    new RandomStream('bench', v.name),
  );
  return { lb, hosts };
}

function hostsWeights(n: number): number[] {
  return Array.from({ length: n }, (_, i) => 1 + (i % 5));
}

/**
 * Request hashes, as a header hash policy yields (a multiplicative sequence over 2^64), drawn once: computing
 * a BigInt per pick would time BigInt arithmetic, which neither Envoy's balancer nor the baseline does.
 */
const HASHES: readonly bigint[] = (() => {
  let h = 0x9e3779b97f4a7c15n;
  return Array.from(
    { length: 1024 },
    () => (h = (h * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn),
  );
})();

function pickLoop(lb: LoadBalancer, picks: number, hashed: boolean): void {
  if (hashed) {
    let k = 0;
    const ctx = { computeHashKey: (): bigint => HASHES[k & 1023]! };
    for (; k < picks; k++) if (lb.chooseHost(ctx) !== null) sink++;
    return;
  }
  for (let i = 0; i < picks; i++) if (lb.chooseHost() !== null) sink++;
}

function baselineLoop(hosts: readonly Host[], random: RandomStream, picks: number): void {
  const n = hosts.length;
  for (let k = 0; k < picks; k++) if (hosts[random.below(n)] !== undefined) sink++;
}

/**
 * `compareRates` with the (much cheaper) baseline loop repeated `scale` times per timing, so that both sides
 * run for tens of milliseconds — a 2-ms timing on a loaded 2-core machine is mostly scheduler noise — and 5
 * alternating repetitions; the baseline's rate is per single loop.
 */
function compareScaled(
  ops: number,
  subject: () => void,
  baseline: () => void,
  scale: number,
): { value: number; baseline: number } {
  const m = compareRates(
    ops,
    subject,
    () => {
      for (let r = 0; r < scale; r++) baseline();
    },
    5,
  );
  return { value: m.value, baseline: m.baseline * scale };
}

const suite: BenchSuite = {
  name: 'lb',
  run(ctx): BenchRow[] {
    const rows: BenchRow[] = [];
    const picks = ctx.quick ? 100_000 : 500_000;
    const baselineRandom = new RandomStream('bench', 'baseline');
    for (const v of VARIANTS) {
      for (const n of [3, 30, 300]) {
        ctx.log(`  ${v.name}, ${n} hosts, ${picks / 1000}k picks`);
        const { lb, hosts } = makeLb(v, n);
        const m = compareScaled(
          picks,
          () => pickLoop(lb, picks, v.hashed === true),
          () => baselineLoop(hosts, baselineRandom, picks),
          4,
        );
        rows.push(ratioRow(`lb/${v.name}-${n}-hosts`, 'picks/s', m, 'bare hosts[random() % n]'));
      }
    }
    // Outlier detection bookkeeping per response (putHttpResponseCode), 30 hosts, mostly 200s.
    const responses = ctx.quick ? 1_000_000 : 5_000_000;
    const hosts = hostsOnPorts(30);
    const detector = new OutlierDetector({
      prioritySet: prioritySetOf(hosts),
      config: { maxEjectionPercent: 100 },
      random: new RandomStream('bench', 'outlier'),
      clock: { now: 0 },
    });
    const monitors = hosts.map((h) => detector.monitor(h));
    const consecutive = new Uint32Array(30);
    ctx.log(`  outlier putHttpResponseCode, 30 hosts, ${responses / 1000}k responses`);
    const m = compareScaled(
      responses,
      () => {
        for (let i = 0; i < responses; i++) monitors[i % 30]!.putHttpResponseCode(i % 7 === 0 ? 503 : 200);
      },
      () => {
        // The floor of detecting consecutive 5xx: one counter per host, reset by a success.
        for (let i = 0; i < responses; i++) {
          const h = i % 30;
          const c = i % 7 === 0 ? consecutive[h]! + 1 : 0;
          consecutive[h] = c;
          if (c >= 5) sink++;
        }
      },
      2,
    );
    rows.push(
      ratioRow('lb/outlier-put-http-response-code-30-hosts', 'responses/s', m, 'bare consecutive-5xx counter per host'),
    );
    if (sink < 0) ctx.log(String(sink));
    return rows;
  },
};
export default suite;
