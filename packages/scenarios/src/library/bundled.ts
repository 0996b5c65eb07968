/**
 * The bundled scenarios: one folder each under `library/`, holding `scenario.yaml`, the manifests it names,
 * a README and a test that pins its outcome digest. `meshsim scenarios` lists them; `meshsim run NAME` runs
 * one; `meshsim run` with no argument runs {@link DEFAULT_SCENARIO}.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario } from '../load/parseScenario.js';

/** The scenario `meshsim run` and `pnpm demo` run when none is named. */
export const DEFAULT_SCENARIO = 'canary';

/** The folder of the bundled scenarios (the sources' `library/`, also when running from `dist/`). */
export function libraryDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return here.includes(`${'/'}dist${'/'}`) ? join(here, '..', '..', 'src', 'library') : here;
}

/** A bundled scenario: its name (= its folder), one-line description and file. */
export interface BundledScenario {
  readonly name: string;
  readonly description: string;
  readonly file: string;
}

/** Every bundled scenario, by name. */
export function bundledScenarios(): BundledScenario[] {
  const dir = libraryDir();
  const out: BundledScenario[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'scenario.yaml');
    if (!isFileSync(file)) continue;
    const { scenario } = parseScenario({ file, text: readFileSync(file, 'utf8') });
    out.push({ name: scenario.name, description: scenario.description, file });
  }
  return out;
}

/** The file of the bundled scenario `name`, or `undefined`. */
export function bundledScenarioFile(name: string): string | undefined {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) return undefined;
  const file = join(libraryDir(), name, 'scenario.yaml');
  return isFileSync(file) ? file : undefined;
}

function isFileSync(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
