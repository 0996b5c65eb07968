/**
 * A classroom scenario built from the seed's canary manifests (`canary/`, see README.md): the toolbox
 * sends `GET http://canary/` at 50 requests per second through the weighted route (v1 100 / v2 0 as the
 * walkthrough writes it), and a tester pinned to v2 by its header — as the bundled `canary` scenario does,
 * without its timed events. The lesson is found by `lessonFor`, as `meshsim classroom` finds it.
 */
import { loadMeshModel, type TrafficSpec } from '@meshsim/sim-core';
import { lessonFor } from '../classroom/lesson.js';
import type { ClassroomInput, ClassroomScenario } from '../classroom/types.js';
import { canaryInputs } from './canaryFixture.js';

/** The canary classroom scenario (`requests` per generator). */
export function canaryClassroomScenario(requests = 400): ClassroomScenario {
  const manifests = canaryInputs();
  const model = loadMeshModel(manifests);
  const toolbox = model.cluster.pods.find((p) => p.labels['app'] === 'toolbox');
  if (toolbox === undefined) throw new Error('fixture: no toolbox pod');
  const source = { kind: 'pod' as const, namespace: 'canary', pod: toolbox.name };
  const traffic: TrafficSpec[] = [
    { name: 'users', source, rate: 50, requests, arrivals: 'poisson', mix: [{ url: 'http://canary/' }] },
    { name: 'tester', source, connections: 1, qps: 10, requests: Math.ceil(requests / 10), mix: [{ url: 'http://canary/', headers: { user: 'jesse' } }] },
  ];
  const workloads = [
    { namespace: 'canary', selector: { matchLabels: { app: 'canary' } }, behaviour: { serviceTime: { kind: 'uniform' as const, min: 10_000, max: 200_000 } } },
  ];
  return {
    name: 'canary',
    description: 'Shift the canary from v1 to v2 with the weight slider; the tester (user: jesse) stays on v2.',
    seed: 1,
    manifests,
    meshModel: {},
    world: { traffic, workloads },
    requests,
    omittedEvents: [],
    lesson: lessonFor(model, { traffic, workloads }),
    files: manifests.map((m) => ({ file: m.file, text: m.text })),
  };
}

/** A page with the canary scenario. */
export function canaryClassroomInput(): ClassroomInput {
  return { title: 'meshsim classroom', generator: 'meshsim viz test fixture', scenarios: [canaryClassroomScenario()] };
}
