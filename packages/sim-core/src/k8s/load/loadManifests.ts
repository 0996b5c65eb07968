/**
 * Loads manifests as `kubectl apply -f` reads them: multi-document YAML or JSON, `kind: List`, and
 * `kubectl get -o yaml` dumps. Browser-safe (text in, objects out; reading files is the caller's job).
 * Loading goes on past a bad document or object, so `meshsim analyze` can report everything at once;
 * callers that must refuse bad input use {@link loadManifestsOrThrow}.
 */
import { ConfigError } from '../../errors.js';
import type { FieldPath, KubeObject, ObjectSource } from '../object.js';
import { formatFieldPath, objectRef } from '../object.js';
import type { ValidationIssue } from '../validation/issue.js';
import { deepFreeze } from './deepFreeze.js';
import { lookupKind, splitApiVersion, type KindInfo } from './kinds.js';
import { stripKubectlDump } from './kubectlDump.js';
import { validateManifestObject } from './validateObject.js';
import { lineIn, parseYamlDocuments, type LineTable } from './yamlDocuments.js';

/** One manifest text and the name to report it under (a path, `<stdin>`, or any label). */
export interface ManifestInput {
  readonly file: string;
  readonly text: string;
  /**
   * Line of `file` where `text` starts, for manifests cut out of a larger file (e.g. inline in a scenario).
   * @defaultValue `1`
   */
  readonly firstLine?: number;
}

/** Options of {@link loadManifests}. */
export interface LoadOptions {
  /**
   * Namespace given to namespaced objects that name none, as `kubectl apply -n`.
   * @defaultValue `'default'`
   */
  readonly defaultNamespace?: string;
  /**
   * Validate every object against its schema and Istio's webhook rules.
   * @defaultValue `true`
   */
  readonly validate?: boolean;
}

/** Stable codes of loading errors ({@link ConfigError.code}). */
export type ManifestErrorCode =
  | 'manifest/yaml' // YAML/JSON syntax
  | 'manifest/object' // not an object, or no apiVersion/kind/name
  | 'manifest/kind' // kind unknown in that apiVersion
  | 'manifest/duplicate' // same kind, namespace and name defined twice
  | 'manifest/schema' // OpenAPI schema (types, unknown fields, enums, required)
  | 'manifest/validation' // Istio webhook / Kubernetes apiserver semantic checks
  | 'manifest/warning' // Istio validation warning (in `warnings`)
  | 'manifest/ignored'; // a Kubernetes kind meshsim does not simulate (in `warnings`)

/** What {@link loadManifests} returns. */
export interface LoadResult {
  /**
   * Every object that has an identity (apiVersion, known kind, name), sorted by API group, kind, namespace
   * and name — valid or not (as `istioctl analyze`, which reports invalid objects beside all the others).
   * Ignored kinds (see `knownKinds()`) are left out.
   */
  readonly objects: readonly KubeObject[];
  /** Objects of {@link objects} that failed validation (each has at least one error in {@link errors}). */
  readonly rejected: readonly KubeObject[];
  /** Every problem, in input order (file, then line). */
  readonly errors: readonly ConfigError[];
  /** Istio validation warnings and skipped kinds; never make loading fail. */
  readonly warnings: readonly ConfigError[];
}

