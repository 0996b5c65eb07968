import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JavaScript module without type declarations (it runs before any TypeScript can)
import { load } from './hooks.mjs';

type Loaded = { format: string; source: string };
const loadTs = (file: string): Promise<Loaded> =>
  (load as (url: string, context: object, next: () => never) => Promise<Loaded>)(pathToFileURL(file).href, {}, () => {
    throw new Error('a .ts file must not reach the next hook');
  });

const dir = mkdtempSync(join(tmpdir(), 'run-ts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run-ts hooks: TypeScript for node, as tsc would emit it', () => {
  it('strips types without wrapping functions in __name (esbuild keepNames, the cost tsx adds per closure)', async () => {
    const file = join(dir, 'closures.ts');
    writeFileSync(
      file,
      'export function outer(n: number): () => number {\n  const inner = (): number => n + 1;\n  return inner;\n}\n',
    );
    const { format, source } = await loadTs(file);
    expect(format).toBe('module');
    expect(source).toContain('const inner = () => n + 1;');
    expect(source).not.toContain('__name');
  });

  it('keeps value imports (verbatimModuleSyntax) and class fields as defined properties (ES2022)', async () => {
    const file = join(dir, 'fields.ts');
    writeFileSync(
      file,
      "import { sideEffect } from './other.js';\nimport type { T } from './types.js';\nexport class A {\n  x = 0;\n  declare y: T;\n}\n",
    );
    const { source } = await loadTs(file);
    expect(source).toContain('import { sideEffect } from "./other.js";');
    expect(source).not.toContain('types.js');
    expect(source).toMatch(/class A \{\s+x = 0;\s+\}/);
  });

  it('runs a program whose .ts files import each other with .js specifiers, stack traces naming .ts lines', () => {
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    writeFileSync(join(dir, 'main.ts'), "import { fail } from './lib.js';\nfail('boom');\n");
    writeFileSync(join(dir, 'lib.ts'), 'export function fail(why: string): never {\n  throw new Error(why);\n}\n');
    const r = spawnSync(
      process.execPath,
      ['--import', join(import.meta.dirname, 'register.mjs'), join(dir, 'main.ts')],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Error: boom');
    expect(r.stderr).toContain(`at fail (${join(dir, 'lib.ts')}:2:9)`);
  });
});
