import { envoy, reviewsMesh, sleepPod, World } from '@meshsim/sim-core';
import { formatShare } from '@meshsim/viz';
import { collectorFor, reportVariantFromRun, runCollecting } from '@meshsim/viz/run';

// sleep → reviews, 70/30 over v1 and v2, 500 requests; the trace is read as the run goes, never kept whole.
const model = reviewsMesh({
  versions: [{ name: 'v1' }, { name: 'v2' }],
  virtualService: {
    http: [
      {
        route: [
          { destination: { host: 'reviews', subset: 'v1' }, weight: 70 },
          { destination: { host: 'reviews', subset: 'v2' }, weight: 30 },
        ],
      },
    ],
  },
});
const outcomes = new envoy.OutcomeAggregator({});
const source = { kind: 'pod' as const, namespace: 'default', pod: sleepPod(model) };
const world = new World({
  model,
  traffic: [
    { name: 'sleep', source, rate: 100, requests: 500, arrivals: 'poisson', mix: [{ url: 'http://reviews:9080/' }] },
  ],
  trace: 'records',
  onOutcome: (o) => outcomes.add(o),
});
const collector = collectorFor(world);
runCollecting(world, collector);
const variant = reportVariantFromRun({
  name: 'run',
  world,
  collector,
  destinations: outcomes.bySubset(),
  duration: world.sim.now,
});
for (const l of variant.trafficSplit?.links.filter((x) => x.declaredShare !== undefined) ?? []) {
  console.log(
    `${l.source} → ${l.target}: ${l.count} requests, observed ${formatShare(l.observedShare)}, declared ${formatShare(l.declaredShare ?? 0, 0)}`,
  );
}
const flow = variant.flows?.[0];
console.log(
  `${flow?.title}: ${flow?.hops.length} hops, ${flow?.hops.filter((h) => h.stage === 'netfilter').length} of them iptables rules`,
);
