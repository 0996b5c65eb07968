import { fc, test } from '@fast-check/vitest';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RngStreams, type RandomSource } from '../../engine/rng.js';
import { binomialAcceptance, chiSquareCritical, chiSquareStatistic } from '../../testing/stats.js';
import { formatEndpoint, parseIp, type IpAddress } from '../addr.js';
import { thresholdProbability, probabilityThreshold } from '../matches/statistic.js';
import { tableOf, type Ruleset } from '../model.js';
import { kubeProxyNamespace } from '../namespaces.js';
import { parseRestore } from '../restore.js';
import { applyRestore } from '../ruleset.js';
import { formatRuleSave } from '../save.js';
import { endpointChainName, serviceChainName } from './chainNames.js';
import { buildKubeProxyRules, clusterEndpoints, computeProbability, type KubeProxyServicePort } from './proxier.js';

const ip = (s: string): IpAddress => parseIp(s) as IpAddress;
const SAMPLE = readFileSync(new URL('../testdata/kube-proxy/clusterip-3-endpoints.rules', import.meta.url), 'utf8');
const NODE = '192.168.0.10';

const svc = (n: number, extra: Partial<KubeProxyServicePort> = {}): KubeProxyServicePort => ({
  namespace: 'ns1',
  name: 'svc1',
  clusterIP: '10.96.1.1',
  port: 80,
  endpoints: Array.from({ length: n }, (_, i) => ({ ip: `10.0.1.${i + 1}`, port: 80 })),
  ...extra,
});

/** Per chain, the canonical iptables-save form of its rules (what the kernel holds). */
function natState(rs: Ruleset, chains?: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of tableOf(rs, 'nat')?.chains ?? []) {
    if (chains && !chains.includes(c.name)) continue;
    out[c.name] = c.rules.map((r) => formatRuleSave(r));
  }
  return out;
}

function load(rules: { jumps: string; sync: string }): Ruleset {
  const rs = applyRestore(undefined, parseRestore(rules.jumps), { noflush: true });
  return applyRestore(rs, parseRestore(rules.sync), { noflush: true });
}

