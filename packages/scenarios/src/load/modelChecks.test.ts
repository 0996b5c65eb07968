/** Targets against the cluster the mesh model builds: what selects what, replicas, and events over time. */
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseScenario } from './parseScenario.js';
import { loadScenario } from './loadScenario.js';
import { checkTarget, clusterView, objectsBeforeEachEvent, selectInstances } from './modelChecks.js';

const loaded = await loadScenario('canary/scenario.yaml', { cwd: join(import.meta.dirname, 'testdata', 'good') });
const view = clusterView(loaded.objects);
const pods = view.instances.filter((i) => i.kind === 'Pod' && i.namespace === 'default');
const INJECTED_OR_CONTROLLER = /^(pod-template-hash|security\.istio\.io\/|service\.istio\.io\/)/;

describe('selectInstances() / checkTarget()', () => {
  it('sees the pods of the manifests and those of Istio’s default install', () => {
    expect(pods.map((p) => p.workload)).toEqual(['reviews-v1', 'reviews-v1', 'reviews-v2', 'reviews-v2', 'sleep']);
    expect(view.instances.some((i) => i.namespace === 'istio-system' && i.workload === 'istio-ingressgateway')).toBe(
      true,
    );
    expect(view.hosts).toContain('reviews.default.svc.cluster.local');
  });

  test.prop([fc.constantFrom(...pods)])('a pod named by its name is selected alone', (pod) => {
    expect(selectInstances(view, { namespace: 'default', pod: pod.name })).toEqual([pod]);
    expect(checkTarget(view, { namespace: 'default', pod: pod.name }, ['t'])).toBeUndefined();
  });

  test.prop([fc.constantFrom(...pods), fc.subarray(['app', 'version'])])(
    'a selector made of some of a pod’s own labels selects it, and only pods that carry them',
    (pod, keys) => {
      const matchLabels = Object.fromEntries(
        keys.filter((k) => k in pod.labels).map((k) => [k, pod.labels[k] as string]),
      );
      const selected = selectInstances(view, { namespace: 'default', selector: { matchLabels } });
      expect(selected).toContain(pod);
      for (const s of selected) for (const [k, v] of Object.entries(matchLabels)) expect(s.labels[k]).toBe(v);
    },
  );

  test.prop([fc.constantFrom('reviews-v1', 'reviews-v2', 'sleep'), fc.nat(4)])(
    'replica i exists exactly when i is below the number of selected instances',
    (workload, replica) => {
      const labels = Object.fromEntries(
        Object.entries(pods.find((p) => p.workload === workload)?.labels ?? {}).filter(
          ([k]) => !INJECTED_OR_CONTROLLER.test(k),
        ),
      );
      const count = pods.filter((p) => p.workload === workload).length;
      const problem = checkTarget(view, { namespace: 'default', selector: { matchLabels: labels }, replica }, ['t']);
      expect(problem === undefined).toBe(replica < count);
      if (problem !== undefined) expect(problem.path).toEqual(['t', 'replica']);
    },
  );

  it('an empty selector selects every instance of the namespace, and none of another', () => {
    expect(selectInstances(view, { namespace: 'default', selector: {} })).toEqual(
      view.instances.filter((i) => i.namespace === 'default'),
    );
    expect(checkTarget(view, { namespace: 'nowhere', selector: {} }, ['t'])?.message).toBe(
      'the selector matches no pod or WorkloadEntry in namespace nowhere (namespace nowhere has no workloads)',
    );
  });
});

describe('objectsBeforeEachEvent()', () => {
  it('follows scale and apply events in order', async () => {
    const text = `name: s
duration: 1m
manifests: [manifests/]
traffic: [{from: {selector: {}}, url: "http://reviews:9080/", rate: 1}]
events:
  - {at: 1s, scale: {name: reviews-v2, replicas: 5}}
  - {at: 2s, scale: {name: reviews-v2, replicas: 0}}
  - {at: 3s, ready: {selector: {}}}
`;
    const doc = parseScenario({ file: 's.yaml', text });
    const states = objectsBeforeEachEvent(
      loaded.objects,
      doc.scenario,
      () => [],
      () => [],
    );
    const v2 = (i: number) => clusterView(states[i] ?? []).instances.filter((x) => x.workload === 'reviews-v2').length;
    expect([v2(0), v2(1), v2(2)]).toEqual([2, 5, 0]);
  });
});
