/** How variants combine with the scenario, and the shapes handed to sim-core's mesh model. */
import { buildMeshModel } from '@meshsim/sim-core';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { MeshOverrides } from '../schema/types/mesh.js';
import { effectiveSettings, mergeMesh, mergeNetwork, meshConfigJson, meshModelOptions } from './effective.js';
import { parseScenario } from './parseScenario.js';

const mesh = fc.record(
  {
    enableAutoMtls: fc.boolean(),
    rootNamespace: fc.constantFrom('istio-system', 'mesh-root'),
    defaultConfig: fc.record(
      {
        concurrency: fc.nat(4),
        proxyMetadata: fc.dictionary(fc.constantFrom('A', 'B', 'C'), fc.constantFrom('true', 'false'), {
          noNullPrototype: true,
        }),
      },
      { requiredKeys: [] },
    ),
    compatibility: fc.record(
      { outlierEjectionRule: fc.constantFrom('current' as const, 'legacy' as const) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<MeshOverrides>;

describe('mergeMesh()', () => {
  test.prop([mesh])('merging nothing changes nothing', (m) => {
    expect(mergeMesh(m, undefined)).toBe(m);
    expect(mergeMesh(undefined, m)).toBe(m);
  });
  test.prop([mesh, mesh])('the variant wins field by field; proxyMetadata keys of both survive', (base, over) => {
    const merged = mergeMesh(base, over) as MeshOverrides;
    expect(merged.enableAutoMtls).toBe(over.enableAutoMtls ?? base.enableAutoMtls);
    expect(merged.defaultConfig?.concurrency).toBe(over.defaultConfig?.concurrency ?? base.defaultConfig?.concurrency);
    for (const [k, v] of Object.entries({
      ...base.defaultConfig?.proxyMetadata,
      ...over.defaultConfig?.proxyMetadata,
    })) {
      expect(merged.defaultConfig?.proxyMetadata?.[k]).toBe(v);
    }
  });
});

describe('mergeNetwork()', () => {
  it('merges each hop class field by field', () => {
    expect(
      mergeNetwork(
        { crossNode: { latency: { constant: 100 }, loss: 1 } },
        { crossNode: { loss: 2 }, proxy: { request: { constant: 5 } } },
      ),
    ).toEqual({
      crossNode: { latency: { constant: 100 }, loss: 2 },
      proxy: { request: { constant: 5 } },
    });
  });
});

describe('meshModelOptions()', () => {
  const { scenario } = parseScenario({
    file: 's.yaml',
    text: `name: s
duration: 1s
mesh:
  connectTimeout: 2.5s
  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
  defaultConfig: {concurrency: 4}
  compatibility: {retryBackOff: legacy}
vms:
  - {name: vm-1, address: 10.0.0.9, labels: {app: vm}}
traffic: [{from: {selector: {}}, url: "http://a/", rate: 1}]
variants:
  - {name: more-workers, mesh: {defaultConfig: {concurrency: 8}}, workloads: [{selector: {}, serviceTime: 1ms}]}
`,
  });

  it('writes MeshConfig as the istio ConfigMap does, without meshsim’s own switches', () => {
    expect(meshConfigJson(scenario.mesh)).toEqual({
      connectTimeout: '2.5s',
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
      defaultConfig: { concurrency: 4 },
    });
  });

  it('is read back by the mesh model as the same settings', () => {
    const model = buildMeshModel([], meshModelOptions(scenario));
    expect(model.meshConfig.connectTimeout).toBe(2_500_000);
    expect(model.meshConfig.outboundTrafficPolicy.mode).toBe('REGISTRY_ONLY');
    expect(model.meshConfig.defaultConfig.concurrency).toBe(4);
    expect(model.virtualMachines.map((vm) => vm.name)).toEqual(['vm-1']);
    const variant = buildMeshModel([], meshModelOptions(scenario, scenario.variants[0]));
    expect(variant.meshConfig.defaultConfig.concurrency).toBe(8);
  });

  it('layers a variant’s workloads after the scenario’s', () => {
    expect(effectiveSettings(scenario, scenario.variants[0]).workloads).toHaveLength(1);
    expect(effectiveSettings(scenario).workloads).toHaveLength(0);
  });
});
