import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../engine/simulation.js';
import { ms, s } from '../../engine/time.js';
import { ConfigError } from '../../errors.js';
import { binomialAcceptance, binomialInterval } from '../../testing/stats.js';
import { classifyHop, HOP_CLASSES, type NetworkEndpoint } from './hop.js';
import { Network, TRANSIT_TIMEOUT_AFTER } from './network.js';
import { DEFAULT_LINKS } from './networkSpec.js';
import { ProxyLatency } from './proxyLatency.js';
import { retransmitOffset, TCP } from './tcp.js';

const pod = (name: string, node: string): NetworkEndpoint => ({ kind: 'pod', pod: `default/${name}`, node });
const A = pod('productpage-0', 'node-1');
const B = pod('reviews-0', 'node-2');
const fixed = (us: number) => ({ latency: { kind: 'constant' as const, value: us } });

describe('classifyHop()', () => {
  it.each<[NetworkEndpoint, NetworkEndpoint, string]>([
    [A, A, 'loopback'],
    [A, pod('details-0', 'node-1'), 'sameNode'],
    [A, B, 'crossNode'],
    [A, { kind: 'vm', name: 'mysql-vm', node: 'mysql-vm' }, 'vm'],
    [{ kind: 'vm', name: 'v', node: 'v' }, { kind: 'vm', name: 'v', node: 'v' }, 'loopback'],
    [{ kind: 'external', name: 'client', node: 'client' }, A, 'external'],
  ])('%o → %o is %s', (a, b, cls) => {
    expect(classifyHop(a, b)).toBe(cls);
  });

  const endpoint = fc.oneof(
    fc.record({
      kind: fc.constant('pod' as const),
      pod: fc.constantFrom('a', 'b', 'c'),
      node: fc.constantFrom('n1', 'n2'),
    }),
    fc.record({
      kind: fc.constant('vm' as const),
      name: fc.constantFrom('v1', 'v2'),
      node: fc.constantFrom('v1', 'v2'),
    }),
    fc.record({ kind: fc.constant('external' as const), name: fc.constantFrom('x'), node: fc.constant('x') }),
  );
  test.prop([endpoint, endpoint])('is symmetric', (a, b) => {
    expect(classifyHop(a, b)).toBe(classifyHop(b, a));
  });
});

describe('tcp timers', () => {
  it('a connect gives up after 127 s (tcp_syn_retries = 6); data after 924.6 s (tcp_retries2 = 15, ip-sysctl docs)', () => {
    expect(retransmitOffset(TCP.synRetries + 1, TCP.timeoutInit)).toBe(s(127));
    expect(retransmitOffset(TCP.retries2 + 1, TCP.rtoMin)).toBe(ms(924_600));
  });
});

