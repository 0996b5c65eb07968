import { Host, LeastRequestLoadBalancer, PrioritySet, RoundRobinLoadBalancer } from '@meshsim/sim-core/envoy';
import { ms, s, Simulation } from '@meshsim/sim-core';

// Three pods of reviews behind one sidecar. pod-0 and pod-1 take 100 ms per request; pod-2 is broken and
// answers 503 after 1 ms. A request arrives every 5 ms for 10 s.
function run(policy: 'ROUND_ROBIN' | 'LEAST_REQUEST'): string {
  const sim = new Simulation({ seed: 3 });
  const pods = [0, 1, 2].map((i) => new Host({ address: '10.0.0.1', port: 9080 + i }));
  const endpoints = new PrioritySet();
  endpoints.updateHosts(0, { hosts: pods }, pods, [], 0);
  const options = { prioritySet: endpoints, random: sim.rng.stream('lb/reviews') };
  const lb = policy === 'ROUND_ROBIN' ? new RoundRobinLoadBalancer(options) : new LeastRequestLoadBalancer(options);
  const served = [0, 0, 0];
  const arrive = (): void => {
    const pod = lb.chooseHost()!;
    const i = pod.port - 9080;
    served[i]!++;
    pod.stats.rq_active++; // in flight on this pod until the response comes back
    sim.schedule(ms(i === 2 ? 1 : 100), () => pod.stats.rq_active--);
    sim.schedule(ms(5), arrive);
  };
  arrive();
  sim.run({ until: s(10) });
  const total = served.reduce((a, b) => a + b);
  return served.map((n, i) => `pod-${i} ${Math.round((100 * n) / total)}%`).join(', ');
}

console.log('ROUND_ROBIN:  ', run('ROUND_ROBIN'));
// Least request compares requests in flight: the pod that fails fastest always has the fewest, so it
// wins every comparison it is part of — a burst of errors, until outlier detection ejects it.
console.log('LEAST_REQUEST:', run('LEAST_REQUEST'));
