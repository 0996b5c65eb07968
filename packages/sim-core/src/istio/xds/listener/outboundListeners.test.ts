// Sidecar outbound listeners: protocol selection by port name, VIP vs wildcard binds, sniffing, conflicts
// on one port, ServiceEntry SNI chains, headless services, REGISTRY_ONLY — after istio/istio@1.29.3
// pilot/pkg/networking/core/listener.go (buildSidecarOutboundListener) and listener_test.go's cases
// (TestOutboundListenerConflict_*, TestOutboundListenerTCPWithVS, TestOutboundTls).
import { describe, expect, it } from 'vitest';
import type { HttpConnectionManager, Listener, TcpProxy } from '../../../envoy/config/listener.js';
import { buildProxyConfig } from '../buildProxyConfig.js';
import { deployment, modelOf, namespace, service } from '../testing/manifests.js';

const client = [namespace('app'), deployment('client', 'app')];
const listenersOf = (docs: string[], mesh?: Record<string, unknown>): Listener[] => {
  const model = modelOf([...client, ...docs], mesh !== undefined ? { meshConfig: mesh } : {});
  return [...buildProxyConfig(model, 'client.app').listeners];
};
const byName = (ls: readonly Listener[], name: string): Listener | undefined => ls.find((l) => l.name === name);
const rds = (l: Listener | undefined): (string | undefined)[] =>
  (l?.filterChains ?? []).map(
    (fc) =>
      (
        fc.filters.find((f) => f.name.endsWith('http_connection_manager'))?.typedConfig as
          HttpConnectionManager | undefined
      )?.rds?.routeConfigName,
  );
const tcpClusters = (l: Listener | undefined): (string | undefined)[] =>
  [...(l?.filterChains ?? []), ...(l?.defaultFilterChain !== undefined ? [l.defaultFilterChain] : [])].map(
    (fc) => (fc.filters.find((f) => f.name.endsWith('tcp_proxy'))?.typedConfig as TcpProxy | undefined)?.cluster,
  );

describe('protocol selection by port name', () => {
  const ls = listenersOf([
    service('web', 'app', [{ name: 'http', port: 80, targetPort: 8080 }], { clusterIP: '10.96.1.10' }),
    service('db', 'app', [{ name: 'mysql', port: 3306 }], { clusterIP: '10.96.1.11' }),
    service('raw', 'app', [{ port: 9000 }], { clusterIP: '10.96.1.12' }),
    service('rpc', 'app', [{ name: 'grpc-api', port: 7070 }], { clusterIP: '10.96.1.13' }),
    service('secure', 'app', [{ name: 'https', port: 8443 }], { clusterIP: '10.96.1.14' }),
    service('tcp', 'app', [{ name: 'tcp', port: 6379, appProtocol: 'http' }], { clusterIP: '10.96.1.15' }),
  ]);
  it('HTTP ports share 0.0.0.0_<port>, routed by RDS "<port>" after ALPN sniffing', () => {
    const l = byName(ls, '0.0.0.0_80');
    expect(rds(l)).toEqual(['80']);
    expect(l?.filterChains[0]?.filterChainMatch).toEqual({
      transportProtocol: 'raw_buffer',
      applicationProtocols: ['http/1.1', 'h2c'],
    });
    expect(l?.listenerFilters?.map((f) => f.name)).toEqual(['envoy.filters.listener.http_inspector']);
    expect(tcpClusters(l)).toContain('PassthroughCluster');
    expect(rds(byName(ls, '0.0.0.0_7070'))).toEqual(['7070']);
  });
  it('TCP-like ports (mysql, https) listen on the VIP with a TCP proxy and no inspector', () => {
    expect(tcpClusters(byName(ls, '10.96.1.11_3306'))).toEqual(['outbound|3306||db.app.svc.cluster.local']);
    const tls = byName(ls, '10.96.1.14_8443');
    expect(tcpClusters(tls)).toEqual(['outbound|8443||secure.app.svc.cluster.local']);
    expect(tls?.filterChains[0]?.filterChainMatch).toBeUndefined(); // a VIP needs no SNI
  });
  it('an unnamed port is sniffed: a TCP chain plus an HTTP chain with its own route "<host>:<port>"', () => {
    const l = byName(ls, '10.96.1.12_9000');
    expect(rds(l)).toEqual(['raw.app.svc.cluster.local:9000']);
    expect(tcpClusters(l)).toEqual([undefined, 'outbound|9000||raw.app.svc.cluster.local']);
  });
  it('appProtocol wins over the port name', () => {
    expect(rds(byName(ls, '0.0.0.0_6379'))).toEqual(['6379']);
    expect(byName(ls, '10.96.1.15_6379')).toBeUndefined();
  });
});

