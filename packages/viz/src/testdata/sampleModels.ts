/**
 * Small chart models for the chart tests, built with the model builders from hand-written inputs: a
 * request that is delayed by a fault, fails its first try with a connect failure and succeeds on a retry;
 * a 90/10 split with a starved weight-0 subset and a skewed subset; two latency series; a timeline with
 * ejections, overflows, faults and a config push; a Bookinfo-like service graph with badges.
 */
import {
  buildRequestFlow,
  buildServiceGraph,
  buildTimeline,
  buildTrafficSplit,
  type LatencySeries,
  type RequestFlow,
  type ServiceGraph,
  type Timeline,
  type TrafficSplit,
} from '../model/index.js';

const vsRef = { file: 'reviews.yaml', line: 12, kind: 'VirtualService', object: 'default/reviews', field: 'spec.http[0]' };

/**
 * GET /reviews/0 from productpage: try 1 fails to connect (UF), the router retries (Istio's default
 * `retryOn` includes `connect-failure`) on another host, try 2 → 200.
 */
export function sampleFlow(label = 'productpage-v1'): RequestFlow {
  return buildRequestFlow({
    title: 'GET http://reviews:9080/reviews/0',
    request: 'GET http://reviews:9080/reviews/0 from default/productpage-v1',
    outbound: [
      { lane: 'client-app', stage: 'app', label, detail: 'sends GET http://reviews:9080/reviews/0', duration: 0 },
      { lane: 'client-netfilter', stage: 'netfilter', label: 'nat OUTPUT #1', detail: '-j ISTIO_OUTPUT ⇒ jump ISTIO_OUTPUT', duration: 0 },
      { lane: 'client-netfilter', stage: 'netfilter', label: 'nat ISTIO_REDIRECT #1', detail: '-p tcp -j REDIRECT --to-ports 15001', duration: 0 },
      { lane: 'client-envoy', stage: 'listener', label: 'listener 0.0.0.0_9080', duration: 50 },
      { lane: 'client-envoy', stage: 'route', label: 'route "reviews"', detail: 'VirtualService default/reviews http[0]', decidedBy: [vsRef], duration: 10 },
    ],
    attempts: [
      {
        request: [
          { lane: 'client-envoy', stage: 'lb', label: 'load balancer ROUND_ROBIN', detail: 'picks 10.244.1.7:9080 (default/reviews-v2-0)', duration: 5 },
          { lane: 'network', stage: 'network', label: 'network', detail: 'no connection to 10.244.1.7:9080 UF', status: 'error', duration: 1_000 },
        ],
        response: [{ lane: 'client-envoy', stage: 'router', label: 'router: try failed UF', status: 'error' }],
        retry: { lane: 'client-envoy', stage: 'router', label: 'router: retry (upstream_rq_retry)', detail: 'retry_on connect-failure, backoff', duration: 17_000 },
      },
      {
        request: [
          { lane: 'client-envoy', stage: 'lb', label: 'load balancer ROUND_ROBIN', detail: 'picks 10.244.2.9:9080 (default/reviews-v3-0)', duration: 5 },
          { lane: 'network', stage: 'network', label: 'network', duration: 200 },
          { lane: 'server-netfilter', stage: 'netfilter', label: 'nat ISTIO_IN_REDIRECT #1', detail: '-p tcp -j REDIRECT --to-ports 15006', duration: 0 },
          { lane: 'server-envoy', stage: 'listener', label: 'listener virtualInbound', duration: 50 },
          { lane: 'server-envoy', stage: 'inbound_cluster', label: 'inbound cluster inbound|9080||', duration: 10 },
          { lane: 'server-app', stage: 'app', label: 'default/reviews-v3-0', detail: 'answers 200', duration: 12_000 },
        ],
        response: [
          { lane: 'server-envoy', stage: 'response', label: 'response', detail: '200', duration: 20 },
          { lane: 'network', stage: 'network', label: 'network', duration: 200 },
          { lane: 'client-envoy', stage: 'router', label: 'router: try 200', duration: 20 },
        ],
      },
    ],
    final: [{ lane: 'client-app', stage: 'app', label, detail: 'receives 200' }],
    outcome: { status: 200, responseFlags: '-', duration: 30_570 },
  });
}

