import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIO } from '../captureIO.js';
import { runCli } from '../run.js';

const ROOT = join(import.meta.dirname, '../../../../..');
const NETFILTER = join(ROOT, 'packages/sim-core/src/netfilter/testdata');
const SEED = join(ROOT, 'packages/sim-core/testdata/seeds/sidecar');
const INJECTED = "-p 15001 -z 15006 -u 1337 -m REDIRECT -i '*' -x '' -b '*' -d 15090,15021,15020";

async function run(...argv: string[]) {
  const io = captureIO();
  const code = await runCli(['iptables', ...argv], io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('meshsim iptables trace', () => {
  it('follows the app’s connection to 15001, hop by hop', async () => {
    const r = await run(
      'trace',
      '--istio-args',
      INJECTED,
      '--pod-ip',
      '10.244.1.5',
      '--direction',
      'out',
      '--dst',
      '10.96.0.10:80',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('YES  -A OUTPUT -j ISTIO_OUTPUT   => jump ISTIO_OUTPUT');
    expect(r.out).toContain(
      'YES  -A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001   => REDIRECT to 127.0.0.1:15001',
    );
    expect(r.out).toContain('verdict: local: captured');
  });

  it('prints the documented JSON', async () => {
    const r = await run(
      'trace',
      '--rules',
      join(NETFILTER, 'istio-golden/default-sidecar.rules'),
      '--direction',
      'in',
      '--dst',
      '10.244.1.5:80',
      '-o',
      'json',
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as Record<string, unknown> & { hops: Record<string, unknown>[] };
    expect(doc).toMatchObject({
      verdict: 'local',
      localPort: 15006,
      destination: '10.244.1.5:15006',
      originalDestination: '10.244.1.5:80',
    });
    expect(Object.keys(doc).slice(0, 5)).toEqual([
      'verdict',
      'localPort',
      'destination',
      'originalDestination',
      'hops',
    ]);
    expect(doc.hops[0]).toMatchObject({
      table: 'nat',
      chain: 'PREROUTING',
      rule: 1,
      text: '-A PREROUTING -p tcp -j ISTIO_INBOUND',
      matched: true,
      verdict: 'jump ISTIO_INBOUND',
    });
    expect(doc.hops.every((h) => ['table', 'chain', 'rule', 'text', 'matched', 'verdict'].every((k) => k in h))).toBe(
      true,
    );
  });

  it('Envoy’s uid leaves the pod unchanged; with --pod the node’s kube-proxy then DNATs a Service address', async () => {
    const rules = await run('rules', '--kube-proxy', '-f', SEED);
    const vip = /-d (\S+)\/32 -p tcp -m comment --comment "sidecar\/nginx:http cluster IP"/.exec(rules.out)?.[1];
    expect(vip).toBeDefined();
    const r = await run(
      'trace',
      '--pod',
      'toolbox.sidecar',
      '-f',
      SEED,
      '--direction',
      'out',
      '--dst',
      `${vip}:80`,
      '--uid',
      '1337',
      '--gid',
      '1337',
      '-o',
      'json',
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as {
      verdict: string;
      originalDestination: string;
      namespaces: string[];
      hops: { netns: string; verdict: string | null }[];
    };
    expect(doc.verdict).toBe('dnat');
    expect(doc.originalDestination).toBe(`${vip}:80`);
    expect(doc.namespaces).toHaveLength(2);
    expect(doc.hops.filter((h) => h.netns === doc.namespaces[0]).some((h) => h.verdict === 'RETURN')).toBe(true);
    expect(doc.hops.some((h) => h.verdict?.startsWith('DNAT to '))).toBe(true);
  });

  it.each([
    [
      ['trace', '--istio-args', INJECTED, '--dst', '10.96.0.10:80', '--pod-ip', '10.244.1.5'],
      "required option '--direction <dir>' not specified",
    ],
    [
      ['trace', '--istio-args', INJECTED, '--direction', 'out', '--dst', '10.96.0.10'],
      'invalid --dst "10.96.0.10": expected IP:PORT',
    ],
    [['trace', '--direction', 'out', '--dst', '10.96.0.10:80'], 'give exactly one of --pod'],
    [
      ['trace', '--istio-args', INJECTED, '--direction', 'out', '--dst', '10.96.0.10:80'],
      "give --pod-ip (the pod's address) or --src",
    ],
    [
      ['trace', '--rules', 'no/such.rules', '--pod-ip', '10.0.0.1', '--direction', 'out', '--dst', '10.96.0.10:80'],
      'the path "no/such.rules" does not exist',
    ],
    [
      ['trace', '--istio-args', '--frob', '--pod-ip', '10.0.0.1', '--direction', 'out', '--dst', '10.96.0.10:80'],
      'unknown flag: --frob',
    ],
  ])('usage errors exit 2 with one clear line: %j', async (argv, message) => {
    const io = captureIO();
    expect(await runCli(['iptables', ...argv], io)).toBe(2);
    expect(io.stderr).toContain(message);
    expect(io.stderr).not.toContain('    at ');
  });
});

describe('meshsim iptables rules', () => {
  it('--format restore prints istio-iptables’ payload, equal to the golden file', async () => {
    const r = await run('rules', '--istio-args', INJECTED, '--format', 'restore');
    const golden = readFileSync(join(NETFILTER, 'istio-golden/default-sidecar.rules'), 'utf8');
    const lines = (t: string) => t.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(lines(r.out)).toEqual(lines(golden));
  });

  it('prints the iptables-save view of a pod from the manifests', async () => {
    const r = await run('rules', '--pod', 'nginx.sidecar', '-f', SEED);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# pod sidecar\/nginx-\S+ \(\S+\): iptables-save\n\*nat\n:PREROUTING ACCEPT \[0:0\]/);
    expect(r.out).toContain('-A ISTIO_OUTPUT -s 127.0.0.6/32 -o lo -j RETURN');
  });

  it('--help has examples', async () => {
    const r = await run('trace', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('meshsim iptables trace --pod toolbox.sidecar');
  });
});
