import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { captureIO } from '../captureIO.js';
import { runCli } from '../run.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..', '..');
const SIM_CORE = join(ROOT, 'packages', 'sim-core');
const rel = (p: string): string => relative(process.cwd(), p);
const BAD = join(SIM_CORE, 'src', 'k8s', 'load', 'testdata', 'bad');

async function run(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIO(stdin);
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('meshsim kube-inject', () => {
  it('--help lists the options and examples', async () => {
    const { code, stdout } = await run(['kube-inject', '--help']);
    expect(code).toBe(0);
    for (const s of ['-f, --filename', '-o, --output', '--native-sidecars', 'Examples:']) expect(stdout).toContain(s);
  });

  it('prints the seed nginx Deployment with istio-init and istio-proxy (2 containers), keys sorted like kubectl', async () => {
    const { code, stdout, stderr } = await run([
      'kube-inject',
      '-f',
      rel(join(SIM_CORE, 'testdata', 'seeds', 'sidecar', 'nginx.yaml')),
    ]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const docs = parseAllDocuments(stdout)
      .map((d) => d.toJS() as Record<string, unknown>)
      .filter((d) => d !== null);
    expect(docs.map((d) => d['kind'])).toEqual(['Deployment', 'Service']);
    const spec = (
      docs[0] as {
        spec: {
          template: { spec: { containers: { name: string }[]; initContainers: { name: string; args: string[] }[] } };
        };
      }
    ).spec.template.spec;
    expect(spec.containers.map((c) => c.name)).toEqual(['nginx', 'istio-proxy']);
    expect(spec.initContainers[0]?.args).toEqual([
      'istio-iptables',
      '-p',
      '15001',
      '-z',
      '15006',
      '-u',
      '1337',
      '-m',
      'REDIRECT',
      '-i',
      '*',
      '-x',
      '',
      '-b',
      '*',
      '-d',
      '15090,15021,15020',
      '--log_output_level=default:info',
    ]);
    expect(stdout.indexOf('apiVersion:')).toBe(0);
    expect(stdout).toContain('\n---\n');
  });

  it('reads stdin and prints JSON as a List', async () => {
    const { code, stdout } = await run(
      ['kube-inject', '-f', '-', '-o', 'json'],
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: app, image: nginx}]}\n',
    );
    expect(code).toBe(0);
    const list = JSON.parse(stdout) as { kind: string; items: { spec: { containers: { name: string }[] } }[] };
    expect(list.kind).toBe('List');
    expect(list.items[0]?.spec.containers.map((c) => c.name)).toEqual(['app', 'istio-proxy']);
  });

  const bad = readdirSync(BAD)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  it.each(bad.map((f) => [f]))('bad input %s: one clear error with file:line, exit 2', async (f) => {
    const file = rel(join(BAD, f));
    const text = readFileSync(join(BAD, f), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('# <-- error')) + 1;
    const expected = (/^# expect: (.*)$/m.exec(text)?.[1] ?? '').replace(f, file);
    const { code, stdout, stderr } = await run(['kube-inject', '-f', file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.startsWith(`Error: ${file}:${line}`)).toBe(true);
    expect(stderr).toContain(expected);
  });
});
