import {
  attachPending,
  ClusterResourceManagers,
  createClusterTrafficStats,
  newStream,
  RetryState,
  tryCreateConnection,
} from '@meshsim/sim-core/envoy';
import { applyConnectionPool, RngStreams } from '@meshsim/sim-core';

// DestinationRule connectionPool: tcp.maxConnections 1, http.http1MaxPendingRequests 1.
const cluster = applyConnectionPool(
  { name: 'outbound|9080||reviews.default.svc.cluster.local' },
  { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } },
);
console.log(JSON.stringify(cluster.circuitBreakers?.thresholds?.[0]));

// One client sidecar, one resource manager for the whole cluster, one HTTP/1.1 connection pool per pod.
const limits = new ClusterResourceManagers(cluster.circuitBreakers).default;
const stats = createClusterTrafficStats();
const connectionsOf = [0, 0, 0]; // per pod; each connection carries one request at a time (HTTP/1.1)

function request(pod: number): string {
  // No idle connection to this pod: the request waits as pending, and the pool tries to open one.
  const decision = newStream(limits, stats, false);
  if (decision === 'overflow') return '503 UO (pending queue full)';
  if (tryCreateConnection(limits, stats, connectionsOf[pod]! > 0)) {
    connectionsOf[pod]!++;
    return `connection #${limits.connections.count()} opened, request ${attachPending(limits, stats)}`;
  }
  return 'pending (waits for a connection to free up)';
}

for (const pod of [0, 1, 2, 0, 1]) console.log(`request to pod-${pod}:`, request(pod));
console.log(
  'upstream_cx_overflow',
  stats.upstream_cx_overflow,
  'upstream_rq_pending_overflow',
  stats.upstream_rq_pending_overflow,
);

// An overflow is never retried, whatever retryOn says: the limit protects the service from retry storms.
const retry = RetryState.create({
  policy: { retryOn: '5xx,reset,connect-failure,retriable-status-codes', numRetries: 2 },
  resources: limits,
  stats,
  random: new RngStreams(1).stream('router'),
})!;
console.log('retry the overflow?', retry.shouldRetryReset('Overflow').status);