describe('buildKubeProxyRules()', () => {
  it('names chains as kube-proxy does (the upstream sample’s hashes)', () => {
    expect(serviceChainName('ns1/svc1', 'tcp')).toBe('KUBE-SVC-AQI2S6QIMU7PVVRP');
    expect(endpointChainName('ns1/svc1', 'tcp', '10.0.1.1:80')).toBe('KUBE-SEP-3JOIVZTXZZRGORX4');
    expect(endpointChainName('ns1/svc1', 'tcp', '10.0.1.2:80')).toBe('KUBE-SEP-IO5XOSKPAXIFQXAJ');
    expect(endpointChainName('ns1/svc1', 'tcp', '10.0.1.3:80')).toBe('KUBE-SEP-XGJFVO3L2O5SRFNT');
  });

  it('produces the upstream test’s nat rules for a ClusterIP Service with 3 endpoints', () => {
    // proxier_test.go's fake proxier: mark "0x4000", iptables without --random-fully, pod CIDR 10.0.0.0/8.
    const ours = load(
      buildKubeProxyRules([svc(3)], { clusterCIDR: '10.0.0.0/8', masqueradeMark: '0x4000', randomFully: false }),
    );
    const sample = applyRestore(undefined, parseRestore(SAMPLE, { file: 'clusterip-3-endpoints.rules' }));
    expect(natState(ours)).toEqual(natState(sample));
    // The rules read the same as written, too.
    const texts = (rs: Ruleset) =>
      tableOf(rs, 'nat')!
        .chains.flatMap((c) => c.rules.map((r) => `-A ${c.name} ${r.text}`))
        .sort();
    expect(texts(ours)).toEqual(texts(sample));
  });

  it('prints probabilities 1/(n−i) with %0.10f, the last endpoint unconditional', () => {
    expect(computeProbability(3)).toBe('0.3333333333');
    expect(computeProbability(2)).toBe('0.5000000000');
    const sync = buildKubeProxyRules([svc(4)]).sync;
    expect(sync.match(/--probability \S+/g)).toEqual([
      '--probability 0.2500000000',
      '--probability 0.3333333333',
      '--probability 0.5000000000',
    ]);
  });

  it('uses the real defaults: mark 0x00004000 and MASQUERADE --random-fully', () => {
    const sync = buildKubeProxyRules([svc(1)]).sync;
    expect(sync).toContain('-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000');
    expect(sync).toContain('-j MASQUERADE --random-fully');
  });

  it('NodePort: KUBE-NODEPORTS → KUBE-EXT (masquerade) → KUBE-SVC', () => {
    const ns = kubeProxyNamespace(
      buildKubeProxyRules([svc(1, { nodePort: 30080 })], { clusterCIDR: '10.0.0.0/8' }),
      NODE,
    );
    const o = ns.input(
      { protocol: 6, src: ip('203.0.113.9'), sport: 50000, dst: ip(NODE), dport: 30080 },
      { trace: true },
    );
    expect(o.verdict).toBe('dnat');
    expect(formatEndpoint(o.destination.ip, o.destination.port)).toBe('10.0.1.1:80');
    expect(formatEndpoint(o.source.ip, o.source.port).startsWith(`${NODE}:`)).toBe(true); // masqueraded
  });

  it('a Service without ready endpoints is REJECTed in filter; terminating-but-serving ones are the fallback', () => {
    const none = kubeProxyNamespace(buildKubeProxyRules([svc(0)]), NODE);
    const o = none.input(
      { protocol: 6, src: ip('10.0.2.5'), sport: 50000, dst: ip('10.96.1.1'), dport: 80 },
      { trace: true },
    );
    expect(o.verdict).toBe('drop');
    expect(o.hops.at(-1)?.verdict).toBe('REJECT with icmp-port-unreachable');
    expect(
      clusterEndpoints([{ ip: '10.0.1.1', port: 80, ready: false, serving: true, terminating: true }]),
    ).toHaveLength(1);
    expect(
      clusterEndpoints([
        { ip: '10.0.1.1', port: 80, ready: false },
        { ip: '10.0.1.2', port: 80 },
      ]).map((e) => e.ip),
    ).toEqual(['10.0.1.2']);
  });

  it('orders endpoints by their "ip:port" strings, as the endpoint slice cache does (byEndpoint)', () => {
    // Byte order: "10.0.1.10:80" < "10.0.1.1:80" because '0' (0x30) < ':' (0x3a).
    const eps = clusterEndpoints([10, 2, 1].map((i) => ({ ip: `10.0.1.${i}`, port: 80 })));
    expect(eps.map((e) => e.ip)).toEqual(['10.0.1.10', '10.0.1.1', '10.0.1.2']);
  });

  it('the kernel’s effective split is 1/n to within 1e-9 for n ≤ 64', () => {
    for (let n = 1; n <= 64; n++) {
      for (const p of exactSplit(n)) expect(Math.abs(p - 1 / n)).toBeLessThan(1e-9);
    }
  });
});

/** Exact per-endpoint probabilities the kernel applies: 31-bit thresholds of the printed probabilities, chained. */
function exactSplit(n: number): number[] {
  const out: number[] = [];
  let rest = 1;
  for (let i = 0; i < n - 1; i++) {
    const p = thresholdProbability(probabilityThreshold(Number(computeProbability(n - i))));
    out.push(rest * p);
    rest *= 1 - p;
  }
  out.push(rest);
  return out;
}

function counting(r: RandomSource): RandomSource & { draws: number } {
  const c = { draws: 0, random: () => (c.draws++, r.random()) };
  return c;
}

