/**
 * `meshsim run [SCENARIO|FILE]`: runs a scenario (a bundled one by name, or a file) and prints what
 * happened — per traffic generator and per destination: requests, share, status codes, Envoy response
 * flags, p50/p90/p99, retries, ejections — and the verdict of each expectation. `-o json` prints the
 * {@link RunResult} (schema: output/schemas.ts), `-o fortio` one generator as Fortio's JSON result. Files:
 * `--report` (HTML), `--access-log` (Istio's access-log lines of every proxy), `--metrics` (Istio's metrics
 * as Prometheus text). `--runs N` repeats the run over N seeds and prints confidence intervals. Exit 0 when
 * every expectation passed, 1 when one failed, 2 for bad input.
 */
import { ConfigError } from '@meshsim/sim-core';
import { Option, type Command } from 'commander';
import { loadScenarioArg, parseCount, parseDurationOption } from '../../library/resolve.js';
import { fileAccessLog, writeTextFile } from '../../output/files.js';
import { FortioCollector } from '../../output/fortio.js';
import { progressReporter } from '../../output/progress.js';
import { renderReplicationTable } from '../../output/replicationTable.js';
import { reportCollector, variantsReport } from '../../output/report.js';
import { renderRunTable } from '../../output/runTable.js';
import { replicate } from '../../runner/replications.js';
import { run } from '../../runner/run.js';
import type { CommandModule } from '../command.js';
import { ExitCode } from '../io.js';

interface RunCliOptions {
  seed?: string;
  requests?: string;
  duration?: string;
  variant?: string;
  output: 'table' | 'json' | 'fortio';
  traffic?: string;
  report?: string;
  accessLog?: string;
  metrics?: string;
  runs?: string;
}

const EXAMPLES = `
Examples:
  # The default scenario (canary: 10 → 50 → 100 % to v2, a tester pinned to v2 by header)
  meshsim run

  # A bundled scenario by name (list them with: meshsim scenarios), another seed, a what-if variant
  meshsim run circuit-breaker --seed 7
  meshsim run canary --variant bad-v2

  # Your own scenario file; a shorter run; machine-readable output
  meshsim run ./my-scenario.yaml --duration 30s -o json > result.json

  # One traffic generator as Fortio's JSON (readable by fortio report / its UI)
  meshsim run circuit-breaker -o fortio --traffic fortio > fortio.json

  # Files: an HTML report, Istio's access log of every proxy, Istio's metrics as Prometheus text
  meshsim run bookinfo --report report.html --access-log access.log --metrics metrics.prom

  # Ten seeds: means with 95 % confidence intervals
  meshsim run canary --runs 10

The summary's shares are per service (SHARE of the service's requests per subset, of the subset's per pod);
latencies are what callers saw (Istio's reporter="source" view). Expectations with a percent share use an
exact binomial test at their alpha. Docs: docs/scenario-format.md, docs/tutorials/.
Exit codes: 0 every expectation passed, 1 an expectation failed, 2 usage or input errors.`;

