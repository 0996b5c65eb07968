import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLASSROOM_DATA_ID, runLesson, loadClassroomObjects, type ClassroomInput } from '@meshsim/viz/classroom';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledScenarios } from '../../library/index.js';
import { closeClassroomServers } from '../../output/classroom.js';
import { captureIO } from '../captureIO.js';
import { runCli } from '../run.js';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIO();
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** The classroom data embedded in a page. */
function dataOf(html: string): ClassroomInput {
  const m = new RegExp(`<script type="application/json" id="${CLASSROOM_DATA_ID}">([^<]*)</script>`).exec(html);
  if (m === null) throw new Error('no classroom data in the page');
  return JSON.parse(m[1] as string) as ClassroomInput;
}

/** GET `url` with the given Host header. */
function get(
  url: string,
  host?: string,
  method = 'GET',
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname, method, headers: host !== undefined ? { host } : {} },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

afterAll(async () => {
  await closeClassroomServers();
});

describe('meshsim classroom', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-classroom-'));

  it('--help shows the options, examples and exit codes', async () => {
    const { code, stdout } = await run(['classroom', '--help']);
    expect(code).toBe(0);
    for (const s of [
      '--out <file.html>',
      '--serve',
      '--port <n>',
      '--requests <n>',
      'Examples:',
      'meshsim classroom --serve',
      'Exit codes',
      'docs/guides/classroom.md',
    ]) {
      expect(stdout).toContain(s);
    }
  });

  it('--out writes one page with every bundled scenario, opening on the one named', async () => {
    const out = join(dir, 'page.html');
    const { code, stderr } = await run(['classroom', 'fault-injection', '--out', out, '--requests', '50']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/opens on fault-injection/);
    const html = readFileSync(out, 'utf8');
    const data = dataOf(html);
    expect(data.initial).toBe('fault-injection');
    expect(data.scenarios.map((s) => s.name)).toEqual(bundledScenarios().map((s) => s.name));
    for (const s of data.scenarios) {
      expect(s.requests).toBe(50);
      expect(s.files[0]?.file).toBe('scenario.yaml');
      for (const m of s.manifests) expect(m.file.startsWith('/')).toBe(false);
    }
    // The page's own data runs as it is: the canary scenario's lesson is its weighted route.
    const canary = data.scenarios.find((s) => s.name === 'canary');
    expect(canary?.lesson.route).toMatchObject({ name: 'canary', httpIndex: 1 });
    expect(canary?.omittedEvents).toEqual(['shift to 50 %', 'shift to 100 %']);
    if (canary === undefined) return;
    const r = runLesson(canary, loadClassroomObjects(canary), { canaryWeight: 50 });
    expect(r.routeShares.reduce((a, x) => a + x.count, 0)).toBe(50);
  }, 180_000);

  it('needs exactly one of --out and --serve, and --port only with --serve: one line, exit 2', async () => {
    for (const args of [
      ['classroom'],
      ['classroom', '--out', join(dir, 'x.html'), '--serve'],
      ['classroom', '--out', join(dir, 'x.html'), '--port', '9'],
    ]) {
      const { code, stderr } = await run(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^Error: /);
    }
  });

  it('an unknown scenario is bad input (exit 2) naming the bundled ones', async () => {
    const { code, stderr } = await run(['classroom', 'canry', '--out', join(dir, 'y.html')]);
    expect(code).toBe(2);
    expect(stderr).toContain('did you mean "canary"');
  });

  it('--serve serves the page on 127.0.0.1 only, to requests addressed to it', async () => {
    const io = captureIO();
    void runCli(['classroom', 'sidecar-basics', '--serve', '--port', '0', '--requests', '20'], io);
    const deadline = Date.now() + 120_000;
    while (!io.stdout.includes('Serving the classroom at') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const url = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(io.stdout)?.[1];
    expect(url, io.stderr).toBeDefined();
    const u = new URL(url as string);
    const page = await get(url as string, u.host);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(String(page.headers['content-security-policy'])).toContain("connect-src 'none'");
    expect(dataOf(page.body).initial).toBe('sidecar-basics');
    expect((await get(url as string, `localhost:${u.port}`)).status).toBe(200);
    expect((await get(`${url as string}other`, u.host)).status).toBe(404);
    expect((await get(url as string, u.host, 'POST')).status).toBe(405);
    // A page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) is refused.
    expect((await get(url as string, `evil.example:${u.port}`)).status).toBe(421);
    await closeClassroomServers();
  }, 180_000);
});