/** Loads and validates `inputs`. Never throws for bad input: problems are in `errors`. */
export function loadManifests(inputs: readonly ManifestInput[], options: LoadOptions = {}): LoadResult {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const validate = options.validate ?? true;
  const errors: ConfigError[] = [];
  const warnings: ConfigError[] = [];
  const loaded: { obj: KubeObject; info: KindInfo }[] = [];

  for (const input of inputs) {
    // Blank lines in front keep every reported line true to the enclosing file.
    const pad = Math.max(0, Math.trunc(input.firstLine ?? 1) - 1);
    const parsed = parseYamlDocuments(pad > 0 ? '\n'.repeat(pad) + input.text : input.text);
    for (const e of parsed.errors) {
      errors.push(
        new ConfigError(
          `error parsing ${input.file}: ${e.message}`,
          { file: input.file, line: e.line, column: e.column },
          'manifest/yaml',
        ),
      );
    }
    for (const doc of parsed.documents) {
      if (doc.value === null) continue; // empty document (`---` alone, comments only)
      const base = { file: input.file, document: doc.index, lines: doc.lines };
      if (isRecord(doc.value) && doc.value['kind'] === 'List' && Array.isArray(doc.value['items'])) {
        doc.value['items'].forEach((item, i) => {
          const at = ['items', i] as const;
          readObject(item, { ...base, prefix: at, line: lineIn(doc.lines, at, doc.line) });
        });
      } else {
        readObject(doc.value, { ...base, prefix: [], line: doc.line });
      }
    }
  }

  function readObject(
    value: unknown,
    at: { file: string; document: number; lines: LineTable; prefix: FieldPath; line: number },
  ): void {
    const fail = (detail: string, field?: FieldPath, code: ManifestErrorCode = 'manifest/object'): void => {
      const line = field === undefined ? at.line : lineIn(at.lines, [...at.prefix, ...field], at.line);
      errors.push(
        new ConfigError(detail, { file: at.file, line, ...(field ? { field: formatFieldPath(field) } : {}) }, code),
      );
    };
    if (!isRecord(value)) {
      fail(`a manifest document must be an object with apiVersion and kind, got ${describe(value)}`);
      return;
    }
    const { apiVersion, kind } = value;
    if (typeof apiVersion !== 'string' || apiVersion === '') {
      fail("Object 'apiVersion' is missing", ['apiVersion']);
      return;
    }
    if (typeof kind !== 'string' || kind === '') {
      fail("Object 'Kind' is missing", ['kind']);
      return;
    }
    const info = lookupKind(apiVersion, kind);
    if (info === undefined) {
      fail(
        `no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}${kindHint(apiVersion, kind)}`,
        ['kind'],
        'manifest/kind',
      );
      return;
    }
    const meta = value['metadata'];
    const name = isRecord(meta) ? meta['name'] : undefined;
    if (info.support === 'ignored') {
      warnings.push(
        new ConfigError(
          `${kind} is not simulated by meshsim; ignored`,
          { file: at.file, line: at.line, kind, ...(typeof name === 'string' ? { object: name } : {}) },
          'manifest/ignored' satisfies ManifestErrorCode,
        ),
      );
      return;
    }
    if (!isRecord(meta)) {
      fail(meta === undefined ? 'metadata is required' : `metadata must be an object, got ${describe(meta)}`, [
        'metadata',
      ]);
      return;
    }
    if (typeof name !== 'string' || name === '') {
      fail('resource name may not be empty', ['metadata', 'name']);
      return;
    }
    const plain = stripKubectlDump(value, kind);
    const metadata: Record<string, unknown> = { ...(plain['metadata'] as Record<string, unknown>) };
    if (info.namespaced) {
      if (metadata['namespace'] === undefined || metadata['namespace'] === '') metadata['namespace'] = defaultNamespace;
    } else {
      delete metadata['namespace']; // the apiserver ignores a namespace on cluster-scoped kinds
    }
    const lines = at.lines;
    const prefix = at.prefix;
    const source: ObjectSource = {
      file: at.file,
      line: at.line,
      document: at.document,
      lineOf: (path: FieldPath): number => lineIn(lines, [...prefix, ...path], at.line),
    };
    const obj = deepFreeze({ ...plain, metadata, source } as unknown as KubeObject);
    loaded.push({ obj, info });
  }

  // Duplicates: kubectl would silently apply the later one over the first; a what-if tool must not guess.
  const byKey = new Map<string, KubeObject>();
  const kept: { obj: KubeObject; info: KindInfo }[] = [];
  for (const entry of loaded) {
    const key = identityKey(entry.obj);
    const first = byKey.get(key);
    if (first !== undefined) {
      errors.push(
        locate(
          entry.obj,
          [],
          `${entry.obj.kind} ${objectRef(entry.obj)} is defined twice (first at ${first.source.file}:${first.source.line})`,
          'manifest/duplicate',
        ),
      );
      continue;
    }
    byKey.set(key, entry.obj);
    kept.push(entry);
  }

  const rejected: KubeObject[] = [];
  if (validate) {
    for (const { obj } of kept) {
      const issues = validateManifestObject(obj);
      let bad = false;
      for (const issue of issues) {
        const err = issueToError(obj, issue);
        if (issue.level === 'error') {
          errors.push(err);
          bad = true;
        } else warnings.push(err);
      }
      if (bad) rejected.push(obj);
    }
  }

  const objects = kept.map((k) => k.obj).sort(compareObjects);
  return {
    objects,
    rejected: rejected.sort(compareObjects),
    errors: errors.sort(compareErrors),
    warnings: warnings.sort(compareErrors),
  };
}

