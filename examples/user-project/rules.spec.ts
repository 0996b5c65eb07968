// How a team tests its own Istio rules with meshsim: example-based assertions on where requests go, and
// property-based checks over generated requests and generated VirtualServices.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { loadMeshModel } from '@meshsim/sim-core';
import {
  decideRoute,
  everyRequestReachesDestination,
  meshRequest,
  noUnreachableRules,
  simulateCall,
  splitMatchesWeights,
  virtualService,
} from '@meshsim/sim-core/testing';

const dir = join(import.meta.dirname, 'manifests');
const manifests = readdirSync(dir)
  .sort()
  .map((f) => ({ file: `manifests/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
const mesh = loadMeshModel(manifests);

describe('catalog routing', () => {
  it('sends beta testers to v2', () => {
    expect(mesh)
      .toRoute({ from: 'web.store', url: 'http://catalog:8080/items', headers: { 'x-beta': 'true' } })
      .to({ host: 'catalog', subset: 'v2', port: 8080 });
  });

  it('splits everyone else 95/5: exactly in the route table, within exact bounds in the simulated world', () => {
    const call = { from: 'web.store', url: 'http://catalog:8080/items' };
    expect(decideRoute(mesh, call)).toSplit({ v1: 95, v2: 5 });
    expect(simulateCall(mesh, call, { requests: 2000, seed: 1 })).toSplit({ v1: 95, v2: 5 }, { alpha: 0.001 });
    expect(decideRoute(mesh, call)).toHaveStatus(200);
  });

  it('holds the ready-made properties', () => {
    expect(everyRequestReachesDestination(mesh)).toHold();
    expect(noUnreachableRules(mesh)).toHold();
    expect(splitMatchesWeights(mesh, { hosts: ['catalog.store.svc.cluster.local'] })).toHold();
  });

  test.prop([meshRequest(mesh, { from: ['web.store'] })])('every generated request is answered 200', (call) => {
    expect(decideRoute(mesh, call)).toHaveStatus(200);
  });
});

describe('a rule change, tried on generated VirtualServices first', () => {
  test.prop([virtualService({ host: 'catalog', namespace: 'store', subsets: ['v1', 'v2'], catchAll: true })], {
    numRuns: 20,
  })('any valid VirtualService for catalog keeps every request routed', (vs) => {
    const text = JSON.stringify(vs); // JSON is YAML: a manifest as kubectl reads it
    const model = loadMeshModel([
      ...manifests.filter((m) => !m.file.endsWith('virtual-service.yaml')),
      { file: 'candidate.yaml', text },
    ]);
    expect(everyRequestReachesDestination(model, { hosts: ['catalog.store.svc.cluster.local'] })).toHold({
      numRuns: 20,
    });
  });

  it('the arbitraries shrink a failing VirtualService to a small one', () => {
    const r = fc.check(
      fc.property(virtualService({ host: 'catalog', subsets: ['v1', 'v2'] }), (vs) => JSON.stringify(vs).length < 200),
      { seed: 1 },
    );
    expect(r.failed).toBe(true);
    expect(fc.stringify(r.counterexample?.[0])).toContain('kind: VirtualService');
  });
});
