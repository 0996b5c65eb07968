import { createLoadBalancer, HealthFlag, Host, PrioritySet } from '@meshsim/sim-core/envoy';
import { applyLoadBalancer, applyOutlierDetection, RngStreams } from '@meshsim/sim-core';

// Four pods; three fail their health checks, so 25 % of the endpoints are healthy.
const pods = [0, 1, 2, 3].map((i) => new Host({ address: '10.0.0.1', port: 9080 + i }));
const endpoints = new PrioritySet();
endpoints.updateHosts(0, { hosts: pods }, pods, [], 0);
// A failed active health check sets the host's flag; Envoy then rebuilds the host set (healthy list, panic).
const failHealthCheck = (...failing: Host[]) => {
  for (const pod of failing) pod.healthFlagSet(HealthFlag.FAILED_ACTIVE_HC);
  endpoints.updateHosts(0, { hosts: pods }, [], [], 0);
};
failHealthCheck(pods[1]!, pods[2]!, pods[3]!);
const rng = new RngStreams(1);
const name = (port: number) => `pod-${port - 9080}`;
const base = applyLoadBalancer({ name: 'outbound|9080||reviews.default.svc.cluster.local' }, { simple: 'ROUND_ROBIN' });

// No outlierDetection in the DestinationRule: Envoy's default panic threshold (50 %) applies. 25 % < 50 %,
// so the load balancer panics and spreads requests over all four pods, unhealthy ones included.
const envoyDefault = createLoadBalancer(base, endpoints, rng.stream('lb/a'));
console.log('panic threshold 50:', Array.from({ length: 8 }, () => name(envoyDefault.chooseHost()!.port)).join(' '));

// With outlierDetection, istiod writes minHealthPercent (default 0) as the threshold: no panic, ever.
const istio = applyOutlierDetection(base, { consecutive5xxErrors: 5 });
console.log('threshold written by istiod:', istio.commonLbConfig?.healthyPanicThreshold?.value);
const noPanic = createLoadBalancer(istio, endpoints, rng.stream('lb/b'));
console.log('panic threshold 0: ', Array.from({ length: 8 }, () => name(noPanic.chooseHost()!.port)).join(' '));

// And when no pod is healthy, there is no host at all: the router answers 503 "no healthy upstream" (UH).
failHealthCheck(pods[0]!);
console.log('no healthy pod:', noPanic.chooseHost());
