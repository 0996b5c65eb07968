import type { Command } from 'commander';
import type { CliIO, ExitCode } from './io.js';

/**
 * One `meshsim` subcommand. `register` declares it on the program (name, options, help with examples);
 * its action resolves to an exit code through `setExit`.
 */
export interface CommandModule {
  readonly name: string;
  register(program: Command, ctx: CommandContext): void;
}

export interface CommandContext {
  readonly io: CliIO;
  /** Records the process exit code for this invocation. */
  setExit(code: ExitCode): void;
}
