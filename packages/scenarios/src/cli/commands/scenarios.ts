/**
 * `meshsim scenarios`: the bundled scenarios, each with its one-line description (`-o json`: an array of
 * `{name, description, file}`).
 */
import { relative } from 'node:path';
import { Option, type Command } from 'commander';
import { bundledScenarios, DEFAULT_SCENARIO } from '../../library/bundled.js';
import { renderTable } from '../../output/textTable.js';
import type { CommandModule } from '../command.js';
import { ExitCode } from '../io.js';

const EXAMPLES = `
Examples:
  # What is bundled
  meshsim scenarios

  # As JSON (name, description, file)
  meshsim scenarios -o json

  # Then run one (no name: ${DEFAULT_SCENARIO})
  meshsim run circuit-breaker

Each has a tutorial in docs/tutorials/<name>.md.`;

export const scenariosCommand: CommandModule = {
  name: 'scenarios',
  register(program: Command, ctx) {
    program
      .command('scenarios')
      .summary('list the bundled scenarios with their one-line descriptions')
      .description('List the bundled scenarios with their one-line descriptions')
      .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
      .addHelpText('after', EXAMPLES)
      .action((opts: { output: 'table' | 'json' }) => {
        const list = bundledScenarios().map((s) => ({ ...s, file: relative(ctx.io.cwd, s.file) }));
        if (opts.output === 'json') ctx.io.out(`${JSON.stringify(list, null, 2)}\n`);
        else
          ctx.io.out(
            renderTable(
              [{ header: 'NAME' }, { header: 'DESCRIPTION' }],
              list.map((s) => [s.name, s.description]),
            ),
          );
        ctx.setExit(ExitCode.OK);
      });
  },
};