/** Like {@link loadManifests}, but throws the first error (input order) when there is any. */
export function loadManifestsOrThrow(
  inputs: readonly ManifestInput[],
  options: LoadOptions = {},
): readonly KubeObject[] {
  const result = loadManifests(inputs, options);
  const first = result.errors[0];
  if (first !== undefined) throw result.errors.length === 1 ? first : withCount(first, result.errors.length);
  return result.objects;
}

/** Turns a validator's issue into a located {@link ConfigError}. */
export function issueToError(obj: KubeObject, issue: ValidationIssue): ConfigError {
  const code: ManifestErrorCode =
    issue.origin === 'schema' || issue.origin === 'cel' ? 'manifest/schema' : 'manifest/validation';
  return locate(obj, issue.path, issue.message, issue.level === 'warning' ? 'manifest/warning' : code);
}

function locate(obj: KubeObject, path: FieldPath, detail: string, code: ManifestErrorCode): ConfigError {
  return new ConfigError(
    detail,
    {
      file: obj.source.file,
      line: obj.source.lineOf(path),
      kind: obj.kind,
      object: objectRef(obj),
      ...(path.length > 0 ? { field: formatFieldPath(path) } : {}),
    },
    code,
  );
}

function withCount(first: ConfigError, count: number): ConfigError {
  return new ConfigError(
    `${first.detail} (and ${count - 1} more error${count > 2 ? 's' : ''}; run \`meshsim analyze\` to list them all)`,
    first.location,
    first.code,
  );
}

function identityKey(obj: KubeObject): string {
  return `${splitApiVersion(obj.apiVersion).group}\u0000${obj.kind}\u0000${obj.metadata.namespace ?? ''}\u0000${obj.metadata.name}`;
}

function compareObjects(a: KubeObject, b: KubeObject): number {
  return cmp(identityKey(a), identityKey(b)) || cmp(a.source.file, b.source.file) || a.source.line - b.source.line;
}

function compareErrors(a: ConfigError, b: ConfigError): number {
  return (
    cmp(a.location.file ?? '', b.location.file ?? '') ||
    (a.location.line ?? 0) - (b.location.line ?? 0) ||
    cmp(a.location.field ?? '', b.location.field ?? '') ||
    cmp(a.detail, b.detail)
  );
}

// Code-unit order: deterministic everywhere, unlike localeCompare.
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function kindHint(apiVersion: string, kind: string): string {
  const { group } = splitApiVersion(apiVersion);
  for (const v of ['v1', 'v1beta1', 'v1alpha3', 'v1alpha1']) {
    const other = group === '' ? v : `${group}/${v}`;
    if (other !== apiVersion && lookupKind(other, kind) !== undefined) return ` (${kind} is served as ${other})`;
  }
  return '';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string'
    ? `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
    : `a ${typeof value}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
