import { describe, expect, it } from 'vitest';
import { captureIO } from './captureIO.js';
import { runCli } from './run.js';

describe('meshsim CLI', () => {
  it('--help describes the program and the exit codes, exit 0', async () => {
    const io = captureIO();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.stdout).toContain('Usage: meshsim');
    expect(io.stdout).toContain('Exit codes: 0 success, 1 findings');
  });

  it('an unknown command is a usage error, exit 2', async () => {
    const io = captureIO();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(io.stderr).toContain('run with --help for usage');
  });
});
