// The seed walkthroughs' `istioctl proxy-config` steps (../shared/seeds/000_*: virtualOutbound 15001,
// virtualInbound 15006, route "80", cluster outbound|80||nginx.sidecar.svc.cluster.local and its
// endpoints; the ingress, HTTPS and canary sections), reproduced on the seed fixtures. Each expected row is
// derived from istiod 1.29.3 and istioctl's writers as cited in the modules under test.
import { describe, expect, it } from 'vitest';
import { loadMeshModel, type MeshModel } from '../model/meshModel.js';
import { seedInputs, type SeedName } from '../../../test/seeds.js';
import type { HttpConnectionManager, TcpProxy } from '../../envoy/config/listener.js';
import { buildProxyConfig } from './buildProxyConfig.js';
import { clusterSummary, endpointSummary, hostStatuses, listenerSummary, routeSummary } from './istioctl/index.js';

const models = new Map<SeedName, MeshModel>();
function seed(name: SeedName): MeshModel {
  let m = models.get(name);
  if (m === undefined) models.set(name, (m = loadMeshModel(seedInputs(name))));
  return m;
}
function proxyOf(name: SeedName, prefix: string) {
  const model = seed(name);
  const proxy = model.proxies.find((p) => p.name.startsWith(prefix));
  if (proxy === undefined) throw new Error(`no proxy ${prefix}`);
  return { model, proxy, config: buildProxyConfig(model, proxy) };
}
/** A table row as a regex: columns separated by runs of spaces. */
const row = (...cols: string[]): RegExp =>
  new RegExp(`^${cols.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(' +')} *$`, 'm');

describe('seed 000 "Sidecar": the client toolbox', () => {
  const { config } = proxyOf('sidecar', 'toolbox');
  const listeners = listenerSummary(config.listeners);

  it('has virtualOutbound on 15001: catch-all to PassthroughCluster, direct connections black-holed', () => {
    const vo = config.listeners.find((l) => l.name === 'virtualOutbound');
    expect(vo?.address.socketAddress).toEqual({ address: '0.0.0.0', portValue: 15001 });
    expect(vo?.useOriginalDst).toBe(true);
    expect(listeners).toMatch(row('0.0.0.0', '15001', 'ALL', 'PassthroughCluster'));
    expect(listeners).toMatch(row('0.0.0.0', '15001', 'Addr: *:15001', 'Non-HTTP/Non-TCP'));
  });

  it('has virtualInbound on 15006 with only passthrough chains (no Service selects toolbox)', () => {
    expect(listeners).toMatch(row('0.0.0.0', '15006', 'Addr: *:15006', 'Non-HTTP/Non-TCP'));
    expect(listeners).toMatch(
      row('0.0.0.0', '15006', 'Trans: tls; App: istio-http/1.0,istio-http/1.1,istio-h2', 'InboundPassthroughCluster'),
    );
    expect(listeners).toMatch(
      row('0.0.0.0', '15006', 'Trans: raw_buffer; App: http/1.1,h2c', 'InboundPassthroughCluster'),
    );
    expect(listeners).toMatch(row('0.0.0.0', '15006', 'Trans: tls; App: TCP TLS', 'InboundPassthroughCluster'));
    expect(listeners).toMatch(row('0.0.0.0', '15006', 'Trans: raw_buffer', 'InboundPassthroughCluster'));
    expect(listeners).not.toMatch(/15006 .*inbound\|/);
  });

  it('routes HTTP port 80 by RDS "80" on 0.0.0.0_80, with the passthrough chain as default', () => {
    expect(listeners).toMatch(row('0.0.0.0', '80', 'Trans: raw_buffer; App: http/1.1,h2c', 'Route: 80'));
    expect(listeners).toMatch(row('0.0.0.0', '80', 'ALL', 'PassthroughCluster'));
    const l80 = config.listeners.find((l) => l.name === '0.0.0.0_80');
    const hcm = l80?.filterChains[0]?.filters.find((f) => f.name === 'envoy.filters.network.http_connection_manager')
      ?.typedConfig as HttpConnectionManager;
    expect(hcm.rds?.routeConfigName).toBe('80');
    expect(l80?.bindToPort).toBe(false);
    expect((l80?.defaultFilterChain?.filters.at(-1)?.typedConfig as TcpProxy).cluster).toBe('PassthroughCluster');
  });

  it('route "80": one virtual host for nginx with Istio’s domain list, then allow_any', () => {
    const rc = config.routes.find((r) => r.name === '80');
    const vh = rc?.virtualHosts?.find((v) => v.name === 'nginx.sidecar.svc.cluster.local:80');
    const vip = seed('sidecar').registry.services.find((s) => s.hostname === 'nginx.sidecar.svc.cluster.local')
      ?.defaultAddress as string;
    // Same namespace as the client: FQDN, absolute FQDN, short name, name.ns.svc, name.ns, the VIP; no :port
    // forms since sidecars ignore the port in host matching.
    expect(vh?.domains).toEqual([
      'nginx.sidecar.svc.cluster.local',
      'nginx.sidecar.svc.cluster.local.',
      'nginx',
      'nginx.sidecar.svc',
      'nginx.sidecar',
      vip,
    ]);
    expect(vh?.routes?.[0]?.route?.cluster).toBe('outbound|80||nginx.sidecar.svc.cluster.local');
    expect(rc?.virtualHosts?.at(-1)?.name).toBe('allow_any');
    expect(rc?.ignorePortInHostMatching).toBe(true);
    expect(routeSummary(config.routes, '80')).toMatch(
      row('80', 'nginx.sidecar.svc.cluster.local:80', 'nginx.sidecar.svc.cluster.local., nginx + 2 more...', '/*'),
    );
  });

  it('cluster outbound|80||nginx.sidecar.svc.cluster.local, EDS, with its endpoint', () => {
    expect(clusterSummary(config.clusters)).toMatch(
      row('nginx.sidecar.svc.cluster.local', '80', '-', 'outbound', 'EDS'),
    );
    expect(clusterSummary(config.clusters)).toMatch(row('PassthroughCluster', '-', '-', '-', 'ORIGINAL_DST'));
    expect(clusterSummary(config.clusters)).toMatch(row('BlackHoleCluster', '-', '-', '-', 'STATIC'));
    const nginxPod = seed('sidecar').cluster.pods.find((p) => p.name.startsWith('nginx-deployment'));
    const eps = endpointSummary(hostStatuses(config.clusters, config.endpoints), {
      cluster: 'outbound|80||nginx.sidecar.svc.cluster.local',
    });
    expect(eps.split('\n').filter((l) => l !== '')).toHaveLength(2);
    expect(eps).toMatch(
      row(`${nginxPod?.podIP as string}:80`, 'HEALTHY', 'OK', 'outbound|80||nginx.sidecar.svc.cluster.local'),
    );
  });

  it('reports the config size (the cost of discovering every service)', () => {
    expect(config.size.listeners).toBe(config.listeners.length);
    expect(config.size.clusters).toBe(config.clusters.length);
    expect(config.size.endpoints).toBeGreaterThanOrEqual(1);
  });
});

