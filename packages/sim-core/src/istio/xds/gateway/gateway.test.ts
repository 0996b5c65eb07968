// Gateways: servers → listeners through the gateway Service's port mapping, HTTP/HTTPS/TLS/TCP servers,
// SNI chains, httpsRedirect, merged virtual hosts, blackhole:<port> — after istio/istio@1.29.3
// pilot/pkg/networking/core/gateway.go, pilot/pkg/model/gateway.go and gateway_test.go's cases
// (TestBuildGatewayListeners, TestGatewayHTTPRouteConfig, TestBuildGatewayListenerTlsContext).
import { describe, expect, it } from 'vitest';
import type { HttpConnectionManager, Listener, TcpProxy } from '../../../envoy/config/listener.js';
import type { RouteConfiguration } from '../../../envoy/config/route.js';
import { buildProxyConfig } from '../buildProxyConfig.js';
import { deployment, modelOf, namespace, service } from '../testing/manifests.js';

const gw = (name: string, ns: string, servers: string): string =>
  `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n${servers}`;
const vs = (name: string, ns: string, body: string, meta = ''): string =>
  `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${meta}spec:\n${body}`;
const base = [
  namespace('web'),
  deployment('web', 'web'),
  service('web', 'web', [{ name: 'http', port: 80 }]),
  service('db', 'web', [{ name: 'tcp', port: 5432 }]),
];
function gateway(docs: string[]): { listeners: readonly Listener[]; routes: readonly RouteConfiguration[] } {
  return buildProxyConfig(modelOf([...base, ...docs]), 'istio-ingressgateway.istio-system');
}
const hcmOf = (l: Listener | undefined, i = 0): HttpConnectionManager | undefined =>
  l?.filterChains[i]?.filters.find((f) => f.name.endsWith('http_connection_manager'))?.typedConfig as
    HttpConnectionManager | undefined;
const tcpOf = (l: Listener | undefined, i = 0): TcpProxy | undefined =>
  l?.filterChains[i]?.filters.find((f) => f.name.endsWith('tcp_proxy'))?.typedConfig as TcpProxy | undefined;

describe('HTTP servers', () => {
  const cfg = gateway([
    gw('public', 'web', '  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*.example.com"]\n'),
    vs(
      'a',
      'web',
      '  hosts: [a.example.com, b.example.com]\n  gateways: [public]\n  http:\n  - route: [{destination: {host: web}}]\n',
      '  creationTimestamp: "2024-01-01T00:00:00Z"\n',
    ),
    vs(
      'a2',
      'web',
      '  hosts: [a.example.com]\n  gateways: [public]\n  http:\n  - match: [{uri: {prefix: /admin}}]\n    route: [{destination: {host: db}}]\n',
      '  creationTimestamp: "2024-02-01T00:00:00Z"\n',
    ),
  ]);
  it('listen on the target port of the gateway Service port (80 → 0.0.0.0_8080) with route http.8080', () => {
    const l = cfg.listeners.find((x) => x.name === '0.0.0.0_8080');
    expect(hcmOf(l)?.rds?.routeConfigName).toBe('http.8080');
    expect(hcmOf(l)?.useRemoteAddress).toBe(true);
  });
  it('merge the routes of several VirtualServices for one host (catch-all last); one VirtualService’s hosts share a virtual host', () => {
    const vhs = cfg.routes.find((r) => r.name === 'http.8080')?.virtualHosts ?? [];
    expect(vhs.map((v) => [v.name, v.domains])).toEqual([
      ['a.example.com:80', ['a.example.com']],
      ['b.example.com:80', ['b.example.com']],
    ]);
    expect(vhs[0]?.routes?.map((r) => r.match.prefix)).toEqual(['/admin', '/']);
  });
  it('collapse virtual hosts with identical routes into one', () => {
    const c = gateway([
      gw('public', 'web', '  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*"]\n'),
      vs(
        'a',
        'web',
        '  hosts: [a.example.com, b.example.com]\n  gateways: [public]\n  http:\n  - route: [{destination: {host: web}}]\n',
      ),
    ]);
    expect(c.routes[0]?.virtualHosts?.map((v) => [v.name, v.domains])).toEqual([
      ['a.example.com:80', ['a.example.com', 'b.example.com']],
    ]);
  });
  it('give blackhole:<port> (404) when no VirtualService binds', () => {
    const c = gateway([gw('public', 'web', '  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*"]\n')]);
    expect(c.routes[0]?.virtualHosts).toEqual([{ name: 'blackhole:80', domains: ['*'], routes: [] }]);
  });
  it('require TLS with httpsRedirect', () => {
    const c = gateway([
      gw(
        'public',
        'web',
        '  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: [a.example.com]\n    tls: {httpsRedirect: true}\n',
      ),
      vs(
        'a',
        'web',
        '  hosts: [a.example.com]\n  gateways: [public]\n  http:\n  - route: [{destination: {host: web}}]\n',
      ),
    ]);
    expect(c.routes[0]?.virtualHosts?.[0]?.requireTls).toBe('ALL');
  });
  it('only bind VirtualServices in the namespace a `ns/host` server host names', () => {
    const c = gateway([
      gw('public', 'web', '  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["other/*"]\n'),
      vs(
        'a',
        'web',
        '  hosts: [a.example.com]\n  gateways: [public]\n  http:\n  - route: [{destination: {host: web}}]\n',
      ),
    ]);
    expect(c.routes[0]?.virtualHosts?.[0]?.name).toBe('blackhole:80');
  });
});

