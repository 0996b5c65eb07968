import { fc, test } from '@fast-check/vitest';
import { buildMeshModel, route, type KubeObject } from '@meshsim/sim-core';
import { describe, expect, it } from 'vitest';
import { canaryClassroomScenario } from '../testdata/classroomFixture.js';
import { loadClassroomObjects } from './runLesson.js';
import { applySettings } from './settings.js';
import { LB_POLICIES, type ClassroomSettings } from './types.js';

const scenario = canaryClassroomScenario(50);
const objects = loadClassroomObjects(scenario);
const lesson = scenario.lesson;

type Obj = Record<string, unknown>;
const specOf = (objs: readonly KubeObject[], kind: string, name: string): Obj =>
  (objs.find((o) => o.kind === kind && o.metadata.name === name)?.spec ?? {}) as Obj;
const httpOf = (objs: readonly KubeObject[], i: number): Obj =>
  (specOf(objs, 'VirtualService', 'canary')['http'] as Obj[])[i] as Obj;

const settingsArb = fc.record(
  {
    canaryWeight: fc.integer({ min: 0, max: 100 }),
    delayPercent: fc.integer({ min: 0, max: 100 }),
    abortPercent: fc.integer({ min: 0, max: 100 }),
    lbPolicy: fc.constantFrom(...LB_POLICIES),
    replicaFailurePercent: fc.integer({ min: 0, max: 100 }),
  },
  { requiredKeys: [] },
);

describe('the canary lesson', () => {
  it('follows the weighted route of the seed’s VirtualService, its DestinationRule and a canary pod', () => {
    expect(lesson.route).toMatchObject({ namespace: 'canary', name: 'canary', httpIndex: 1 });
    expect(lesson.route?.destinations.map((d) => [d.subset, d.weight])).toEqual([
      ['v1', 100],
      ['v2', 0],
    ]);
    expect(lesson.route?.fault).toEqual({ delayPercent: 0, fixedDelay: '2s', abortPercent: 0, httpStatus: 503 });
    expect(lesson.destinationRule).toEqual({ namespace: 'canary', name: 'canary' });
    expect(lesson.lbPolicy).toBe('RANDOM');
    expect(lesson.replica?.pod).toMatch(/^canary-/);
  });
});

