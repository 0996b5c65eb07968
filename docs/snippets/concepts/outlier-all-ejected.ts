import { Host, UpstreamCluster } from '@meshsim/sim-core/envoy';
import { applyOutlierDetection, Simulation } from '@meshsim/sim-core';

// Three pods that all start failing (say their database is down), with maxEjectionPercent 100.
function afterOutage(minHealthPercent: number | undefined): string {
  const config = applyOutlierDetection(
    { name: 'outbound|9080||reviews.default.svc.cluster.local', lbPolicy: 'ROUND_ROBIN' },
    {
      consecutive5xxErrors: 5,
      maxEjectionPercent: 100,
      ...(minHealthPercent !== undefined ? { minHealthPercent } : {}),
    },
  );
  const sim = new Simulation({ seed: 1 });
  const pods = Array.from({ length: 3 }, (_, i) => new Host({ address: '10.0.0.1', port: 9080 + i }));
  const cluster = new UpstreamCluster({ config, hosts: pods, streams: sim.rng, dispatcher: sim });
  for (const pod of pods) for (let i = 0; i < 5; i++) cluster.outlierDetector!.monitor(pod).putHttpResponseCode(503);
  const picks = Array.from({ length: 6 }, () => {
    const pod = cluster.loadBalancer.chooseHost();
    return pod === null ? '503 UH' : `pod-${pod.port - 9080}`;
  });
  return `${cluster.outlierDetector!.stats.ejections_active} ejected → ${picks.join(' ')} (lb_healthy_panic ${cluster.lbStats.lb_healthy_panic})`;
}

// Istio's default minHealthPercent 0 turns panic off: nothing is left, so every request fails at once with
// 503 "no healthy upstream" — for up to baseEjectionTime, even if the pods recover sooner.
console.log('minHealthPercent 0: ', afterOutage(undefined));
// With a threshold, a priority below it panics and Envoy ignores health, ejected pods included.
console.log('minHealthPercent 50:', afterOutage(50));
