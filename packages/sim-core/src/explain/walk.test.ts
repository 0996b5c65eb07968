import { describe, expect, it } from 'vitest';
import type { Listener } from '../envoy/listener/types.js';
import type { RouteConfiguration } from '../envoy/router/types.js';
import type { ProxyConfigView } from './proxyConfigView.js';
import { walkProxyConfig as walk, type WalkInput } from './walk.js';

// A hand-written sidecar configuration in istiod's shape (names and layout as `istioctl proxy-config`
// shows them for the seed's toolbox pod; pilot/pkg/networking/core/listener_builder.go and httproute.go).
const tcp = (cluster: string) => [
  { name: 'envoy.filters.network.tcp_proxy', typedConfig: { statPrefix: cluster, cluster } },
];
const hcm = (routeConfigName: string) => [
  { name: 'envoy.filters.network.http_connection_manager', typedConfig: { rds: { routeConfigName } } },
];
const listeners: Listener[] = [
  {
    name: 'virtualOutbound',
    address: { socketAddress: { address: '0.0.0.0', portValue: 15001 } },
    useOriginalDst: true,
    filterChains: [
      {
        name: 'virtualOutbound-blackhole',
        filterChainMatch: { destinationPort: 15001 },
        filters: tcp('BlackHoleCluster'),
      },
      { name: 'virtualOutbound-catchall-tcp', filters: tcp('PassthroughCluster') },
    ],
  },
  {
    name: '0.0.0.0_80',
    address: { socketAddress: { address: '0.0.0.0', portValue: 80 } },
    bindToPort: false,
    listenerFilters: [
      { name: 'envoy.filters.listener.tls_inspector' },
      { name: 'envoy.filters.listener.http_inspector' },
    ],
    filterChains: [
      {
        filterChainMatch: { transportProtocol: 'raw_buffer', applicationProtocols: ['http/1.1', 'h2c'] },
        filters: hcm('80'),
      },
    ],
    defaultFilterChain: { name: 'PassthroughFilterChain', filters: tcp('PassthroughCluster') },
  },
  {
    name: '10.96.0.30_3306',
    address: { socketAddress: { address: '10.96.0.30', portValue: 3306 } },
    bindToPort: false,
    filterChains: [{ filters: tcp('outbound|3306||mysql.db.svc.cluster.local') }],
  },
  {
    name: 'virtualInbound',
    address: { socketAddress: { address: '0.0.0.0', portValue: 15006 } },
    listenerFilters: [
      { name: 'envoy.filters.listener.original_dst' },
      { name: 'envoy.filters.listener.tls_inspector' },
    ],
    filterChains: [
      {
        name: 'virtualInbound-blackhole',
        filterChainMatch: { destinationPort: 15006 },
        filters: tcp('BlackHoleCluster'),
      },
      {
        name: '0.0.0.0_80',
        filterChainMatch: {
          destinationPort: 80,
          transportProtocol: 'tls',
          applicationProtocols: ['istio-http/1.0', 'istio-http/1.1', 'istio-h2'],
        },
        transportSocket: {
          name: 'envoy.transport_sockets.tls',
          typedConfig: {
            commonTlsContext: { tlsCertificateSdsSecretConfigs: [{ name: 'default' }] },
            requireClientCertificate: true,
          },
        },
        filters: hcm('inbound|80||'),
      },
      {
        name: '0.0.0.0_80',
        filterChainMatch: { destinationPort: 80, transportProtocol: 'raw_buffer' },
        filters: hcm('inbound|80||'),
      },
    ],
  },
];
const routes: RouteConfiguration[] = [
  {
    name: '80',
    ignorePortInHostMatching: true,
    virtualHosts: [
      {
        name: 'canary.canary.svc.cluster.local:80',
        domains: ['canary.canary.svc.cluster.local', 'canary', 'canary.canary.svc', 'canary.canary', '10.96.0.20'],
        routes: [
          {
            name: 'user-jesse',
            match: { prefix: '/', headers: [{ name: 'user', stringMatch: { exact: 'jesse' } }] },
            route: { cluster: 'outbound|80|v2|canary.canary.svc.cluster.local' },
          },
          {
            name: 'default',
            match: { prefix: '/' },
            route: {
              weightedClusters: {
                clusters: [
                  { name: 'outbound|80|v1|canary.canary.svc.cluster.local', weight: 90 },
                  { name: 'outbound|80|v2|canary.canary.svc.cluster.local', weight: 10 },
                ],
              },
            },
          },
        ],
      },
      {
        name: 'allow_any',
        domains: ['*'],
        routes: [{ name: 'allow_any', match: { prefix: '/' }, route: { cluster: 'PassthroughCluster' } }],
      },
    ],
  },
  {
    name: 'inbound|80||',
    virtualHosts: [
      {
        name: 'inbound|http|80',
        domains: ['*'],
        routes: [{ name: 'default', match: { prefix: '/' }, route: { cluster: 'inbound|80||' } }],
      },
    ],
  },
];
const config: ProxyConfigView = {
  listeners,
  routes,
  endpoints: [
    {
      clusterName: 'outbound|80|v1|canary.canary.svc.cluster.local',
      endpoints: [
        { lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '10.244.0.5', portValue: 80 } } } }] },
      ],
    },
  ],
};

const http = (host: string, path = '/', extra: Record<string, string> = {}): WalkInput => ({
  connection: {
    destinationAddress: '10.96.0.20',
    destinationPort: 80,
    sourceAddress: '10.244.0.9',
    sourcePort: 40000,
    transport: 'plaintext',
    plaintextProtocol: 'http/1.1',
  },
  capturePort: 15001,
  protocol: 'http',
  tls: 'plaintext',
  request: { ':method': 'GET', ':authority': host, ':path': path, ':scheme': 'http', ...extra },
});

