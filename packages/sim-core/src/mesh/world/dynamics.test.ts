/**
 * Timed changes as a cluster lives them: a config change reaches each proxy after istiod's debounce and
 * its own push delay; a pod failing its readiness probe leaves the endpoints after failureThreshold probes
 * (its container's probe timing) and the push; a VM's readiness counts only when its WorkloadGroup has a
 * probe; a crashed pod refuses, then comes back; a scaled-up Deployment's new pod gets traffic once it has
 * started, passed its probe and been pushed; a partitioned node's pods are unreachable until healed.
 */
import { describe, expect, it } from 'vitest';
import { ms, s } from '../../engine/time.js';
import { loadManifestsOrThrow } from '../../k8s/load/loadManifests.js';
import { buildMeshModel } from '../../istio/model/meshModel.js';
import { parseClusterEnv, virtualMachineFromEnv } from '../../istio/model/vm.js';
import type { RequestOutcome } from '../../envoy/observability/outcome.js';
import { reviewsMesh } from './testMeshes.js';
import { runFromSleep } from './testRuns.js';
import { simulate } from './simulate.js';

const c = (value: number) => ({ kind: 'constant' as const, value });
const FIXED = {
  network: { links: { loopback: { latency: c(10) }, sameNode: { latency: c(50) }, crossNode: { latency: c(100) } } },
  proxyLatency: { request: c(300), response: c(200) },
};
// A warm request is decided by the client sidecar one loopback trip and one request pass after it starts.
const DECIDED = 10 + 300;

const lastTo = (outcomes: readonly RequestOutcome[], pod: string, before = Infinity) =>
  outcomes
    .filter((o) => o.destination.pod === pod && o.startTime < before)
    .reduce((a, o) => Math.max(a, o.startTime), -1);
const firstTo = (outcomes: readonly RequestOutcome[], pod: string, after = 0) =>
  outcomes
    .filter((o) => o.destination.pod === pod && o.startTime >= after)
    .reduce((a, o) => Math.min(a, o.startTime), Infinity);

describe('config pushes', () => {
  it('a changed VirtualService takes effect after the 100 ms debounce and the proxy’s push delay', () => {
    const route = (subset: string) => ({ http: [{ route: [{ destination: { host: 'reviews', subset } }] }] });
    const model = reviewsMesh({ versions: [{ name: 'v1' }, { name: 'v2' }], virtualService: route('v1') });
    const vs = loadManifestsOrThrow([
      {
        file: 'vs.yaml',
        text: JSON.stringify({
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          metadata: { name: 'reviews', namespace: 'default' },
          spec: { hosts: ['reviews'], ...route('v2') },
        }),
      },
    ]);
    const { outcomes } = runFromSleep(
      model,
      { rate: 1000, requests: 2000, arrivals: 'constant' },
      {
        ...FIXED,
        dynamics: { pushDelay: c(ms(5)) },
        events: [{ at: s(1), change: { kind: 'apply', objects: vs } }],
      },
    );
    const switchAt = s(1) + ms(100) + ms(5);
    const decided = (o: RequestOutcome) => o.startTime + DECIDED;
    const warm = outcomes.filter((o) => o.startTime > ms(10));
    expect(warm.filter((o) => decided(o) < switchAt).every((o) => o.destination.subset === 'v1')).toBe(true);
    expect(warm.filter((o) => decided(o) >= switchAt).every((o) => o.destination.subset === 'v2')).toBe(true);
    expect(warm.filter((o) => decided(o) >= switchAt).length).toBeGreaterThan(800);
  });
});

