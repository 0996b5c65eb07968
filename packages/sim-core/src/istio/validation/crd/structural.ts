/**
 * Validates a custom resource against its CRD's OpenAPI v3 schema the way the Kubernetes apiserver does on
 * `kubectl apply` (apiextensions-apiserver + kube-openapi validation, with strict field validation, the
 * kubectl default since 1.27): types, enums, required fields, bounds, formats, protobuf `oneOf`s, list
 * uniqueness, and CEL `x-kubernetes-validations` — and, unlike `@kubernetes-models/istio`'s `validate()`,
 * unknown fields (`unknown field "spec.http[0].bogus"`). Messages follow the apiserver's wording.
 */
import { RE2JS } from 're2js';
import type { FieldPath } from '../../../k8s/object.js';
import { formatFieldPath } from '../../../k8s/object.js';
import type { IssueList } from '../../../k8s/validation/issue.js';
import { evaluateCelRule } from './celRules.js';
import type { JSONSchemaProps } from './schemaTypes.js';

/** Walks `value` at `path` against `schema`, reporting to `schemaIssues` and `celIssues`. */
export function validateAgainstSchema(
  value: unknown,
  schema: JSONSchemaProps,
  path: FieldPath,
  schemaIssues: IssueList,
  celIssues: IssueList,
): void {
  if (value === null || value === undefined) return; // the apiserver prunes nulls of non-nullable fields
  if (!checkType(value, schema, path, schemaIssues)) return;

  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    schemaIssues.error(
      path,
      `Unsupported value: ${JSON.stringify(value)}: supported values: ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`,
    );
    return;
  }
  checkBounds(value, schema, path, schemaIssues);
  if (schema.oneOf !== undefined) checkOneOf(value, schema.oneOf, path, schemaIssues);

  if (Array.isArray(value)) {
    const items = schema.items;
    value.forEach((item, i) => {
      if (items !== undefined) validateAgainstSchema(item, items, [...path, i], schemaIssues, celIssues);
    });
    checkListType(value, schema, path, schemaIssues);
  } else if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const req of schema.required ?? []) {
      if (obj[req] === undefined || obj[req] === null) schemaIssues.error([...path, req], 'Required value');
    }
    const props = schema.properties;
    const extra = schema.additionalProperties;
    for (const key of Object.keys(obj)) {
      const child = props?.[key];
      if (child !== undefined) validateAgainstSchema(obj[key], child, [...path, key], schemaIssues, celIssues);
      else if (typeof extra === 'object')
        validateAgainstSchema(obj[key], extra, [...path, key], schemaIssues, celIssues);
      else if (extra !== true && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
        schemaIssues.error([...path, key], `unknown field ${JSON.stringify(formatFieldPath([...path, key]))}`);
      }
    }
  }

  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    if (!evaluateCelRule(rule.rule, value))
      celIssues.error(path, `Invalid value: ${celShown(value)}: ${rule.message ?? `failed rule: ${rule.rule}`}`);
  }
}

function celShown(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return JSON.stringify(value);
  return JSON.stringify(Array.isArray(value) ? 'array' : 'object');
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value; // string, boolean, object
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function checkType(value: unknown, schema: JSONSchemaProps, path: FieldPath, issues: IssueList): boolean {
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) return true;
    issues.error(path, `Invalid value: ${shown(value)}: must be an integer or a string, got ${jsonType(value)}`);
    return false;
  }
  const want = schema.type;
  if (want === undefined) return true;
  const got = jsonType(value);
  const ok = want === got || (want === 'number' && got === 'integer') || (want === 'object' && got === 'object');
  if (!ok) issues.error(path, `Invalid value: ${shown(value)}: must be of type ${want}, got ${got}`);
  return ok;
}

// Schema patterns are few and fixed; compile each once (Go RE2 semantics, as kube-openapi uses).
const PATTERNS = new Map<string, RE2JS>();
function pattern(source: string): RE2JS {
  let re = PATTERNS.get(source);
  if (re === undefined) {
    re = RE2JS.compile(source);
    PATTERNS.set(source, re);
  }
  return re;
}

const INT32 = { min: -2147483648, max: 2147483647 };
const UINT32 = { min: 0, max: 4294967295 };

