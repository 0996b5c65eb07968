/**
 * Reads the manifests named on a command line the way `kubectl apply -f` does: files (any extension when
 * named explicitly), directories (their `.yaml`, `.yml` and `.json` files, recursively — kubectl's `-R` —
 * in lexical order, like Go's `filepath.Walk`), and `-` for standard input. Errors are {@link ConfigError}s
 * naming the path, in kubectl's words.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, type ManifestInput } from '@meshsim/sim-core';
import type { CliIO } from '../cli/io.js';

/** Extensions kubectl reads from a directory (`FileExtensions` in k8s.io/cli-runtime resource visitor). */
export const MANIFEST_EXTENSIONS: readonly string[] = ['.json', '.yaml', '.yml'];

/** Label under which standard input is reported. */
export const STDIN_LABEL = '<stdin>';

/** Options of {@link readManifestInputs}. */
export interface ReadManifestOptions {
  /**
   * Descend into subdirectories (kubectl needs `-R` for that; meshsim does it by default).
   * @defaultValue `true`
   */
  readonly recursive?: boolean;
}

/**
 * Reads every manifest under `paths` into `{ file, text }` inputs for `loadManifests`. `file` is the path as
 * the user wrote it (joined with the entry's relative path for directory contents), so messages point at
 * what the user typed. Throws a {@link ConfigError} for a missing or unreadable path.
 */
export async function readManifestInputs(
  paths: readonly string[],
  io: Pick<CliIO, 'cwd' | 'readStdin'>,
  options: ReadManifestOptions = {},
): Promise<ManifestInput[]> {
  const recursive = options.recursive ?? true;
  const inputs: ManifestInput[] = [];
  let stdinRead = false;
  for (const path of paths) {
    if (path === '-') {
      if (stdinRead) throw new ConfigError('standard input ("-") may be given only once', { file: STDIN_LABEL });
      stdinRead = true;
      inputs.push({ file: STDIN_LABEL, text: await io.readStdin() });
      continue;
    }
    const absolute = resolve(io.cwd, path);
    const info = await stat(absolute).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR')
        throw new ConfigError(`the path ${JSON.stringify(path)} does not exist`, { file: path });
      throw new ConfigError(`cannot read ${JSON.stringify(path)}: ${error.message}`, { file: path });
    });
    if (info.isDirectory()) {
      for (const rel of await listManifestFiles(absolute, path, recursive)) {
        inputs.push({ file: join(path, rel), text: await readText(join(absolute, rel), join(path, rel)) });
      }
    } else {
      inputs.push({ file: path, text: await readText(absolute, path) });
    }
  }
  return inputs;
}

async function readText(absolute: string, shown: string): Promise<string> {
  try {
    return await readFile(absolute, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${JSON.stringify(shown)}: ${(error as Error).message}`, { file: shown });
  }
}

// Relative paths of the manifest files under `dir`, in lexical (code-unit) order of each level, as filepath.Walk.
async function listManifestFiles(dir: string, shown: string, recursive: boolean, prefix = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(dir, prefix), { withFileTypes: true });
  } catch (error) {
    throw new ConfigError(`cannot read ${JSON.stringify(join(shown, prefix))}: ${(error as Error).message}`, {
      file: join(shown, prefix),
    });
  }
  const names = entries.map((e) => e.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: string[] = [];
  for (const name of names) {
    const rel = prefix === '' ? name : join(prefix, name);
    // Follows symlinks, as kubectl does; a dangling one is an unreadable entry.
    const info = await stat(join(dir, rel)).catch((error: Error) => {
      throw new ConfigError(`cannot read ${JSON.stringify(join(shown, rel))}: ${error.message}`, {
        file: join(shown, rel),
      });
    });
    if (info.isDirectory()) {
      if (recursive) out.push(...(await listManifestFiles(dir, shown, recursive, rel)));
    } else if (MANIFEST_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext))) {
      out.push(rel);
    }
  }
  return out;
}