describe('kube-proxy endpoint choice in the simulated kernel', () => {
  // alpha per run 1e-4 (Bonferroni over the n endpoints); fast-check's seed is pinned, so this never flakes.
  test.prop([fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 2 ** 31 - 1 })], { numRuns: 25 })(
    'connections to a ClusterIP split 1/n per endpoint within exact binomial bounds',
    (n, seed) => {
      const rng = new RngStreams(seed).stream('kube-proxy');
      const ns = kubeProxyNamespace(buildKubeProxyRules([svc(n)], { clusterCIDR: '10.0.0.0/8' }), NODE, {
        random: rng,
      });
      const N = 1500 * n;
      const counts = new Map<string, number>();
      for (let k = 0; k < N; k++) {
        const o = ns.input(
          { protocol: 6, src: ip('10.0.2.5'), sport: 1024 + k, dst: ip('10.96.1.1'), dport: 80 },
          { track: false },
        );
        const d = formatEndpoint(o.destination.ip, o.destination.port);
        counts.set(d, (counts.get(d) ?? 0) + 1);
      }
      const probs = exactSplit(n);
      const observed = probs.map((_, i) => counts.get(`10.0.1.${i + 1}:80`) ?? 0);
      expect(observed.reduce((a, b) => a + b, 0)).toBe(N);
      probs.forEach((p, i) => {
        const { lower, upper } = binomialAcceptance(N, p, 1e-4 / n);
        expect(observed[i]).toBeGreaterThanOrEqual(lower);
        expect(observed[i]).toBeLessThanOrEqual(upper);
      });
      if (n > 1) expect(chiSquareStatistic(observed, probs)).toBeLessThan(chiSquareCritical(n, 1e-4));
    },
  );

  test.prop([
    fc.integer({ min: 2, max: 6 }),
    fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 200 }),
    fc.integer({ min: 0, max: 1e9 }),
  ])('a connection keeps its endpoint: later packets follow conntrack without drawing again', (n, ports, seed) => {
    const rng = counting(new RngStreams(seed).stream('kube-proxy'));
    const ns = kubeProxyNamespace(buildKubeProxyRules([svc(n)], { clusterCIDR: '10.0.0.0/8' }), NODE, { random: rng });
    const chosen = new Map<number, string>();
    for (const port of ports) {
      const before = rng.draws;
      const o = ns.input({ protocol: 6, src: ip('10.0.2.5'), sport: 30000 + port, dst: ip('10.96.1.1'), dport: 80 });
      const d = formatEndpoint(o.destination.ip, o.destination.port);
      const first = chosen.get(port);
      if (first === undefined) {
        chosen.set(port, d);
        expect(o.conntrack).toBe('new');
      } else {
        expect(d).toBe(first);
        expect(o.conntrack).toBe('established');
        expect(rng.draws).toBe(before);
      }
    }
    expect(ns.conntrack.size).toBe(chosen.size);
  });

  it('replies from the endpoint come back from the Service address', () => {
    const ns = kubeProxyNamespace(buildKubeProxyRules([svc(3)], { clusterCIDR: '10.0.0.0/8' }), NODE);
    const o = ns.input({ protocol: 6, src: ip('10.0.2.5'), sport: 45000, dst: ip('10.96.1.1'), dport: 80 });
    const back = ns.input({
      protocol: 6,
      src: o.destination.ip,
      sport: o.destination.port,
      dst: ip('10.0.2.5'),
      dport: 45000,
    });
    expect(back.conntrack).toBe('reply');
    expect(formatEndpoint(back.source.ip, back.source.port)).toBe('10.96.1.1:80');
  });

  it('traffic from outside the pod CIDR is masqueraded to the node address; pod traffic keeps its source', () => {
    const ns = kubeProxyNamespace(buildKubeProxyRules([svc(1)], { clusterCIDR: '10.0.0.0/8' }), NODE);
    const fromPod = ns.input(
      { protocol: 6, src: ip('10.0.2.5'), sport: 45000, dst: ip('10.96.1.1'), dport: 80 },
      { track: false },
    );
    expect(formatEndpoint(fromPod.source.ip, fromPod.source.port)).toBe('10.0.2.5:45000');
    const fromHost = ns.output(
      { protocol: 6, dst: ip('10.96.1.1'), dport: 80, owner: { uid: 0, gid: 0 } },
      { track: false },
    );
    expect(fromHost.verdict).toBe('dnat');
    expect(fromHost.source.ip).toEqual(ip(NODE));
  });
});
