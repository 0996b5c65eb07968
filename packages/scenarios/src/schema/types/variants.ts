/**
 * The `variants` section: named what-if changes, each run against the same traffic as the base scenario
 * with common random numbers (every component draws from its own named stream, so a change only moves
 * what it touches). The unchanged scenario is the variant named `baseline`.
 */
import type { ManifestSource, ObjectRef } from './common.js';
import type { MeshOverrides, NetworkSpec } from './mesh.js';
import type { WorkloadSpec } from './workload.js';

/** The reserved name of the unchanged scenario. */
export const BASELINE = 'baseline';

/** One RFC 6902 JSON Patch operation; `path` and `from` are JSON Pointers (`/spec/http/0/route/1/weight`). */
export type JsonPatchOperation =
  | { readonly op: 'add' | 'replace' | 'test'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'move' | 'copy'; readonly from: string; readonly path: string };

/** A change to one object of the base manifests (Kustomize's `patches` with a `target`). */
export interface ManifestPatch {
  readonly target: ObjectRef;
  /** RFC 7386 JSON Merge Patch: objects merge, `null` deletes a field, lists are replaced whole. */
  readonly mergePatch?: Readonly<Record<string, unknown>>;
  /** RFC 6902 JSON Patch operations, applied in order. */
  readonly jsonPatch?: readonly JsonPatchOperation[];
}

/** One named what-if. Changes apply in the order of the fields below. */
export interface Variant {
  /** Unique name (a DNS label), used by `meshsim run --variant` and `meshsim diff`. */
  readonly name: string;
  /** One line saying what changes. @defaultValue `''` */
  readonly description: string;
  /** Objects of the base manifests to patch. @defaultValue `[]` */
  readonly patches: readonly ManifestPatch[];
  /** Objects to delete from the base manifests. @defaultValue `[]` */
  readonly delete: readonly ObjectRef[];
  /** Manifests applied over the base ones: an object with the same kind, namespace and name replaces it. @defaultValue `[]` */
  readonly manifests: readonly ManifestSource[];
  /** MeshConfig overrides merged over the scenario's. */
  readonly mesh?: MeshOverrides;
  /** Network settings merged over the scenario's. */
  readonly network?: NetworkSpec;
  /** Workload entries layered after the scenario's. @defaultValue `[]` */
  readonly workloads: readonly WorkloadSpec[];
}
