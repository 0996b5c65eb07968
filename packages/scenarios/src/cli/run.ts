/**
 * The `meshsim` program: argument parsing (commander), help, and the mapping from errors to exit codes.
 * Bad input (a `MeshsimError`, such as a `ConfigError` naming file, line and field) prints one clear
 * message and exits 2; never a stack trace. Anything else is a meshsim bug and says so.
 */
import { MeshsimError } from '@meshsim/sim-core';
import { Command, CommanderError } from 'commander';
import type { CommandContext } from './command.js';
import { commands } from './commands/index.js';
import { ExitCode, type CliIO } from './io.js';

export const VERSION = '0.1.0';

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let exit: number = ExitCode.OK;
  const ctx: CommandContext = { io, setExit: (code) => void (exit = code) };
  const program = new Command('meshsim')
    .description(
      'A deterministic simulator of an Istio service mesh on Kubernetes. Give it the YAML you would ' +
        '`kubectl apply` and a traffic profile; it shows, event by event, what istiod, iptables and Envoy do.',
    )
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.out(t), writeErr: (t) => io.err(t) })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 findings or failed expectations, 2 usage or input errors.\nDocs: docs/README.md',
    );
  for (const command of commands) command.register(program, ctx);
  for (const sub of program.commands)
    sub.exitOverride().configureOutput({ writeOut: (t) => io.out(t), writeErr: (t) => io.err(t) });
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0
        ? ExitCode.OK
        : ExitCode.USAGE;
    }
    if (error instanceof MeshsimError) {
      io.err(`Error: ${error.message}\n`);
      return ExitCode.USAGE;
    }
    const detail =
      error instanceof Error ? (process.env['MESHSIM_DEBUG'] ? String(error.stack) : error.message) : String(error);
    io.err(`meshsim: internal error (a bug in meshsim; please report it with the command you ran): ${detail}\n`);
    return 70;
  }
  return exit;
}