export const runCommand: CommandModule = {
  name: 'run',
  register(program: Command, ctx) {
    program
      .command('run')
      .summary('run a scenario (bundled name or file; default: canary) and report what happened')
      .description('Run a scenario (bundled name or file; default: canary) and report what happened')
      .argument('[scenario]', 'a bundled scenario name, a scenario file, or a folder with scenario.yaml')
      .option('--seed <n>', "master seed of every random stream (default: the scenario's seed)")
      .option('--requests <n>', 'every traffic generator sends this many requests')
      .option('--duration <d>', 'every traffic generator runs this long (e.g. 30s, 2m)')
      .option('--variant <name>', 'run a what-if variant of the scenario instead of the baseline')
      .addOption(
        new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'fortio']).default('table'),
      )
      .option('--traffic <name>', 'with -o fortio: the traffic generator to report (default: the first)')
      .option(
        '--report <file.html>',
        'write an HTML report: split per route, latency, timeline, service graph, request paths — with every variant side by side (or, with --variant, the baseline beside it)',
      )
      .option('--access-log <file>', "write every proxy's access log (Istio's default format), one line per request")
      .option('--metrics <file.prom>', "write Istio's standard metrics as Prometheus text exposition")
      .option('--runs <n>', 'repeat over n seeds (seed, seed+1, …) and report means with 95 % intervals')
      .addHelpText('after', EXAMPLES)
      .action(async (scenarioArg: string | undefined, opts: RunCliOptions) => {
        if (opts.requests !== undefined && opts.duration !== undefined) {
          throw new ConfigError('give either --requests or --duration, not both', { field: '--duration' });
        }
        const loaded = await loadScenarioArg(scenarioArg, ctx.io.cwd);
        const seed = opts.seed === undefined ? undefined : parseCount(opts.seed, '--seed');
        const requests = opts.requests === undefined ? undefined : parseCount(opts.requests, '--requests', 1);
        const duration = opts.duration === undefined ? undefined : parseDurationOption(opts.duration, '--duration');
        const overrides = {
          ...(requests !== undefined ? { requests } : {}),
          ...(duration !== undefined ? { duration } : {}),
          ...(opts.variant !== undefined ? { variant: opts.variant } : {}),
        };
        if (opts.variant !== undefined) loaded.variantObjects(opts.variant); // an unknown variant is bad input
        const label = `${loaded.scenario.name}${opts.variant !== undefined ? ` (${opts.variant})` : ''}`;

        if (opts.runs !== undefined) {
          const runs = parseCount(opts.runs, '--runs', 1);
          if (
            opts.output === 'fortio' ||
            opts.report !== undefined ||
            opts.accessLog !== undefined ||
            opts.metrics !== undefined
          ) {
            throw new ConfigError(
              '--runs prints estimates only: it cannot be combined with -o fortio, --report, --access-log or --metrics',
              { field: '--runs' },
            );
          }
          const first = seed ?? loaded.scenario.seed;
          const progress = progressReporter(ctx.io, label);
          const rep = replicate(loaded, {
            ...overrides,
            seeds: Array.from({ length: runs }, (_, i) => first + i),
            onProgress: (_, p) => progress.onProgress(p),
          });
          progress.stop();
          ctx.io.out(opts.output === 'json' ? `${JSON.stringify(rep, null, 2)}\n` : renderReplicationTable(rep));
          ctx.setExit(rep.passed ? ExitCode.OK : ExitCode.FINDINGS);
          return;
        }

        const fortio = opts.output === 'fortio' ? new FortioCollector() : undefined;
        if (
          fortio !== undefined &&
          opts.traffic !== undefined &&
          !loaded.scenario.traffic.some((t) => t.name === opts.traffic)
        ) {
          const names = loaded.scenario.traffic.map((t) => t.name).join(', ');
          throw new ConfigError(`unknown traffic generator ${JSON.stringify(opts.traffic)} (generators: ${names})`, {
            field: '--traffic',
          });
        }
        const accessLog = opts.accessLog === undefined ? undefined : fileAccessLog(ctx.io.cwd, opts.accessLog);
        const progress = progressReporter(ctx.io, label);
        const reading = opts.report !== undefined ? reportCollector() : undefined;
        let out;
        try {
          out = run(loaded, {
            ...(reading !== undefined ? { traceSink: reading.sink } : {}),
            ...overrides,
            ...(seed !== undefined ? { seed } : {}),
            onProgress: progress.onProgress,
            ...(fortio !== undefined ? { onOutcome: (o, g) => fortio.add(o, g) } : {}),
            ...(accessLog !== undefined ? { accessLog } : {}),
          });
        } finally {
          progress.stop();
          accessLog?.close();
        }
        if (opts.metrics !== undefined)
          writeTextFile(ctx.io.cwd, opts.metrics, out.metrics.renderPrometheus(), '--metrics');
        if (opts.report !== undefined)
          writeTextFile(
            ctx.io.cwd,
            opts.report,
            variantsReport(
              loaded,
              { out, collector: (reading as NonNullable<typeof reading>).collector() },
              { ...overrides, ...(seed !== undefined ? { seed } : {}) },
              program.version() ?? '',
              (l) => progressReporter(ctx.io, l),
            ),
            '--report',
          );
        if (opts.output === 'json') ctx.io.out(`${JSON.stringify(out.result, null, 2)}\n`);
        else if (fortio !== undefined)
          ctx.io.out(`${JSON.stringify(fortio.result(out, opts.traffic, program.version() ?? ''), null, 2)}\n`);
        else ctx.io.out(renderRunTable(out.result));
        for (const [what, file] of [
          ['access log', opts.accessLog],
          ['metrics', opts.metrics],
          ['HTML report', opts.report],
        ] as const) {
          if (file !== undefined) ctx.io.err(`${what}: ${file}\n`);
        }
        ctx.setExit(out.result.passed ? ExitCode.OK : ExitCode.FINDINGS);
      });
  },
};
