import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// `pnpm bench`'s command line: documented flags, every suite listed, usage errors exit 2 before any suite
// runs (the suites themselves are measured by `pnpm bench`, never by tests).
const root = join(import.meta.dirname, '..');
const bench = (...args: string[]): { code: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(
    process.execPath,
    [
      '--conditions=@meshsim/source',
      '--import',
      join(root, 'scripts', 'run-ts', 'register.mjs'),
      join(root, 'scripts', 'bench.ts'),
      ...args,
    ],
    { cwd: root, encoding: 'utf8' },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const suites = readdirSync(join(root, 'packages'))
  .flatMap((pkg) => {
    try {
      return readdirSync(join(root, 'packages', pkg, 'bench'));
    } catch {
      return [];
    }
  })
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length));

describe('pnpm bench command line', () => {
  it('--help documents every flag and lists every suite, and exits 0', () => {
    const r = bench('--help');
    expect(r.code).toBe(0);
    for (const flag of ['--quick', '--json', '--filter TEXT', '-h, --help'])
      expect(r.stdout, flag).toContain(`  ${flag}`);
    expect(suites.length).toBeGreaterThan(5);
    const listed = /suites: (.*)/.exec(r.stdout)?.[1]?.split(', ') ?? [];
    expect([...listed].sort()).toEqual([...suites].sort());
    expect(r.stdout).toContain('docs/performance.md');
  });

  it.each([
    [['--bogus'], 'unknown argument "--bogus"'],
    [['--filter'], '--filter needs a TEXT argument'],
    [['--filter', '--json'], '--filter needs a TEXT argument'],
  ])('%j is a usage error: one line, the usage, exit 2', (args, message) => {
    const r = bench(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`pnpm bench: ${message}`);
    expect(r.stderr).toContain('usage: pnpm bench');
    expect(r.stdout).toBe('');
  });
});
