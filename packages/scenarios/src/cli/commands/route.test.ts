import { describe, expect, it } from 'vitest';
import { captureIO } from '../captureIO.js';
import { runCli } from '../run.js';

const SEEDS = 'packages/sim-core/testdata/seeds';
const run = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  const io = captureIO();
  const code = await runCli(['route', ...args], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
};

describe('meshsim route', () => {
  it("explains the canary tester's request step by step, with file:line, exit 0", async () => {
    const r = await run(
      '-f',
      `${SEEDS}/canary`,
      '--from',
      'toolbox.canary',
      '--url',
      'http://canary/',
      '-H',
      'user: jesse',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^GET http:\/\/canary\/ — sidecar of canary\/toolbox-/);
    expect(r.stdout).toContain('listener  0.0.0.0_80 (0.0.0.0:80)');
    expect(r.stdout).toContain('HTTP connection manager, route configuration "80" (RDS)');
    expect(r.stdout).toContain('#0: prefix "/" and header user exact "jesse"');
    expect(r.stdout).toContain(
      `← VirtualService canary/canary spec.http[0].match[0] (${SEEDS}/canary/istio-specs.yaml:14)`,
    );
    expect(r.stdout).toContain(`← DestinationRule canary/canary spec.subsets[1] (${SEEDS}/canary/istio-specs.yaml:45)`);
    expect(r.stdout).toContain('=> forward to outbound|80|v2|canary.canary.svc.cluster.local');
  });

  it('-o json has the explanation fields; a what-if split lists every candidate', async () => {
    const r = await run('-f', `${SEEDS}/canary`, '--from', 'toolbox.canary', '--url', 'http://canary/', '-o', 'json');
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(e).toMatchObject({
      listener: '0.0.0.0_80',
      routeConfig: '80',
      virtualHost: 'canary.canary.svc.cluster.local:80',
      route: { virtualService: { namespace: 'canary', name: 'canary' }, httpRouteIndex: 1 },
      cluster: 'outbound|80|v1|canary.canary.svc.cluster.local',
      clusters: [{ name: 'outbound|80|v1|canary.canary.svc.cluster.local', probability: 1 }],
      outcome: { action: 'forward' },
    });
    expect(e['error']).toBeUndefined();
  });

  it('a request that does not get through exits 1 and says why', async () => {
    const r = await run(
      '-f',
      `${SEEDS}/simple-ingress`,
      '--gateway',
      'istio-ingressgateway.istio-system',
      '--url',
      'http://simple.zhongmingmao.io/nope',
      '-o',
      'json',
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      error: 'no_route',
      outcome: { status: 404, responseFlags: 'NR', responseCodeDetails: 'route_not_found' },
    });
  });

  it('gateway HTTPS picks the chain by SNI', async () => {
    const r = await run(
      '-f',
      `${SEEDS}/https-ingress`,
      '--gateway',
      'istio-ingressgateway.istio-system',
      '--url',
      'https://api.zhongmingmao.io/',
      '-o',
      'json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      listener: '0.0.0.0_8443',
      routeConfig: 'https.443.https-api.httpsserver.securesvc',
    });
  });

  it('inbound: --to POD --inbound --port with mutual TLS', async () => {
    const r = await run(
      '-f',
      `${SEEDS}/canary`,
      '--to',
      'canary-v2.canary',
      '--inbound',
      '--port',
      '80',
      '--tls',
      'mtls',
      '-o',
      'json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ listener: 'virtualInbound', cluster: 'inbound|80||' });
  });

  it.each([
    [['--url', 'http://canary/'], 'give exactly one of --from POD, --gateway POD or --to POD --inbound'],
    [['--from', 'nope.canary', '--url', 'http://canary/'], 'no pod "nope.canary"'],
    [['--from', 'toolbox.canary', '--url', 'ftp://canary/'], 'unsupported URL scheme "ftp"'],
    [['--from', 'toolbox.canary', '--port', '80'], '--port needs --address IP'],
    [
      ['--from', 'toolbox.canary', '--url', 'http://canary/', '-H', 'no colon'],
      'invalid header "no colon": expected \'Name: value\'',
    ],
    [['--to', 'canary-v2.canary', '--port', '80'], '--to POD needs --inbound'],
    [['--gateway', 'toolbox.canary', '--url', 'http://canary/'], 'is a sidecar, not a gateway'],
  ])('usage and input errors exit 2 with one clear line: %j', async (args, message) => {
    const r = await run('-f', `${SEEDS}/canary`, ...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help explains the options with examples', async () => {
    const io = captureIO();
    expect(await runCli(['route', '--help'], io)).toBe(0);
    for (const text of [
      '--from <pod>',
      '--gateway <pod>',
      '--inbound',
      '--url <url>',
      '-H, --header <header>',
      '--alpn <list>',
      'Examples:',
      'Exit codes',
    ]) {
      expect(io.stdout).toContain(text);
    }
  });
});
