import { ms } from '@meshsim/sim-core';
import { formatIstioAccessLog } from '@meshsim/sim-core/envoy';

// The client sidecar's view of one productpage → reviews request that the retry policy gave up on.
const line = formatIstioAccessLog(
  {
    startTime: ms(1234.567),
    method: 'GET',
    path: '/reviews/0',
    protocol: 'HTTP/1.1',
    responseCode: 503,
    responseFlags: 'URX',
    responseCodeDetails: 'via_upstream',
    bytesReceived: 0,
    bytesSent: 19,
    duration: ms(61.9),
    upstreamServiceTime: ms(12.4),
    userAgent: 'python-requests/2.31.0',
    requestId: '6f1c1d0e-2b7a-9d41-8a35-0c7e2f5d1a9b',
    authority: 'reviews:9080',
    upstreamHost: '10.244.2.17:9080',
    upstreamCluster: 'outbound|9080||reviews.default.svc.cluster.local',
    upstreamLocalAddress: '10.244.1.9:48312',
    downstreamLocalAddress: '10.96.112.40:9080',
    downstreamRemoteAddress: '10.244.1.9:52310',
    routeName: 'default',
  },
  { epochMs: Date.UTC(2026, 2, 1, 9, 30) },
);
console.log(line.trimEnd());
