// LEAST_REQUEST, checked against Envoy's
// test/extensions/load_balancing_policies/least_request/least_request_lb_test.cc (LeastRequestLoadBalancerTest.*).
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { fixedRandom, RandomStream } from '../../engine/rng.js';
import { chiSquareCritical, chiSquareStatistic } from '../../testing/stats.js';
import type { Host } from '../upstream/host.js';
import { LeastRequestLoadBalancer } from './leastRequest.js';
import { constantRandom, hostsOnPorts, prioritySetOf } from './testHosts.js';

const setActive = (hosts: Host[], active: number[]): void =>
  active.forEach((a, i) => {
    (hosts[i] as Host).stats.rq_active = a;
  });

describe('LeastRequestLoadBalancer', () => {
  it('chooseHost() with no hosts returns null after the priority draw (NoHosts)', () => {
    const random = fixedRandom([0, 0]);
    const lb = new LeastRequestLoadBalancer({ prioritySet: prioritySetOf([]), random });
    expect(lb.chooseHost()).toBeNull();
    expect(random.drawn).toBe(2);
  });

  it('single host: the choices still draw, and never preconnect (SingleHost, SingleHostAndPeek)', () => {
    const hosts = hostsOnPorts(1);
    const random = fixedRandom([0, 0, 2, 3, 0]);
    const lb = new LeastRequestLoadBalancer({ prioritySet: prioritySetOf(hosts), random });
    expect(lb.chooseHost()).toBe(hosts[0]);
    expect(lb.peekAnotherHost()).toBeNull();
    expect(random.drawn).toBe(5);
  });

  it('P2C keeps the sample with fewer active requests (Normal)', () => {
    const hosts = hostsOnPorts(2);
    const random = fixedRandom([0, 0, 2, 3, 0, 2, 3]);
    const lb = new LeastRequestLoadBalancer({ prioritySet: prioritySetOf(hosts), random });
    setActive(hosts, [1, 2]);
    expect(lb.chooseHost()).toBe(hosts[0]); // samples 2%2=0, 3%2=1
    setActive(hosts, [2, 1]);
    expect(lb.chooseHost()).toBe(hosts[1]);
    expect(random.drawn).toBe(7);
  });

  it('draws choice_count values per pick and picks the least loaded sample (PNC)', () => {
    const hosts = hostsOnPorts(4);
    const ps = prioritySetOf(hosts);
    setActive(hosts, [4, 3, 2, 1]);
    const r2 = fixedRandom([0, 0, 0, 0]);
    const lb2 = new LeastRequestLoadBalancer({ prioritySet: ps, random: r2, config: { choiceCount: 2 } });
    expect(lb2.chooseHost()).toBe(hosts[0]);
    expect(r2.drawn).toBe(4);
    const r5 = fixedRandom([0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 3, 2, 1]);
    const lb5 = new LeastRequestLoadBalancer({ prioritySet: ps, random: r5, config: { choiceCount: 5 } });
    expect(lb5.chooseHost()).toBe(hosts[0]);
    expect(lb5.chooseHost()).toBe(hosts[3]);
    expect(r5.drawn).toBe(13);
  });

  it('keeps the first sample on a tie', () => {
    const hosts = hostsOnPorts(3);
    setActive(hosts, [5, 1, 1]);
    const lb = new LeastRequestLoadBalancer({ prioritySet: prioritySetOf(hosts), random: fixedRandom([0, 0, 2, 1]) });
    expect(lb.chooseHost()).toBe(hosts[2]);
  });

  it('FULL_SCAN picks the host with the fewest active requests (FullScanOneHostWithLeastRequests)', () => {
    const hosts = hostsOnPorts(5);
    setActive(hosts, [4, 3, 2, 1, 5]);
    const random = fixedRandom([0, 0]);
    const lb = new LeastRequestLoadBalancer({
      prioritySet: prioritySetOf(hosts),
      random,
      config: { selectionMethod: 'FULL_SCAN' },
    });
    expect(lb.chooseHost()).toBe(hosts[3]);
    expect(random.drawn).toBe(2); // no ties, no reservoir draws
  });

  it('FULL_SCAN spreads ties uniformly (FullScanMultipleHostsWithLeastRequests; chi-square, alpha 0.001)', () => {
    const hosts = hostsOnPorts(5);
    setActive(hosts, [3, 3, 1, 1, 1]);
    const lb = new LeastRequestLoadBalancer({
      prioritySet: prioritySetOf(hosts),
      random: new RandomStream('lr-full-scan', 'ties'),
      config: { selectionMethod: 'FULL_SCAN' },
    });
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[hosts.indexOf(lb.chooseHost() as Host)]!++;
    expect(counts.slice(0, 2)).toEqual([0, 0]); // only the least loaded are ever chosen
    expect(chiSquareStatistic(counts.slice(2), [1 / 3, 1 / 3, 1 / 3])).toBeLessThan(chiSquareCritical(3, 0.001));
  });

  it('weights differ: EDF over weight/(active+1) (WeightImbalance)', () => {
    const hosts = hostsOnPorts(2, { weights: [1, 2] });
    const lb = new LeastRequestLoadBalancer({ prioritySet: prioritySetOf(hosts), random: constantRandom(0) });
    const seq = (n: number): number[] => Array.from({ length: n }, () => hosts.indexOf(lb.chooseHost() as Host));
    expect(seq(6)).toEqual([1, 0, 1, 1, 0, 1]); // 2:1
    setActive(hosts, [0, 1]);
    expect(seq(5)).toEqual([1, 0, 1, 0, 1]); // 1:1
    setActive(hosts, [1, 0]);
    expect(seq(10)).toEqual([0, 1, 1, 1, 0, 1, 1, 1, 1, 0]); // 4:1
  });

  it('active_request_bias 0 is plain weighted round robin (WeightImbalanceWithCustomActiveRequestBias)', () => {
    const hosts = hostsOnPorts(2, { weights: [1, 2] });
    const lb = new LeastRequestLoadBalancer({
      prioritySet: prioritySetOf(hosts),
      random: constantRandom(0),
      config: { activeRequestBias: { defaultValue: 0 } },
    });
    setActive(hosts, [0, 10]);
    const seq = Array.from({ length: 6 }, () => hosts.indexOf(lb.chooseHost() as Host));
    expect(seq).toEqual([1, 0, 1, 1, 0, 1]);
  });

  it('a negative active_request_bias falls back to 1.0', () => {
    const lb = new LeastRequestLoadBalancer({
      prioritySet: prioritySetOf(hostsOnPorts(2)),
      random: constantRandom(0),
      config: { activeRequestBias: { defaultValue: -1 } },
    });
    expect(lb.activeRequestBias).toBe(1);
  });

  test.prop([fc.array(fc.nat({ max: 20 }), { minLength: 2, maxLength: 12 }), fc.array(fc.nat(), { minLength: 3 })])(
    'P2C: the chosen host has no more active requests than the first sample (it never picks the worse of two)',
    (active, draws) => {
      const hosts = hostsOnPorts(active.length);
      setActive(hosts, active);
      const seed = draws[0] as number;
      const prio = draws[1] as number;
      const a = draws[2] as number;
      const b = (draws[3] ?? 0) as number;
      const lb = new LeastRequestLoadBalancer({
        prioritySet: prioritySetOf(hosts),
        random: fixedRandom([seed, prio, a, b]),
      });
      const h = lb.chooseHost() as Host;
      const first = hosts[a % hosts.length] as Host;
      const second = hosts[b % hosts.length] as Host;
      expect(h.stats.rq_active).toBe(Math.min(first.stats.rq_active, second.stats.rq_active));
      expect(h === first || h === second).toBe(true);
    },
  );
});
