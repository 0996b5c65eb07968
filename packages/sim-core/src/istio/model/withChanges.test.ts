import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { seedInputs } from '../../../test/seeds.js';
import { ConfigError } from '../../errors.js';
import { loadManifests } from '../../k8s/load/loadManifests.js';
import type { KubeObject } from '../../k8s/object.js';
import { buildMeshModel } from './meshModel.js';
import { findObject, withChanges } from './withChanges.js';

const base = buildMeshModel(loadManifests(seedInputs('canary')).objects);

describe('withChanges()', () => {
  it('a recipe that changes nothing returns the same model (===)', () => {
    expect(withChanges(base, () => {})).toBe(base);
  });

  test.prop([fc.nat(), fc.nat()])('writing back values that are already there is a no-op (===)', (i, j) => {
    const next = withChanges(base, (draft) => {
      const obj = draft.objects[i % draft.objects.length] as KubeObject & { metadata: { name: string } };
      obj.metadata.name = `${obj.metadata.name}`;
      const vs = findObject(draft.objects, 'VirtualService', 'canary', 'canary');
      const route = (vs?.spec as { http: { route: { weight?: number }[] }[] }).http[1]?.route[j % 2];
      if (route !== undefined) route.weight = route.weight ?? 0;
    });
    expect(next).toBe(base);
  });

  it('shifting canary weights gives a new model, sharing unchanged objects and the cluster', () => {
    const next = withChanges(base, (draft) => {
      const vs = findObject(draft.objects, 'VirtualService', 'canary', 'canary');
      const routes = (vs?.spec as { http: { route: { weight: number }[] }[] }).http[1]!.route;
      routes[0]!.weight = 80;
      routes[1]!.weight = 20;
    });
    expect(next).not.toBe(base);
    const vs = next.istio.virtualServices.find((v) => v.metadata.name === 'canary');
    expect(vs?.spec.http?.[1]?.route?.map((r) => r.weight)).toEqual([80, 20]);
    expect(
      base.istio.virtualServices.find((v) => v.metadata.name === 'canary')?.spec.http?.[1]?.route?.map((r) => r.weight),
    ).toEqual([100, 0]);
    const changed = next.objects.filter((o, i) => o !== base.objects[i]);
    expect(changed.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['VirtualService/canary']);
    expect(next.cluster).toBe(base.cluster); // only an Istio resource changed
    expect(Object.isFrozen(next.objects)).toBe(true);
  });

  it('scaling a Deployment rebuilds the cluster', () => {
    const next = withChanges(base, (draft) => {
      (findObject(draft.objects, 'Deployment', 'canary', 'canary-v2')?.spec as { replicas: number }).replicas = 3;
    });
    expect(next.cluster.pods.filter((p) => p.workload.name === 'canary-v2')).toHaveLength(3);
    expect(base.cluster.pods.filter((p) => p.workload.name === 'canary-v2')).toHaveLength(1);
  });

  it('adding an object without a source works; an invalid change is refused with a ConfigError', () => {
    const next = withChanges(base, (draft) => {
      draft.objects.push({
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'toolbox', namespace: 'canary' },
        spec: { host: 'toolbox' },
      } as unknown as (typeof draft.objects)[number]);
    });
    expect(next.istio.destinationRules.map((d) => d.metadata.name)).toContain('toolbox');
    expect(() =>
      withChanges(base, (draft) => {
        const vs = findObject(draft.objects, 'VirtualService', 'canary', 'canary');
        (vs?.spec as { http: { route: { weight: number }[] }[] }).http[1]!.route[0]!.weight = -10;
      }),
    ).toThrow(ConfigError);
  });
});