describe('Network', () => {
  it('defaults: every hop class has a latency; override replaces only the given class', () => {
    const sim = new Simulation();
    const net = new Network(sim, { links: { crossNode: fixed(123) } });
    expect(net.latency('crossNode')).toBe(123);
    for (const cls of HOP_CLASSES) expect(DEFAULT_LINKS[cls].latency.kind).toBe('lognormal');
    const lat = Array.from({ length: 2001 }, () => net.latency('sameNode')).sort((x, y) => x - y);
    expect(lat[1000]).toBeGreaterThan(20); // median ≈ 35 µs
    expect(lat[1000]).toBeLessThan(50);
  });

  it('connect without loss: established after SYN + SYN-ACK, no retransmission', () => {
    const net = new Network(new Simulation(), { links: { crossNode: fixed(100) } });
    expect(net.connect(A, B, s(10))).toEqual({ kind: 'established', after: 200, synRetransmits: 0 });
  });

  it('connect with loss: the first handshake succeeds with probability (1 − p)² (exact binomial, alpha = 1e-4)', () => {
    const p = 0.1;
    const net = new Network(new Simulation({ seed: 'loss' }), { links: { crossNode: { ...fixed(100), loss: p } } });
    const n = 5000;
    let first = 0;
    for (let i = 0; i < n; i++) {
      const c = net.connect(A, B, s(10));
      if (c.kind === 'established') {
        expect(c.after).toBe(retransmitOffset(c.synRetransmits, s(1)) + 200); // 1 s, 3 s, 7 s …
        if (c.synRetransmits === 0) first++;
      }
    }
    const { lower, upper } = binomialAcceptance(n, (1 - p) ** 2, 1e-4);
    expect(first).toBeGreaterThanOrEqual(lower);
    expect(first).toBeLessThanOrEqual(upper);
  });

  it('a partition: connects retry into the heal or time out at the connect timeout; messages retransmit into the heal', () => {
    const sim = new Simulation();
    const net = new Network(sim, {
      links: { crossNode: fixed(100) },
      partitions: [{ from: 0, until: ms(2500), nodes: ['node-1'] }],
    });
    // SYNs at 0, 1 s, 3 s: the third one gets through.
    expect(net.connect(A, B, s(10))).toEqual({ kind: 'established', after: s(3) + 200, synRetransmits: 2 });
    expect(net.connect(A, B, s(2))).toEqual({ kind: 'timeout', after: s(2), reason: 'connectTimeout' });
    // Data: 0, 0.2, 0.6, 1.4, 3.0 s — the fifth transmission is the first after the heal.
    expect(net.transit(A, B)).toEqual({ kind: 'delivered', after: ms(3000) + 100, retransmits: 4 });
    // Same-node traffic is not cut.
    expect(net.transit(A, pod('details-0', 'node-1')).kind).toBe('delivered');
    expect(net.partitioned('node-2', 'node-1', 0)).toBe(true);
    expect(net.partitioned('node-2', 'node-3', 0)).toBe(false);
  });

  it('a partition that never heals: the kernel gives up (127 s connect, 924.6 s data)', () => {
    const sim = new Simulation();
    const net = new Network(sim, { partitions: [{ from: 0, nodes: ['node-1'], peers: ['node-2'] }] });
    expect(net.connect(A, B)).toEqual({ kind: 'timeout', after: s(127), reason: 'synRetriesExhausted' });
    expect(net.transit(A, B)).toEqual({ kind: 'timedOut', after: ms(924_600) });
  });

  it('partitions added during the run apply from their start time', () => {
    const sim = new Simulation();
    const net = new Network(sim, { links: { crossNode: fixed(50) } });
    net.addPartition({ from: s(1), until: s(2), nodes: ['node-2'] });
    expect(net.connect(A, B, s(10)).kind).toBe('established');
    sim.run({ until: s(1) });
    expect(net.connect(A, B, s(10))).toEqual({ kind: 'established', after: s(1) + 100, synRetransmits: 1 });
  });

  it('heal(node, at) ends the partitions that cut the node off at that time', () => {
    const sim = new Simulation();
    const net = new Network(sim, { links: { crossNode: fixed(50) } });
    net.addPartition({ from: 0, nodes: ['node-2'] });
    net.addPartition({ from: 0, nodes: ['node-9'] });
    expect(net.partitioned('node-1', 'node-2', s(5))).toBe(true);
    net.heal('node-2', s(3));
    expect(net.partitioned('node-1', 'node-2', s(2))).toBe(true);
    expect(net.partitioned('node-1', 'node-2', s(3))).toBe(false);
    expect(net.partitioned('node-1', 'node-9', s(5))).toBe(true);
  });

  test.prop([fc.double({ min: 0, max: 0.3, noNaN: true })], { numRuns: 10 })(
    'resets happen with their probability per exchange (exact binomial, alpha = 1e-4)',
    (p) => {
      const net = new Network(new Simulation({ seed: `reset/${p}` }), {
        links: { crossNode: { resetProbability: p } },
      });
      const n = 4000;
      let resets = 0;
      for (let i = 0; i < n; i++) if (net.resetDuringExchange(A, B)) resets++;
      const { lower, upper } = binomialAcceptance(n, p, 1e-4);
      expect(resets).toBeGreaterThanOrEqual(lower);
      expect(resets).toBeLessThanOrEqual(upper);
    },
  );

  test.prop(
    [
      fc.double({ min: 0, max: 0.5, noNaN: true }),
      fc.constantFrom<'none' | 'heals' | 'never'>('none', 'heals', 'never'),
      fc.constantFrom<'constant' | 'lognormal'>('constant', 'lognormal'),
      fc.array(fc.constantFrom(0, 1, 2), { minLength: 1, maxLength: 40 }),
    ],
    { numRuns: 40 },
  )(
    'transitDelay() is transit() without the object: same delays, same draws, −1 exactly when it times out',
    (loss, partition, kind, hops) => {
      const spec = {
        links: {
          crossNode: {
            latency: kind === 'constant' ? { kind, value: 100 } : { kind, median: 100, p99: 400 },
            jitter: { kind: 'exponential' as const, mean: 20 },
            loss,
          },
        },
        ...(partition === 'heals' ? { partitions: [{ from: 0, until: ms(700), nodes: ['node-1'] }] } : {}),
        ...(partition === 'never' ? { partitions: [{ from: 0, nodes: ['node-1'] }] } : {}),
      };
      const a = new Network(new Simulation({ seed: 'transit' }), spec as never);
      const b = new Network(new Simulation({ seed: 'transit' }), spec as never);
      const ends: [NetworkEndpoint, NetworkEndpoint][] = [
        [A, B],
        [B, A],
        [A, pod('details-0', 'node-1')],
      ];
      for (const h of hops) {
        const [from, to] = ends[h] as [NetworkEndpoint, NetworkEndpoint];
        const t = a.transit(from, to);
        expect(b.transitDelay(from, to)).toBe(t.kind === 'delivered' ? t.after : -1);
        if (t.kind === 'timedOut') expect(t.after).toBe(TRANSIT_TIMEOUT_AFTER);
      }
    },
  );

  it('refuse(): an RST after one round trip', () => {
    const net = new Network(new Simulation(), { links: { crossNode: fixed(80) } });
    expect(net.refuse(A, B)).toEqual({ kind: 'refused', after: 160 });
  });

  it.each([
    [{ links: { lan: fixed(1) } }, /links\.lan/],
    [{ links: { crossNode: { loss: 1 } } }, /links\.crossNode\.loss/],
    [{ partitions: [{ from: 5, until: 5, nodes: ['a'] }] }, /partitions\[0\]\.until/],
    [{ partitions: [{ from: 0, nodes: [] }] }, /partitions\[0\]\.nodes/],
  ])('rejects %o with a ConfigError at the field', (spec, field) => {
    expect(() => new Network(new Simulation(), spec as never)).toThrow(ConfigError);
    expect(() => new Network(new Simulation(), spec as never)).toThrow(field);
  });
});

describe('ProxyLatency default', () => {
  it("reproduces Istio's published two-sidecar overhead: 1.72 ms at p90, 1.91 ms at p99 (Clopper–Pearson, alpha = 1e-4)", () => {
    const sim = new Simulation({ seed: 'istio-perf' });
    const client = new ProxyLatency(sim, 'default/fortio-0');
    const server = new ProxyLatency(sim, 'default/echo-0');
    const n = 20_000;
    let under172 = 0;
    let under191 = 0;
    for (let i = 0; i < n; i++) {
      const sum = client.request() + server.request() + server.response() + client.response();
      if (sum <= 1720) under172++;
      if (sum <= 1910) under191++;
    }
    // The measured p90/p99 must fall near our p90/p99: P(sum ≤ 1.72 ms) ∈ [0.85, 0.95], P(sum ≤ 1.91 ms) ∈ [0.97, 0.999].
    const i90 = binomialInterval(under172, n, 1e-4);
    const i99 = binomialInterval(under191, n, 1e-4);
    expect(i90.lower).toBeGreaterThan(0.85);
    expect(i90.upper).toBeLessThan(0.95);
    expect(i99.lower).toBeGreaterThan(0.97);
    expect(i99.upper).toBeLessThan(0.999);
  });
});
