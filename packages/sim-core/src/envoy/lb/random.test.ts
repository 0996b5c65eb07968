// RANDOM, checked against Envoy's test/extensions/load_balancing_policies/random/random_lb_test.cc
// (RandomLoadBalancerTest.*): one random() per pick used twice, weights ignored, no construction draw.
import { describe, expect, it } from 'vitest';
import { fixedRandom, RandomStream } from '../../engine/rng.js';
import { binomialAcceptance } from '../../testing/stats.js';
import type { Host } from '../upstream/host.js';
import { RandomLoadBalancer } from './random.js';
import { hostsOnPorts, markUnhealthy, prioritySetOf } from './testHosts.js';

describe('RandomLoadBalancer', () => {
  it('picks hosts[r % n] and draws nothing at construction (Normal)', () => {
    const hosts = hostsOnPorts(2);
    const random = fixedRandom([2, 3]);
    const lb = new RandomLoadBalancer({ prioritySet: prioritySetOf(hosts), random });
    expect(random.drawn).toBe(0);
    expect(lb.chooseHost()).toBe(hosts[0]);
    expect(lb.chooseHost()).toBe(hosts[1]);
    expect(random.drawn).toBe(2);
  });

  it('a peek stashes its draw and the next pick reuses it (FailClusterOnPanic-free peek path)', () => {
    const hosts = hostsOnPorts(2);
    const random = fixedRandom([3, 2]);
    const lb = new RandomLoadBalancer({ prioritySet: prioritySetOf(hosts), random });
    expect(lb.peekAnotherHost()).toBe(hosts[1]);
    expect(lb.peekAnotherHost()).toBe(hosts[0]);
    expect(lb.peekAnotherHost()).toBeNull(); // no more peeks than healthy hosts
    expect(lb.chooseHost()).toBe(hosts[1]);
    expect(lb.chooseHost()).toBe(hosts[0]);
    expect(random.drawn).toBe(2);
  });

  it('ignores host weights: a weight-9 host gets 1/2 of the picks out of 2 (exact binomial, alpha 0.001)', () => {
    const hosts = hostsOnPorts(2, { weights: [9, 1] });
    const lb = new RandomLoadBalancer({
      prioritySet: prioritySetOf(hosts),
      random: new RandomStream('random-lb', 'w'),
    });
    const n = 20_000;
    let heavy = 0;
    for (let i = 0; i < n; i++) if (lb.chooseHost() === hosts[0]) heavy++;
    const band = binomialAcceptance(n, 0.5, 0.001);
    expect(heavy).toBeGreaterThanOrEqual(band.lower);
    expect(heavy).toBeLessThanOrEqual(band.upper);
  });

  it('uses the same draw for the priority: r % 100 + 1 ≤ 70 stays in P0 (failover 70/30)', () => {
    const p0 = hostsOnPorts(2);
    markUnhealthy(p0[1] as Host);
    const p1 = hostsOnPorts(1, { firstPort: 82, priority: 1 });
    const lb = new RandomLoadBalancer({ prioritySet: prioritySetOf(p0, p1), random: fixedRandom([69, 71]) });
    expect(lb.chooseHost()).toBe(p0[0]); // 69 % 100 + 1 = 70 ≤ 70
    expect(lb.chooseHost()).toBe(p1[0]); // 72 > 70
  });
});
