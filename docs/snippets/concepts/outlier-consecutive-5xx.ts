import { Host, UpstreamCluster } from '@meshsim/sim-core/envoy';
import { applyOutlierDetection, formatDuration, s, Simulation } from '@meshsim/sim-core';

// DestinationRule outlierDetection: consecutive5xxErrors 5, interval 10s, baseEjectionTime 30s, maxEjectionPercent 100.
const config = applyOutlierDetection(
  { name: 'outbound|9080||reviews.default.svc.cluster.local', lbPolicy: 'ROUND_ROBIN' },
  { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 100 },
);
const sim = new Simulation({ seed: 1 });
const pods = Array.from({ length: 4 }, (_, i) => new Host({ address: '10.0.0.1', port: 9080 + i }));
const reviews = new UpstreamCluster({
  config,
  hosts: pods,
  streams: sim.rng,
  dispatcher: sim,
  outlierEventLogger: (e) => {
    const what = e.action === 'EJECT' ? ` ${e.type}${e.enforced ? '' : ' (detected, not enforced)'}` : '';
    console.log(`${formatDuration(e.time)}: ${e.action} pod-${e.host.port - 9080}${what}`);
  },
});
const pod1 = reviews.outlierDetector!.monitor(pods[1]!);
const respond = (...codes: number[]) => codes.forEach((code) => pod1.putHttpResponseCode(code));

// 4 × 503 then a 200: the success resets the count, nothing happens.
sim.schedule(s(1), () => respond(503, 503, 503, 503, 200));
// Five in a row: ejected at the 5th, at once — not at the next interval. A 503 also counts as a gateway
// failure; that detector fires first but Envoy's default enforcing_consecutive_gateway_failure is 0.
sim.schedule(s(2), () => respond(503, 503, 503, 503, 503));
// Back in, it fails again at once: the second ejection lasts 2 × 30 s.
sim.schedule(s(41), () => respond(503, 503, 503, 503, 503));
// Long healthy: each interval back in earns one step back, so the next ejection is 30 s again.
sim.schedule(s(300), () => respond(503, 503, 503, 503, 503));
sim.run({ until: s(400) });
console.log('ejections_enforced_consecutive_5xx:', reviews.outlierDetector!.stats.ejections_enforced_consecutive_5xx);
