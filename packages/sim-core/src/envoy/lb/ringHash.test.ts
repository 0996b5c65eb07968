// RING_HASH, checked against Envoy's test/extensions/load_balancing_policies/ring_hash/ring_hash_lb_test.cc
// (RingHashLoadBalancerTest.Basic, BasicWithMurmur2, BasicWithHostname, BasicWithRetryHostPredicate,
// RingHashFailoverTest.BasicFailover): the ring positions printed there are xxHash64/MurmurHash2 values.
import { describe, expect, it } from 'vitest';
import { fixedRandom, RandomStream } from '../../engine/rng.js';
import { chiSquareCritical, chiSquareStatistic } from '../../testing/stats.js';
import { ConfigError } from '../../errors.js';
import { Host } from '../upstream/host.js';
import { murmurHash2, xxHash64 } from './hash.js';
import { RingHashLoadBalancer } from './ringHash.js';
import { stretchTo64 } from './threadAwareLb.js';
import { constantRandom, hostsOnPorts, markUnhealthy, prioritySetOf, refreshPriority } from './testHosts.js';

const ctx = (hash: bigint, retries = 0, reject: (h: Host) => boolean = () => false) => ({
  computeHashKey: () => hash,
  hostSelectionRetryCount: () => retries,
  shouldSelectAnotherHost: reject,
});

describe('xxHash64 / murmurHash2', () => {
  it('give the ring positions of Envoy ring_hash_lb_test Basic and BasicWithMurmur2', () => {
    expect(xxHash64('127.0.0.1:94_1')).toBe(833437586790550860n);
    expect(xxHash64('127.0.0.1:90_0')).toBe(16117243373044804889n);
    expect(xxHash64('')).toBe(0xef46db3751d8e999n); // XXH64 of the empty string
    expect(murmurHash2('127.0.0.1:85_0')).toBe(1358027074129602068n);
    expect(murmurHash2('127.0.0.1:80_0')).toBe(17613279263364193813n);
  });

  it('hashes inputs of 32 bytes and more (the 4-lane path)', () => {
    // XXH64("Nobody inspects the spammish repetition") from the xxHash reference suite.
    expect(xxHash64('Nobody inspects the spammish repetition').toString(16)).toBe('fbcea83c8a378bf1');
  });
});

