import {
  ClusterResourceManagers,
  createClusterTrafficStats,
  FaultFilter,
  FaultFilterConfig,
  JitteredExponentialBackOffStrategy,
  RetryState,
  retryStatusResponseFlag,
} from '@meshsim/sim-core/envoy';
import { applyConnectionPool, buildRetryPolicy, RngStreams, translateFault } from '@meshsim/sim-core';

const rng = new RngStreams(4);

// VirtualService http[].fault: delay 5s and abort 503, each for 100 % of requests.
const fault = translateFault({
  delay: { fixedDelay: '5s', percentage: { value: 100 } },
  abort: { httpStatus: 503, percentage: { value: 100 } },
})!;
const filter = new FaultFilter(new FaultFilterConfig(fault), rng.stream('fault'));
console.log(JSON.stringify(filter.decodeHeaders({ ':path': '/reviews/1' })));
console.log(JSON.stringify(filter.onDelayTimer())); // after the 5 s timer: a fresh draw for the abort
console.log('response flags:', filter.flags.toString());
// The fault filter sits before the router: its 503 is a local reply. No upstream attempt is made, so the
// route's retry policy never sees it and no pod's outlier detector counts it.

// A 503 that does come from a pod: Istio's default policy (2 retries) lists no status code since 1.24…
const cluster = applyConnectionPool({ name: 'outbound|9080||reviews.default.svc.cluster.local' });
const resources = new ClusterResourceManagers(cluster.circuitBreakers).default;
const stats = createClusterTrafficStats();
const retryState = (retries: Parameters<typeof buildRetryPolicy>[0]) =>
  RetryState.create({ policy: buildRetryPolicy(retries)!, resources, stats, random: rng.stream('router') })!;
console.log('default policy, 503:', JSON.stringify(retryState(undefined).shouldRetryHeaders(503)));
// …so retry 5xx explicitly (VirtualService retries: attempts 2, retryOn 5xx).
const state = retryState({ attempts: 2, retryOn: '5xx' });
for (let attempt = 1; attempt <= 3; attempt++) {
  const decision = state.shouldRetryHeaders(503);
  const flag = retryStatusResponseFlag(decision.status);
  console.log(`attempt ${attempt} got 503:`, JSON.stringify(decision) + (flag !== undefined ? ` → ${flag}` : ''));
}

// Between retries: a random wait below a ceiling that doubles from 25 ms up to 250 ms.
const backoff = new JitteredExponentialBackOffStrategy(25, 250, rng.stream('backoff'));
const ceilings = Array.from({ length: 6 }, () => {
  const ceiling = backoff.nextCeilingMs;
  backoff.nextBackOffMs();
  return ceiling;
});
console.log('backoff ceilings (ms):', ceilings.join(' '));