describe('walkProxyConfig()', () => {
  it('routes the canary weights through 0.0.0.0_80 and route config "80"', () => {
    const r = walk(config, http('canary'));
    expect(r).toMatchObject({
      listener: '0.0.0.0_80',
      routeConfig: '80',
      virtualHost: 'canary.canary.svc.cluster.local:80',
      routeIndex: 1,
      routeName: 'default',
    });
    expect(r.error).toBeUndefined();
    expect(r.cluster).toBeUndefined();
    expect(r.clusters.map((c) => [c.name, c.probability, c.subset])).toEqual([
      ['outbound|80|v1|canary.canary.svc.cluster.local', 0.9, 'v1'],
      ['outbound|80|v2|canary.canary.svc.cluster.local', 0.1, 'v2'],
    ]);
    expect(r.endpoints).toEqual([
      { cluster: 'outbound|80|v1|canary.canary.svc.cluster.local', address: '10.244.0.5', port: 80, health: 'HEALTHY' },
    ]);
  });

  it('a header match takes the first route; the Host port is ignored', () => {
    const r = walk(config, http('canary.canary:80', '/', { user: 'jesse' }));
    expect(r).toMatchObject({ routeIndex: 0, cluster: 'outbound|80|v2|canary.canary.svc.cluster.local' });
  });

  it('unknown hosts on a known port go to allow_any → PassthroughCluster', () => {
    const r = walk(config, http('example.org'));
    expect(r).toMatchObject({ virtualHost: 'allow_any', cluster: 'PassthroughCluster' });
    expect(r.endpoints).toEqual([
      { cluster: 'PassthroughCluster', address: '10.96.0.20', port: 80, health: 'HEALTHY' },
    ]);
  });

  it('TCP to an HTTP port takes the default chain (passthrough)', () => {
    const base = http('x');
    const r = walk(config, {
      ...base,
      protocol: 'tcp',
      connection: { ...base.connection, plaintextProtocol: 'other' },
    });
    expect(r).toMatchObject({
      listener: '0.0.0.0_80',
      filterChain: 'PassthroughFilterChain',
      cluster: 'PassthroughCluster',
    });
  });

  it('a VIP listener is found by exact original destination', () => {
    const base = http('x');
    const r = walk(config, {
      ...base,
      protocol: 'tcp',
      connection: {
        ...base.connection,
        destinationAddress: '10.96.0.30',
        destinationPort: 3306,
        plaintextProtocol: 'other',
      },
    });
    expect(r).toMatchObject({ listener: '10.96.0.30_3306', cluster: 'outbound|3306||mysql.db.svc.cluster.local' });
  });

  it('loop protection: direct calls to 15001 and 15006 are black-holed (Istio TestLoop)', () => {
    const base = http('x');
    for (const port of [15001, 15006]) {
      const r = walk(config, {
        ...base,
        protocol: 'tcp',
        connection: { ...base.connection, destinationPort: port, plaintextProtocol: 'other' },
      });
      expect(r.cluster).toBe('BlackHoleCluster');
      expect(r.outcome.responseFlags).toBe('UH');
    }
  });

  it('inbound: mTLS and plaintext chains, and the errors of the wrong client', () => {
    const inbound = (tls: WalkInput['tls']): WalkInput => ({
      connection: {
        destinationAddress: '10.244.0.5',
        destinationPort: 80,
        sourceAddress: '10.244.0.9',
        sourcePort: 40000,
        transport: tls === 'plaintext' ? 'plaintext' : 'tls',
        plaintextProtocol: 'http/1.1',
        applicationProtocols: tls === 'mtls' ? ['istio-http/1.1'] : ['http/1.1'],
        clientCertificate: tls === 'mtls',
      },
      capturePort: 15006,
      protocol: 'http',
      tls,
      request: { ':method': 'GET', ':authority': 'canary', ':path': '/' },
    });
    expect(walk(config, inbound('mtls'))).toMatchObject({ listener: 'virtualInbound', cluster: 'inbound|80||' });
    expect(walk(config, inbound('plaintext'))).toMatchObject({ cluster: 'inbound|80||' });
    // Plain TLS: the transport-protocol level commits to the 'tls' chain, whose istio-* ALPN then fails.
    expect(walk(config, inbound('tls')).error).toBe('no_filter_chain');
  });

  it('never throws on an empty configuration', () => {
    expect(walk({ listeners: [], routes: [] }, http('x'))).toMatchObject({
      error: 'no_listener',
      outcome: { action: 'connection_refused' },
    });
  });

  it('require_tls EXTERNAL_ONLY redirects external plaintext requests, not internal ones', () => {
    const rc: RouteConfiguration = {
      name: '80',
      virtualHosts: [
        {
          name: 'secure',
          domains: ['*'],
          requireTls: 'EXTERNAL_ONLY',
          routes: [{ match: { prefix: '/' }, route: { cluster: 'c' } }],
        },
      ],
    };
    const cfg: ProxyConfigView = { ...config, routes: [rc] };
    const ext = walk(cfg, http('secure.example:80', '/x'));
    expect(ext).toMatchObject({
      error: 'tls_redirect',
      outcome: { status: 301, location: 'https://secure.example/x' },
    });
    expect(walk(cfg, http('secure.example', '/x', { 'x-envoy-internal': 'true' }))).toMatchObject({ cluster: 'c' });
  });
});
