import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The determinism rule is enforced by the linter: this shows it fails on ambient time and randomness
// added to sim-core's sources, and leaves tests, benches and other packages alone.
describe('eslint determinism rules', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const lint = async (code: string, filePath: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
  };

  it.each([
    ['Math.random()', 'no-restricted-properties'],
    ['Date.now()', 'no-restricted-properties'],
    ['performance.now()', 'no-restricted-'],
    ['setTimeout(() => {}, 1)', 'no-restricted-globals'],
    ['setInterval(() => {}, 1)', 'no-restricted-globals'],
    ['new Date()', 'no-restricted-syntax'],
  ])('fails on %s in packages/sim-core/src', async (expr, rule) => {
    const messages = await lint(`export const x = ${expr};\n`, 'packages/sim-core/src/engine/bad.ts');
    expect(messages.some((m) => m.startsWith(rule) && m.includes('deterministic'))).toBe(true);
  });

  it('fails on Node-only imports in sim-core', async () => {
    const messages = await lint(
      `import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n`,
      'packages/sim-core/src/k8s/bad.ts',
    );
    expect(messages.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
  });

  it('allows them in sim-core tests and in the CLI package', async () => {
    expect(await lint('export const x = Math.random();\n', 'packages/sim-core/src/engine/x.test.ts')).toEqual([]);
    expect(await lint('export const x = Date.now();\n', 'packages/scenarios/src/cli/progress.ts')).toEqual([]);
  });
});