describe('conflicts on one port', () => {
  it('a TCP ServiceEntry without an address on an HTTP port turns the listener into a sniffed one', () => {
    const ls = listenersOf([
      service('web', 'app', [{ name: 'http', port: 8080 }], { clusterIP: '10.96.1.10' }),
      `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ext\n  namespace: app\nspec:\n  hosts: [ext.example.com]\n  ports: [{number: 8080, name: tcp, protocol: TCP}]\n  resolution: DNS\n`,
    ]);
    const l = byName(ls, '0.0.0.0_8080');
    // The HTTP chain keeps its ALPN match; the ServiceEntry's match-all TCP chain becomes the default chain
    // (in place of PassthroughFilterChain), so non-HTTP bytes on 8080 go to ext.example.com.
    expect(rds(l)).toEqual(['8080']);
    expect(l?.defaultFilterChain?.name).toBeUndefined();
    expect(tcpClusters(l).at(-1)).toBe('outbound|8080||ext.example.com');
  });
  it('MySQL never shares a port with HTTP', () => {
    const ls = listenersOf([
      service('web', 'app', [{ name: 'http', port: 3306 }], {
        clusterIP: '10.96.1.10',
        creationTimestamp: '2024-01-01T00:00:00Z',
      }),
      `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: db\n  namespace: app\n  creationTimestamp: "2024-02-01T00:00:00Z"\nspec:\n  hosts: [db.example.com]\n  ports: [{number: 3306, name: mysql, protocol: MYSQL}]\n  resolution: DNS\n`,
    ]);
    expect(tcpClusters(byName(ls, '0.0.0.0_3306'))).not.toContain('outbound|3306||db.example.com');
  });
  it('TLS ServiceEntries without addresses share 0.0.0.0_443, one SNI chain each', () => {
    const se = (name: string, host: string): string =>
      `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ${name}\n  namespace: app\nspec:\n  hosts: [${host}]\n  ports: [{number: 443, name: tls, protocol: TLS}]\n  resolution: DNS\n`;
    const l = byName(listenersOf([se('a', 'a.example.com'), se('b', 'b.example.com')]), '0.0.0.0_443');
    expect(l?.filterChains.map((fc) => fc.filterChainMatch?.serverNames)).toEqual([
      ['a.example.com'],
      ['b.example.com'],
    ]);
    expect(l?.listenerFilters?.map((f) => f.name)).toEqual(['envoy.filters.listener.tls_inspector']);
  });
});

describe('headless services', () => {
  it('get one listener per endpoint IP for TCP ports', () => {
    const model = modelOf([
      ...client,
      deployment('pg', 'app', { replicas: 2, ports: [5432] }),
      service('pg', 'app', [{ name: 'tcp', port: 5432 }], { clusterIP: 'None' }),
    ]);
    const ips = model.cluster.pods.filter((p) => p.name.startsWith('pg-')).map((p) => p.podIP);
    const names = buildProxyConfig(model, 'client.app').listeners.map((l) => l.name);
    for (const ip of ips) expect(names).toContain(`${ip}_5432`);
  });
});

describe('outboundTrafficPolicy', () => {
  it('REGISTRY_ONLY sends unknown destinations to BlackHoleCluster', () => {
    const ls = listenersOf([service('web', 'app', [{ name: 'http', port: 80 }])], {
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    });
    expect(tcpClusters(byName(ls, 'virtualOutbound'))).toEqual(['BlackHoleCluster', 'BlackHoleCluster']);
    expect(tcpClusters(byName(ls, '0.0.0.0_80')).at(-1)).toBe('BlackHoleCluster');
  });
  it('a Sidecar’s outboundTrafficPolicy overrides MeshConfig’s for its workloads', () => {
    const sidecar = `apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\n  namespace: app\nspec:\n  outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n`;
    expect(tcpClusters(byName(listenersOf([sidecar]), 'virtualOutbound'))).toEqual([
      'BlackHoleCluster',
      'BlackHoleCluster',
    ]);
  });
});

describe('loop protection', () => {
  it('virtualOutbound and virtualInbound black-hole connections addressed to 15001 / 15006 themselves', () => {
    const ls = listenersOf([]);
    expect(byName(ls, 'virtualOutbound')?.filterChains[0]?.filterChainMatch).toEqual({ destinationPort: 15001 });
    expect(tcpClusters(byName(ls, 'virtualOutbound'))[0]).toBe('BlackHoleCluster');
    expect(byName(ls, 'virtualInbound')?.filterChains[0]?.filterChainMatch).toEqual({ destinationPort: 15006 });
    expect(tcpClusters(byName(ls, 'virtualInbound'))[0]).toBe('BlackHoleCluster');
  });
  it('a Service on 15001 or 15006 gets no HTTP listener (reserved ports)', () => {
    const ls = listenersOf([service('odd', 'app', [{ name: 'http', port: 15006 }])]);
    expect(byName(ls, '0.0.0.0_15006')).toBeUndefined();
  });
});
