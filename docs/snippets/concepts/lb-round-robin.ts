import { Host, PrioritySet, RoundRobinLoadBalancer } from '@meshsim/sim-core/envoy';
import { RngStreams } from '@meshsim/sim-core';

// Three pods of reviews. Ten client sidecars × 2 worker threads (Istio's default concurrency) = 20 load
// balancers, each with its own round-robin index that starts at a random offset.
const pod = (i: number) => new Host({ address: '10.0.0.1', port: 9080 + i });
const pods = [pod(0), pod(1), pod(2)];
const endpoints = new PrioritySet();
endpoints.updateHosts(0, { hosts: pods }, pods, [], 0); // what EDS delivers: priority 0 holds the pods
const rng = new RngStreams(7);
const lbs = Array.from(
  { length: 20 },
  (_, w) => new RoundRobinLoadBalancer({ prioritySet: endpoints, random: rng.stream(`lb/${w}`) }),
);
const name = (port: number | undefined) => `pod-${(port ?? 0) - 9080}`;
const tally = (picks: string[]) =>
  JSON.stringify(Object.fromEntries(pods.map((p) => [name(p.port), picks.filter((x) => x === name(p.port)).length])));

// Each load balancer sends one request: every one is "round robin", yet the pods see an uneven split.
const first = lbs.map((lb) => name(lb.chooseHost()?.port));
console.log('1 request each: ', tally(first));
// 29 more each: every load balancer has cycled through all pods ten times, so the split is exact.
const more = lbs.flatMap((lb) => Array.from({ length: 29 }, () => name(lb.chooseHost()?.port)));
console.log('30 requests each:', tally([...first, ...more]));

// The index is kept across endpoint changes: a fourth pod joins and each load balancer carries on from
// its index (modulo the new count) rather than starting over at the first pod.
const lb = lbs[0]!;
console.log('before scale-up:', Array.from({ length: 5 }, () => name(lb.chooseHost()?.port)).join(' '));
const pod3 = pod(3);
endpoints.updateHosts(0, { hosts: [...pods, pod3] }, [pod3], [], 0);
console.log('after scale-up: ', Array.from({ length: 4 }, () => name(lb.chooseHost()?.port)).join(' '));
