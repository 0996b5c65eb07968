/**
 * netfilter: the capture decision for a new connection in a sidecar pod (the simulation calls it once per
 * connection). Workload: a fixed mix of connection classes — the app calling 50 Service addresses (70%),
 * Envoy (uid 1337) calling endpoints (20%), inbound connections to the app's port and to 15021 (10%) —
 * each with its own source port. Baselines, same run:
 * - traverse: a hand-written function that gives the same answers for the default sidecar rules without
 *   any rules (the floor of "deciding"); both are checked to agree before timing;
 * - cached: the uncached traversal of the same workload (so the ratio is the cache's speed-up);
 * - trace: the same traversal without recording hops;
 * - kube-proxy (a node's rules for 100 Services, no sidecar): a hand-written ClusterIP map drawing the endpoint
 *   as the statistic rules do (both checked to agree before timing).
 */
import { parseIp, type IpAddress } from '../src/netfilter/addr.js';
import { CaptureCache, traverse, type ConnectionClass } from '../src/netfilter/decisionCache.js';
import { parseIstioIptablesArgs } from '../src/netfilter/istio/args.js';
import { buildIstioRules } from '../src/netfilter/istio/capture.js';
import { buildKubeProxyRules, computeProbability } from '../src/netfilter/kubeProxy/proxier.js';
import { probabilityThreshold } from '../src/netfilter/matches/statistic.js';
import type { NetNamespace } from '../src/netfilter/netns.js';
import type { Endpoint } from '../src/netfilter/walk.js';
import { istioPodNamespace, kubeProxyNamespace } from '../src/netfilter/namespaces.js';
import { RngStreams, type RandomSource } from '../src/engine/rng.js';
import { compareRates, ratioRow, type BenchRow, type BenchSuite } from '../../../scripts/bench/harness.js';

const POD = '10.244.1.5';
const ip = (s: string): IpAddress => parseIp(s) as IpAddress;
const INJECTED = [
  'istio-iptables',
  '-p',
  '15001',
  '-z',
  '15006',
  '-u',
  '1337',
  '-m',
  'REDIRECT',
  '-i',
  '*',
  '-x',
  '',
  '-b',
  '*',
  '-d',
  '15090,15021,15020',
];

function workload(n: number): ConnectionClass[] {
  const vips = Array.from({ length: 50 }, (_, i) => ip(`10.96.${i >> 4}.${(i & 15) + 10}`));
  const eps = Array.from({ length: 20 }, (_, i) => ip(`10.244.2.${i + 2}`));
  const out: ConnectionClass[] = [];
  let x = 2463534242;
  for (let k = 0; k < n; k++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const r = (x >>> 0) % 100;
    const sport = 32768 + (k % 28000);
    if (r < 70) out.push({ direction: 'out', protocol: 6, dst: vips[k % 50]!, dport: 80, sport, uid: 0, gid: 0 });
    else if (r < 90)
      out.push({ direction: 'out', protocol: 6, dst: eps[k % 20]!, dport: 8080, sport, uid: 1337, gid: 1337 });
    else out.push({ direction: 'in', protocol: 6, src: eps[k % 20]!, dst: ip(POD), dport: r < 97 ? 80 : 15021, sport });
  }
  return out;
}

const POD_WORD = ip(POD).words[0];
const EXCLUDED_INBOUND = new Set([15008, 15090, 15021, 15020]);

/** The default sidecar rules' answer, hand-written: the port a connection is captured to, or 0. */
function handDecision(c: ConnectionClass): number {
  if (c.direction === 'in') return c.protocol === 6 && !EXCLUDED_INBOUND.has(c.dport) ? 15006 : 0;
  if (c.uid === 1337 || c.gid === 1337 || c.protocol !== 6) return 0;
  return c.dst.family === 4 && (c.dst.words[0]! >>> 24 === 127 || c.dst.words[0] === POD_WORD) ? 0 : 15001;
}

/**
 * kube-proxy's answer for the bench's Services, hand-written: a ClusterIP:port map, then the endpoint
 * chains' `-m statistic --mode random --probability 1/(n-i)` draws in order (kube-proxy
 * `computeProbability`, kernel xt_statistic: `random & 0x7FFFFFFF < lround(2^31 · p)`), the last one
 * unconditional — the floor of picking an endpoint the way the rules do, with no rules to walk.
 */