/**
 * GET /ratings/0 from reviews-v2 on a route with a fixed 5 s delay fault: the fault filter holds the request,
 * then one try (Istio enables no retries on a route with a fault) → 200.
 */
export function sampleFaultFlow(): RequestFlow {
  return buildRequestFlow({
    title: 'GET http://ratings:9080/ratings/0',
    request: 'GET http://ratings:9080/ratings/0 from default/reviews-v2',
    outbound: [
      { lane: 'client-app', stage: 'app', label: 'reviews-v2', detail: 'sends GET http://ratings:9080/ratings/0' },
      { lane: 'client-envoy', stage: 'route', label: 'route "ratings"', decidedBy: [{ ...vsRef, object: 'default/ratings' }], duration: 10 },
      { lane: 'client-envoy', stage: 'fault', label: 'fault: delay (DI)', status: 'delay', duration: 5_000_000, decidedBy: [{ ...vsRef, object: 'default/ratings', line: 14, field: 'spec.http[0].fault.delay' }] },
    ],
    attempts: [
      {
        request: [
          { lane: 'client-envoy', stage: 'lb', label: 'load balancer LEAST_REQUEST', detail: 'picks 10.244.1.9:9080 (default/ratings-v1-0)', duration: 5 },
          { lane: 'network', stage: 'network', label: 'network', duration: 200 },
          { lane: 'server-app', stage: 'app', label: 'default/ratings-v1-0', detail: 'answers 200', duration: 3_000 },
        ],
        response: [
          { lane: 'network', stage: 'network', label: 'network', duration: 200 },
          { lane: 'client-envoy', stage: 'router', label: 'router: try 200' },
        ],
      },
    ],
    final: [{ lane: 'client-app', stage: 'app', label: 'reviews-v2', detail: 'receives 200' }],
    outcome: { status: 200, responseFlags: 'DI', duration: 5_003_415 },
  });
}

/** 1,000 requests on a 90/10 route, observed 85/15 (rejected at alpha 0.05), v3 declared 0 and starved. */
export function sampleSplit(route = 'VirtualService default/reviews http[1]'): TrafficSplit {
  return buildTrafficSplit({
    routes: [
      {
        id: 'default/reviews#1',
        label: route,
        decidedBy: { ...vsRef, line: 20, field: 'spec.http[1]' },
        destinations: [
          { id: 'reviews|v1', label: 'reviews.default v1', weight: 90 },
          { id: 'reviews|v2', label: 'reviews.default v2', weight: 10 },
          { id: 'reviews|v3', label: 'reviews.default v3', weight: 0 },
        ],
      },
    ],
    flows: [
      { source: 'default/productpage-v1', route: 'default/reviews#1', destination: 'reviews|v1', pod: 'default/reviews-v1-0', count: 430 },
      { source: 'default/productpage-v1', route: 'default/reviews#1', destination: 'reviews|v1', pod: 'default/reviews-v1-1', count: 420 },
      { source: 'default/productpage-v1', route: 'default/reviews#1', destination: 'reviews|v2', pod: 'default/reviews-v2-0', count: 150 },
    ],
  });
}

/** Two series: v1 around 10 ms, v2 around 40 ms with a tail. Buckets are 10 per decade (edges 10^(k/10) µs). */
export function sampleLatency(label = 'reviews.default v1'): LatencySeries[] {
  const edge = (k: number): number => 10 ** (k / 10);
  const series = (id: string, l: string, counts: [number, number][], ps: [number, number][]): LatencySeries => ({
    id,
    label: l,
    count: counts.reduce((a, [, c]) => a + c, 0),
    buckets: counts.map(([k, count]) => ({ lower: edge(k), upper: edge(k + 1), count })),
    percentiles: ps.map(([p, value]) => ({ p, value })),
    mean: 0,
    max: edge((counts.at(-1) as [number, number])[0] + 1),
  });
  return [
    series('v1', label, [[38, 10], [39, 40], [40, 100], [41, 40], [42, 10]], [[50, 10_000], [90, 12_600], [99, 15_800]]),
    series('v2', 'reviews.default v2', [[45, 20], [46, 50], [47, 20], [49, 8], [52, 2]], [[50, 40_000], [90, 50_100], [99, 126_000]]),
  ];
}

