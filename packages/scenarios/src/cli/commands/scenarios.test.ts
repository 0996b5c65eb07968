import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIO } from '../captureIO.js';
import { runCli } from '../run.js';

const LIBRARY = join(import.meta.dirname, '..', '..', 'library');
const folders = readdirSync(LIBRARY).filter((f) => statSync(join(LIBRARY, f)).isDirectory());

describe('meshsim scenarios', () => {
  it('lists every bundled scenario folder with its one-line description', async () => {
    const io = captureIO();
    expect(await runCli(['scenarios'], io)).toBe(0);
    const lines = io.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+DESCRIPTION$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual([...folders].sort());
    expect(lines.slice(1).every((l) => l.split(/\s{2,}/)[1]!.length > 20)).toBe(true);
  });

  it("-o json gives name, description and file; each file is its folder's scenario.yaml", async () => {
    const io = captureIO();
    expect(await runCli(['scenarios', '-o', 'json'], io)).toBe(0);
    const list = JSON.parse(io.stdout) as { name: string; description: string; file: string }[];
    expect(list.map((s) => s.name)).toEqual([...folders].sort());
    for (const s of list) expect(s.file.endsWith(join(s.name, 'scenario.yaml'))).toBe(true);
    expect(list.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'sidecar-basics',
        'ingress-gateway',
        'https-sni',
        'canary',
        'fault-injection',
        'vm-mesh-expansion',
        'bookinfo',
        'circuit-breaker',
        'outlier-ejection',
        'retries-timeouts',
        'no-sidecar-vs-sidecar',
      ]),
    );
  });

  it('--help has examples', async () => {
    const io = captureIO();
    expect(await runCli(['scenarios', '--help'], io)).toBe(0);
    expect(io.stdout).toContain('Examples:');
  });
});
