/**
 * `meshsim classroom`: the bundled scenarios as the classroom page embeds them — each scenario's manifests
 * (as text, paths relative to its folder), its mesh settings, its traffic and workloads planned for a
 * short run, the lesson the sliders act on, and its files for display — and the localhost-only server of
 * `--serve`. Timed events are left out of the page (the sliders play their part); the page says which.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, relative, sep } from 'node:path';
import { ConfigError, simulate } from '@meshsim/sim-core';
import { lessonFor, type ClassroomFile, type ClassroomInput, type ClassroomScenario } from '@meshsim/viz/classroom';
import { meshModelOptions } from '../load/effective.js';
import type { LoadedScenario } from '../load/loadScenario.js';
import { planRun } from '../runner/plan.js';

/** Requests each traffic generator sends per classroom run, at most (a run stays well under a second). */
export const CLASSROOM_REQUESTS = 400;

/** Calls (client requests and the calls apps make for them) a classroom run aims at. */
const TARGET_CALLS = 800;

/**
 * Requests per generator for a classroom run: {@link CLASSROOM_REQUESTS}, fewer when the scenario's apps
 * fan out (Bookinfo's productpage calls details and reviews, which call ratings), so every run makes about
 * {@link TARGET_CALLS} calls. Measured by a short run of the scenario itself (a count, not a clock).
 */
export function classroomRequests(loaded: LoadedScenario): number {
  const probe = 40;
  const plan = planRun(loaded, { requests: probe });
  const { events: _events, ...world } = plan.world;
  const calls = simulate({ ...world }).outcomes.overall.count;
  const perRequest = calls / probe;
  if (!(perRequest > 0)) return CLASSROOM_REQUESTS;
  return Math.max(50, Math.min(CLASSROOM_REQUESTS, Math.floor(TARGET_CALLS / perRequest / 10) * 10));
}

/** A scenario as the classroom page runs it; throws a ConfigError when it has nothing to follow. */
export function classroomScenario(loaded: LoadedScenario, requests = classroomRequests(loaded)): ClassroomScenario {
  const scenario = loaded.scenario;
  const dir = dirname(loaded.file);
  const rel = (file: string): string => {
    const r = relative(dir, file);
    return r === '' || r.startsWith('..') ? file : r.split(sep).join('/');
  };
  const plan = planRun(loaded, { requests });
  const { model, events: _events, ...world } = plan.world;
  const inputs = loaded.inputs(scenario.manifests);
  const files: ClassroomFile[] = [{ file: rel(loaded.file), text: readFileSync(loaded.file, 'utf8') }];
  for (const i of inputs) {
    const file = rel(i.file);
    if (!files.some((f) => f.file === file)) files.push({ file, text: i.text });
  }
  return {
    name: scenario.name,
    description: scenario.description,
    seed: plan.seed,
    manifests: inputs.map((i) => ({ ...i, file: rel(i.file) })),
    meshModel: meshModelOptions(scenario),
    // Plain data only (the page reads it back with JSON.parse).
    world: JSON.parse(JSON.stringify(world)) as ClassroomScenario['world'],
    requests,
    omittedEvents: scenario.events.map((e) => e.name),
    lesson: lessonFor(model, plan.world),
    files,
  };
}

/** The page's input: every scenario given (the first, or `initial`, shown first). */
export function classroomInput(
  scenarios: readonly ClassroomScenario[],
  version: string,
  initial?: string,
): ClassroomInput {
  return {
    title: 'meshsim classroom',
    generator: `meshsim ${version}`,
    scenarios,
    ...(initial !== undefined ? { initial } : {}),
  };
}

const servers = new Set<Server>();

/**
 * Serves `html` at `http://127.0.0.1:<port>/` — on the loopback interface only, to requests whose Host is
 * that address or `localhost` (a DNS-rebinding page elsewhere cannot read it). Resolves once listening.
 */
export function serveClassroom(
  html: string,
  port: number,
  csp: string,
): Promise<{ readonly url: string; close(): Promise<void> }> {
  const body = Buffer.from(html, 'utf8');
  const server = createServer((req, res) => {
    const address = server.address();
    const bound = typeof address === 'object' && address !== null ? address.port : port;
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${bound}` && host !== `localhost:${bound}`) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end('misdirected request\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
        .end('method not allowed\n');
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/' && path !== '/index.html') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: the classroom is at /\n');
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': String(body.length),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': csp,
      'referrer-policy': 'no-referrer',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  servers.add(server);
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      servers.delete(server);
      reject(
        new ConfigError(
          error.code === 'EADDRINUSE'
            ? `port ${port} is in use (choose another with --port, or --port 0 for any free port)`
            : `cannot serve on port ${port}: ${error.message}`,
          { field: '--port' },
          'cli/serve',
        ),
      );
    });
    server.listen(port, '127.0.0.1', () => {
      const a = server.address();
      const p = typeof a === 'object' && a !== null ? a.port : port;
      resolve({
        url: `http://127.0.0.1:${p}/`,
        close: () =>
          new Promise<void>((done) => {
            servers.delete(server);
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** Stops every classroom server this process started (for tests). */
export async function closeClassroomServers(): Promise<void> {
  await Promise.all(
    [...servers].map(
      (s) =>
        new Promise<void>((done) => {
          servers.delete(s);
          s.close(() => done());
          s.closeAllConnections();
        }),
    ),
  );
}
