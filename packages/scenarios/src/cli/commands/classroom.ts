/**
 * `meshsim classroom [SCENARIO] [--out FILE.html | --serve [--port N]]`: the classroom page — every bundled
 * scenario (and SCENARIO, when it is a file) in one self-contained HTML file that simulates in the
 * browser: pick a scenario, step a request through its path hop by hop, drag the sliders (canary weight,
 * fault delay and abort, load-balancing policy, a replica's failure rate) and watch the split and latency
 * charts follow. `--out` writes the file; `--serve` serves it on 127.0.0.1 only until interrupted. Exit 0,
 * or 2 for bad input.
 */
import { ConfigError } from '@meshsim/sim-core';
import {
  CLASSROOM_CSS,
  classroomCsp,
  classroomRuntime,
  renderClassroom,
  type ClassroomScenario,
} from '@meshsim/viz/classroom';
import type { Command } from 'commander';
import { loadScenario } from '../../load/loadScenario.js';
import { bundledScenarios } from '../../library/index.js';
import { loadScenarioArg, parseCount } from '../../library/resolve.js';
import { CLASSROOM_REQUESTS, classroomInput, classroomScenario, serveClassroom } from '../../output/classroom.js';
import { writeTextFile } from '../../output/files.js';
import type { CommandModule } from '../command.js';
import { ExitCode } from '../io.js';

interface ClassroomCliOptions {
  out?: string;
  serve?: boolean;
  port?: string;
  requests?: string;
}

/** Where `--serve` listens when no `--port` is given. */
export const DEFAULT_CLASSROOM_PORT = 8088;

const EXAMPLES = `
Examples:
  # Write the page (open it in any browser, no server, no network), opening on the canary lesson
  meshsim classroom canary --out classroom.html

  # Serve it on http://127.0.0.1:8088/ for a projector (Ctrl-C to stop); any free port with --port 0
  meshsim classroom --serve
  meshsim classroom fault-injection --serve --port 9000

  # Your own scenario beside the bundled ones, with longer runs
  meshsim classroom ./my-scenario.yaml --out lesson.html --requests 1000

On the page: pick a scenario; step the request with → / ← (or n / p), play or pause with space; move a
slider and the scenario re-runs in the browser (sim-core itself, unchanged) — the traffic split, latency
and request path are the new run's. Timed events of a scenario are left out (the sliders play their part).
Lesson plans: docs/guides/classroom.md.
Exit codes: 0 done, 2 usage or input errors.`;

export const classroomCommand: CommandModule = {
  name: 'classroom',
  register(program: Command, ctx) {
    program
      .command('classroom')
      .summary('build (or serve) the classroom page: step through requests, drag sliders, re-simulate')
      .description(
        'Build (or serve on localhost) the classroom page: step through requests, drag sliders, re-simulate in the browser',
      )
      .argument(
        '[scenario]',
        'the scenario to open first: a bundled name, a scenario file, or a folder with scenario.yaml (default: canary)',
      )
      .option('--out <file.html>', 'write the page to this file')
      .option('--serve', 'serve the page on 127.0.0.1 until interrupted')
      .option('--port <n>', `with --serve: the port (0: any free port; default ${DEFAULT_CLASSROOM_PORT})`)
      .option(
        '--requests <n>',
        `requests each traffic generator sends per in-browser run (default: up to ${CLASSROOM_REQUESTS}, fewer for scenarios whose apps fan out)`,
      )
      .addHelpText('after', EXAMPLES)
      .action(async (scenarioArg: string | undefined, opts: ClassroomCliOptions) => {
        if ((opts.out === undefined) === (opts.serve !== true)) {
          throw new ConfigError('give either --out FILE.html or --serve', {
            field: opts.out === undefined ? '--out' : '--serve',
          });
        }
        if (opts.port !== undefined && opts.serve !== true)
          throw new ConfigError('--port goes with --serve', { field: '--port' });
        const port = opts.port === undefined ? DEFAULT_CLASSROOM_PORT : parseCount(opts.port, '--port');
        if (port > 65535) throw new ConfigError(`--port must be at most 65535, got ${port}`, { field: '--port' });
        const requests = opts.requests === undefined ? undefined : parseCount(opts.requests, '--requests', 1);
        const first = await loadScenarioArg(scenarioArg, ctx.io.cwd);
        const scenarios: ClassroomScenario[] = [classroomScenario(first, requests)];
        for (const b of bundledScenarios()) {
          if (b.name === first.scenario.name) continue;
          try {
            scenarios.push(classroomScenario(await loadScenario(b.file), requests));
          } catch (error) {
            // A bundled scenario the page cannot follow (no traffic through a sidecar) is left out, not fatal.
            if (!(error instanceof ConfigError)) throw error;
            ctx.io.err(`classroom: left out ${b.name}: ${error.detail}\n`);
          }
        }
        scenarios.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const input = classroomInput(scenarios, program.version() ?? '', first.scenario.name);
        const runtime = classroomRuntime();
        const html = renderClassroom(input, { runtime });
        if (opts.out !== undefined) {
          writeTextFile(ctx.io.cwd, opts.out, html, '--out');
          ctx.io.err(`classroom: ${opts.out} (${scenarios.length} scenarios, opens on ${first.scenario.name})\n`);
          ctx.setExit(ExitCode.OK);
          return;
        }
        const served = await serveClassroom(html, port, classroomCsp(runtime, CLASSROOM_CSS));
        ctx.io.out(`Serving the classroom at ${served.url} (${scenarios.length} scenarios; Ctrl-C to stop)\n`);
        ctx.setExit(ExitCode.OK);
        // Runs until the process is interrupted; the server is what keeps it alive.
        await new Promise<never>(() => undefined);
      });
  },
};
