import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadManifests } from '@meshsim/sim-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readManifestInputs, STDIN_LABEL } from './manifestFiles.js';

let dir: string;
const io = (stdin = '') => ({ cwd: dir, readStdin: async () => stdin });
const sa = (name: string): string => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n`;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'meshsim-manifests-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('readManifestInputs()', () => {
  it('reads folders recursively in lexical order, keeping .yaml/.yml/.json only', async () => {
    mkdirSync(join(dir, 'm', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'm', 'b.yaml'), sa('b'));
    writeFileSync(join(dir, 'm', 'a.yml'), sa('a'));
    writeFileSync(
      join(dir, 'm', 'C.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'c' } }),
    );
    writeFileSync(join(dir, 'm', 'notes.txt'), 'not a manifest');
    writeFileSync(join(dir, 'm', 'sub', 'z.yaml'), sa('z'));
    const inputs = await readManifestInputs(['m'], io());
    expect(inputs.map((i) => i.file)).toEqual([
      join('m', 'C.json'),
      join('m', 'a.yml'),
      join('m', 'b.yaml'),
      join('m', 'sub', 'z.yaml'),
    ]);
    expect(loadManifests(inputs).errors).toEqual([]);
  });

  it('does not descend without recursive (kubectl without -R)', async () => {
    mkdirSync(join(dir, 'm', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'm', 'sub', 'z.yaml'), sa('z'));
    expect(await readManifestInputs(['m'], io(), { recursive: false })).toEqual([]);
  });

  it('reads a named file whatever its extension, and - from standard input', async () => {
    writeFileSync(join(dir, 'objects.txt'), sa('t'));
    const inputs = await readManifestInputs(['objects.txt', '-'], io(sa('s')));
    expect(inputs).toEqual([
      { file: 'objects.txt', text: sa('t') },
      { file: STDIN_LABEL, text: sa('s') },
    ]);
  });

  it('names a missing path in kubectl’s words', async () => {
    const error = await readManifestInputs(['nope.yaml'], io()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe('nope.yaml: the path "nope.yaml" does not exist');
  });

  it('names an unreadable entry of a folder (a dangling symlink)', async () => {
    mkdirSync(join(dir, 'm'));
    symlinkSync(join(dir, 'gone.yaml'), join(dir, 'm', 'link.yaml'));
    const error = await readManifestInputs(['m'], io()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^m\/link.yaml: cannot read "m\/link.yaml": ENOENT/);
  });

  it('names a path that cannot be read as a file', async () => {
    writeFileSync(join(dir, 'file.yaml'), sa('x'));
    const error = await readManifestInputs(['file.yaml/inner.yaml'], io()).catch((e: unknown) => e);
    expect((error as ConfigError).message).toBe('file.yaml/inner.yaml: the path "file.yaml/inner.yaml" does not exist');
  });

  it('refuses stdin twice', async () => {
    await expect(readManifestInputs(['-', '-'], io())).rejects.toThrow('standard input ("-") may be given only once');
  });
});
