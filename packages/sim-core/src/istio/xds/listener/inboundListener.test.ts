// virtualInbound chains by PeerAuthentication mode and port protocol, per-port passthrough chains and
// Sidecar ingress — after istio/istio@1.29.3 pilot/pkg/networking/core/listener_inbound.go,
// filterchain_options.go and TestInboundListenerConfig / TestPeerAuthenticationPassthrough cases.
import { describe, expect, it } from 'vitest';
import type { FilterChain, Listener } from '../../../envoy/config/listener.js';
import { buildProxyConfig } from '../buildProxyConfig.js';
import { deployment, modelOf, namespace, service } from '../testing/manifests.js';

const base = [
  namespace('app'),
  deployment('web', 'app', { ports: [8080, 5432, 9000] }),
  service('web', 'app', [
    { name: 'http', port: 80, targetPort: 8080 },
    { name: 'tcp-db', port: 5432 },
    { name: 'data', port: 9000 },
  ]),
];
const pa = (spec: string): string =>
  `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: web\n  namespace: app\nspec:\n${spec}`;
function inbound(docs: string[]): Listener {
  return buildProxyConfig(modelOf([...base, ...docs]), 'web.app').listeners.find(
    (l) => l.name === 'virtualInbound',
  ) as Listener;
}
const chains = (l: Listener, port: number): FilterChain[] =>
  l.filterChains.filter((fc) => fc.filterChainMatch?.destinationPort === port);
const shape = (fcs: FilterChain[]): string[] =>
  fcs.map(
    (fc) =>
      `${fc.filterChainMatch?.transportProtocol ?? ''}|${(fc.filterChainMatch?.applicationProtocols ?? []).join(',')}|${fc.transportSocket !== undefined ? 'mtls' : 'plain'}|${fc.filters.some((f) => f.name.endsWith('http_connection_manager')) ? 'http' : 'tcp'}`,
  );

describe('virtualInbound', () => {
  it('PERMISSIVE (default): HTTP port accepts Istio mTLS by ALPN or plaintext, into the HTTP connection manager', () => {
    expect(shape(chains(inbound([]), 8080))).toEqual([
      'tls|istio,istio-peer-exchange,istio-http/1.0,istio-http/1.1,istio-h2|mtls|http',
      'raw_buffer||plain|http',
    ]);
  });
  it('PERMISSIVE TCP port: mTLS, other TLS (passed through to the app), plaintext', () => {
    expect(shape(chains(inbound([]), 5432))).toEqual([
      'tls|istio,istio-peer-exchange,istio-http/1.0,istio-http/1.1,istio-h2|mtls|tcp',
      'tls||plain|tcp',
      'raw_buffer||plain|tcp',
    ]);
  });
  it('a port whose name names no protocol is split between HTTP and TCP by ALPN', () => {
    expect(shape(chains(inbound([]), 9000))).toEqual([
      'tls|istio-http/1.0,istio-http/1.1,istio-h2|mtls|http',
      'raw_buffer|http/1.1,h2c|plain|http',
      'tls|istio-peer-exchange,istio|mtls|tcp',
      'raw_buffer||plain|tcp',
      'tls||plain|tcp',
    ]);
  });
  it('STRICT accepts only mutual TLS', () => {
    const l = inbound([pa('  selector: {matchLabels: {app: web}}\n  mtls: {mode: STRICT}\n')]);
    expect(shape(chains(l, 8080))).toEqual(['tls||mtls|http']);
    expect(shape(chains(l, 5432))).toEqual(['tls||mtls|tcp']);
  });
  it('DISABLE accepts only plaintext; portLevelMtls sets one port', () => {
    const l = inbound([
      pa(
        '  selector: {matchLabels: {app: web}}\n  mtls: {mode: DISABLE}\n  portLevelMtls:\n    "5432": {mode: STRICT}\n    "7000": {mode: STRICT}\n',
      ),
    ]);
    expect(shape(chains(l, 8080))).toEqual(['raw_buffer||plain|http']);
    expect(shape(chains(l, 5432))).toEqual(['tls||mtls|tcp']);
    // 7000 is in portLevelMtls but no Service declares it: a passthrough chain of its own.
    expect(chains(l, 7000).map((fc) => fc.name)).toEqual(['virtualInbound-catchall-http', 'virtualInbound']);
  });
  it('routes inbound HTTP inline to inbound|<port>|| with Istio’s inbound retry default', () => {
    const hcm = chains(inbound([]), 8080)[1]?.filters.find((f) => f.name.endsWith('http_connection_manager'))
      ?.typedConfig as {
      routeConfig?: {
        name: string;
        virtualHosts: { name: string; routes: { route: { cluster: string; retryPolicy?: unknown } }[] }[];
      };
    };
    expect(hcm.routeConfig?.name).toBe('inbound|8080||');
    expect(hcm.routeConfig?.virtualHosts[0]?.name).toBe('inbound|http|80');
    expect(hcm.routeConfig?.virtualHosts[0]?.routes[0]?.route).toMatchObject({
      cluster: 'inbound|8080||',
      timeout: '0s',
      retryPolicy: { retryOn: 'reset-before-request', numRetries: 2 },
    });
  });
  it('Sidecar ingress listeners replace the Service-derived ports', () => {
    const sc = `apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: web\n  namespace: app\nspec:\n  workloadSelector: {labels: {app: web}}\n  ingress:\n  - port: {number: 7070, protocol: HTTP, name: http-admin}\n    defaultEndpoint: 127.0.0.1:7071\n`;
    const cfg = buildProxyConfig(modelOf([...base, sc]), 'web.app');
    const l = cfg.listeners.find((x) => x.name === 'virtualInbound') as Listener;
    expect(chains(l, 7070)).toHaveLength(2);
    expect(chains(l, 8080)).toHaveLength(0);
    const c = cfg.clusters.find((x) => x.name === 'inbound|7070||');
    expect(c?.loadAssignment?.endpoints[0]?.lbEndpoints[0]?.endpoint.address.socketAddress).toEqual({
      address: '127.0.0.1',
      portValue: 7071,
    });
  });
});
