import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import * as istioNetworkingV1 from '@kubernetes-models/istio/networking.istio.io/v1';
import * as istioNetworkingV1alpha3 from '@kubernetes-models/istio/networking.istio.io/v1alpha3';
import * as istioNetworkingV1beta1 from '@kubernetes-models/istio/networking.istio.io/v1beta1';
import * as istioSecurityV1 from '@kubernetes-models/istio/security.istio.io/v1';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { KubeObject } from '../object.js';
import { loadManifests } from './loadManifests.js';
import { manifestsYaml, mesh } from '../../testing/index.js';

// Istio's own samples (istio/istio 1.29.6 `samples/`, copied into testdata/istio-samples) and the seed
// walkthroughs' manifests (packages/sim-core/testdata/seeds, written from ../shared/seeds).
const SAMPLES = join(import.meta.dirname, 'testdata', 'istio-samples');
const SEEDS = join(import.meta.dirname, '..', '..', '..', 'testdata', 'seeds');

function manifestFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const path = join(dir, f);
      if (statSync(path).isDirectory()) return manifestFiles(path);
      return /\.(ya?ml|json)$/.test(f) ? [path] : [];
    });
}

const goodFiles = [...manifestFiles(SAMPLES), ...manifestFiles(SEEDS)].map((path) => ({
  file: relative(join(import.meta.dirname, '..', '..', '..'), path),
  text: readFileSync(path, 'utf8'),
}));

describe('good manifests', () => {
  it.each(goodFiles.map((g) => [g.file, g] as const))('%s loads with zero errors and zero warnings', (_, input) => {
    const result = loadManifests([input]);
    expect(result.errors.map((e) => e.message)).toEqual([]);
    expect(result.warnings.map((e) => e.message)).toEqual([]);
    expect(result.objects.length).toBeGreaterThan(0);
  });

  it('bookinfo loads as one set: its Deployments, Services, ServiceAccounts and routing', () => {
    const result = loadManifests(goodFiles.filter((g) => g.file.includes('bookinfo__platform__kube__bookinfo.yaml')));
    const kinds = result.objects.map((o) => o.kind);
    expect(kinds.filter((k) => k === 'Deployment')).toHaveLength(6);
    expect(kinds.filter((k) => k === 'Service')).toHaveLength(4);
    expect(kinds.filter((k) => k === 'ServiceAccount')).toHaveLength(4);
  });
});

// Cross-check with @kubernetes-models/istio, whose validate() runs ajv over the same CRD schemas:
// whatever it rejects, meshsim must reject too (meshsim also rejects what it misses, e.g. unknown fields).
const MODELS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'networking.istio.io/v1': istioNetworkingV1,
  'networking.istio.io/v1beta1': istioNetworkingV1beta1,
  'networking.istio.io/v1alpha3': istioNetworkingV1alpha3,
  'security.istio.io/v1': istioSecurityV1,
};
type Model = new (data: unknown) => { validate(): void };

const istioObjects = loadManifests(goodFiles).objects.filter((o) => MODELS[o.apiVersion]?.[o.kind] !== undefined);

function plain(o: KubeObject): Record<string, unknown> {
  const { source: _source, ...rest } = o;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths((value as Record<string | number, unknown>)[k], [...prefix, k]))];
}

function setAt(root: Record<string, unknown>, path: readonly (string | number)[], v: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = v;
}

const replacement = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -70_000, max: 70_000 }),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

describe('validation vs @kubernetes-models/istio', () => {
  it('has Istio objects to mutate', () => expect(istioObjects.length).toBeGreaterThan(10));

  test.prop([fc.nat(), fc.nat(), replacement], { numRuns: 300 })(
    'rejects whatever the CRD schema rejects',
    (i, j, value) => {
      const original = istioObjects[i % istioObjects.length] as KubeObject;
      const data = plain(original);
      const specPaths = paths(data['spec'], ['spec']).filter((p) => p.length > 1);
      const path = specPaths[j % specPaths.length] as (string | number)[];
      setAt(data, path, value);
      const Model = MODELS[original.apiVersion]?.[original.kind] as Model;
      let schemaRejects = false;
      try {
        new Model(data).validate();
      } catch {
        schemaRejects = true;
      }
      fc.pre(schemaRejects);
      const result = loadManifests([{ file: 'mutated.yaml', text: stringify(data) }]);
      expect(result.errors.length).toBeGreaterThan(0);
    },
  );
});

// Whole meshes from @meshsim/sim-core/testing (namespaces, Services, versioned Deployments, clients,
// DestinationRules and VirtualServices) load without an error or a warning.
describe('loadManifests() on generated meshes (@meshsim/sim-core/testing)', () => {
  test.prop([mesh({ maxNamespaces: 3, maxServices: 3, virtualServices: { policies: true } })], { numRuns: 40 })(
    'accepts every mesh() and keeps every object',
    (m) => {
      const r = loadManifests([{ file: 'mesh.yaml', text: manifestsYaml(m.objects) }]);
      expect([...r.errors, ...r.warnings].map((e) => e.message)).toEqual([]);
      expect(r.objects).toHaveLength(m.objects.length);
    },
  );
});
