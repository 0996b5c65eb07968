/**
 * `loadScenario`: a scenario file, checked end to end before time 0 — its YAML and schema, its own rules,
 * the manifests it names (read as `kubectl apply -f` reads them, validated like the apiserver and Istio's
 * webhook would), the variants' patches, and every reference into the cluster those manifests describe.
 * The first problem, in file order, is thrown as a {@link ConfigError} naming `file:line:column` and the
 * field path; nothing is simulated until the whole scenario is sound.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError, loadManifests, type FieldPath, type KubeObject, type ManifestInput } from '@meshsim/sim-core';
import { suggestion } from '../schema/didYouMean.js';
import type { ManifestSource } from '../schema/types/common.js';
import { BASELINE } from '../schema/types/variants.js';
import { readManifestInputs } from './manifestFiles.js';
import { meshModelOptions } from './effective.js';
import { modelProblems, objectsBeforeEachEvent } from './modelChecks.js';
import { applyVariant, type ObjectProblem } from './objects.js';
import { checkScenarioText, type ScenarioDocument, type ScenarioText } from './parseScenario.js';

/** Options of {@link loadScenario}. */
export interface LoadScenarioOptions {
  /** Directory a relative scenario path is resolved against. @defaultValue `process.cwd()` */
  readonly cwd?: string;
  /**
   * Directory the scenario's manifest paths are relative to, for a scenario given as text.
   * @defaultValue the scenario file's directory
   */
  readonly baseDir?: string;
  /** Check references against the cluster the manifests describe. @defaultValue true */
  readonly checkModel?: boolean;
}

/** A scenario with its manifests read, loaded and checked. */
export interface LoadedScenario extends ScenarioDocument {
  /** The manifest inputs of a list of the scenario's manifest sources (files were read at load time). */
  inputs(sources: readonly ManifestSource[]): readonly ManifestInput[];
  /** The base cluster's objects, loaded and validated, sorted by group, kind, namespace and name. */
  readonly objects: readonly KubeObject[];
  /** The objects of the base cluster as a variant changes them (patches, deletions, replacement manifests). */
  variantObjects(name: string): readonly KubeObject[];
  /** The objects a `delete` event names by file (`delete: [{path}]`), read and loaded at load time. */
  deletedObjects(eventIndex: number): readonly KubeObject[];
}

/** Loads a scenario from a path (relative to `cwd`) or from its text; throws the first problem in file order. */
export async function loadScenario(
  source: string | ScenarioText,
  options: LoadScenarioOptions = {},
): Promise<LoadedScenario> {
  const { scenario, errors } = await checkScenario(source, options);
  const first = errors[0];
  if (first !== undefined) throw first;
  return scenario as LoadedScenario;
}

/**
 * Checks a scenario like {@link loadScenario} but returns the problems instead of throwing. Checking stops at
 * the first stage that fails (YAML and schema, then files, then manifests, then references), and reports
 * every problem of that stage, in file order.
 */
export async function checkScenario(
  source: string | ScenarioText,
  options: LoadScenarioOptions = {},
): Promise<{ readonly scenario?: LoadedScenario; readonly errors: readonly ConfigError[] }> {
  try {
    return await analyze(source, options);
  } catch (error) {
    if (error instanceof ConfigError) return { errors: [error] };
    throw error;
  }
}