/** 60 s: a push at 20 s, a host ejected at 12 s and back at 42 s, another still ejected, overflows and aborts. */
export function sampleTimeline(subject = '10.244.1.7:9080 (default/reviews-v2-0)'): Timeline {
  const S = 1_000_000;
  return buildTimeline(
    [
      { time: 20 * S, kind: 'config_push', subject: 'VirtualService default/reviews', detail: 'v2 weight 10 → 50', decidedBy: { ...vsRef, line: 25 } },
      { time: 12 * S, kind: 'ejection', subject, detail: 'CONSECUTIVE_5XX' },
      { time: 42 * S, kind: 'unejection', subject },
      { time: 50 * S, kind: 'ejection', subject: '10.244.2.9:9080 (default/reviews-v3-0)', detail: 'CONSECUTIVE_5XX' },
      ...[21, 21.5, 22, 22, 23, 35].map((t) => ({ time: t * S, kind: 'overflow' as const, subject: 'outbound|9080||reviews.default.svc.cluster.local', detail: 'upstream_rq_pending_overflow' })),
      ...[1, 5, 9, 13, 17, 30, 31].map((t) => ({ time: t * S, kind: 'fault_abort' as const, subject: 'route "ratings"' })),
    ],
    { start: 0, end: 60 * S, bins: 30 },
  );
}

/** Bookinfo-like: productpage → details, reviews v2/v3 → ratings; reviews-v3 failing 20 %, badges on reviews and ratings. */
export function sampleGraph(label = 'productpage-v1'): ServiceGraph {
  const cb = { kind: 'circuit_breaker' as const, label: 'DestinationRule default/reviews trafficPolicy.connectionPool', decidedBy: { file: 'dr.yaml', line: 7 } };
  const od = { kind: 'outlier_detection' as const, label: 'DestinationRule default/reviews trafficPolicy.outlierDetection', decidedBy: { file: 'dr.yaml', line: 10 } };
  const fault = { kind: 'fault' as const, label: 'VirtualService default/ratings http[0].fault', decidedBy: { file: 'vs.yaml', line: 9 } };
  return buildServiceGraph({
    nodes: [
      { id: 'default/productpage-v1', label, namespace: 'default', version: 'v1' },
      { id: 'default/reviews-v2', label: 'reviews-v2', namespace: 'default', version: 'v2', badges: [cb, od] },
      { id: 'default/reviews-v3', label: 'reviews-v3', namespace: 'default', version: 'v3', badges: [cb, od] },
      { id: 'default/ratings-v1', label: 'ratings-v1', namespace: 'default', version: 'v1', badges: [fault] },
      { id: 'istio-system/istio-ingressgateway', label: 'istio-ingressgateway', namespace: 'istio-system', kind: 'gateway' },
    ],
    edges: [
      { source: 'istio-system/istio-ingressgateway', target: 'default/productpage-v1', requests: 1000, errors: 0 },
      { source: 'default/productpage-v1', target: 'default/details-v1', requests: 1000, errors: 0 },
      { source: 'default/productpage-v1', target: 'default/reviews-v2', service: 'reviews.default.svc.cluster.local', requests: 500, errors: 0, badges: [cb, od] },
      { source: 'default/productpage-v1', target: 'default/reviews-v3', service: 'reviews.default.svc.cluster.local', requests: 500, errors: 100, badges: [cb, od] },
      { source: 'default/reviews-v2', target: 'default/ratings-v1', service: 'ratings.default.svc.cluster.local', requests: 500, errors: 5, badges: [fault] },
      { source: 'default/reviews-v3', target: 'default/ratings-v1', service: 'ratings.default.svc.cluster.local', requests: 400, errors: 4, badges: [fault] },
    ],
    duration: 10_000_000,
  });
}