describe('RingHashLoadBalancer', () => {
  it('builds the ring of Envoy Basic and looks hashes up on it (Basic)', () => {
    const hosts = hostsOnPorts(6, { firstPort: 90 });
    const ps = prioritySetOf(hosts);
    const lb = new RingHashLoadBalancer({
      prioritySet: ps,
      random: constantRandom(0),
      config: { minimumRingSize: 12 },
    });
    const ring = lb.ring(0)!;
    expect(ring.stats).toEqual({ size: 12, min_hashes_per_host: 2, max_hashes_per_host: 2 });
    expect([...ring.hashes]).toEqual([
      833437586790550860n,
      928266305478181108n,
      1033482794131418490n,
      3551244743356806947n,
      3851675632748031481n,
      5583722120771150861n,
      6311230543546372928n,
      7700377290971790572n,
      13144177310400110813n,
      13444792449719432967n,
      15516499411664133160n,
      16117243373044804889n,
    ]);
    expect(lb.chooseHost(ctx(0n))).toBe(hosts[4]);
    expect(lb.chooseHost(ctx((1n << 64n) - 1n))).toBe(hosts[4]);
    expect(lb.chooseHost(ctx(3551244743356806947n))).toBe(hosts[5]);
    expect(lb.chooseHost(ctx(3551244743356806948n))).toBe(hosts[3]);
    expect(lb.chooseHost()).toBe(hosts[4]); // no hash: random() 0 is ring position 0
    expect(lb.stats.lb_healthy_panic).toBe(0);
    // All hosts unhealthy: panic, the ring is built from all hosts.
    markUnhealthy(...hosts);
    refreshPriority(ps);
    expect(lb.chooseHost(ctx(0n))).toBe(hosts[4]);
    expect(lb.stats.lb_healthy_panic).toBe(1);
  });

  it('uses MurmurHash2 when configured (BasicWithMurmur2)', () => {
    const hosts = hostsOnPorts(6, { firstPort: 80 });
    const lb = new RingHashLoadBalancer({
      prioritySet: prioritySetOf(hosts),
      random: constantRandom(0),
      config: { minimumRingSize: 12, hashFunction: 'MURMUR_HASH_2' },
    });
    expect(lb.ring(0)!.hashes[0]).toBe(1358027074129602068n);
    expect(lb.chooseHost(ctx(0n))).toBe(hosts[5]);
    expect(lb.chooseHost(ctx((1n << 64n) - 1n))).toBe(hosts[5]);
    expect(lb.chooseHost(ctx(1358027074129602068n))).toBe(hosts[5]);
    expect(lb.chooseHost(ctx(1358027074129602069n))).toBe(hosts[3]);
  });

  it('places hosts by hostname with use_hostname_for_hashing (BasicWithHostname)', () => {
    const hosts = [90, 91, 92, 93, 94, 95].map((p) => new Host({ address: '127.0.0.1', port: p, hostname: `${p}` }));
    const lb = new RingHashLoadBalancer({
      prioritySet: prioritySetOf(hosts),
      random: constantRandom(0),
      useHostnameForHashing: true,
      config: { minimumRingSize: 12 },
    });
    expect(lb.ring(0)!.hashes[0]).toBe(1975508444536362413n);
    expect(lb.chooseHost(ctx(0n))).toBe(hosts[5]);
    expect(lb.chooseHost(ctx(7225015537174310577n))).toBe(hosts[2]);
    expect(lb.chooseHost(ctx(6803900775736438537n))).toBe(hosts[3]);
    expect(lb.chooseHost()).toBe(hosts[5]); // random() 0
  });

  it('steps along the ring on host-selection retries (BasicWithRetryHostPredicate)', () => {
    const hosts = hostsOnPorts(6, { firstPort: 90 });
    const lb = new RingHashLoadBalancer({
      prioritySet: prioritySetOf(hosts),
      random: constantRandom(0),
      config: { minimumRingSize: 12 },
    });
    expect(lb.chooseHost(ctx(0n, 2))).toBe(hosts[4]);
    expect(lb.chooseHost(ctx(0n, 2, (h) => h === hosts[4]))).toBe(hosts[2]);
    expect(lb.chooseHost(ctx(0n, 2, () => true))).toBe(hosts[0]);
  });

  it('uses the hash (or random()) for the priority too (RingHashFailoverTest.BasicFailover)', () => {
    const p0 = hostsOnPorts(2, { firstPort: 80 });
    markUnhealthy(p0[1] as Host);
    const p1 = hostsOnPorts(1, { firstPort: 82, priority: 1 });
    const lb = new RingHashLoadBalancer({
      prioritySet: prioritySetOf(p0, p1),
      random: fixedRandom([69, 71]),
      config: { minimumRingSize: 12 },
    });
    expect(lb.chooseHost()).toBe(p0[0]);
    expect(lb.chooseHost()).toBe(p1[0]);
  });

  it('rejects minimum_ring_size > maximum_ring_size (BadRingSizeBounds)', () => {
    expect(
      () =>
        new RingHashLoadBalancer({
          prioritySet: prioritySetOf([]),
          random: constantRandom(0),
          config: { minimumRingSize: 20, maximumRingSize: 10 },
        }),
    ).toThrow(
      new ConfigError('ring hash: minimum_ring_size (20) > maximum_ring_size (10)', {
        field: 'ringHashLbConfig.minimumRingSize',
      }),
    );
  });

  it('without a hash key, random() picks spread over the whole ring (exact chi-square, alpha 0.001)', () => {
    const hosts = hostsOnPorts(6, { firstPort: 90 });
    const lb = new RingHashLoadBalancer({
      prioritySet: prioritySetOf(hosts),
      random: new RandomStream('ring-hash', 'no-key'),
      config: { minimumRingSize: 12 },
    });
    // Each host's share of [0, 2^64) is the arc ending at its ring entries.
    const ring = lb.ring(0)!;
    const share = new Array<number>(6).fill(0);
    const two64 = 2 ** 64;
    ring.hosts.forEach((h, i) => {
      const prev = i === 0 ? Number(ring.hashes[ring.hashes.length - 1]) - two64 : Number(ring.hashes[i - 1]);
      const k = hosts.indexOf(h);
      share[k] = (share[k] ?? 0) + (Number(ring.hashes[i]) - prev) / two64;
    });
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 20_000; i++) counts[hosts.indexOf(lb.chooseHost() as Host)]!++;
    expect(chiSquareStatistic(counts, share)).toBeLessThan(chiSquareCritical(6, 0.001));
  });

  it('stretchTo64(r) keeps r mod 100 and stays below 2^64', () => {
    for (const r of [0, 1, 69, 71, 99, 2 ** 53 - 1, 123456789012345]) {
      const h = stretchTo64(r);
      expect(Number(h % 100n)).toBe(r % 100);
      expect(h < 1n << 64n).toBe(true);
    }
  });

  it('gives weight-2 hosts twice the ring entries (scale = ⌈⅓·1024⌉ / ⅓ = 1026)', () => {
    const hosts = hostsOnPorts(2, { weights: [1, 2] });
    const lb = new RingHashLoadBalancer({ prioritySet: prioritySetOf(hosts), random: constantRandom(0) });
    const ring = lb.ring(0)!;
    const onHost1 = ring.hosts.filter((h) => h === hosts[1]).length;
    expect(ring.stats).toEqual({ size: 1026, min_hashes_per_host: 342, max_hashes_per_host: 684 });
    expect(onHost1).toBe(684);
  });
});
