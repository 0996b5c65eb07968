import { ms } from '@meshsim/sim-core';
import { OutcomeAggregator } from '@meshsim/sim-core/envoy';

const outcomes = new OutcomeAggregator();
const reviews = 'reviews.default.svc.cluster.local';
const base = { source: 'pod default/productpage-v1-0', responseCodeDetails: 'via_upstream', startTime: 0 };
outcomes.add({
  ...base,
  id: 1,
  destination: { service: reviews, subset: 'v2', pod: 'default/reviews-v2-0' },
  status: 200,
  responseFlags: '-',
  attempts: 1,
  duration: ms(9),
});
outcomes.add({
  ...base,
  id: 2,
  destination: { service: reviews, subset: 'v2', pod: 'default/reviews-v2-1' },
  status: 200,
  responseFlags: '-',
  attempts: 2,
  duration: ms(41),
});
outcomes.add({
  ...base,
  id: 3,
  destination: { service: reviews, subset: 'v3', pod: 'default/reviews-v3-0' },
  status: 503,
  responseFlags: 'URX',
  attempts: 3,
  duration: ms(77),
});
for (const g of outcomes.bySubset()) {
  const s = g.summary;
  console.log(
    `${g.subset}: ${s.count} requests, statuses ${JSON.stringify(s.statusCounts())}, retried ${s.retried}, p50 ${s.latency.percentile(50) / 1000} ms`,
  );
}