describe('TLS servers on one port', () => {
  const servers = `  - port: {number: 443, name: https-a, protocol: HTTPS}
    hosts: [a.example.com]
    tls: {mode: SIMPLE, credentialName: a-cert}
  - port: {number: 443, name: https-b, protocol: HTTPS}
    hosts: [b.example.com]
    tls: {mode: SIMPLE, credentialName: b-cert}
  - port: {number: 443, name: https-dup, protocol: HTTPS}
    hosts: [a.example.com]
    tls: {mode: SIMPLE, credentialName: c-cert}
`;
  const cfg = gateway([
    gw('secure', 'web', servers),
    vs(
      'a',
      'web',
      '  hosts: ["*.example.com"]\n  gateways: [secure]\n  http:\n  - route: [{destination: {host: web}}]\n',
    ),
  ]);
  const l = cfg.listeners.find((x) => x.name === '0.0.0.0_8443');
  it('get one SNI filter chain per server, each with its certificate and route; a repeated host is rejected', () => {
    expect(l?.filterChains.map((fc) => fc.filterChainMatch?.serverNames)).toEqual([
      ['a.example.com'],
      ['b.example.com'],
    ]);
    expect([hcmOf(l, 0)?.rds?.routeConfigName, hcmOf(l, 1)?.rds?.routeConfigName]).toEqual([
      'https.443.https-a.secure.web',
      'https.443.https-b.secure.web',
    ]);
    expect(JSON.stringify(l?.filterChains[1]?.transportSocket)).toContain('kubernetes://b-cert');
  });
  it('route each HTTPS server’s hosts on its own route configuration', () => {
    expect(cfg.routes.find((r) => r.name === 'https.443.https-a.secure.web')?.virtualHosts?.map((v) => v.name)).toEqual(
      ['a.example.com:443'],
    );
  });
  it('pass TLS through by SNI to the VirtualService’s tls routes', () => {
    const c = gateway([
      gw(
        'pt',
        'web',
        '  - port: {number: 443, name: tls, protocol: TLS}\n    hosts: ["*.example.com"]\n    tls: {mode: PASSTHROUGH}\n',
      ),
      vs(
        'pt',
        'web',
        '  hosts: ["*.example.com"]\n  gateways: [pt]\n  tls:\n  - match: [{sniHosts: [a.example.com], port: 443}]\n    route: [{destination: {host: web, port: {number: 80}}}]\n',
      ),
    ]);
    const pt = c.listeners.find((x) => x.name === '0.0.0.0_8443');
    expect(pt?.filterChains[0]?.filterChainMatch).toEqual({ serverNames: ['a.example.com'] });
    expect(tcpOf(pt)?.cluster).toBe('outbound|80||web.web.svc.cluster.local');
    expect(pt?.filterChains[0]?.transportSocket).toBeUndefined();
  });
});

describe('TCP servers', () => {
  it('use the first matching tcp route; a port the Service does not map keeps its number', () => {
    const c = gateway([
      gw('tcp', 'web', '  - port: {number: 31400, name: tcp, protocol: TCP}\n    hosts: ["*"]\n'),
      vs(
        'db',
        'web',
        '  hosts: ["*"]\n  gateways: [tcp]\n  tcp:\n  - match: [{port: 31400}]\n    route: [{destination: {host: db, port: {number: 5432}}}]\n',
      ),
    ]);
    expect(tcpOf(c.listeners.find((x) => x.name === '0.0.0.0_31400'))?.cluster).toBe(
      'outbound|5432||db.web.svc.cluster.local',
    );
  });
  it('get no listener when no route binds (no filter chain)', () => {
    const c = gateway([gw('tcp', 'web', '  - port: {number: 31400, name: tcp, protocol: TCP}\n    hosts: ["*"]\n')]);
    expect(c.listeners.find((x) => x.name === '0.0.0.0_31400')).toBeUndefined();
  });
});
