import { loadMeshModel } from '@meshsim/sim-core';
import { describe, expect, it } from 'vitest';
import { canaryExplanation, canaryInputs } from '../testdata/canaryFixture.js';
import { splitRouteFromExplanation, splitRouteFromVirtualService } from './splitRoutes.js';

describe('splitRouteFromVirtualService()', () => {
  const model = loadMeshModel(canaryInputs());
  const vs = model.istio.virtualServices.find((v) => v.metadata.name === 'canary');
  if (vs === undefined) throw new Error('no VirtualService canary');

  it('declares the weights as written, the zero weight included, each with its file:line', () => {
    const r = splitRouteFromVirtualService(vs, 1);
    expect(r.id).toBe('canary/canary#1');
    expect(r.destinations).toEqual([
      expect.objectContaining({
        id: 'canary.canary.svc.cluster.local|v1',
        label: 'canary.canary v1',
        weight: 100,
        decidedBy: expect.objectContaining({
          file: 'canary/istio-specs.yaml',
          line: 25,
          field: 'spec.http[1].route[0].weight',
        }),
      }),
      expect.objectContaining({
        id: 'canary.canary.svc.cluster.local|v2',
        weight: 0,
        decidedBy: expect.objectContaining({ line: 29, field: 'spec.http[1].route[1].weight' }),
      }),
    ]);
  });

  it('gives a lone destination 100 (Istio ignores its weight)', () => {
    expect(splitRouteFromVirtualService(vs, 0).destinations).toEqual([
      expect.objectContaining({ id: 'canary.canary.svc.cluster.local|v2', weight: 100 }),
    ]);
  });

  it('refuses an http route that does not exist', () => {
    expect(() => splitRouteFromVirtualService(vs, 5)).toThrow(/no spec.http\[5\]/);
  });
});

describe('splitRouteFromExplanation()', () => {
  it("takes Envoy's weighted clusters: istiod has dropped the zero-weight v2", () => {
    const r = splitRouteFromExplanation(canaryExplanation(loadMeshModel(canaryInputs())));
    expect(r).toMatchObject({ id: 'canary/canary#1', label: 'VirtualService canary/canary http[1]' });
    expect(r?.destinations).toEqual([
      { id: 'canary.canary.svc.cluster.local|v1', label: 'canary.canary v1', weight: 100 },
    ]);
  });

  it('keeps both weights of an 80/20 split', () => {
    const r = splitRouteFromExplanation(canaryExplanation(loadMeshModel(canaryInputs({ v1: 80, v2: 20 }))));
    expect(r?.destinations.map((d) => [d.id, d.weight])).toEqual([
      ['canary.canary.svc.cluster.local|v1', 80],
      ['canary.canary.svc.cluster.local|v2', 20],
    ]);
  });
});
