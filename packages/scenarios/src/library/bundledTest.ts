/**
 * The test every bundled scenario gets (its `<name>.test.ts` calls this): `meshsim run NAME` from the CLI
 * exits 0 with every expectation passed and the pinned outcome digest for the default seed; each variant
 * runs and passes the expectations that apply to it; the folder has its README and its tutorial.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { captureIO } from '../cli/captureIO.js';
import { runCli } from '../cli/run.js';
import type { RunResult } from '../runner/result.js';
import { bundledScenarioFile } from './bundled.js';

const DOCS = join(import.meta.dirname, '..', '..', '..', '..', 'docs', 'tutorials');

/** Runs `meshsim run name [--variant v] -o json` in-process. */
export async function runBundled(
  name: string,
  variant?: string,
): Promise<{ code: number; result: RunResult; stderr: string }> {
  const io = captureIO();
  const code = await runCli(['run', name, ...(variant !== undefined ? ['--variant', variant] : []), '-o', 'json'], io);
  return { code, result: (io.stdout === '' ? undefined : JSON.parse(io.stdout)) as RunResult, stderr: io.stderr };
}

/** Declares the standard tests of bundled scenario `name`. */
export function bundledScenarioTests(
  name: string,
  pinned: { readonly digest: string; readonly variants: readonly string[] },
): void {
  it(`meshsim run ${name}: every expectation passes, exit 0, and the outcome digest is the pinned one`, async () => {
    const { code, result, stderr } = await runBundled(name);
    expect(stderr).toBe('');
    expect(result.expectations.filter((x) => !x.passed)).toEqual([]);
    expect(result.expectations.length).toBeGreaterThan(0);
    expect(code).toBe(0);
    expect(result.digest).toBe(pinned.digest);
  });

  it.each(pinned.variants)(`meshsim run ${name} --variant %s: the expectations that apply pass`, async (variant) => {
    const { code, result } = await runBundled(name, variant);
    expect(result.expectations.filter((x) => !x.passed)).toEqual([]);
    expect(code).toBe(0);
  });

  it(`${name} has a README paragraph and a tutorial`, () => {
    const file = bundledScenarioFile(name);
    expect(file).toBeDefined();
    const readme = join(file as string, '..', 'README.md');
    expect(existsSync(readme)).toBe(true);
    expect(readFileSync(readme, 'utf8')).toContain(`meshsim run ${name}`);
    expect(existsSync(join(DOCS, `${name}.md`))).toBe(true);
  });
}
