/**
 * The docs test. A fenced block preceded by `<!-- snippet: PATH -->` must equal `docs/snippets/PATH`
 * byte for byte; every snippet runs; and when the block is followed by `<!-- output -->` and a fenced
 * block, what the snippet logs must equal that block. So every example in docs/ is real and current.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const DOCS = import.meta.dirname;
const SNIPPETS = join(DOCS, 'snippets');

const walk = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });

interface Use {
  readonly page: string;
  readonly snippet: string;
  readonly code: string;
  readonly output: string | undefined;
}

const FENCE = /<!-- snippet: (\S+) -->\n```\w*\n([\s\S]*?)```\n(?:\n?<!-- output -->\n```\w*\n([\s\S]*?)```)?/g;
const uses: Use[] = walk(DOCS)
  .filter((f) => f.endsWith('.md') && !f.includes('node_modules'))
  .flatMap((page) =>
    [...readFileSync(page, 'utf8').matchAll(FENCE)].map((m) => ({
      page: relative(DOCS, page),
      snippet: m[1]!,
      code: m[2]!,
      output: m[3],
    })),
  );

afterEach(() => vi.restoreAllMocks());

let runs = 0;

async function runSnippet(file: string): Promise<string> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  });
  // A fresh query makes the snippet itself a new module, so it runs again even when another page shows it
  // too, while the libraries it imports stay loaded: `vi.resetModules()` here re-evaluated all of sim-core,
  // scenarios and viz for every snippet (about three quarters of this file's time). The libraries keep no
  // module-level state a snippet could see (the determinism rule), so sharing them changes no output.
  await import(/* @vite-ignore */ `${file}?run=${++runs}`);
  return lines.map((l) => `${l}\n`).join('');
}

describe('docs snippets', () => {
  it('every snippet file is shown in some page', () => {
    const shown = new Set(uses.map((u) => u.snippet));
    const files = walk(SNIPPETS)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => relative(SNIPPETS, f));
    expect(files.filter((f) => !shown.has(f))).toEqual([]);
  });

  it.each(uses.map((u) => [`${u.page} shows ${u.snippet}`, u] as const))(
    '%s verbatim, and its output',
    async (_, use) => {
      const file = join(SNIPPETS, use.snippet);
      expect(use.code).toBe(readFileSync(file, 'utf8'));
      const output = await runSnippet(file);
      if (use.output !== undefined) expect(output).toBe(use.output);
    },
  );
});
