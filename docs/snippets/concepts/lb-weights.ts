import { Host, PrioritySet, RandomLoadBalancer, RoundRobinLoadBalancer } from '@meshsim/sim-core/envoy';
import { RngStreams } from '@meshsim/sim-core';

// Two endpoints with load_balancing_weight 1 and 3 (e.g. two localities' weights, or a ServiceEntry's
// endpoint weights).
const rng = new RngStreams(5);
const pods = [
  new Host({ address: '10.0.0.1', port: 9080, weight: 1 }),
  new Host({ address: '10.0.0.1', port: 9081, weight: 3 }),
];
const endpoints = (): PrioritySet => {
  const set = new PrioritySet();
  set.updateHosts(0, { hosts: pods }, pods, [], 0);
  return set;
};
const name = (port: number | undefined) => `pod-${(port ?? 0) - 9080}`;
const share = (picks: string[]) =>
  `pod-0 ${picks.filter((p) => p === 'pod-0').length}, pod-1 ${picks.filter((p) => p === 'pod-1').length}`;

// Weighted round robin is an earliest-deadline-first schedule: exactly 1 : 3 in every cycle of four.
const rr = new RoundRobinLoadBalancer({ prioritySet: endpoints(), random: rng.stream('lb/rr') });
const rrPicks = Array.from({ length: 8 }, () => name(rr.chooseHost()?.port));
console.log('ROUND_ROBIN:', rrPicks.join(' '));

// RANDOM ignores weights altogether: a uniform pick among the healthy endpoints.
const random = new RandomLoadBalancer({ prioritySet: endpoints(), random: rng.stream('lb/random') });
console.log('RANDOM, 4000 picks:', share(Array.from({ length: 4000 }, () => name(random.chooseHost()?.port))));
