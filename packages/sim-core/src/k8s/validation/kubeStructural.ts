/**
 * Checks a built-in Kubernetes object against its type's fields, as the apiserver's strict decoding does on
 * `kubectl apply` (`--validate=strict`, the default since Kubernetes 1.27): unknown fields
 * (`unknown field "spec.template.spec.containers[0].imagePullPolicyy"`), wrong JSON types and missing
 * required fields. The field tables come from Kubernetes' OpenAPI spec (`schema/kubeSchemas.gen.ts`).
 */
import { InvariantError } from '../../errors.js';
import type { FieldPath } from '../object.js';
import { formatFieldPath } from '../object.js';
import type { IssueList } from './issue.js';
import { KUBE_SCHEMAS } from './schema/kubeSchemas.gen.js';

/** The root type name of a built-in kind (`''`/`apps`/`discovery.k8s.io` group + kind), if meshsim has one. */
export function kubeRootType(group: string, kind: string): string | undefined {
  return KUBE_SCHEMAS.kinds[`${group}/${kind}`];
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return v === null ? 'null' : typeof v;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Walks `value` at `path` against the type expression `type` (see `KubeSchemaSet`). */
export function validateKubeValue(value: unknown, type: string, path: FieldPath, out: IssueList): void {
  if (value === null || value === undefined) return; // JSON null decodes to the zero value
  const mismatch = (want: string): void =>
    out.error(path, `Invalid value: ${shown(value)}: must be of type ${want}, got ${jsonType(value)}`);
  switch (type) {
    case 'any':
      return;
    case 'string':
      if (typeof value !== 'string') mismatch('string');
      return;
    case 'number':
      if (typeof value !== 'number') mismatch('integer');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') mismatch('boolean');
      return;
    case 'int-or-string':
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value)))
        mismatch('integer or string');
      return;
    case 'quantity':
      if (typeof value !== 'string' && typeof value !== 'number') mismatch('string or number (a resource quantity)');
      return;
  }
  if (type.startsWith('[]')) {
    if (!Array.isArray(value)) return mismatch('array');
    value.forEach((item, i) => validateKubeValue(item, type.slice(2), [...path, i], out));
    return;
  }
  if (type.startsWith('map[')) {
    if (typeof value !== 'object' || Array.isArray(value)) return mismatch('object');
    const inner = type.slice(4, -1);
    for (const [k, v] of Object.entries(value)) validateKubeValue(v, inner, [...path, k], out);
    return;
  }
  const t = KUBE_SCHEMAS.types[type];
  if (t === undefined) throw new InvariantError(`no Kubernetes type ${type} in kubeSchemas.gen.ts`);
  if (typeof value !== 'object' || Array.isArray(value)) return mismatch('object');
  if (t.open === true) return;
  const obj = value as Record<string, unknown>;
  for (const req of t.required) {
    // apiVersion/kind of nested objects are set by the decoder; `status` fields are the server's.
    if (obj[req] === undefined || obj[req] === null) out.error([...path, req], 'Required value');
  }
  for (const key of Object.keys(obj)) {
    const ft = t.fields[key];
    if (ft === undefined) out.error([...path, key], `unknown field ${JSON.stringify(formatFieldPath([...path, key]))}`);
    else validateKubeValue(obj[key], ft, [...path, key], out);
  }
}
