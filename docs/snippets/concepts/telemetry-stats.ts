import { ms } from '@meshsim/sim-core';
import { chargeResponseStat, chargeResponseTiming, clusterStatPrefix, StatsStore } from '@meshsim/sim-core/envoy';

const stats = new StatsStore();
const reviews = clusterStatPrefix('outbound|9080||reviews.default.svc.cluster.local');
// A counter block owned by the upstream cluster, read when printing:
const traffic = { upstream_rq_total: 0, upstream_rq_retry: 0, upstream_rq_pending_overflow: 0 };
stats.attach(reviews, traffic);
for (const [code, time] of [
  [200, ms(8.3)],
  [503, ms(1.2)],
  [200, ms(11.7)],
] as const) {
  traffic.upstream_rq_total++;
  chargeResponseStat(stats, reviews, code);
  chargeResponseTiming(stats, reviews, time);
}
traffic.upstream_rq_retry++;
console.log(
  stats
    .render({ filter: /reviews.*(upstream_rq_(total|retry|pending_overflow|200|5xx|completed)|\.upstream_rq_time)$/ })
    .trimEnd(),
);
