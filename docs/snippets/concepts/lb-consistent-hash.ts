import { createLoadBalancer, generateHash, Host, PrioritySet } from '@meshsim/sim-core/envoy';
import { applyLoadBalancer, consistentHashToHashPolicy, RngStreams } from '@meshsim/sim-core';

// DestinationRule: loadBalancer.consistentHash.httpHeaderName: x-user
const settings = { consistentHash: { httpHeaderName: 'x-user' } };
const cluster = applyLoadBalancer({ name: 'outbound|9080||reviews.default.svc.cluster.local' }, settings);
const hashPolicy = consistentHashToHashPolicy(settings.consistentHash)!;
console.log(cluster.lbPolicy, JSON.stringify(cluster.ringHashLbConfig), JSON.stringify(hashPolicy));

const rng = new RngStreams(2);
const users = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
function route(podCount: number): number[] {
  // Ring hash places each endpoint by its `address:port`, so pod k is 127.0.0.1:908k here.
  const pods = Array.from({ length: podCount }, (_, i) => new Host({ address: '127.0.0.1', port: 9080 + i }));
  const endpoints = new PrioritySet();
  endpoints.updateHosts(0, { hosts: pods }, pods, [], 0);
  const lb = createLoadBalancer(cluster, endpoints, rng.stream(`lb/${podCount}`));
  return users.map((user) => {
    const hash = generateHash([hashPolicy], { headers: { 'x-user': user } });
    return lb.chooseHost({ computeHashKey: () => hash })!.port - 9080;
  });
}

const four = route(4);
console.log(
  'user-0 … user-4 on 4 pods:',
  four
    .slice(0, 5)
    .map((p) => `pod-${p}`)
    .join(' '),
);
console.log('users per pod:', JSON.stringify([0, 1, 2, 3].map((p) => four.filter((x) => x === p).length)));
// A fifth pod takes its share from every pod; everyone else stays where they were.
const five = route(5);
console.log('users that moved when a 5th pod joined:', five.filter((p, i) => p !== four[i]).length, 'of', users.length);
