// MAGLEV, checked against Envoy's test/extensions/load_balancing_policies/maglev/maglev_lb_test.cc
// (MaglevLoadBalancerTest.Basic, BasicWithHostName, BasicWithRetryHostPredicate, BasicStability,
// Weighted, NoPrimeNumber): the expected tables there come from xxHash64 offsets and skips.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { Host } from '../upstream/host.js';
import { MaglevLoadBalancer } from './maglev.js';
import { constantRandom, hostsOnPorts, prioritySetOf } from './testHosts.js';

const ctx = (hash: bigint, retries = 0, reject: (h: Host) => boolean = () => false) => ({
  computeHashKey: () => hash,
  hostSelectionRetryCount: () => retries,
  shouldSelectAnotherHost: reject,
});

const expectTable = (lb: MaglevLoadBalancer, hosts: readonly Host[], expected: readonly number[]): void => {
  for (let i = 0; i < 3 * expected.length; i++) {
    expect(lb.chooseHost(ctx(BigInt(i)))).toBe(hosts[expected[i % expected.length] as number]);
  }
};

describe('MaglevLoadBalancer', () => {
  it('fills the table of Envoy Basic (table size 7)', () => {
    const hosts = hostsOnPorts(6, { firstPort: 90 });
    const lb = new MaglevLoadBalancer({
      prioritySet: prioritySetOf(hosts),
      random: constantRandom(0),
      config: { tableSize: 7 },
    });
    expect(lb.table(0)!.stats).toEqual({ min_entries_per_host: 1, max_entries_per_host: 2 });
    expectTable(lb, hosts, [2, 4, 0, 1, 5, 0, 3]);
  });

  it('places hosts by hostname with use_hostname_for_hashing (BasicWithHostName)', () => {
    const hosts = [90, 91, 92, 93, 94, 95].map((p) => new Host({ address: '127.0.0.1', port: p, hostname: `${p}` }));
    const lb = new MaglevLoadBalancer({
      prioritySet: prioritySetOf(hosts),
      random: constantRandom(0),
      useHostnameForHashing: true,
      config: { tableSize: 7 },
    });
    expectTable(lb, hosts, [2, 5, 0, 3, 4, 1, 0]);
  });

  it('flips the hash on host-selection retries (BasicWithRetryHostPredicate)', () => {
    const hosts = hostsOnPorts(6, { firstPort: 90 });
    const lb = new MaglevLoadBalancer({
      prioritySet: prioritySetOf(hosts),
      random: constantRandom(0),
      config: { tableSize: 7 },
    });
    expect(lb.chooseHost(ctx(10n))).toBe(hosts[1]);
    expect(lb.chooseHost(ctx(10n, 2))).toBe(hosts[1]);
    expect(lb.chooseHost(ctx(10n, 2, (h) => h === hosts[1]))).toBe(hosts[0]);
    expect(lb.chooseHost(ctx(10n, 2, () => true))).toBe(hosts[5]);
  });

  it('does not depend on the order of the host list (BasicStability)', () => {
    const hosts = hostsOnPorts(6, { firstPort: 90 });
    const shuffled = [hosts[3], hosts[0], hosts[5], hosts[1], hosts[4], hosts[2]] as Host[];
    const lb = new MaglevLoadBalancer({
      prioritySet: prioritySetOf(shuffled),
      random: constantRandom(0),
      config: { tableSize: 7 },
    });
    expectTable(lb, hosts, [2, 4, 0, 1, 5, 0, 3]);
  });

  it('gives hosts slots in proportion to weight (Weighted, table size 17)', () => {
    const hosts = hostsOnPorts(2, { firstPort: 90, weights: [1, 2] });
    const lb = new MaglevLoadBalancer({
      prioritySet: prioritySetOf(hosts),
      random: constantRandom(0),
      config: { tableSize: 17 },
    });
    expect(lb.table(0)!.stats).toEqual({ min_entries_per_host: 6, max_entries_per_host: 11 });
    expectTable(lb, hosts, [1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1]);
  });

  it('rejects a table size that is not prime (NoPrimeNumber)', () => {
    expect(
      () =>
        new MaglevLoadBalancer({ prioritySet: prioritySetOf([]), random: constantRandom(0), config: { tableSize: 8 } }),
    ).toThrow(ConfigError);
  });

  it('defaults to 65537 slots, every slot filled', () => {
    const hosts = hostsOnPorts(3);
    const lb = new MaglevLoadBalancer({ prioritySet: prioritySetOf(hosts), random: constantRandom(0) });
    const t = lb.table(0)!;
    expect(t.tableSize).toBe(65537);
    expect(t.table.filter((h) => h !== undefined)).toHaveLength(65537);
  });
});
