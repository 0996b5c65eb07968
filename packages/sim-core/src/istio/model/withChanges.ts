/**
 * What-if editing: `withChanges(model, draft => { … })` runs the recipe on an immer draft of the model's
 * manifests (`draft.objects`), validates the objects it changed or added exactly as loading does, and
 * rebuilds the model. Unchanged objects are shared with the old model (immer's structural sharing), and so is
 * the whole cluster when only Istio resources changed. A recipe that changes nothing returns the very same
 * model (`===`).
 */
import { produce, type Draft } from 'immer';
import { ConfigError } from '../../errors.js';
import { syntheticSource } from '../../k8s/cluster/systemObjects.js';
import { issueToError } from '../../k8s/load/loadManifests.js';
import { validateManifestObject } from '../../k8s/load/validateObject.js';
import type { KubeObject } from '../../k8s/object.js';
import { buildMeshModel, type MeshModel } from './meshModel.js';

/** What a `withChanges` recipe edits. */
export interface MeshModelDraft {
  objects: KubeObject[];
}

/** The file label of objects a `withChanges` recipe adds without a source. */
export const WITH_CHANGES_SOURCE_FILE = '<withChanges>';

/** A new model with the recipe's changes applied, re-validated; the same model when nothing changed. */
export function withChanges(model: MeshModel, recipe: (draft: Draft<MeshModelDraft>) => void): MeshModel {
  const base: MeshModelDraft = { objects: model.objects as KubeObject[] };
  const next = produce(base, recipe);
  if (next === base || next.objects === model.objects) return model;
  const before = new Set(model.objects);
  const objects = next.objects.map((o) =>
    o.source === undefined ? { ...o, source: syntheticSource(WITH_CHANGES_SOURCE_FILE) } : o,
  );
  const errors: ConfigError[] = [];
  for (const obj of objects) {
    if (before.has(obj)) continue;
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || typeof obj.metadata?.name !== 'string') {
      errors.push(
        new ConfigError('an object needs apiVersion, kind and metadata.name', { file: WITH_CHANGES_SOURCE_FILE }),
      );
      continue;
    }
    for (const issue of validateManifestObject(obj)) if (issue.level === 'error') errors.push(issueToError(obj, issue));
  }
  const first = errors[0];
  if (first !== undefined) throw first;
  return buildMeshModel(objects, model.options, model);
}

/** Finds an object in a draft (or a model's objects) by kind, namespace and name. */
export function findObject<
  T extends { readonly kind: string; readonly metadata: { readonly name: string; readonly namespace?: string } },
>(objects: readonly T[], kind: string, namespace: string | undefined, name: string): T | undefined {
  return objects.find(
    (o) =>
      o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace),
  );
}
