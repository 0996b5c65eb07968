/**
 * Kubernetes objects as a scenario refers to them: finding an {@link ObjectRef} among loaded objects (as
 * `kubectl get <kind> <name> -n <ns>` would), and building the object set a variant describes — the base
 * manifests with its patches, deletions and replacement manifests applied, in that order.
 */
import {
  formatFieldPath,
  knownKinds,
  objectRef as formatObjectRef,
  splitApiVersion,
  validateManifestObject,
  type FieldPath,
  type KubeObject,
} from '@meshsim/sim-core';
import { suggestion } from '../schema/didYouMean.js';
import type { ObjectRef } from '../schema/types/common.js';
import type { ManifestPatch, Variant } from '../schema/types/variants.js';
import { applyJsonPatch, applyMergePatch, PatchError } from './patch.js';

/** A problem with a reference or a patch, at a field path of the scenario. */
export interface ObjectProblem {
  readonly path: FieldPath;
  readonly message: string;
}

/** `kind namespace/name` as kubectl prints it in messages (`VirtualService default/reviews`). */
export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace === undefined ? '' : `${ref.namespace}/`}${ref.name}`;
}

/** The identity of an object: group, kind, namespace, name. */
export function identityOf(obj: KubeObject): string {
  return `${splitApiVersion(obj.apiVersion).group}\u0000${obj.kind}\u0000${obj.metadata.namespace ?? ''}\u0000${obj.metadata.name}`;
}

/**
 * The object `ref` names in `objects`, or a message saying why there is none. A namespaced kind without a
 * namespace means `default`, as for `kubectl`; without `apiVersion`, a kind served by two API groups (Istio's
 * and the Gateway API's `Gateway`) is ambiguous only when both have an object of that name.
 */
export function findObject(objects: readonly KubeObject[], ref: ObjectRef): KubeObject | string {
  const kinds = knownKinds();
  if (!kinds.some((k) => k.kind === ref.kind)) {
    const names = [...new Set(kinds.map((k) => k.kind))];
    return `unknown kind ${JSON.stringify(ref.kind)}${suggestion(ref.kind, names)}`;
  }
  const group = ref.apiVersion === undefined ? undefined : splitApiVersion(ref.apiVersion).group;
  const ofKind = objects.filter(
    (o) => o.kind === ref.kind && (group === undefined || splitApiVersion(o.apiVersion).group === group),
  );
  const namespaced = kinds.some((k) => k.kind === ref.kind && k.namespaced);
  const namespace = namespaced ? (ref.namespace ?? 'default') : undefined;
  const hits = ofKind.filter((o) => o.metadata.name === ref.name && (o.metadata.namespace ?? undefined) === namespace);
  if (hits.length === 1) return hits[0] as KubeObject;
  const shown = { ...ref, ...(namespace === undefined ? {} : { namespace }) };
  if (hits.length > 1) {
    const groups = hits.map((h) => splitApiVersion(h.apiVersion).group).join(' and ');
    return `${describeRef(shown)} is ambiguous: it exists in ${groups}; set apiVersion`;
  }
  const existing = ofKind.map((o) => formatObjectRef(o));
  const wanted = namespace === undefined ? ref.name : `${namespace}/${ref.name}`;
  const hint = suggestion(wanted, existing);
  const listing =
    existing.length === 0
      ? `there is no ${ref.kind} at all`
      : `${ref.kind}s there: ${existing.slice(0, 8).join(', ')}${existing.length > 8 ? ', …' : ''}`;
  return `${describeRef(shown)} not found${hint} (${listing})`;
}

/**
 * The base objects with `variant`'s patches and deletions applied (replacement manifests are the caller's:
 * they are loaded separately and passed as `replacements`). Problems are returned, not thrown, located at
 * `variants[index]…`.
 */
export function applyVariant(
  base: readonly KubeObject[],
  variant: Variant,
  index: number,
  replacements: readonly KubeObject[],
): { objects: KubeObject[]; problems: ObjectProblem[] } {
  const problems: ObjectProblem[] = [];
  const at = (...rest: (string | number)[]): FieldPath => ['variants', index, ...rest];
  const byId = new Map(base.map((o) => [identityOf(o), o]));
  variant.patches.forEach((patch, j) => {
    const found = findObject([...byId.values()], patch.target);
    if (typeof found === 'string') {
      problems.push({ path: at('patches', j, 'target'), message: found });
      return;
    }
    const result = patchObject(found, patch, at('patches', j));
    if ('problem' in result) problems.push(result.problem);
    else byId.set(identityOf(found), result.object);
  });
  variant.delete.forEach((ref, j) => {
    const found = findObject([...byId.values()], ref);
    if (typeof found === 'string') problems.push({ path: at('delete', j), message: found });
    else byId.delete(identityOf(found));
  });
  for (const obj of replacements) byId.set(identityOf(obj), obj);
  return { objects: [...byId.values()], problems };
}

/** One patch applied to one object and re-validated; the object keeps its source (file and lines). */
export function patchObject(
  obj: KubeObject,
  patch: ManifestPatch,
  path: FieldPath,
): { object: KubeObject } | { problem: ObjectProblem } {
  const { source, ...json } = obj;
  let doc: unknown = json;
  if (patch.mergePatch !== undefined) doc = applyMergePatch(doc, patch.mergePatch);
  if (patch.jsonPatch !== undefined) {
    try {
      doc = applyJsonPatch(doc, patch.jsonPatch);
    } catch (error) {
      if (!(error instanceof PatchError)) throw error;
      return {
        problem: {
          path: [...path, 'jsonPatch', error.index],
          message: `cannot apply to ${formatObjectRef(obj)}: ${error.message}`,
        },
      };
    }
  }
  const patched = doc as Omit<KubeObject, 'source'>;
  const meta = (patched as { metadata?: { name?: unknown; namespace?: unknown } }).metadata;
  if (
    patched.kind !== obj.kind ||
    patched.apiVersion !== obj.apiVersion ||
    meta?.name !== obj.metadata.name ||
    meta?.namespace !== obj.metadata.namespace
  ) {
    return {
      problem: {
        path,
        message: `a patch may not change the apiVersion, kind, namespace or name of ${obj.kind} ${formatObjectRef(obj)}`,
      },
    };
  }
  const object = deepFreeze({ ...patched, source } as KubeObject);
  const error = validateManifestObject(object).find((i) => i.level === 'error');
  if (error !== undefined) {
    const field = formatFieldPath(error.path);
    return {
      problem: {
        path,
        message: `the patched ${obj.kind} ${formatObjectRef(obj)} is invalid: ${field === '' ? '' : `${field}: `}${error.message}`,
      },
    };
  }
  return { object };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
