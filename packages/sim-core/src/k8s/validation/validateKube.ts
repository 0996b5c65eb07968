/** All validation of a built-in Kubernetes object: field types and unknown fields, metadata, kind rules. */
import type { KubeObject } from '../object.js';
import { IssueList, type ValidationIssue } from './issue.js';
import { validateCoreKind } from './coreKinds.js';
import { kubeRootType, validateKubeValue } from './kubeStructural.js';
import { validateObjectMeta } from './objectMeta.js';

/** Validates `obj` (of API group `group`); the schema pass first, kind rules only when the schema holds. */
export function validateKubeObject(obj: KubeObject, group: string, namespaced: boolean): ValidationIssue[] {
  const schema = new IssueList('schema');
  const semantic = new IssueList('apiserver');
  const root = kubeRootType(group, obj.kind);
  const { source: _source, ...plain } = obj as KubeObject & Record<string, unknown>;
  if (root !== undefined) validateKubeValue(plain, root, [], schema);
  validateObjectMeta(obj.metadata as unknown as Readonly<Record<string, unknown>>, obj.kind, namespaced, semantic);
  if (schema.issues.length === 0) validateCoreKind(obj.kind, plain, semantic);
  return [...schema.issues, ...semantic.issues];
}
