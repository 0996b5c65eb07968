/**
 * Properties of the mesh model: it depends on the set of objects only (not on document order or on how
 * documents are split into files); building is deterministic; the model is deeply frozen.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { seedFile, seedInputs, SEED_NAMES, type SeedName } from '../../../test/seeds.js';
import { canonicalJson } from '../../k8s/hash.js';
import { loadManifests, type ManifestInput } from '../../k8s/load/loadManifests.js';
import { buildMeshModel, type MeshModel } from './meshModel.js';
import { parseClusterEnv, virtualMachineFromEnv } from './vm.js';

/** The model without where things came from (file names differ between layouts). */
function projection(m: MeshModel): string {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (k !== 'source' && typeof x !== 'function') out[k] = strip(x);
      return out;
    }
    return v;
  };
  return canonicalJson(
    strip({
      cluster: m.cluster,
      registry: m.registry,
      proxies: m.proxies,
      istio: m.istio,
      addresses: m.serviceEntryAddresses,
      mesh: m.meshConfig.raw,
    }),
  );
}

/** Every document of a seed fixture, as text. */
function documents(name: SeedName): string[] {
  return seedInputs(name).flatMap((input) =>
    parseAllDocuments(input.text)
      .filter((d) => d.contents !== null)
      .map((d) => d.toString()),
  );
}

function build(inputs: readonly ManifestInput[], name: SeedName): MeshModel {
  const loaded = loadManifests(inputs);
  expect(loaded.errors.map(String)).toEqual([]);
  const vms =
    name === 'vm-mesh-expansion'
      ? [virtualMachineFromEnv('vm204', parseClusterEnv(seedFile(name, 'vm/cluster.env')))]
      : [];
  return buildMeshModel(loaded.objects, { virtualMachines: vms });
}

describe('buildMeshModel()', () => {
  test.prop([fc.constantFrom(...SEED_NAMES), fc.infiniteStream(fc.nat()), fc.integer({ min: 1, max: 5 })], {
    numRuns: 40,
  })('is independent of document order and of splitting documents into files', (name, randoms, files) => {
    const docs = documents(name);
    const reference = projection(build([{ file: 'all.yaml', text: docs.join('---\n') }], name));
    // A random permutation, cut into `files` files.
    const it = randoms[Symbol.iterator]();
    const shuffled = [...docs];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = (it.next().value as number) % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j] as string, shuffled[i] as string];
    }
    const inputs: ManifestInput[] = [];
    shuffled.forEach((doc, i) => {
      const f = (it.next().value as number) % files;
      const existing = inputs.find((x) => x.file === `part-${f}.yaml`);
      if (existing === undefined) inputs.push({ file: `part-${f}.yaml`, text: doc });
      else (existing as { text: string }).text += `---\n${doc}`;
      void i;
    });
    expect(projection(build(inputs, name))).toBe(reference);
  });

  it('is deterministic: the same objects give the same model', () => {
    for (const name of SEED_NAMES)
      expect(projection(build(seedInputs(name), name))).toBe(projection(build(seedInputs(name), name)));
  });

  it('returns a deeply frozen model', () => {
    const m = build(seedInputs('canary'), 'canary');
    expect(Object.isFrozen(m)).toBe(true);
    expect(Object.isFrozen(m.cluster.pods)).toBe(true);
    expect(Object.isFrozen(m.cluster.pods[0]?.spec)).toBe(true);
    expect(Object.isFrozen(m.registry.endpoints[0])).toBe(true);
    expect(() => {
      (m.cluster.pods as unknown as unknown[]).push({});
    }).toThrow(TypeError);
  });

  it('adds the default Istio installation unless turned off or brought by the manifests', () => {
    const objects = loadManifests(seedInputs('sidecar')).objects;
    const withInstall = buildMeshModel(objects);
    expect(
      withInstall.cluster.pods
        .filter((p) => p.namespace === 'istio-system')
        .map((p) => p.workload.name)
        .sort(),
    ).toEqual(['istio-ingressgateway', 'istiod']);
    const without = buildMeshModel(objects, { istioInstall: false });
    expect(without.cluster.pods.some((p) => p.namespace === 'istio-system')).toBe(false);
    const own = loadManifests([
      ...seedInputs('sidecar'),
      {
        file: 'gw.yaml',
        text: 'apiVersion: v1\nkind: Service\nmetadata: {name: istio-ingressgateway, namespace: istio-system}\nspec: {type: LoadBalancer, clusterIP: 10.108.4.104, selector: {istio: ingressgateway}, ports: [{name: http2, port: 80, targetPort: 8080}]}\n',
      },
    ]).objects;
    const model = buildMeshModel(own);
    const svc = model.cluster.services.find((s) => s.name === 'istio-ingressgateway');
    expect(svc?.clusterIP).toBe('10.108.4.104'); // the walkthrough's ingress address, honoured
    expect(svc?.ports).toHaveLength(1);
  });
});