function checkBounds(value: unknown, schema: JSONSchemaProps, path: FieldPath, issues: IssueList): void {
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      issues.error(path, `Invalid value: ${value}: should be greater than or equal to ${schema.minimum}`);
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      issues.error(path, `Invalid value: ${value}: should be less than or equal to ${schema.maximum}`);
    }
    const range = schema.format === 'int32' ? INT32 : schema.format === 'uint32' ? UINT32 : undefined;
    if (range !== undefined && (value < range.min || value > range.max)) {
      issues.error(path, `Invalid value: ${value}: out of range for ${schema.format}`);
    }
  } else if (typeof value === 'string') {
    const len = [...value].length;
    if (schema.maxLength !== undefined && len > schema.maxLength) {
      issues.error(path, `Too long: may not be more than ${schema.maxLength} bytes`);
    }
    if (schema.minLength !== undefined && len < schema.minLength) {
      issues.error(path, `Invalid value: ${shown(value)}: should be at least ${schema.minLength} chars long`);
    }
    if (schema.pattern !== undefined && !pattern(schema.pattern).matcher(value).find()) {
      issues.error(path, `Invalid value: ${shown(value)}: should match '${schema.pattern}'`);
    }
    if (
      schema.format === 'date-time' &&
      !/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(value)
    ) {
      issues.error(path, `Invalid value: ${shown(value)}: must be of format date-time`);
    }
    if (schema.format === 'byte' && !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(value)) {
      issues.error(path, `Invalid value: ${shown(value)}: must be of format byte (base64)`);
    }
  } else if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      issues.error(path, `Too many: ${value.length}: must have at most ${schema.maxItems} items`);
    }
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      issues.error(path, `Invalid value: ${value.length}: should have at least ${schema.minItems} items`);
    }
  } else if (typeof value === 'object' && value !== null) {
    const n = Object.keys(value).length;
    if (schema.maxProperties !== undefined && n > schema.maxProperties) {
      issues.error(path, `Too many: ${n}: must have at most ${schema.maxProperties} items`);
    }
    if (schema.minProperties !== undefined && n < schema.minProperties) {
      issues.error(path, `Invalid value: ${n}: must have at least ${schema.minProperties} properties`);
    }
  }
}

// Istio's CRDs encode protobuf oneofs as `oneOf: [{not: {anyOf: [{required: [a]}, …]}}, {required: [a]}, …]`:
// none or exactly one of the fields may be set.
function checkOneOf(value: unknown, branches: readonly JSONSchemaProps[], path: FieldPath, issues: IssueList): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const matching = branches.filter((b) => matches(b, value as Record<string, unknown>)).length;
  if (matching === 1) return;
  const fields = [...new Set(branches.flatMap((b) => requiredNames(b)))];
  const set = fields.filter((f) => (value as Record<string, unknown>)[f] !== undefined);
  issues.error(
    path,
    `must validate one and only one schema (oneOf): set at most one of ${fields.map((f) => JSON.stringify(f)).join(', ')}${set.length > 0 ? ` (found ${set.join(', ')})` : ''}`,
  );
}

function requiredNames(schema: JSONSchemaProps): string[] {
  return [
    ...(schema.required ?? []),
    ...(schema.anyOf ?? []).flatMap(requiredNames),
    ...(schema.allOf ?? []).flatMap(requiredNames),
    ...(schema.oneOf ?? []).flatMap(requiredNames),
    ...(schema.not ? requiredNames(schema.not) : []),
  ];
}

// Just enough of JSON-schema matching for the combinators Istio's schemas use (required/not/anyOf/allOf/oneOf).
function matches(schema: JSONSchemaProps, obj: Record<string, unknown>): boolean {
  if (schema.required !== undefined && !schema.required.every((r) => obj[r] !== undefined && obj[r] !== null))
    return false;
  if (schema.not !== undefined && matches(schema.not, obj)) return false;
  if (schema.anyOf !== undefined && !schema.anyOf.some((s) => matches(s, obj))) return false;
  if (schema.allOf !== undefined && !schema.allOf.every((s) => matches(s, obj))) return false;
  if (schema.oneOf !== undefined && schema.oneOf.filter((s) => matches(s, obj)).length !== 1) return false;
  return true;
}

function checkListType(value: readonly unknown[], schema: JSONSchemaProps, path: FieldPath, issues: IssueList): void {
  const type = schema['x-kubernetes-list-type'];
  if (type === 'set') {
    const seen = new Set<string>();
    value.forEach((item, i) => {
      const key = JSON.stringify(item);
      if (seen.has(key)) issues.error([...path, i], `Duplicate value: ${shown(item)}`);
      seen.add(key);
    });
  } else if (type === 'map') {
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    const seen = new Set<string>();
    value.forEach((item, i) => {
      if (typeof item !== 'object' || item === null) return;
      const k = keys.map((name) => `${name}:${String((item as Record<string, unknown>)[name])}`).join(' ');
      if (seen.has(k)) issues.error([...path, i], `Duplicate value: map[${k}]`);
      seen.add(k);
    });
  }
}
