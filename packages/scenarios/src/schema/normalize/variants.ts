/** Normalizer of the `variants` section. */
import type { FieldPath } from '@meshsim/sim-core';
import { BASELINE, type JsonPatchOperation, type ManifestPatch, type Variant } from '../types/variants.js';
import { manifestList, objectRef } from './common.js';
import { arr, obj, opt, str, type Context, type RawObject } from './context.js';
import { meshOverrides, networkSpec } from './mesh.js';
import { workloadSpec } from './workload.js';

/** One variant. */
export function variant(ctx: Context, path: FieldPath, raw: RawObject): Variant {
  const name = String(raw['name']);
  if (name === BASELINE) {
    ctx.fail([...path, 'name'], `"${BASELINE}" is reserved for the unchanged scenario; choose another name`);
  }
  const mesh = obj(raw, 'mesh');
  const network = obj(raw, 'network');
  return {
    name,
    description: str(raw, 'description') ?? '',
    patches: (arr(raw, 'patches') ?? []).map((p, i) => manifestPatch(ctx, [...path, 'patches', i], p as RawObject)),
    delete: (arr(raw, 'delete') ?? []).map((d) => objectRef(d as RawObject)),
    manifests: manifestList(ctx, [...path, 'manifests'], arr(raw, 'manifests')),
    ...opt('mesh', mesh === undefined ? undefined : meshOverrides(ctx, [...path, 'mesh'], mesh)),
    ...opt('network', network === undefined ? undefined : networkSpec(ctx, [...path, 'network'], network)),
    workloads: (arr(raw, 'workloads') ?? []).map((w, i) =>
      workloadSpec(ctx, [...path, 'workloads', i], w as RawObject),
    ),
  };
}

function manifestPatch(ctx: Context, path: FieldPath, raw: RawObject): ManifestPatch {
  const merge = obj(raw, 'mergePatch');
  const ops = arr(raw, 'jsonPatch');
  if (merge === undefined && ops === undefined) {
    ctx.fail(path, 'missing mergePatch or jsonPatch: say how the target changes');
  }
  return {
    target: objectRef(obj(raw, 'target') ?? {}),
    ...opt('mergePatch', merge),
    ...opt(
      'jsonPatch',
      ops?.map((op, i) => jsonPatchOperation(ctx, [...path, 'jsonPatch', i], op as RawObject)),
    ),
  };
}

// RFC 6902 §4: which members each operation requires and allows.
function jsonPatchOperation(ctx: Context, path: FieldPath, raw: RawObject): JsonPatchOperation {
  const op = String(raw['op']);
  const p = String(raw['path']);
  const needsValue = op === 'add' || op === 'replace' || op === 'test';
  const needsFrom = op === 'move' || op === 'copy';
  if (needsValue && !('value' in raw)) ctx.fail(path, `missing value: a JSON Patch "${op}" needs one`);
  if (!needsValue && 'value' in raw)
    ctx.fail([...path, 'value'], `a JSON Patch "${op}" takes no value`, 'scenario/semantic', 'key');
  if (needsFrom && raw['from'] === undefined) ctx.fail(path, `missing from: a JSON Patch "${op}" needs one`);
  if (!needsFrom && raw['from'] !== undefined)
    ctx.fail([...path, 'from'], `a JSON Patch "${op}" takes no from`, 'scenario/semantic', 'key');
  if (needsValue) return { op: op as 'add' | 'replace' | 'test', path: p, value: raw['value'] };
  if (needsFrom) return { op: op as 'move' | 'copy', from: String(raw['from']), path: p };
  return { op: 'remove', path: p };
}
