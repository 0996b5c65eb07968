/**
 * The package's entries load only what they promise: `@meshsim/sim-core` (the simulator, which runs in
 * browsers) reaches neither fast-check nor vitest nor this folder; `@meshsim/sim-core/testing` needs
 * fast-check but not vitest; only `@meshsim/sim-core/testing/vitest` imports vitest. Checked on the import
 * graph of the sources (static `import … from` and `export … from`, type-only imports excluded).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..');

/** Every module reachable from `entry`, and every bare package it imports at run time. */
function reach(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const queue = [resolve(entry)];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (modules.has(file)) continue;
    modules.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
      if (m[1] !== undefined) continue; // `import type` is erased
      const spec = m[2] as string;
      if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
    }
  }
  return { modules, packages };
}

describe('entry points', () => {
  it('@meshsim/sim-core reaches neither fast-check, vitest, nor src/testing', () => {
    const { modules, packages } = reach(join(SRC, 'index.ts'));
    expect(modules.size).toBeGreaterThan(100);
    expect([...packages].filter((p) => p === 'fast-check' || p === 'vitest' || p.startsWith('@fast-check'))).toEqual(
      [],
    );
    expect([...modules].map((m) => relative(SRC, m)).filter((m) => m.startsWith('testing/'))).toEqual([]);
  });

  it('@meshsim/sim-core/testing needs fast-check but not vitest', () => {
    const { packages } = reach(join(SRC, 'testing', 'index.ts'));
    expect(packages.has('fast-check')).toBe(true);
    expect(packages.has('vitest')).toBe(false);
  });

  it('@meshsim/sim-core/testing/vitest is where vitest comes in', () => {
    expect(reach(join(SRC, 'testing', 'vitest.ts')).packages.has('vitest')).toBe(true);
  });
});
