/**
 * What a command may touch of the outside world. Commands never call `process` directly, so tests run
 * them in-process with captured output (see `runCli`).
 */
export interface CliIO {
  /** Writes to standard output (no newline added). */
  out(text: string): void;
  /** Writes to standard error (no newline added). */
  err(text: string): void;
  /** True when stdout is an interactive terminal (progress bars, colours). */
  readonly isTTY: boolean;
  /** Working directory that relative paths are resolved against. */
  readonly cwd: string;
  /** Reads all of standard input (for `-f -`). */
  readStdin(): Promise<string>;
}

/** The real process's IO. */
export const processIO: CliIO = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  isTTY: Boolean(process.stdout.isTTY),
  cwd: process.cwd(),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** Exit codes of every command: 0 success, 1 findings or failed expectations, 2 usage or input errors. */
export const ExitCode = { OK: 0, FINDINGS: 1, USAGE: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
