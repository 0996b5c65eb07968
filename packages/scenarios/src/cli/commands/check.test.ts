import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIO } from '../captureIO.js';
import { runCli } from '../run.js';

const DATA = 'packages/scenarios/src/check/testdata';
const CANARY = 'packages/sim-core/testdata/seeds/canary';
const run = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  const io = captureIO();
  const code = await runCli(['check', ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
};

describe('meshsim check', () => {
  it('passes the canary walkthrough’s rule tests, lists expanded into cases, coverage 100 %: exit 0', async () => {
    const r = await run(`${DATA}/canary.rules.yaml`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${DATA}/canary.rules.yaml: 7 cases, 2 properties, 0 failed`);
    expect(r.stdout).toContain('✓ the tester reaches v2 [url=http://canary.canary/]');
    expect(r.stdout).toContain('✓ everyone else stays on v1 [method=POST, headers.user=Jesse]');
    expect(r.stdout).toContain('route coverage: 2 of 2 VirtualService rules (100.0 %), 2 of 2 http routes');
    expect(r.stdout).toContain(
      '✓ property noUnreachableRules: no VirtualService rule is unreachable (100 runs, seed 1)',
    );
    expect(r.stdout).toMatch(/9 passed, 0 failed\n$/);
  });

  it('checks every kind of expectation (share, redirect, rewrite, fault, timeout, retries, error)', async () => {
    const r = await run(`${DATA}/shop.rules.yaml`);
    expect(r.stdout).toMatch(/11 passed, 0 failed\n$/);
    expect(r.code).toBe(0);
  });

  it('explains a failure with the VirtualService rule (file:line) and the route trace: exit 1', async () => {
    const r = await run(`${DATA}/failing.rules.yaml`);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ the tester stays on v1');
    expect(r.stdout).toContain('- goes to subset v2, not v1');
    expect(r.stdout).toContain(
      `routed by VirtualService canary/canary spec.http[0].match[0] (${CANARY}/istio-specs.yaml:14)`,
    );
    expect(r.stdout).toContain('- expected v2 to get 20 % of requests, got 0 %');
    expect(r.stdout).toContain(`routed by VirtualService canary/canary spec.http[1] (${CANARY}/istio-specs.yaml:21)`);
    expect(r.stdout).toContain('route 0 skipped: header user exact "jesse" does not hold');
    expect(r.stdout).toContain('=> forward to outbound|80|v1|canary.canary.svc.cluster.local');
    expect(r.stdout).toMatch(/0 passed, 2 failed\n$/);
  });

  it('--only-failures prints the failing cases only', async () => {
    const r = await run(`${DATA}/failing.rules.yaml`, `${DATA}/canary.rules.yaml`, '--only-failures');
    expect(r.stdout).not.toContain('✓ the tester reaches v2');
    expect(r.stdout).toContain('✗ a fifth of users try v2');
    expect(r.code).toBe(1);
  });

  it('--fail-under: coverage under the threshold exits 1, names the rule not exercised', async () => {
    const ok = await run(`${DATA}/tester-only.rules.yaml`);
    expect(ok.code).toBe(0);
    const r = await run(`${DATA}/tester-only.rules.yaml`, '--fail-under', '80');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('route coverage: 1 of 2 VirtualService rules (50.0 %), 1 of 2 http routes');
    expect(r.stdout).toContain(
      `✗ VirtualService canary/canary spec.http[1] (${CANARY}/istio-specs.yaml:21) — not exercised by any test`,
    );
    expect(r.stdout).toMatch(/1 passed, 0 failed — route coverage 50\.0 % is under --fail-under 80 %\n$/);
    expect((await run(`${DATA}/tester-only.rules.yaml`, '--fail-under', '50')).code).toBe(0);
  });

  it('reports rules no request can reach', async () => {
    const r = await run(
      `${DATA}/tester-only.rules.yaml`,
      '-f',
      'packages/sim-core/src/testing/testdata/planted/base.yaml',
      '-f',
      'packages/sim-core/src/testing/testdata/planted/shadowed-header-route.yaml',
    );
    expect(r.stdout).toContain('1 can never be reached');
    expect(r.stdout).toMatch(
      /! VirtualService shop\/reviews spec\.http\[1\]\.match\[0\] "testers" \(.*shadowed-header-route\.yaml:15\) — can never be reached: shadowed by VirtualService shop\/reviews spec\.http\[0\] "everyone"/,
    );
  });

  it('runs the ready-made properties a file lists, and saves a failing one’s counterexample: exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshsim-cx-'));
    const r = await run(`${DATA}/shadowed.properties.yaml`, '--counterexamples', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✓ property everyRequestReachesDestination');
    expect(r.stdout).toContain('✗ property noUnreachableRules: no VirtualService rule is unreachable (1 run, seed 1)');
    expect(r.stdout).toMatch(
      /spec\.http\[1\]\.match\[0\] "testers" \(.*shadowed-header-route\.yaml:15\) can never be reached/,
    );
    const saved = /counterexample \(4 objects and the request\): (\S+\.yaml)/.exec(r.stdout)?.[1] as string;
    const text = readFileSync(saved, 'utf8');
    expect(text).toMatch(/^# meshsim counterexample — property: no VirtualService rule is unreachable\n/);
    expect(text).toContain('kind: VirtualService');
    // The saved file is itself a mesh meshsim (and kubectl) reads: the rule is still dead there.
    const again = await run(`${DATA}/tester-only.rules.yaml`, '-f', saved, '--only-failures');
    expect(again.stdout).toContain('! VirtualService shop/reviews spec.http[1].match[0] "testers"');
  });

  it('--junit writes JUnit XML', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshsim-junit-'));
    const file = join(dir, 'reports', 'rules.xml');
    const r = await run(`${DATA}/failing.rules.yaml`, '--junit', file);
    expect(r.code).toBe(1);
    const xml = readFileSync(file, 'utf8');
    expect(xml).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="meshsim check" tests="2" failures="2" errors="0">/,
    );
    expect(xml).toContain('<failure message="goes to subset v2, not v1" type="RouteExpectation">');
  });

  it('-o json gives each case, its rule and clusters, and the coverage', async () => {
    const r = await run(`${DATA}/failing.rules.yaml`, '-o', 'json');
    const j = JSON.parse(r.stdout) as {
      summary: { failed: number; coverage: { percent: number } };
      files: {
        cases: {
          name: string;
          status: string;
          route: { rule: string };
          clusters: { name: string; probability: number }[];
        }[];
      }[];
    };
    expect(j.summary).toMatchObject({ failed: 2, coverage: { percent: 100 } });
    expect(j.files[0]?.cases[0]).toMatchObject({
      name: 'the tester stays on v1',
      status: 'failed',
      route: { rule: 'canary/canary http[0].match[0]' },
      clusters: [{ name: 'outbound|80|v2|canary.canary.svc.cluster.local', probability: 1 }],
    });
  });

  it('runs Envoy router_check_tool test files against the routes istiod generates (--from)', async () => {
    const r = await run(`${DATA}/envoy-route-tests.yaml`, '-f', CANARY, '--from', 'toolbox.canary');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(router_check_tool tests): 3 cases, 0 failed');
    expect(r.stdout).toContain('not evaluated: validate.request_header_matches');
    expect(r.stdout).toMatch(/2 passed, 0 failed, 1 skipped\n$/);
    const wrong = await run(
      `${DATA}/envoy-route-tests.yaml`,
      '-f',
      CANARY,
      '--gateway',
      'istio-ingressgateway.istio-system',
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain(
      'cluster_name: expected [outbound|80|v2|canary.canary.svc.cluster.local], actual []',
    );
  });

  it.each([
    [['--fail-under', '120', `${DATA}/canary.rules.yaml`], 'invalid --fail-under "120"'],
    [
      [`${DATA}/envoy-route-tests.yaml`, '-f', CANARY],
      'names no sender: give request.from, gateway or external (or --from POD / --gateway POD)',
    ],
    [[`${DATA}/nope.yaml`], 'cannot read'],
    [[`${DATA}/envoy-route-tests.yaml`], 'no manifests: give -f PATH'],
  ])('usage and input errors exit 2 with one line: %j', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--help lists the format and examples', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('meshsim check packages/scenarios/src/check/testdata/canary.rules.yaml');
    expect(r.stdout).toContain('--fail-under <pct>');
  });
});