describe('seed 000 "Sidecar": the server nginx', () => {
  const { config } = proxyOf('sidecar', 'nginx');
  it('accepts port 80 on virtualInbound in PERMISSIVE mode (mTLS by ALPN, or plaintext) into inbound|80||', () => {
    const t = listenerSummary(config.listeners, { port: 15006 });
    expect(t).toMatch(
      row(
        '0.0.0.0',
        '15006',
        'Trans: tls; App: istio,istio-peer-exchange,istio-http/1.0,istio-http/1.1,istio-h2; Addr: *:80',
        'Cluster: inbound|80||',
      ),
    );
    expect(t).toMatch(row('0.0.0.0', '15006', 'Trans: raw_buffer; Addr: *:80', 'Cluster: inbound|80||'));
  });
  it('has the inbound cluster inbound|80|| (ORIGINAL_DST: inboundTrafficPolicy PASSTHROUGH)', () => {
    // The inbound cluster's FQDN column is empty (`inbound|80||`).
    expect(clusterSummary(config.clusters, { direction: 'inbound' })).toMatch(/^ +80 +- +inbound +ORIGINAL_DST *$/m);
  });
});

describe('seed 000 "Ingress"', () => {
  const { config } = proxyOf('simple-ingress', 'istio-ingressgateway');
  it('listens on 0.0.0.0_8080 (Service port 80 → targetPort 8080) with route http.8080', () => {
    expect(listenerSummary(config.listeners)).toMatch(row('0.0.0.0', '8080', 'ALL', 'Route: http.8080'));
  });
  it('has one virtual host simple.zhongmingmao.io:80 with the refined routes in order', () => {
    const vh = config.routes.find((r) => r.name === 'http.8080')?.virtualHosts?.[0];
    expect(vh?.name).toBe('simple.zhongmingmao.io:80');
    expect(vh?.domains).toEqual(['simple.zhongmingmao.io']);
    expect(vh?.routes?.map((r) => [r.match.path ?? r.match.prefix, r.route?.prefixRewrite, r.route?.cluster])).toEqual([
      ['/simple/hello', '/hello', 'outbound|80||simple.simple.svc.cluster.local'],
      ['/nginx', '/', 'outbound|80||nginx.simple.svc.cluster.local'],
    ]);
    expect(routeSummary(config.routes)).toMatch(
      row('http.8080', 'simple.zhongmingmao.io:80', 'simple.zhongmingmao.io', '/simple/hello', 'simple.simple'),
    );
  });
});