async function analyze(
  source: string | ScenarioText,
  options: LoadScenarioOptions,
): Promise<{ readonly scenario?: LoadedScenario; readonly errors: readonly ConfigError[] }> {
  const cwd = options.cwd ?? process.cwd();
  const input = typeof source === 'string' ? { file: source, text: await readScenarioFile(cwd, source) } : source;
  const checked = checkScenarioText(input);
  if (checked.document === undefined) return { errors: checked.errors };
  const document = checked.document;
  const { scenario } = document;
  const baseDir = options.baseDir ?? dirname(input.file);

  // Read every manifest path once, in document order, so a missing file is reported where it is named.
  const read = new Map<ManifestSource, readonly ManifestInput[]>();
  const readList = async (sources: readonly ManifestSource[], path: FieldPath): Promise<void> => {
    for (const [j, src] of sources.entries()) {
      read.set(
        src,
        'path' in src ? await readPath(document, baseDir, cwd, src.path, [...path, j]) : [document.inlineInput(src)],
      );
    }
  };
  await readList(scenario.manifests, ['manifests']);
  for (const [i, e] of scenario.events.entries()) if ('apply' in e) await readList(e.apply, ['events', i, 'apply']);
  for (const [i, v] of scenario.variants.entries()) await readList(v.manifests, ['variants', i, 'manifests']);
  const deletedFiles = new Map<number, readonly ManifestInput[]>();
  for (const [i, e] of scenario.events.entries()) {
    if (!('delete' in e)) continue;
    const files: ManifestInput[] = [];
    for (const [j, d] of e.delete.entries())
      if ('path' in d) files.push(...(await readPath(document, baseDir, cwd, d.path, ['events', i, 'delete', j])));
    deletedFiles.set(i, files);
  }
  const inputs = (sources: readonly ManifestSource[]): readonly ManifestInput[] =>
    sources.flatMap((s) => read.get(s) ?? ('path' in s ? [] : [document.inlineInput(s)]));

  // Manifests are validated as kubectl apply would; every invalid object of every list is reported.
  const manifestErrors: ConfigError[] = [];
  const load = (list: readonly ManifestInput[], validate = true): readonly KubeObject[] => {
    const result = loadManifests(list, { validate });
    manifestErrors.push(...result.errors);
    return result.objects;
  };
  const objects = load(inputs(scenario.manifests));
  const eventApplied = scenario.events.map((e) => ('apply' in e ? load(inputs(e.apply)) : []));
  const eventDeleted = scenario.events.map((_, i) => load(deletedFiles.get(i) ?? [], false));
  const replacements = scenario.variants.map((v) => load(inputs(v.manifests)));
  if (manifestErrors.length > 0) return { errors: manifestErrors };

  const problems: ObjectProblem[] = [];
  const variants = scenario.variants.map((v, i) => {
    const applied = applyVariant(objects, v, i, replacements[i] ?? []);
    problems.push(...applied.problems);
    return applied.objects;
  });
  if (options.checkModel ?? true) {
    const states = objectsBeforeEachEvent(
      objects,
      scenario,
      (i) => eventApplied[i] ?? [],
      (i) => eventDeleted[i] ?? [],
    );
    const options = (i?: number) => meshModelOptions(scenario, i === undefined ? undefined : scenario.variants[i]);
    try {
      problems.push(
        ...modelProblems(
          scenario,
          objects,
          (i) => variants[i] ?? objects,
          (i) => states[i] ?? objects,
          options,
        ),
      );
    } catch (error) {
      // The mesh model refuses only a MeshConfig istiod would reject: the scenario's `mesh` made it so.
      if (!(error instanceof ConfigError) || scenario.mesh === undefined) throw error;
      return { errors: [document.error(['mesh'], error.detail, 'scenario/model')] };
    }
  }
  const errors = problems.map((p) => document.error(p.path, p.message, 'scenario/model'));
  errors.sort(
    (a, b) => (a.location.line ?? 0) - (b.location.line ?? 0) || (a.location.column ?? 0) - (b.location.column ?? 0),
  );
  if (errors.length > 0) return { errors };

  const loaded: LoadedScenario = {
    ...document,
    inputs,
    objects,
    deletedObjects: (i) => eventDeleted[i] ?? [],
    variantObjects(name) {
      const index = scenario.variants.findIndex((v) => v.name === name);
      if (name === BASELINE) return objects;
      if (index < 0) {
        const names = [BASELINE, ...scenario.variants.map((v) => v.name)];
        throw new ConfigError(
          `unknown variant ${JSON.stringify(name)}${suggestion(name, names)} (variants: ${names.join(', ')})`,
          { file: document.file },
          'scenario/reference',
        );
      }
      return variants[index] ?? objects;
    },
  };
  return { scenario: loaded, errors: [] };
}

async function readScenarioFile(cwd: string, path: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a folder (give the scenario file inside it)'
          : `cannot be read: ${(error as Error).message}`;
    throw new ConfigError(`the scenario file ${JSON.stringify(path)} ${why}`, { file: path }, 'scenario/file');
  }
}

// A manifest path of the scenario, relative to its folder, read as kubectl does; errors point at the field.
async function readPath(
  document: ScenarioDocument,
  baseDir: string,
  cwd: string,
  path: string,
  at: FieldPath,
): Promise<readonly ManifestInput[]> {
  if (path === '-')
    throw document.error(
      at,
      'a scenario cannot read manifests from standard input; name a file or folder',
      'scenario/file',
    );
  const shown = isAbsolute(path) ? path : join(baseDir, path);
  try {
    return await readManifestInputs([shown], { cwd, readStdin: async () => '' });
  } catch (error) {
    if (error instanceof ConfigError) {
      const named = shown === path ? JSON.stringify(path) : `${JSON.stringify(path)} (${shown})`;
      throw document.error(at, error.detail.replace(JSON.stringify(shown), named), 'scenario/file');
    }
    throw error;
  }
}
