import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIO } from '../captureIO.js';
import { runCli } from '../run.js';

const ROOT = join(import.meta.dirname, '../../../../..');
const SEED = (name: string): string => join(ROOT, 'packages/sim-core/testdata/seeds', name);

async function run(...argv: string[]) {
  const io = captureIO();
  const code = await runCli(['proxy-config', ...argv], io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('meshsim proxy-config', () => {
  it('listener: istioctl’s columns and the capture listeners of the walkthrough', async () => {
    const r = await run('listener', 'toolbox.sidecar', '-f', SEED('sidecar'));
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^ADDRESSES +PORT +MATCH +DESTINATION$/);
    expect(r.out).toMatch(/^0\.0\.0\.0 +15001 +ALL +PassthroughCluster$/m);
    expect(r.out).toMatch(/^0\.0\.0\.0 +15006 +Addr: \*:15006 +Non-HTTP\/Non-TCP$/m);
    expect(r.out).toMatch(/^0\.0\.0\.0 +80 +Trans: raw_buffer; App: http\/1\.1,h2c +Route: 80$/m);
  });
  it('listener --port filters, -n gives the namespace', async () => {
    const r = await run('listener', 'toolbox', '-n', 'sidecar', '-f', SEED('sidecar'), '--port', '15001');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(3);
  });
  it('route --name 80', async () => {
    const r = await run('route', 'toolbox.sidecar', '-f', SEED('sidecar'), '--name', '80');
    expect(r.out.split('\n')[0]).toMatch(/^NAME +VHOST NAME +DOMAINS +MATCH +VIRTUAL SERVICE$/);
    expect(r.out).toMatch(
      /^80 +nginx\.sidecar\.svc\.cluster\.local:80 +nginx\.sidecar\.svc\.cluster\.local\., nginx \+ 2 more\.\.\. +\/\*/m,
    );
    expect(r.out).not.toMatch(/^15010 /m);
  });
  it('cluster with --fqdn and --subset, naming the DestinationRule', async () => {
    const r = await run('cluster', 'toolbox.canary', '-f', SEED('canary'), '--fqdn', 'canary.canary', '--subset', 'v2');
    expect(r.out.split('\n')[0]).toMatch(/^SERVICE FQDN +PORT +SUBSET +DIRECTION +TYPE +DESTINATION RULE$/);
    expect(r.out.trim().split('\n').slice(1)).toEqual([
      expect.stringMatching(/^canary\.canary\.svc\.cluster\.local +80 +v2 +outbound +EDS +canary\.canary$/),
    ]);
  });
  it('endpoint --cluster', async () => {
    const r = await run(
      'endpoint',
      'toolbox.sidecar',
      '-f',
      SEED('sidecar'),
      '--cluster',
      'outbound|80||nginx.sidecar.svc.cluster.local',
    );
    expect(r.out.split('\n')[0]).toMatch(/^ENDPOINT +STATUS +OUTLIER CHECK +CLUSTER$/);
    expect(r.out.trim().split('\n').slice(1)).toEqual([
      expect.stringMatching(/^10\.244\.\d+\.\d+:80 +HEALTHY +OK +outbound\|80\|\|nginx\.sidecar\.svc\.cluster\.local$/),
    ]);
  });
  it('-o json prints Envoy’s shapes, without meshsim’s provenance unless asked', async () => {
    const plain = await run('route', 'toolbox.canary', '-f', SEED('canary'), '--name', '80', '-o', 'json');
    const routes = JSON.parse(plain.out) as { name: string }[];
    expect(routes.map((r) => r.name)).toEqual(['80']);
    expect(plain.out).not.toContain('"meshsim"');
    expect(plain.out).toContain('/apis/networking.istio.io/v1/namespaces/canary/virtual-service/canary');
    const withProvenance = await run(
      'route',
      'toolbox.canary',
      '-f',
      SEED('canary'),
      '--name',
      '80',
      '-o',
      'json',
      '--provenance',
    );
    expect(withProvenance.out).toContain('"httpRouteIndex": 0');
  });
  it('all -o json is a config_dump; all prints the four tables', async () => {
    const dump = JSON.parse((await run('all', 'toolbox.sidecar', '-f', SEED('sidecar'), '-o', 'json')).out) as {
      configs: { '@type': string }[];
    };
    // Envoy's section order (admin.v3.ConfigDump): bootstrap, clusters, endpoints, listeners, routes.
    expect(dump.configs.map((c) => c['@type'].split('.').at(-1))).toEqual([
      'BootstrapConfigDump',
      'ClustersConfigDump',
      'EndpointsConfigDump',
      'ListenersConfigDump',
      'RoutesConfigDump',
    ]);
    const tables = (await run('all', 'toolbox.sidecar', '-f', SEED('sidecar'))).out;
    expect(tables).toMatch(/^NAME +SERVICE FQDN +PORT/m);
    expect(tables).toMatch(/^listener\/virtualOutbound +0\.0\.0\.0 +15001/m);
    expect(tables).toMatch(/^route\/80 +nginx/m);
    expect(tables).toMatch(/^endpoint\/10\.244/m);
    // The bootstrap's static resources, as istioctl lists them next to istiod's.
    expect(tables).toMatch(/^cluster\/xds-grpc +cluster\/xds-grpc +- +- +- +STATIC/m);
    expect(tables).toMatch(/^listener\/0\.0\.0\.0_15021 +0\.0\.0\.0 +15021 +ALL +Inline Route: \/healthz\/ready\*/m);
    expect(tables).toMatch(/^endpoint\/\.\/etc\/istio\/proxy\/XDS +UNKNOWN +xds-grpc/m);
  });
  it('endpoint -o json: the clusters with a matching host, each with all its hosts', async () => {
    const r = await run('endpoint', 'toolbox.sidecar', '-f', SEED('sidecar'), '--port', '15020', '-o', 'json');
    const statuses = JSON.parse(r.out) as { name: string; addedViaApi?: boolean; hostStatuses: unknown[] }[];
    expect(statuses.map((c) => [c.name, c.addedViaApi])).toEqual([['agent', undefined]]);
    const all = JSON.parse((await run('endpoint', 'toolbox.sidecar', '-f', SEED('sidecar'), '-o', 'json')).out) as {
      name: string;
      addedViaApi?: boolean;
    }[];
    expect(all.find((c) => c.name === 'outbound|80||nginx.sidecar.svc.cluster.local')?.addedViaApi).toBe(true);
  });
  it('--size reports the configuration size on stderr', async () => {
    const r = await run('cluster', 'toolbox.sidecar', '-f', SEED('sidecar'), '--size');
    expect(r.err).toMatch(
      /^config size of toolbox-[a-z0-9-]+\.sidecar: \d+ listeners \(\d+ filter chains\), \d+ route configurations/,
    );
  });
  it('exits 2 with one clear line for an unknown pod or missing manifests', async () => {
    const unknown = await run('listener', 'nope.sidecar', '-f', SEED('sidecar'));
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^Error: no proxy for "nope\.sidecar".*\n$/);
    const noFiles = await run('listener', 'toolbox.sidecar');
    expect(noFiles.code).toBe(2);
  });
  it('--help lists examples', async () => {
    const r = await run('cluster', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('meshsim proxy-config cluster toolbox.sidecar');
    expect(r.out).toContain('--direction');
  });
});