describe('seed 000 "HTTPS": two certificates on one port, chosen by SNI', () => {
  const { config } = proxyOf('https-ingress', 'istio-ingressgateway');
  it('has one listener 0.0.0.0_8443 with an SNI filter chain per server', () => {
    const t = listenerSummary(config.listeners);
    expect(t).toMatch(
      row(
        '0.0.0.0',
        '8443',
        'SNI: httpsserver.zhongmingmao.io',
        'Route: https.443.https-default.httpsserver.securesvc',
      ),
    );
    expect(t).toMatch(
      row('0.0.0.0', '8443', 'SNI: api.zhongmingmao.io', 'Route: https.443.https-api.httpsserver.securesvc'),
    );
    const l = config.listeners.find((x) => x.name === '0.0.0.0_8443');
    expect(l?.listenerFilters?.map((f) => f.name)).toEqual(['envoy.filters.listener.tls_inspector']);
    const secrets = l?.filterChains.map((fc) => JSON.stringify(fc.transportSocket));
    expect(secrets?.[0]).toContain('kubernetes://zhongmingmao-credential');
    expect(secrets?.[1]).toContain('kubernetes://api-zhongmingmao-credential');
  });
});

describe('seed 000 "Canary"', () => {
  const { config } = proxyOf('canary', 'toolbox');
  it('builds the default cluster and one per subset, with the DestinationRule named', () => {
    const t = clusterSummary(config.clusters, { fqdn: 'canary.canary' });
    for (const subset of ['-', 'v1', 'v2'])
      expect(t).toMatch(row('canary.canary.svc.cluster.local', '80', subset, 'outbound', 'EDS', 'canary.canary'));
    const lb = Object.fromEntries(
      config.clusters
        .filter((c) => c.name.endsWith('canary.canary.svc.cluster.local'))
        .map((c) => [c.name, c.lbPolicy]),
    );
    // trafficPolicy RANDOM, subset v2 overrides with ROUND_ROBIN.
    expect(lb).toEqual({
      'outbound|80||canary.canary.svc.cluster.local': 'RANDOM',
      'outbound|80|v1|canary.canary.svc.cluster.local': 'RANDOM',
      'outbound|80|v2|canary.canary.svc.cluster.local': 'ROUND_ROBIN',
    });
  });
  it('routes the tester (user: jesse) to v2, everyone else by weight to v1 (v2 weight 0 dropped)', () => {
    const routes =
      config.routes
        .find((r) => r.name === '80')
        ?.virtualHosts?.find((v) => v.name === 'canary.canary.svc.cluster.local:80')?.routes ?? [];
    expect(routes[0]?.match.headers).toEqual([{ name: 'user', stringMatch: { exact: 'jesse' } }]);
    expect(routes[0]?.route?.cluster).toBe('outbound|80|v2|canary.canary.svc.cluster.local');
    expect(routes[1]?.route?.weightedClusters?.clusters).toEqual([
      { name: 'outbound|80|v1|canary.canary.svc.cluster.local', weight: 100 },
    ]);
  });
});

describe('seed 000 "故障注入" (fault injection)', () => {
  const { config } = proxyOf('fault-injection', 'toolbox');
  it('carries the delay and the abort as the fault filter’s per-route config', () => {
    const routes =
      config.routes
        .find((r) => r.name === '80')
        ?.virtualHosts?.find((v) => v.name === 'canary.canary.svc.cluster.local:80')?.routes ?? [];
    expect(routes[0]?.typedPerFilterConfig?.['envoy.filters.http.fault']).toMatchObject({
      delay: { fixedDelay: '5s', percentage: { numerator: 1000000, denominator: 'MILLION' } },
    });
    expect(routes[1]?.typedPerFilterConfig?.['envoy.filters.http.fault']).toMatchObject({
      abort: { httpStatus: 500, percentage: { numerator: 800000, denominator: 'MILLION' } },
    });
  });
});

describe('seed 001 "VM mesh expansion"', () => {
  const { config } = proxyOf('vm-mesh-expansion', 'debian');
  it('gives the ServiceEntry host its auto-allocated VIP in the domains (DNS capture on)', () => {
    const vh = config.routes.find((r) => r.name === '80')?.virtualHosts?.find((v) => v.name === 'nginx.example.com:80');
    expect(vh?.domains).toEqual(['nginx.example.com', 'nginx.example.com.', '240.240.0.1']);
    expect(vh?.routes?.[0]?.name).toBe('http-nginx-route');
  });
});
