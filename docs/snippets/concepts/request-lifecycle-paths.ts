import { reviewsMesh, simulate, sleepPod, type MeshModel } from '@meshsim/sim-core';

// The same three requests with sidecars and without (no injection: kube-proxy DNATs the ClusterIP).
const constant = (value: number) => ({ kind: 'constant' as const, value });
function run(model: MeshModel) {
  const durations: number[] = [];
  let lines = 0;
  const result = simulate({
    model,
    seed: 1,
    trace: 'records',
    network: {
      links: {
        loopback: { latency: constant(10) },
        sameNode: { latency: constant(50) },
        crossNode: { latency: constant(100) },
      },
    },
    proxyLatency: { request: constant(300), response: constant(200) },
    workloads: [{ selector: { matchLabels: { app: 'reviews' } }, behaviour: { serviceTime: constant(2000) } }],
    traffic: [
      {
        name: 'curl',
        source: { kind: 'pod', namespace: 'default', pod: sleepPod(model) },
        connections: 1,
        qps: 0,
        requests: 3,
        mix: [{ url: 'http://reviews:9080/reviews/0' }],
      },
    ],
    accessLog: { write: () => void lines++ },
    onOutcome: (o) => durations.push(o.duration),
  });
  const connect = result.trace?.records.find((r) => r.kind === 'tcp.connect');
  return { durations, lines, firstHop: (JSON.parse(connect?.detail ?? '{}') as { netfilter?: string[] }).netfilter };
}

const mesh = run(reviewsMesh({ versions: [{ name: 'v1', replicas: 1 }] }));
const plain = run(reviewsMesh({ versions: [{ name: 'v1', replicas: 1 }], sidecars: false }));
console.log(`with sidecars:    ${mesh.durations.join(', ')} µs, ${mesh.lines} access-log lines`);
console.log(`  first connection: ${mesh.firstHop?.join('; ')}`);
console.log(`without sidecars: ${plain.durations.join(', ')} µs, ${plain.lines} access-log lines`);
console.log(`  first connection: ${plain.firstHop?.join('; ')}`);
console.log(
  `warm difference:  ${(mesh.durations[2] ?? 0) - (plain.durations[2] ?? 0)} µs = 4 loopback trips + 2 × 300 + 2 × 200`,
);
