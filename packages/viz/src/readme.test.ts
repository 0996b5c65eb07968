/**
 * The package README's examples are real: each block after `<!-- snippet: examples/… -->` equals that file
 * byte for byte, every example file is shown, and each runs and logs exactly the `<!-- output -->` block
 * after it (the convention of docs/snippets.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const pkg = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', pkg), 'utf8');
const FENCE = /<!-- snippet: (\S+) -->\n```\w*\n([\s\S]*?)```\n(?:\n?<!-- output -->\n```\w*\n([\s\S]*?)```)?/g;
const uses = [...readme.matchAll(FENCE)].map((m) => ({ snippet: m[1] as string, code: m[2] as string, output: m[3] }));

afterEach(() => vi.restoreAllMocks());
let runs = 0;

describe('packages/viz/README.md', () => {
  it('shows every example in examples/', () => {
    const files = readdirSync(new URL('examples/', pkg))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `examples/${f}`);
    expect(files.sort()).toEqual(uses.map((u) => u.snippet).sort());
  });

  it.each(uses.map((u) => [u.snippet, u] as const))('shows %s verbatim, and its output', async (_, use) => {
    const file = new URL(use.snippet, pkg);
    expect(use.code).toBe(readFileSync(file, 'utf8'));
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    });
    // A fresh query re-runs the example without re-importing the libraries (as docs/snippets.test.ts).
    await import(/* @vite-ignore */ `${fileURLToPath(file)}?run=${++runs}`);
    if (use.output !== undefined) expect(lines.map((l) => `${l}\n`).join('')).toBe(use.output);
  });
});
