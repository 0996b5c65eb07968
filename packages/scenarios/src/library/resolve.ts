/**
 * Resolving the `SCENARIO|FILE` argument of `meshsim run` and `meshsim diff`: a bundled scenario's name, a scenario
 * file, or a folder holding `scenario.yaml`; none means the default bundled scenario. Loading checks the
 * whole scenario before time 0 (a ConfigError with file:line:column and the field otherwise).
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, parseDuration, type Duration } from '@meshsim/sim-core';
import { loadScenario, type LoadedScenario } from '../load/loadScenario.js';
import { suggestion } from '../schema/didYouMean.js';
import { bundledScenarioFile, bundledScenarios, DEFAULT_SCENARIO } from './bundled.js';

function kindOf(path: string): 'file' | 'dir' | undefined {
  try {
    const s = statSync(path);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/** The scenario file an argument names (relative to `cwd` when it is a path). */
export function scenarioPath(arg: string | undefined, cwd: string): string {
  const name = arg ?? DEFAULT_SCENARIO;
  const kind = arg === undefined ? undefined : kindOf(resolve(cwd, arg));
  if (kind === 'file') return name;
  if (kind === 'dir') {
    const inside = join(name, 'scenario.yaml');
    if (kindOf(resolve(cwd, inside)) === 'file') return inside;
    throw new ConfigError(`the folder ${JSON.stringify(name)} has no scenario.yaml`, { file: name }, 'scenario/file');
  }
  const bundled = bundledScenarioFile(name);
  if (bundled !== undefined) return bundled;
  const names = bundledScenarios().map((s) => s.name);
  throw new ConfigError(
    `unknown scenario ${JSON.stringify(name)}: no such file, and no bundled scenario has that name${suggestion(name, names)} (bundled: ${names.join(', ')}; list them with meshsim scenarios)`,
    { file: name },
    'scenario/file',
  );
}

/** Loads the scenario an argument names. */
export async function loadScenarioArg(arg: string | undefined, cwd: string): Promise<LoadedScenario> {
  return loadScenario(scenarioPath(arg, cwd), { cwd });
}

/** Parses a non-negative integer option. */
export function parseCount(value: string, option: string, min = 0): number {
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new ConfigError(`${option} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`, { field: option });
  }
  return Number(value);
}

/**
 * Parses a positive duration option (`30s`, `2m`: sim-core's {@link parseDuration}); bad text or a zero
 * duration is a ConfigError naming the option.
 */
export function parseDurationOption(value: string, option: string): Duration {
  let d: Duration;
  try {
    d = parseDuration(value);
  } catch (error) {
    throw new ConfigError(String((error as Error).message), { field: option });
  }
  if (d <= 0) throw new ConfigError(`must be a positive duration, got ${JSON.stringify(value)}`, { field: option });
  return d;
}
