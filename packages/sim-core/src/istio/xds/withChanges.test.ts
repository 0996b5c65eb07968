// A model edited in place (`withChanges`, which rebuilds sharing unchanged parts with the old model) must
// translate exactly like the same manifests loaded afresh: the translation's per-model caches (push
// context) must not leak state between the two.
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { seedInputs } from '../../../test/seeds.js';
import { syntheticSource } from '../../k8s/cluster/systemObjects.js';
import { loadManifests } from '../../k8s/load/loadManifests.js';
import type { KubeObject } from '../../k8s/object.js';
import { buildMeshModel } from '../model/meshModel.js';
import { findObject, WITH_CHANGES_SOURCE_FILE, withChanges } from '../model/withChanges.js';
import { buildProxyConfig } from './buildProxyConfig.js';

const objects = loadManifests(seedInputs('canary')).objects;
const base = buildMeshModel(objects);
const client = (m: typeof base): string => m.proxies.find((p) => p.workloadName === 'toolbox')?.id ?? 'toolbox';

describe('buildProxyConfig after withChanges', () => {
  test.prop([fc.integer({ min: 0, max: 100 }), fc.boolean()], { numRuns: 15 })(
    'equals the translation of the edited manifests loaded afresh (canary weights, a Sidecar scope)',
    (w, scoped) => {
      buildProxyConfig(base, client(base)); // warm the old model's caches first
      const edit = (draft: { objects: KubeObject[] }): void => {
        const vs = findObject(draft.objects, 'VirtualService', 'canary', 'canary');
        const routes = (vs?.spec as { http: { route: { weight: number }[] }[] }).http[1]!.route;
        routes[0]!.weight = w;
        routes[1]!.weight = 100 - w;
        if (scoped)
          draft.objects.push({
            apiVersion: 'networking.istio.io/v1',
            kind: 'Sidecar',
            metadata: { name: 'default', namespace: 'canary' },
            spec: { egress: [{ hosts: ['./*'] }] },
          } as KubeObject);
      };
      const edited = withChanges(base, edit);
      // A mutable deep copy of a fresh load (the source locations, which hold functions, shared).
      const copy = (o: KubeObject): KubeObject =>
        Object.fromEntries(
          Object.entries(o).map(([k, v]) => [k, k === 'source' ? v : structuredClone(v)]),
        ) as unknown as KubeObject;
      const draft = { objects: loadManifests(seedInputs('canary')).objects.map(copy) };
      edit(draft);
      // withChanges labels objects added without a source; do the same for the fresh load.
      const fresh = buildMeshModel(
        draft.objects.map((o) =>
          o.source === undefined ? { ...o, source: syntheticSource(WITH_CHANGES_SOURCE_FILE) } : o,
        ),
      );
      const a = buildProxyConfig(edited, client(edited));
      const b = buildProxyConfig(fresh, client(fresh));
      expect(a.routes).toEqual(b.routes);
      expect(a.clusters).toEqual(b.clusters);
      expect(a.listeners.map((l) => l.name)).toEqual(b.listeners.map((l) => l.name));
      expect(a.size).toEqual(b.size);
    },
  );
});
