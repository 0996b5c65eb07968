import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { diffResultSchema } from '../../output/schemas.js';
import { captureIO } from '../captureIO.js';
import { runCli } from '../run.js';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('meshsim diff', () => {
  it('--help explains the pairing and the tests, with examples', async () => {
    const { code, stdout } = await run(['diff', '--help']);
    expect(code).toBe(0);
    for (const s of ['--variant', '--runs', '--alpha', 'Examples:', 'common random numbers', "McNemar's exact test"])
      expect(stdout).toContain(s);
  });

  it('canary baseline → fifty-fifty: the split changes, with an interval, significantly; -o json is valid', async () => {
    const { code, stdout } = await run([
      'diff',
      'canary',
      '--variant',
      'baseline',
      '--variant',
      'fifty-fifty',
      '--duration',
      '25s',
      '-o',
      'json',
    ]);
    expect(code).toBe(0);
    const d = JSON.parse(stdout);
    const check = new Ajv({ strict: true }).compile(diffResultSchema);
    expect(check(d), JSON.stringify(check.errors)).toBe(true);
    const v2 = d.generators[0].shares.find((s: { subset?: string }) => s.subset === 'v2');
    expect(v2.significant).toBe(true);
    expect(v2.interval.lower).toBeGreaterThan(0);
  });

  it('the table states each change with its interval and whether it is significant', async () => {
    const { code, stdout } = await run(['diff', 'canary', '--variant', 'fifty-fifty', '--duration', '25s']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^canary: baseline → fifty-fifty · seed 1 · 95 % intervals, α = 0\.05\n/);
    expect(stdout).toMatch(
      /canary\.canary\.svc\.cluster\.local v2 +\d+\.\d% +\d+\.\d% +\+\d+\.\d pp +\[\+\d+\.\d pp, \+\d+\.\d pp\] +<?[\d.]+ +yes/,
    );
    expect(stdout).toContain('Significant differences found.');
  });

  it('a variant against itself: no significant difference', async () => {
    const { stdout } = await run([
      'diff',
      'canary',
      '--variant',
      'slow-v2',
      '--variant',
      'slow-v2',
      '--duration',
      '10s',
    ]);
    expect(stdout).toContain('No significant difference.');
  });

  it('bad input exits 2 with one line', async () => {
    const none = await run(['diff', 'canary']);
    expect(none.code).toBe(2);
    const three = await run(['diff', 'canary', '--variant', 'a', '--variant', 'b', '--variant', 'c']);
    expect([three.code, three.stderr.trim()]).toEqual([
      2,
      'Error: --variant: give one or two --variant options, got 3',
    ]);
    const unknown = await run(['diff', 'canary', '--variant', 'fifty']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown variant "fifty" (did you mean "fifty-fifty"?)');
    const zero = await run(['diff', 'canary', '--variant', 'fifty-fifty', '--duration', '0s']);
    expect([zero.code, zero.stderr.trim()]).toEqual([2, 'Error: --duration: must be a positive duration, got "0s"']);
  });
});
