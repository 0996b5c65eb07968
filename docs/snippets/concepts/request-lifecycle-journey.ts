import { reviewsMesh, simulate, sleepPod } from '@meshsim/sim-core';

// sleep → reviews:9080, both with sidecars; constant latencies so every number can be checked by hand.
const model = reviewsMesh({ versions: [{ name: 'v1', replicas: 1 }] });
const constant = (value: number) => ({ kind: 'constant' as const, value });
const logs: string[] = [];
const app = (pod: unknown) => String(pod).split('/')[1]?.split('-')[0];
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
      requests: 1,
      mix: [{ url: 'http://reviews:9080/reviews/0' }],
    },
  ],
  accessLog: { write: (proxy, line) => logs.push(`${app(proxy)}: ${line.trimEnd()}`) },
  accessLogClock: { epochMs: Date.UTC(2026, 2, 1, 9, 30) },
  onOutcome: (o) =>
    console.log(`outcome: ${o.status} ${o.responseFlags} ${o.responseCodeDetails} after ${o.duration} µs\n`),
});

// The hop-level trace, one line per decision point (each record's detail is JSON).
interface Detail {
  [field: string]: string | number | string[] | undefined;
  netfilter: string[];
  serverPassUs: number;
}
for (const { time, kind, detail } of result.trace?.records ?? []) {
  const d = JSON.parse(kind === 'event' ? '{}' : detail) as Detail;
  const at = `${String(time).padStart(5)} µs`;
  const p = `[${app(d.proxy)} sidecar]`;
  if (kind === 'tcp.connect') console.log(`${at} connect ${d.from} → ${d.to}: ${d.netfilter.join('; ')}`);
  if (kind === 'net.request')
    console.log(
      `${at} request ${app(d.from)} → ${app(d.to)}: ${d.hop} ${d.networkUs} µs, then ${d.serverPassUs > 0 ? `Envoy's request pass ${d.serverPassUs} µs` : 'the app'}`,
    );
  if (kind === 'hcm.decode')
    console.log(`${at} ${p} route config ${d.routeConfig}, virtual host ${d.virtualHost}, route ${d.route}`);
  if (kind === 'router.attempt') console.log(`${at} ${p} try ${d.attempt}: cluster ${d.cluster}, host ${d.host}`);
  if (kind === 'net.response')
    console.log(
      `${at} response ${d.status} ${app(d.from)} → ${app(d.to)}: sent at ${d.sentAt} µs, ${d.networkUs} µs on the wire`,
    );
  if (kind === 'hcm.complete') console.log(`${at} ${p} logs ${d.status} ${d.flags} ${d.details}`);
}
console.log('');
for (const line of logs) console.log(line);
