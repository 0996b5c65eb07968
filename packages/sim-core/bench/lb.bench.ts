/**
 * Load-balancer pick rates, one row per policy and host count (3, 30, 300 hosts), each against the same-run
 * baseline of a bare `hosts[i++ % n]` pick (the floor any balancer pays: an index and an array read). The
 * Envoy balancers also draw a random value per pick (priority selection) and keep per-source state; RANDOM
 * and LEAST_REQUEST draw more; weighted rows go through the EDF scheduler; RING_HASH/MAGLEV look a 64-bit
 * hash up (binary search / table). A final row measures outlier detection's per-response bookkeeping.
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

function pickLoop(lb: LoadBalancer, picks: number, hashed: boolean): void {
  if (hashed) {
    // A request hash per pick, as a header hash policy yields (a multiplicative sequence over 2^64).
    let h = 0x9e3779b97f4a7c15n;
    const ctx = { computeHashKey: () => h };
    for (let i = 0; i < picks; i++) {
      h = (h * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
      if (lb.chooseHost(ctx) !== null) sink++;
    }
    return;
  }
  for (let i = 0; i < picks; i++) if (lb.chooseHost() !== null) sink++;
}

function baselineLoop(hosts: readonly Host[], picks: number): void {
  const n = hosts.length;
  let i = 0;
  for (let k = 0; k < picks; k++) if (hosts[i++ % n] !== undefined) sink++;
}

const suite: BenchSuite = {
  name: 'lb',
  run(ctx): BenchRow[] {
    const rows: BenchRow[] = [];
    const picks = ctx.quick ? 100_000 : 500_000;
    for (const v of VARIANTS) {
      for (const n of [3, 30, 300]) {
        ctx.log(`  ${v.name}, ${n} hosts, ${picks / 1000}k picks`);
        const { lb, hosts } = makeLb(v, n);
        const m = compareRates(
          picks,
          () => pickLoop(lb, picks, v.hashed === true),
          () => baselineLoop(hosts, picks),
        );
        rows.push(ratioRow(`lb/${v.name}-${n}-hosts`, 'picks/s', m, 'bare hosts[i++ % n]'));
      }
    }
    // Outlier detection bookkeeping per response (putHttpResponseCode), 30 hosts, mostly 200s.
    const responses = ctx.quick ? 200_000 : 1_000_000;
    const hosts = hostsOnPorts(30);
    const detector = new OutlierDetector({
      prioritySet: prioritySetOf(hosts),
      config: { maxEjectionPercent: 100 },
      random: new RandomStream('bench', 'outlier'),
      clock: { now: 0 },
    });
    const monitors = hosts.map((h) => detector.monitor(h));
    ctx.log(`  outlier putHttpResponseCode, 30 hosts, ${responses / 1000}k responses`);
    const m = compareRates(
      responses,
      () => {
        for (let i = 0; i < responses; i++) monitors[i % 30]!.putHttpResponseCode(i % 7 === 0 ? 503 : 200);
      },
      () => baselineLoop(hosts, responses),
    );
    rows.push(ratioRow('lb/outlier-put-http-response-code-30-hosts', 'responses/s', m, 'bare hosts[i++ % n]'));
    if (sink < 0) ctx.log(String(sink));
    return rows;
  },
};
export default suite;
