import { Host, UpstreamCluster, type MaxEjectionPercentRule } from '@meshsim/sim-core/envoy';
import { applyOutlierDetection, Simulation } from '@meshsim/sim-core';

// DestinationRule outlierDetection: consecutive5xxErrors 5 — maxEjectionPercent left at its default, 10 %.
const config = applyOutlierDetection(
  { name: 'outbound|9080||reviews.default.svc.cluster.local', lbPolicy: 'ROUND_ROBIN' },
  { consecutive5xxErrors: 5 },
);

// Every pod answers 503 five times in a row. How many does the sidecar eject?
function ejected(podCount: number, rule: MaxEjectionPercentRule): string {
  const sim = new Simulation({ seed: 1 });
  const pods = Array.from({ length: podCount }, (_, i) => new Host({ address: '10.0.0.1', port: 9080 + i }));
  const cluster = new UpstreamCluster({
    config,
    hosts: pods,
    streams: sim.rng,
    dispatcher: sim,
    maxEjectionPercentRule: rule,
  });
  for (const pod of pods) for (let i = 0; i < 5; i++) cluster.outlierDetector!.monitor(pod).putHttpResponseCode(503);
  const { ejections_active, ejections_overflow } = cluster.outlierDetector!.stats;
  return `${ejections_active} ejected, ${ejections_overflow} refused (ejections_overflow)`;
}

for (const n of [3, 9, 10, 25]) console.log(`${n} pods:`.padEnd(9), ejected(n, 'current'));
// Envoy up to 1.26 compared the ejections *before* this one with the limit, so one was always allowed.
console.log('3 pods, legacy rule:', ejected(3, 'legacy'));