function handKubeProxy(
  services: readonly { clusterIP: string; port: number; endpoints: readonly { ip: string; port: number }[] }[],
  random: RandomSource,
): (c: ConnectionClass) => Endpoint {
  const byVip = new Map<number, { eps: Endpoint[]; thresholds: number[] }>();
  for (const s of services) {
    const eps = s.endpoints.map((e) => ({ ip: ip(e.ip), port: e.port }));
    const thresholds = eps.map((_, i) => probabilityThreshold(Number(computeProbability(eps.length - i))));
    byVip.set(ip(s.clusterIP).words[0]! * 65536 + s.port, { eps, thresholds });
  }
  return (c) => {
    const svc = byVip.get(c.dst.words[0]! * 65536 + c.dport);
    if (svc === undefined) return { ip: c.dst, port: c.dport };
    const last = svc.eps.length - 1;
    for (let i = 0; i < last; i++) if (random.random() % 0x80000000 < svc.thresholds[i]!) return svc.eps[i]!;
    return svc.eps[last]!;
  };
}

const suite: BenchSuite = {
  name: 'netfilter',
  run(ctx): BenchRow[] {
    const rows: BenchRow[] = [];
    const n = ctx.quick ? 50_000 : 200_000;
    const conns = workload(n);
    const rules = buildIstioRules(parseIstioIptablesArgs(INJECTED));
    const ns = istioPodNamespace(rules, POD);
    for (const c of conns.slice(0, 2000)) {
      const got = traverse(ns, c).localPort ?? 0;
      if (got !== handDecision(c))
        throw new Error(`bench workload disagrees with the hand-written decision for ${JSON.stringify(c)}`);
    }
    let sink = 0;
    ctx.log(`  sidecar traversal, ${n / 1000}k new connections`);
    const t = compareRates(
      n,
      () => {
        for (const c of conns) sink += traverse(ns, c).localPort ?? 0;
      },
      () => {
        for (const c of conns) sink += handDecision(c);
      },
    );
    rows.push(ratioRow('netfilter/sidecar-traverse', 'conns/s', t, 'hand-written decision, no rules'));

    ctx.log('  cached decision (CaptureCache)');
    const c = compareRates(
      n,
      () => {
        const cache = new CaptureCache(ns);
        for (const x of conns) sink += cache.decide(x).localPort ?? 0;
      },
      () => {
        for (const x of conns) sink += traverse(ns, x).localPort ?? 0;
      },
    );
    rows.push(ratioRow('netfilter/sidecar-cached', 'conns/s', c, 'uncached traversal'));

    const traced = conns.slice(0, n / 10);
    ctx.log('  traversal with every hop recorded (trace)');
    const tr = compareRates(
      traced.length,
      () => {
        for (const x of traced) sink += traverse(ns, x, true).hops.length;
      },
      () => {
        for (const x of traced) sink += traverse(ns, x).localPort ?? 0;
      },
    );
    rows.push(ratioRow('netfilter/sidecar-trace', 'conns/s', tr, 'traversal without hops'));

    ctx.log('  kube-proxy node, 100 Services × 3 endpoints (random draws: never cached)');
    const services = Array.from({ length: 100 }, (_, i) => ({
      namespace: 'ns',
      name: `svc${i}`,
      clusterIP: `10.96.${i >> 6}.${(i & 63) + 1}`,
      port: 80,
      endpoints: [1, 2, 3].map((e) => ({ ip: `10.244.${i & 127}.${e + 1}`, port: 8080 })),
    }));
    const rulesKp = buildKubeProxyRules(services, { clusterCIDR: '10.244.0.0/16' });
    const nodeOf = (): NetNamespace =>
      kubeProxyNamespace(rulesKp, '192.168.0.10', { random: new RngStreams(1).stream('kube-proxy') });
    const kpConns: ConnectionClass[] = conns.slice(0, n / 4).map((x, k) => ({
      direction: 'in',
      protocol: 6,
      src: ip(POD),
      sport: x.sport ?? 40000,
      dst: ip(services[k % 100]!.clusterIP),
      dport: 80,
    }));
    // Same draws, same answers: both sides read equally seeded streams; checked on the first 2,000.
    const checkNode = nodeOf();
    const checkHand = handKubeProxy(services, new RngStreams(1).stream('kube-proxy'));
    for (const x of kpConns.slice(0, 2000)) {
      const got = traverse(checkNode, x).destination;
      const want = checkHand(x);
      if (got.ip.words[0] !== want.ip.words[0] || got.port !== want.port)
        throw new Error(`bench workload disagrees with the hand-written kube-proxy choice for ${JSON.stringify(x)}`);
    }
    const node = nodeOf();
    const hand = handKubeProxy(services, new RngStreams(1).stream('kube-proxy'));
    const kp = compareRates(
      kpConns.length,
      () => {
        for (const x of kpConns) sink += traverse(node, x).destination.port;
      },
      () => {
        for (const x of kpConns) sink += hand(x).port;
      },
    );
    rows.push(ratioRow('netfilter/kube-proxy-100-services', 'conns/s', kp, 'hand-written ClusterIP map + draws'));
    if (sink === 42) ctx.log('');
    return rows;
  },
};
export default suite;
