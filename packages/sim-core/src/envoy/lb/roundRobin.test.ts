// ROUND_ROBIN, checked against the expectations of Envoy's own unit tests
// (test/extensions/load_balancing_policies/round_robin/round_robin_lb_test.cc, RoundRobinLoadBalancerTest.*),
// with their mocked random values replayed through fixedRandom/constantRandom.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { fixedRandom } from '../../engine/rng.js';
import { Host } from '../upstream/host.js';
import { RoundRobinLoadBalancer } from './roundRobin.js';
import { constantRandom, hostsOnPorts, markUnhealthy, prioritySetOf, refreshPriority } from './testHosts.js';

describe('RoundRobinLoadBalancer', () => {
  it('chooseHost() with no hosts returns null (NoHosts)', () => {
    const lb = new RoundRobinLoadBalancer({ prioritySet: prioritySetOf([]), random: constantRandom(0) });
    expect(lb.chooseHost()).toBeNull();
  });

  it('peeks and picks in order, and keeps the index across host changes (Normal)', () => {
    const hosts = hostsOnPorts(2);
    const ps = prioritySetOf(hosts);
    const lb = new RoundRobinLoadBalancer({ prioritySet: ps, random: constantRandom(0) });
    expect(lb.peekAnotherHost()).toBe(hosts[0]);
    expect(lb.peekAnotherHost()).toBe(hosts[1]);
    expect(lb.chooseHost()).toBe(hosts[0]);
    expect(lb.chooseHost()).toBe(hosts[1]);
    expect(lb.chooseHost()).toBe(hosts[0]);
    // If picks get ahead of peeks, peeks resume at the next pick.
    expect(lb.peekAnotherHost()).toBe(hosts[1]);
    expect(lb.chooseHost()).toBe(hosts[1]);
    expect(lb.chooseHost()).toBe(hosts[0]);

    // A third host: the index (5) carries over, so the next pick is 5 % 3 = 2.
    const third = new Host({ address: '127.0.0.1', port: 82 });
    hosts.push(third);
    ps.updateHosts(0, { hosts }, [third], [], 0);
    const peekThenPick = (picks: number[]): void => {
      for (const i of picks) expect(lb.peekAnotherHost()).toBe(hosts[i]);
      for (const i of picks) expect(lb.chooseHost()).toBe(hosts[i]);
    };
    peekThenPick([2, 0, 1]);
    peekThenPick([2]);

    // Peek ahead, change the host set: the peek-ahead is discarded, the index is not.
    expect(lb.peekAnotherHost()).toBe(hosts[0]);
    expect(lb.peekAnotherHost()).toBe(hosts[1]);
    const fourth = new Host({ address: '127.0.0.1', port: 83 });
    hosts.push(fourth);
    ps.updateHosts(0, { hosts }, [fourth], [], 0);
    expect(lb.chooseHost()).toBe(hosts[1]);
    peekThenPick([2, 3]);
  });

  it('starts at the random seed (Seed)', () => {
    const hosts = hostsOnPorts(3);
    const lb = new RoundRobinLoadBalancer({ prioritySet: prioritySetOf(hosts), random: constantRandom(1) });
    expect([lb.chooseHost(), lb.chooseHost(), lb.chooseHost(), lb.chooseHost()]).toEqual([
      hosts[1],
      hosts[2],
      hosts[0],
      hosts[1],
    ]);
  });

  it('draws one random() at construction and one per pick', () => {
    const hosts = hostsOnPorts(3);
    const random = fixedRandom([7, 0, 0, 0]);
    const lb = new RoundRobinLoadBalancer({ prioritySet: prioritySetOf(hosts), random });
    expect(random.drawn).toBe(1);
    // seed 7: indexes 7, 8, 9 → hosts 1, 2, 0.
    expect([lb.chooseHost(), lb.chooseHost(), lb.chooseHost()]).toEqual([hosts[1], hosts[2], hosts[0]]);
    expect(random.drawn).toBe(4);
  });

  it('follows the weights, converges after a weight change, rebuilds on membership change (Weighted)', () => {
    const hosts = hostsOnPorts(2, { weights: [1, 2] });
    const ps = prioritySetOf(hosts);
    const lb = new RoundRobinLoadBalancer({ prioritySet: ps, random: constantRandom(0) });
    const picks = (n: number): (number | undefined)[] =>
      Array.from({ length: n }, () => {
        const h = lb.chooseHost();
        return h === null ? undefined : hosts.indexOf(h);
      });
    expect(picks(6)).toEqual([1, 0, 1, 1, 0, 1]);
    // New weights take effect as each host is re-inserted: converged after one cycle.
    (hosts[0] as Host).weight = 2;
    (hosts[1] as Host).weight = 1;
    expect(picks(8)).toEqual([1, 0, 0, 1, 0, 0, 1, 0]);
    // A third host (weight 3) joins the next schedule.
    const third = new Host({ address: '127.0.0.1', port: 82, weight: 3 });
    hosts.push(third);
    ps.updateHosts(0, { hosts }, [third], [], 0);
    expect(picks(12)).toEqual([2, 0, 2, 1, 0, 2, 2, 0, 2, 1, 0, 2]);
    // Remove the last two, add one of weight 4, set host 0 back to weight 1.
    const removed = hosts.splice(1, 2);
    const fourth = new Host({ address: '127.0.0.1', port: 83, weight: 4 });
    hosts.push(fourth);
    (hosts[0] as Host).weight = 1;
    ps.updateHosts(0, { hosts }, [fourth], removed, 0);
    expect(picks(10)).toEqual([1, 1, 1, 0, 1, 1, 1, 1, 0, 1]);
  });

  it('starts the weighted schedule at the seed (WeightedSeed)', () => {
    const hosts = hostsOnPorts(2, { weights: [1, 2] });
    const lb = new RoundRobinLoadBalancer({ prioritySet: prioritySetOf(hosts), random: constantRandom(1) });
    const seq = Array.from({ length: 6 }, () => hosts.indexOf(lb.chooseHost() as Host));
    expect(seq).toEqual([0, 1, 1, 0, 1, 1]);
  });

  it('gives every weighted host its share of starting points (WeightedInitializationPicksAllHosts)', () => {
    const hosts = hostsOnPorts(3, { weights: [6, 3, 1] });
    const ps = prioritySetOf(hosts);
    const counts = [0, 0, 0];
    for (let i = 0; i < 10; i++) {
      const random = fixedRandom([i, i]);
      const lb = new RoundRobinLoadBalancer({ prioritySet: ps, random });
      counts[hosts.indexOf(lb.chooseHost() as Host)]!++;
      expect(random.drawn).toBe(2);
      lb.dispose();
    }
    expect(counts).toEqual([6, 3, 1]);
  });

  it('balances over all hosts below 50 % healthy and counts lb_healthy_panic (MaxUnhealthyPanic)', () => {
    const hosts = hostsOnPorts(6);
    markUnhealthy(...hosts.slice(2));
    const ps = prioritySetOf(hosts);
    const lb = new RoundRobinLoadBalancer({ prioritySet: ps, random: constantRandom(0) });
    expect([lb.chooseHost(), lb.chooseHost(), lb.chooseHost()]).toEqual([hosts[0], hosts[1], hosts[2]]);
    // Back above the threshold (4 of 6 healthy): the healthy source has its own index, still at the seed.
    hosts[2]!.setHealthFlags(0);
    hosts[3]!.setHealthFlags(0);
    refreshPriority(ps);
    expect([lb.chooseHost(), lb.chooseHost()]).toEqual([hosts[0], hosts[1]]);
    expect(lb.stats.lb_healthy_panic).toBe(3);
  });

  it('returns no host in panic with fail_traffic_on_panic (MaxUnhealthyPanicDisableOnPanic)', () => {
    const hosts = hostsOnPorts(6);
    markUnhealthy(...hosts.slice(2));
    const ps = prioritySetOf(hosts);
    const lb = new RoundRobinLoadBalancer({ prioritySet: ps, random: constantRandom(0), failTrafficOnPanic: true });
    expect(lb.chooseHost()).toBeNull();
    hosts[2]!.setHealthFlags(0);
    hosts[3]!.setHealthFlags(0);
    refreshPriority(ps);
    expect([lb.chooseHost(), lb.chooseHost()]).toEqual([hosts[0], hosts[1]]);
    expect(lb.stats.lb_healthy_panic).toBe(1);
  });

  it('with panic threshold 0 returns no host when none is healthy (DisablePanicMode)', () => {
    const hosts = hostsOnPorts(1);
    markUnhealthy(...hosts);
    const lb = new RoundRobinLoadBalancer({
      prioritySet: prioritySetOf(hosts),
      random: constantRandom(0),
      healthyPanicThreshold: 0,
    });
    expect(lb.chooseHost()).toBeNull();
    expect(lb.stats.lb_healthy_panic).toBe(0);
  });

  it('retries host selection until the predicate accepts (HostSelectionWithFilter)', () => {
    const hosts = hostsOnPorts(2);
    const lb = new RoundRobinLoadBalancer({ prioritySet: prioritySetOf(hosts), random: constantRandom(0) });
    let retries = 2;
    const context = {
      hostSelectionRetryCount: () => retries,
      shouldSelectAnotherHost: (h: Host) => h !== hosts[0],
    };
    expect([lb.chooseHost(context), lb.chooseHost(context), lb.chooseHost(context)]).toEqual([
      hosts[0],
      hosts[0],
      hosts[0],
    ]);
    retries = 0; // the predicate is no longer consulted more than once
    expect([lb.chooseHost(context), lb.chooseHost(context), lb.chooseHost(context)]).toEqual([
      hosts[1],
      hosts[0],
      hosts[1],
    ]);
  });

  it('fails over to P1 when P0 has no healthy host (BasicFailover)', () => {
    const p0 = hostsOnPorts(1);
    markUnhealthy(...p0);
    const p1 = hostsOnPorts(1, { firstPort: 82, priority: 1 });
    const lb = new RoundRobinLoadBalancer({ prioritySet: prioritySetOf(p0, p1), random: constantRandom(0) });
    expect(lb.peekAnotherHost()).toBe(p1[0]);
    expect(lb.chooseHost()).toBe(p1[0]);
  });

  it('does not spill over while P0 is still overprovisioned (PrioritiesWithNotAllWarmedHosts)', () => {
    const p0 = hostsOnPorts(2);
    markUnhealthy(p0[1] as Host);
    const p1 = hostsOnPorts(1, { firstPort: 82, priority: 1 });
    const lb = new RoundRobinLoadBalancer({ prioritySet: prioritySetOf(p0, p1), random: constantRandom(0) });
    expect([lb.chooseHost(), lb.chooseHost(), lb.chooseHost()]).toEqual([p0[0], p0[0], p0[0]]);
  });

  test.prop([fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 40 })])(
    'equal weights: n consecutive picks visit every healthy host exactly once',
    (n, seed, start) => {
      const hosts = hostsOnPorts(n);
      const lb = new RoundRobinLoadBalancer({ prioritySet: prioritySetOf(hosts), random: constantRandom(seed) });
      for (let i = 0; i < start; i++) lb.chooseHost();
      const seen = new Set(Array.from({ length: n }, () => lb.chooseHost()));
      expect(seen.size).toBe(n);
    },
  );
});