describe('readiness', () => {
  it('an unready pod leaves the endpoints after failureThreshold probes of its own timing plus the push, and returns', () => {
    const model = reviewsMesh({
      versions: [{ name: 'v1', replicas: 2 }],
      readinessProbe: { httpGet: { path: '/health', port: 9080 }, periodSeconds: 2, failureThreshold: 2 },
    });
    const pods = model.cluster.pods
      .filter((p) => p.labels['app'] === 'reviews')
      .map((p) => `default/${p.name}`)
      .sort();
    const bad = pods[0] as string;
    const { outcomes } = runFromSleep(
      model,
      { rate: 200, requests: 3000, arrivals: 'constant' },
      {
        ...FIXED,
        dynamics: { pushDelay: c(ms(5)) },
        events: [
          {
            at: s(1),
            change: {
              kind: 'unready',
              target: { selector: { matchLabels: { app: 'reviews' } }, replica: 0 },
              duration: s(6),
            },
          },
        ],
      },
    );
    expect(outcomes.every((o) => o.status === 200)).toBe(true);
    // The first failed probe comes within one period (2 s) of the change; the second makes it unready.
    const gone = lastTo(outcomes, bad, s(6)) + DECIDED;
    expect(gone).toBeGreaterThanOrEqual(s(1) + s(2) + ms(100));
    expect(gone).toBeLessThan(s(1) + s(4) + ms(105) + ms(10));
    // Ready again at the first passed probe after 7 s (successThreshold 1), then the push.
    const back = firstTo(outcomes, bad, s(5)) + DECIDED;
    expect(back).toBeGreaterThanOrEqual(s(7) + ms(105));
    expect(back).toBeLessThan(s(9) + ms(105) + ms(10));
  });

  const vmManifests = (probe: boolean) => `
apiVersion: v1
kind: Namespace
metadata: {name: demo, labels: {istio-injection: enabled}}
---
apiVersion: networking.istio.io/v1
kind: WorkloadGroup
metadata: {name: web, namespace: demo}
spec:
  metadata: {labels: {app: web}}
  template: {serviceAccount: vm}
${probe ? '  probe: {httpGet: {port: 80}, periodSeconds: 1, failureThreshold: 2}' : ''}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: demo}
spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: demo}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: sleep, namespace: demo}
spec:
  selector: {matchLabels: {app: sleep}}
  template:
    metadata: {labels: {app: sleep}}
    spec: {containers: [{name: sleep, image: curl}]}
`;

  const vmRun = (probe: boolean) => {
    const env = parseClusterEnv(
      "ISTIO_META_AUTO_REGISTER_GROUP='web'\nISTIO_METAJSON_LABELS='{\"app\":\"web\"}'\nISTIO_NAMESPACE='demo'\nISTIO_SVC_IP='192.168.0.10'\nSERVICE_ACCOUNT='vm'",
    );
    const model = buildMeshModel(loadManifestsOrThrow([{ file: 'vm.yaml', text: vmManifests(probe) }]), {
      virtualMachines: [virtualMachineFromEnv('vm10', env)],
    });
    const sleep = model.cluster.pods.find((p) => p.labels['app'] === 'sleep')?.name as string;
    const outcomes: RequestOutcome[] = [];
    simulate({
      model,
      ...FIXED,
      dynamics: { pushDelay: c(ms(5)) },
      traffic: [
        {
          name: 'load',
          source: { kind: 'pod', namespace: 'demo', pod: sleep },
          rate: 100,
          requests: 800,
          arrivals: 'constant',
          mix: [{ url: 'http://web/' }],
        },
      ],
      events: [{ at: s(1), change: { kind: 'unready', target: { namespace: 'demo', pod: 'vm10' } } }],
      onOutcome: (o) => outcomes.push(o),
    });
    return lastTo(outcomes, 'demo/vm10');
  };

  it('a VM whose WorkloadGroup has a probe leaves the endpoints when its probe fails', () => {
    const last = vmRun(true);
    expect(last).toBeGreaterThan(s(1) + s(1));
    expect(last).toBeLessThan(s(1) + s(2) + ms(105));
  });

  it('a VM whose WorkloadGroup has no probe stays: its readiness never reaches istiod', () => {
    expect(vmRun(false)).toBeGreaterThan(s(7));
  });
});

describe('pods dying, starting and cut off', () => {
  it('scaling a Deployment up: the new pod gets traffic after start-up, its first probe and the push', () => {
    const model = reviewsMesh({ versions: [{ name: 'v1', replicas: 1 }] });
    const before = new Set(model.cluster.pods.map((p) => `default/${p.name}`));
    const { outcomes, result } = runFromSleep(
      model,
      { rate: 200, requests: 2000, arrivals: 'constant' },
      {
        ...FIXED,
        dynamics: { pushDelay: c(ms(5)), podStartup: c(s(2)), probePeriod: s(1) },
        events: [{ at: s(1), change: { kind: 'scale', name: 'reviews-v1', replicas: 2 } }],
      },
    );
    const added = result.world.instances.filter((i) => i.labels['app'] === 'reviews' && !before.has(i.key));
    expect(added).toHaveLength(1);
    const first = firstTo(outcomes, added[0]?.key as string) + DECIDED;
    // Running at 3 s, ready at its first probe (within 1 s), pushed 100 + 5 ms later.
    expect(first).toBeGreaterThanOrEqual(s(3) + ms(105));
    expect(first).toBeLessThan(s(4) + ms(105) + ms(10));
    expect(outcomes.every((o) => o.status === 200)).toBe(true);
  });

  it('a partitioned node: its pod is unreachable, connections time out, and it answers again once healed', () => {
    const model = reviewsMesh({ versions: [{ name: 'v1', replicas: 1 }] });
    const node = model.cluster.pods.find((p) => p.labels['app'] === 'reviews')?.nodeName as string;
    const { outcomes } = runFromSleep(
      model,
      { rate: 100, requests: 600, arrivals: 'constant' },
      {
        ...FIXED,
        events: [{ at: s(1), change: { kind: 'partition', node, duration: s(2) } }],
      },
    );
    const during = outcomes.filter((o) => o.startTime > s(1) + ms(10) && o.startTime < s(2));
    expect(during.length).toBeGreaterThan(0);
    // No answer crosses the partition: the requests end after it heals (or fail), never inside it.
    for (const o of during) expect(o.status !== 200 || o.startTime + o.duration >= s(3)).toBe(true);
    const afterHeal = outcomes.filter((o) => o.startTime > s(4));
    expect(afterHeal.length).toBeGreaterThan(0);
    expect(afterHeal.every((o) => o.status === 200)).toBe(true);
  });
});
