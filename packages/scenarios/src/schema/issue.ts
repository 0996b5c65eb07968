/**
 * A problem found in a scenario, before it is located in the file: the field path (`traffic[0].rate`), a
 * one-line message, and whether it concerns the key or the value. The loader turns issues into
 * {@link ConfigError}s carrying `file:line:column`.
 */
import { ConfigError, formatFieldPath, type FieldPath } from '@meshsim/sim-core';

/** Stable error codes of scenario loading (`ConfigError.code`). */
export type ScenarioErrorCode =
  | 'scenario/yaml' // YAML syntax
  | 'scenario/schema' // the JSON Schema: types, unknown or missing fields, enums, ranges
  | 'scenario/semantic' // rules the schema cannot state: time order, exclusive fields, durations, sums
  | 'scenario/reference' // a name used that no section defines (variant, traffic generator)
  | 'scenario/file' // a manifest path that cannot be read
  | 'scenario/manifest' // an invalid manifest, or a patch that cannot be applied
  | 'scenario/model'; // a reference to the cluster that matches nothing (pod, selector, object, node)

/** One problem in a scenario. */
export interface Issue {
  readonly path: FieldPath;
  readonly message: string;
  /** Point at the field's key (unknown fields) rather than its value. @defaultValue `'value'` */
  readonly at?: 'key' | 'value';
  readonly code: ScenarioErrorCode;
}

/** Resolves a field path to a line and column. */
export type Locator = (path: FieldPath, at?: 'key' | 'value') => { line: number; column: number };

/** The {@link ConfigError} for an issue: `file:line:col: field.path: message`. */
export function issueToConfigError(issue: Issue, file: string, locate: Locator): ConfigError {
  const { line, column } = locate(issue.path, issue.at ?? 'value');
  const field = formatFieldPath(issue.path);
  return new ConfigError(issue.message, { file, line, column, ...(field === '' ? {} : { field }) }, issue.code);
}

/** Collects issues under a path prefix; sections of the loader share one. */
export class Issues {
  readonly list: Issue[] = [];
  add(path: FieldPath, message: string, code: ScenarioErrorCode = 'scenario/semantic', at?: 'key' | 'value'): void {
    this.list.push({ path, message, code, ...(at === undefined ? {} : { at }) });
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
}
