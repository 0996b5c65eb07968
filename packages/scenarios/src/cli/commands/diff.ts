/**
 * `meshsim diff SCENARIO --variant A --variant B`: runs two variants of a scenario with the same seed
 * (common random numbers) and reports, per traffic generator, the change in split and latency with
 * intervals and significance (runner/diff.ts states the tests). One `--variant` compares the baseline
 * with it. Exit 0 whatever the differences (they are the answer, not a failure); 2 for bad input.
 */
import { ConfigError } from '@meshsim/sim-core';
import { Option, type Command } from 'commander';
import { loadScenarioArg, parseCount, parseDurationOption } from '../../library/resolve.js';
import { renderDiffTable } from '../../output/diffTable.js';
import { progressReporter } from '../../output/progress.js';
import { diffVariants } from '../../runner/diff.js';
import { BASELINE } from '../../schema/types/variants.js';
import type { CommandModule } from '../command.js';
import { ExitCode } from '../io.js';

interface DiffCliOptions {
  variant: string[];
  seed?: string;
  runs?: string;
  alpha?: string;
  requests?: string;
  duration?: string;
  output: 'table' | 'json';
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const EXAMPLES = `
Examples:
  # What if the canary started at 50/50? (baseline → fifty-fifty)
  meshsim diff canary --variant fifty-fifty

  # Two variants against each other, pooled over 5 seeds, as JSON
  meshsim diff canary --variant slow-v2 --variant bad-v2 --runs 5 -o json

  # A variant against itself: no significant difference, by construction
  meshsim diff canary --variant baseline --variant baseline

Both variants run with the same seed, so request k of each generator is the same request in both runs
(common random numbers): differences come from the change, not from noise. Split and error rate use
McNemar's exact test on the paired requests; latency the exact sign test on paired differences and
distribution-free percentile intervals. Exit codes: 0 done (differences or not), 2 usage or input errors.`;

export const diffCommand: CommandModule = {
  name: 'diff',
  register(program: Command, ctx) {
    program
      .command('diff')
      .summary('compare two variants of a scenario: change in split and latency, with intervals')
      .description('Compare two variants of a scenario with common random numbers: change in split and latency')
      .argument(
        '[scenario]',
        'a bundled scenario name, a scenario file, or a folder with scenario.yaml (default: canary)',
      )
      .requiredOption('--variant <name>', 'a variant to compare (give two; one compares baseline with it)', collect, [])
      .option('--seed <n>', "seed of the paired runs (default: the scenario's)")
      .option('--runs <n>', 'pool the pairs of n seeds (seed, seed+1, …)', '1')
      .option('--alpha <a>', 'significance level of the tests and intervals', '0.05')
      .option('--requests <n>', 'every traffic generator sends this many requests')
      .option('--duration <d>', 'every traffic generator runs this long (e.g. 30s)')
      .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
      .addHelpText('after', EXAMPLES)
      .action(async (scenarioArg: string | undefined, opts: DiffCliOptions) => {
        if (opts.variant.length === 0 || opts.variant.length > 2) {
          throw new ConfigError(`give one or two --variant options, got ${opts.variant.length}`, {
            field: '--variant',
          });
        }
        if (opts.requests !== undefined && opts.duration !== undefined) {
          throw new ConfigError('give either --requests or --duration, not both', { field: '--duration' });
        }
        const alpha = Number(opts.alpha);
        if (!(alpha > 0 && alpha < 1))
          throw new ConfigError(`--alpha must be in (0, 1), got ${JSON.stringify(opts.alpha)}`, { field: '--alpha' });
        const loaded = await loadScenarioArg(scenarioArg, ctx.io.cwd);
        const [a, b] =
          opts.variant.length === 1 ? [BASELINE, opts.variant[0] as string] : (opts.variant as [string, string]);
        loaded.variantObjects(a);
        loaded.variantObjects(b);
        const duration = opts.duration === undefined ? undefined : parseDurationOption(opts.duration, '--duration');
        const progress = progressReporter(ctx.io, `${loaded.scenario.name} ${a} → ${b}`);
        const result = diffVariants(loaded, {
          a,
          b,
          alpha,
          runs: parseCount(opts.runs ?? '1', '--runs', 1),
          ...(opts.seed !== undefined ? { seed: parseCount(opts.seed, '--seed') } : {}),
          ...(opts.requests !== undefined ? { requests: parseCount(opts.requests, '--requests', 1) } : {}),
          ...(duration !== undefined ? { duration } : {}),
          onProgress: (_r, _v, p) => progress.onProgress(p),
        });
        progress.stop();
        ctx.io.out(opts.output === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderDiffTable(result));
        ctx.setExit(ExitCode.OK);
      });
  },
};
