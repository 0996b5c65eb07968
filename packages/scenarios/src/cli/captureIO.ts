import type { CliIO } from './io.js';

/** A {@link CliIO} that records output, for running commands in-process in tests. */
export function captureIO(stdin = ''): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    isTTY: false,
    cwd: process.cwd(),
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
    readStdin: async () => stdin,
  };
  return io;
}
