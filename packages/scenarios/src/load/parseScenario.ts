/**
 * Parsing a scenario from text: YAML → schema → semantic checks → a frozen {@link Scenario}, with every
 * problem a {@link ConfigError} naming `file:line:column` and the field path. Browser-safe (no files are
 * read here; {@link loadScenario} does that).
 */
import {
  ConfigError,
  formatFieldPath,
  type FieldPath,
  type ManifestInput,
  type SourceLocation,
} from '@meshsim/sim-core';
import { parseDocument } from 'yaml';
import { issueToConfigError, type Issue, type ScenarioErrorCode } from '../schema/issue.js';
import type { RawObject } from '../schema/normalize/context.js';
import { normalizeScenario } from '../schema/normalize/scenario.js';
import type { InlineManifest } from '../schema/types/common.js';
import type { Scenario } from '../schema/types/scenario.js';
import { parseYamlSource, type YamlSource } from './yamlSource.js';

/** A scenario file's text and the name to report it under. */
export interface ScenarioText {
  readonly file: string;
  readonly text: string;
}

/** A parsed scenario and the means to point back into its file. */
export interface ScenarioDocument {
  readonly scenario: Scenario;
  /** The file as the user named it. */
  readonly file: string;
  /** Where a field of the scenario is (for problems found later, by the runner or the mesh model). */
  locate(path: FieldPath, at?: 'key' | 'value'): SourceLocation;
  /** A {@link ConfigError} about a field of the scenario, located in its file. */
  error(path: FieldPath, message: string, code?: ScenarioErrorCode, at?: 'key' | 'value'): ConfigError;
  /**
   * An inline manifest as a manifest input: its own text, padded so that the manifest loader reports the
   * scenario file's lines. Inline objects of scenarios built in code become JSON text.
   */
  inlineInput(source: InlineManifest): ManifestInput;
}

/** Every problem of a scenario text, in file order; `document` is set when there are none. */
export interface ScenarioCheck {
  readonly document?: ScenarioDocument;
  readonly errors: readonly ConfigError[];
}

/** Checks a scenario text, returning every problem (one line each) instead of throwing. */
export function checkScenarioText(input: ScenarioText): ScenarioCheck {
  let source: YamlSource;
  try {
    source = parseYamlSource(input.file, input.text);
  } catch (error) {
    if (error instanceof ConfigError) return { errors: [error] };
    throw error;
  }
  const inlineText = new WeakMap<object, string>();
  const readInline = (path: FieldPath, raw: RawObject): RawObject => {
    const text = source.mappingText(path);
    if (text === undefined) return raw;
    // Kubernetes reads manifests as YAML 1.1 (sigs.k8s.io/yaml): read the object as kubectl apply would.
    const doc = parseDocument(text, { version: '1.1', merge: true, uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length > 0) return raw;
    const value = (doc.toJS({ maxAliasCount: 1000 }) ?? raw) as RawObject;
    inlineText.set(value, text);
    return value;
  };
  const result = normalizeScenario(source.value, readInline);
  const locate = (path: FieldPath, at: 'key' | 'value' = 'value') => source.position(path, at);
  if (result.scenario === undefined) return { errors: sortIssues(result.issues, input.file, locate) };
  const file = input.file;
  const document: ScenarioDocument = {
    scenario: result.scenario,
    file,
    locate(path, at = 'value') {
      const { line, column } = locate(path, at);
      const field = formatFieldPath(path);
      return { file, line, column, ...(field === '' ? {} : { field }) };
    },
    error(path, message, code = 'scenario/model', at = 'value') {
      return issueToConfigError({ path, message, code, at }, file, locate);
    },
    inlineInput(inline) {
      return { file, text: inlineText.get(inline.inline) ?? `${JSON.stringify(inline.inline, null, 2)}\n` };
    },
  };
  return { document, errors: [] };
}

/** Parses a scenario text; throws the first problem (in file order) as a {@link ConfigError}. */
export function parseScenario(input: ScenarioText): ScenarioDocument {
  const { document, errors } = checkScenarioText(input);
  const first = errors[0];
  if (first !== undefined) throw errors.length === 1 ? first : withCount(first, errors.length);
  if (document === undefined) throw new ConfigError('empty scenario', { file: input.file });
  return document;
}

function sortIssues(
  issues: readonly Issue[],
  file: string,
  locate: (path: FieldPath, at?: 'key' | 'value') => { line: number; column: number },
): ConfigError[] {
  return issues
    .map((issue) => issueToConfigError(issue, file, locate))
    .sort(
      (a, b) =>
        (a.location.line ?? 0) - (b.location.line ?? 0) ||
        (a.location.column ?? 0) - (b.location.column ?? 0) ||
        (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
    );
}

function withCount(first: ConfigError, count: number): ConfigError {
  const more = count - 1;
  return new ConfigError(
    `${first.detail} (and ${more} more problem${more === 1 ? '' : 's'} after it)`,
    first.location,
    first.code,
  );
}