describe('applySettings()', () => {
  test.prop([settingsArb])(
    'edits exactly the Istio fields the settings name, and lists each edit',
    (s: ClassroomSettings) => {
      const before = JSON.stringify(objects);
      const applied = applySettings(objects, lesson, s);
      expect(JSON.stringify(objects)).toBe(before); // the scenario's own objects are untouched
      const http = httpOf(applied.objects, 1);
      const weights = (http['route'] as Obj[]).map((r) => r['weight']);
      expect(weights).toEqual(s.canaryWeight === undefined ? [100, 0] : [100 - s.canaryWeight, s.canaryWeight]);
      const fault = http['fault'] as Obj | undefined;
      expect((fault?.['delay'] as Obj | undefined)?.['percentage']).toEqual(
        s.delayPercent ? { value: s.delayPercent } : undefined,
      );
      expect((fault?.['abort'] as Obj | undefined)?.['percentage']).toEqual(
        s.abortPercent ? { value: s.abortPercent } : undefined,
      );
      // The other route (the tester's) never changes.
      expect(httpOf(applied.objects, 0)).toEqual(httpOf(objects, 0));
      const dr = specOf(applied.objects, 'DestinationRule', 'canary');
      const lb = s.lbPolicy !== undefined && s.lbPolicy !== 'RANDOM' ? s.lbPolicy : 'RANDOM';
      expect((dr['trafficPolicy'] as Obj)['loadBalancer']).toEqual({ simple: lb });
      const v2 = (dr['subsets'] as Obj[])[1] as Obj;
      expect(((v2['trafficPolicy'] as Obj)['loadBalancer'] as Obj)['simple']).toBe(
        lb === 'RANDOM' ? 'ROUND_ROBIN' : lb,
      );
      const rep = lesson.replica;
      const failing = s.replicaFailurePercent !== undefined && s.replicaFailurePercent !== rep?.errorPercent;
      expect(applied.workloads).toEqual(
        failing
          ? [
              {
                namespace: rep?.namespace,
                pod: rep?.pod,
                behaviour: {
                  errors: s.replicaFailurePercent
                    ? [{ status: 503, probability: (s.replicaFailurePercent ?? 0) / 100 }]
                    : [],
                },
              },
            ]
          : [],
      );
      const edits =
        (s.canaryWeight !== undefined && s.canaryWeight !== 0 ? 2 : 0) +
        (s.delayPercent || s.abortPercent ? 1 : 0) +
        (lb === 'RANDOM' ? 0 : lb === 'ROUND_ROBIN' ? 1 : 2) + // top level, and subset v2 unless already ROUND_ROBIN
        (failing ? 1 : 0);
      expect(applied.changes.length).toBe(edits);
    },
  );

  test.prop([fc.integer({ min: 1, max: 99 })])(
    'the weights reach Envoy: the route’s weighted clusters carry them',
    (w) => {
      const applied = applySettings(objects, lesson, { canaryWeight: w });
      const model = buildMeshModel(applied.objects, scenario.meshModel);
      const toolbox = model.cluster.pods.find((p) => p.labels['app'] === 'toolbox')?.name ?? '';
      const e = route(model, { from: `${toolbox}.canary`, url: 'http://canary/' });
      expect(e.clusters.map((c) => [c.subset, c.weight])).toEqual([
        ['v1', 100 - w],
        ['v2', w],
      ]);
      expect(e.route?.source?.line).toBe(
        objects.find((o) => o.kind === 'VirtualService')?.source.lineOf(['spec', 'http', 1]),
      );
    },
  );

  it('settings equal to the manifests make no edit', () => {
    const r = lesson.route;
    const applied = applySettings(objects, lesson, {
      canaryWeight: 0,
      delayPercent: r?.fault.delayPercent ?? 0,
      abortPercent: r?.fault.abortPercent ?? 0,
      lbPolicy: 'RANDOM',
      replicaFailurePercent: lesson.replica?.errorPercent ?? 0,
    });
    expect(applied.changes).toEqual([]);
    expect(applied.objects).toEqual(objects);
  });

  it('adds a VirtualService and a DestinationRule where the scenario has none', () => {
    const bare = { ...lesson, route: undefined, destinationRule: undefined, lbPolicy: undefined } as typeof lesson;
    const applied = applySettings(objects, bare, { delayPercent: 30, lbPolicy: 'LEAST_REQUEST' });
    const vs = applied.objects.find((o) => o.metadata.name === 'classroom-fault');
    expect(vs?.spec).toEqual({
      hosts: ['canary.canary.svc.cluster.local'],
      http: [
        {
          fault: { delay: { fixedDelay: '2s', percentage: { value: 30 } } },
          route: [{ destination: { host: 'canary.canary.svc.cluster.local' } }],
        },
      ],
    });
    expect(vs?.source.file).toBe('(classroom) added-1.yaml');
    expect(applied.objects.find((o) => o.metadata.name === 'classroom-lb')?.spec).toEqual({
      host: 'canary.canary.svc.cluster.local',
      trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } },
    });
    expect(applied.changes).toEqual([
      'VirtualService canary/classroom-fault added: spec.http[0].fault {"delay":{"fixedDelay":"2s","percentage":{"value":30}}}',
      'DestinationRule canary/classroom-lb added: spec.trafficPolicy.loadBalancer.simple "LEAST_REQUEST"',
    ]);
  });

  it('refuses percentages that are not numbers', () => {
    expect(() => applySettings(objects, lesson, { delayPercent: Number.NaN })).toThrow(RangeError);
  });
});
