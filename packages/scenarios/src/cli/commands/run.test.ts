import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { envoy } from '@meshsim/sim-core';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { fortioResultSchema, replicationResultSchema, runResultSchema } from '../../output/schemas.js';
import { captureIO } from '../captureIO.js';
import { runCli } from '../run.js';

const LIBRARY = join(import.meta.dirname, '..', '..', 'library');
const BAD = join(import.meta.dirname, '..', '..', 'load', 'testdata', 'bad');
const rel = (p: string): string => relative(process.cwd(), p);
const ajv = new Ajv({ allErrors: true, strict: true });

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

function validate(schema: object, value: unknown): void {
  const check = ajv.compile(schema);
  expect(check(value), ajv.errorsText(check.errors)).toBe(true);
}

describe('meshsim run', () => {
  it('--help lists every option with examples and exit codes', async () => {
    const { code, stdout } = await run(['run', '--help']);
    expect(code).toBe(0);
    for (const s of [
      '--seed',
      '--requests',
      '--duration',
      '--variant',
      '-o, --output',
      '--report',
      '--access-log',
      '--metrics',
      '--runs',
      'Examples:',
      'Exit codes',
    ])
      expect(stdout).toContain(s);
  });

  it('with no argument runs the default scenario (canary) and prints its summary, exit 0', async () => {
    const { code, stdout } = await run(['run']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^canary: /);
    expect(stdout).toContain('canary.canary.svc.cluster.local');
    expect(stdout).toMatch(/\d+ of \d+ expectations passed\n$/);
  });

  it('-o json is the documented RunResult: valid against its schema, same seed ⇒ same output', async () => {
    const a = await run(['run', 'canary', '-o', 'json']);
    const b = await run(['run', 'canary', '-o', 'json']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const result = JSON.parse(a.stdout) as { kind: string; generators: { name: string }[] };
    validate(runResultSchema, result);
    expect(result.generators.map((g) => g.name)).toEqual(['users', 'tester']);
  });

  it('-o fortio is Fortio JSON valid against its schema, for the generator --traffic names', async () => {
    const { code, stdout } = await run(['run', 'circuit-breaker', '-o', 'fortio', '--traffic', 'fortio-c3']);
    expect(code).toBe(0);
    const f = JSON.parse(stdout) as {
      RetCodes: Record<string, number>;
      DurationHistogram: { Count: number };
      NumThreads: number;
      RequestedDuration: string;
      RequestedQPS: string;
    };
    validate(fortioResultSchema, f);
    expect(f.DurationHistogram.Count).toBe(30);
    expect(Object.values(f.RetCodes).reduce((a, b) => a + b, 0)).toBe(30);
    expect([f.NumThreads, f.RequestedDuration, f.RequestedQPS]).toEqual([3, 'exactly 30 calls', 'max']);
  });

  it('--metrics writes Prometheus text that parses; --access-log one Istio line per proxy stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshsim-run-'));
    const metrics = join(dir, 'metrics.prom');
    const log = join(dir, 'access.log');
    const { code, stdout } = await run([
      'run',
      'sidecar-basics',
      '--metrics',
      metrics,
      '--access-log',
      log,
      '-o',
      'json',
    ]);
    expect(code).toBe(0);
    const families = envoy.parsePrometheusText(readFileSync(metrics, 'utf8'));
    const total = families.find((f) => f.name === 'istio_requests_total');
    expect(total?.type).toBe('counter');
    // Each request is reported by the client sidecar (source) and the server sidecar (destination).
    const sum = (reporter: string) =>
      (total?.samples ?? [])
        .filter((s) => s.labels.some(([k, v]) => k === 'reporter' && v === reporter))
        .reduce((a, s) => a + s.value, 0);
    expect([sum('source'), sum('destination')]).toEqual([200, 200]);
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(400);
    expect(lines.every((l) => /^\[sidecar\/(toolbox|nginx-deployment)-[a-z0-9-]+\] \[\d{4}-\d\d-\d\dT/.test(l))).toBe(
      true,
    );
    expect(JSON.parse(stdout).generators[0].requests).toBe(200);
  });

  it('--report writes one self-contained HTML report with the summary, charts and expectations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshsim-run-'));
    const report = join(dir, 'out', 'report.html');
    const { code, stderr } = await run(['run', 'circuit-breaker', '--report', report]);
    expect(code).toBe(0);
    expect(stderr).toBe(`HTML report: ${report}\n`);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).toContain("circuit-breaker: Istio's circuit-breaking task");
    expect(html).toContain('with two connections some requests are turned away by the client sidecar (503 UO)');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });

  it('--runs N prints estimates with intervals; -o json is valid against its schema', async () => {
    const { code, stdout } = await run(['run', 'sidecar-basics', '--runs', '3', '-o', 'json']);
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as { seeds: number[]; runs: unknown[] };
    validate(replicationResultSchema, r);
    expect(r.seeds).toEqual([1, 2, 3]);
    const table = await run(['run', 'sidecar-basics', '--runs', '3']);
    expect(table.stdout).toContain('95 % Student-t intervals');
  });

  it('exit 1 when an expectation fails, with the failing check marked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshsim-run-'));
    const file = join(dir, 'strict.yaml');
    writeFileSync(
      file,
      readFileSync(join(LIBRARY, 'sidecar-basics', 'scenario.yaml'), 'utf8')
        .replace('manifests/', `${join(LIBRARY, 'sidecar-basics', 'manifests')}/`)
        .replace('latency: { p50: { min: 1ms, max: 3ms } }', 'latency: { p50: { max: 100us } }'),
    );
    const { code, stdout } = await run(['run', file]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAIL latency p50 [\d.]+ms, expected ≤ 100µs/);
  });

  it('bad input is one clear line and exit 2: unknown scenario, conflicting options, unknown variant', async () => {
    const unknown = await run(['run', 'canry']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^Error: canry: unknown scenario "canry": no such file, and no bundled scenario has that name \(did you mean "canary"\?\)/,
    );
    const both = await run(['run', 'canary', '--requests', '10', '--duration', '1s']);
    expect([both.code, both.stderr.trim()]).toEqual([
      2,
      'Error: --duration: give either --requests or --duration, not both',
    ]);
    const variant = await run(['run', 'canary', '--variant', 'fifty']);
    expect(variant.code).toBe(2);
    expect(variant.stderr).toContain('unknown variant "fifty"');
  });
});

describe('meshsim run FILE with the table of bad scenarios', () => {
  const files = readdirSync(BAD)
    .filter((f) => f.endsWith('.yaml'))
    .sort();

  it('has at least 30 cases', () => expect(files.length).toBeGreaterThanOrEqual(30));

  it.each(files)('%s: one line naming file:line, exit 2, no stack trace', async (file) => {
    const path = rel(join(BAD, file));
    const { code, stdout, stderr } = await run(['run', path]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Error: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+(:\\d+)?: `));
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
