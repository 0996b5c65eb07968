import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIO } from '../captureIO.js';
import { runCli } from '../run.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..', '..');
const SIM_CORE = join(ROOT, 'packages', 'sim-core');
const rel = (p: string): string => relative(process.cwd(), p);
const BAD = join(SIM_CORE, 'src', 'k8s', 'load', 'testdata', 'bad');
const PLANTED = join(SIM_CORE, 'src', 'analyze', 'testdata');

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('meshsim analyze', () => {
  it('--help lists the options and examples', async () => {
    const { code, stdout } = await run(['analyze', '--help']);
    expect(code).toBe(0);
    for (const s of ['-f, --filename', '-o, --output', '--vm', 'Examples:', 'Exit codes']) expect(stdout).toContain(s);
  });

  it('reports a planted problem in istioctl format and exits 1', async () => {
    const { code, stdout } = await run([
      'analyze',
      '-f',
      rel(join(PLANTED, 'base.yaml')),
      '-f',
      rel(join(PLANTED, 'planted', 'ist0101-subset.yaml')),
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe(
      `Error [IST0101] (VirtualService default/reviews ${rel(join(PLANTED, 'planted', 'ist0101-subset.yaml'))}:14) Referenced host+subset in destinationrule not found: "reviews+v3"\n`,
    );
  });

  it('exits 0 with only Info/Warning findings, and 1 with --failure-threshold Info', async () => {
    const seed = rel(join(SIM_CORE, 'testdata', 'seeds', 'simple-ingress'));
    expect((await run(['analyze', '-f', seed])).code).toBe(0);
    expect((await run(['analyze', '-f', seed, '--failure-threshold', 'Info'])).code).toBe(1);
    expect((await run(['analyze', '-f', seed, '--output-threshold', 'Warning'])).stdout).toBe('');
  });

  it('says so on stderr when clean, and JSON is an empty array', async () => {
    const clean = rel(join(PLANTED, 'clean', 'bookinfo.yaml'));
    const text = await run(['analyze', '-f', clean]);
    expect(text).toEqual({
      code: 0,
      stdout: '',
      stderr: `\u2714 No validation issues found when analyzing ${clean}.\n`,
    });
    const json = await run(['analyze', '-f', clean, '-o', 'json']);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });

  it("-o json carries istioctl's fields", async () => {
    const { code, stdout } = await run([
      'analyze',
      '-f',
      rel(join(PLANTED, 'base.yaml')),
      '-f',
      rel(join(PLANTED, 'planted', 'ist0118.yaml')),
      '-o',
      'json',
    ]);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0] ?? {})).toEqual(['code', 'documentationUrl', 'level', 'message', 'origin', 'reference']);
    expect(rows[0]).toMatchObject({ code: 'IST0118', level: 'Info', origin: 'Service default/ratings' });
  });

  it('-n keeps findings of one namespace', async () => {
    const args = [
      'analyze',
      '-f',
      rel(join(PLANTED, 'base.yaml')),
      '-f',
      rel(join(PLANTED, 'planted', 'ist0102-ist0103.yaml')),
    ];
    expect((await run([...args, '-n', 'legacy'])).stdout).toContain('IST0102');
    expect((await run([...args, '-n', 'legacy'])).stdout).not.toContain('IST0103');
  });

  it('--vm joins a VM from its cluster.env', async () => {
    const dir = join(SIM_CORE, 'testdata', 'seeds', 'vm-mesh-expansion');
    expect((await run(['analyze', '-f', rel(dir)])).code).toBe(1); // subset vm selects nothing without the VM
    expect((await run(['analyze', '-f', rel(dir), '--vm', rel(join(dir, 'vm', 'cluster.env'))])).code).toBe(0);
  });

  it('a missing path is a usage error: exit 2, one line', async () => {
    const { code, stderr } = await run(['analyze', '-f', 'no/such/dir']);
    expect(code).toBe(2);
    expect(stderr).toBe('Error: no/such/dir: the path "no/such/dir" does not exist\n');
  });

  const bad = readdirSync(BAD)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  it.each(bad.map((f) => [f]))('bad input %s: an IST0106 finding at its file:line, exit 1', async (f) => {
    const file = rel(join(BAD, f));
    const text = readFileSync(join(BAD, f), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('# <-- error')) + 1;
    const expected = (/^# expect: (.*)$/m.exec(text)?.[1] ?? '').replace(f, file);
    const { code, stdout, stderr } = await run(['analyze', '-f', file]);
    expect(code).toBe(1);
    const ist0106 = stdout.split('\n').filter((l) => l.startsWith('Error [IST0106]'));
    expect(ist0106).toHaveLength(1);
    expect(ist0106[0]).toContain(`${file}:${line})`);
    expect(ist0106[0]).toContain(expected);
    expect(stdout + stderr).not.toMatch(/\n\s+at /);
  });
});
