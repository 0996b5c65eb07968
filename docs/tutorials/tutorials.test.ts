/**
 * The tutorials stay true to the bundled scenarios: one page per scenario, each listed in the index, and
 * every `meshsim run|diff SCENARIO` command shown names a bundled scenario and only variants it defines.
 * (The outputs shown are checked by docs/snippets.test.ts, which reruns every snippet.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledScenarios, parseScenario } from '@meshsim/scenarios';
import { describe, expect, it } from 'vitest';

const DIR = import.meta.dirname;
const pages = readdirSync(DIR).filter((f) => f.endsWith('.md') && f !== 'README.md');
const scenarios = bundledScenarios();
const index = readFileSync(join(DIR, 'README.md'), 'utf8');

describe('tutorials', () => {
  it('one page per bundled scenario, and no other', () => {
    expect(pages.map((p) => p.replace(/\.md$/, '')).sort()).toEqual(scenarios.map((s) => s.name).sort());
  });

  it.each(scenarios.map((s) => [s.name, s] as const))('%s is listed in the index', (name) => {
    expect(index).toContain(`[${name}](${name}.md)`);
  });

  it.each(pages)('%s: every meshsim run/diff command names a bundled scenario and its variants', (page) => {
    const text = readFileSync(join(DIR, page), 'utf8');
    const commands = [...text.matchAll(/meshsim (run|diff) ([a-z0-9-]+)([^\n`]*)/g)];
    expect(commands.length).toBeGreaterThan(0);
    for (const [, , name, rest] of commands) {
      const bundled = scenarios.find((s) => s.name === name);
      expect(bundled, `${page}: meshsim … ${name}`).toBeDefined();
      const { scenario } = parseScenario({ file: bundled!.file, text: readFileSync(bundled!.file, 'utf8') });
      for (const [, variant] of (rest ?? '').matchAll(/--variant ([a-z0-9-]+)/g)) {
        expect(
          ['baseline', ...scenario.variants.map((v) => v.name)],
          `${page}: ${name} --variant ${variant}`,
        ).toContain(variant);
      }
    }
  });
});
