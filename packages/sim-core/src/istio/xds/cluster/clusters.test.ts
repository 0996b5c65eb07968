// Clusters: Istio's defaults, DestinationRule traffic policy merged destination → port-level → subset,
// TLS (DestinationRule mode or auto mTLS), discovery types by resolution, inbound clusters — after
// istio/istio@1.29.3 pilot/pkg/networking/core/cluster_builder.go, cluster_traffic_policy.go,
// cluster_tls.go and their tests (TestApplyDestinationRule, TestBuildAutoMtlsSettings,
// TestApplyTrafficPolicy / portLevelSettings cases).
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../../envoy/config/cluster.js';
import { buildProxyConfig } from '../buildProxyConfig.js';
import { deployment, modelOf, namespace, service } from '../testing/manifests.js';

const dr = (name: string, ns: string, body: string): string =>
  `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${body}`;
const base = [
  namespace('app'),
  deployment('client', 'app'),
  deployment('web', 'app', { ports: [8080, 9090], labels: { version: 'v1' } }),
  service('web', 'app', [
    { name: 'http', port: 80, targetPort: 8080 },
    { name: 'http-metrics', port: 9090 },
  ]),
];
function clusters(docs: string[], mesh?: Record<string, unknown>, proxy = 'client.app'): Map<string, Cluster> {
  const cfg = buildProxyConfig(modelOf([...base, ...docs], mesh !== undefined ? { meshConfig: mesh } : {}), proxy);
  return new Map(cfg.clusters.map((c) => [c.name, c]));
}
const MAX = 4294967295;

describe('Istio’s defaults without a DestinationRule', () => {
  const c = clusters([]).get('outbound|80||web.app.svc.cluster.local');
  it('EDS, LEAST_REQUEST, 10s connect timeout, 2^32−1 circuit breakers', () => {
    expect(c?.type).toBe('EDS');
    expect(c?.edsClusterConfig?.serviceName).toBe('outbound|80||web.app.svc.cluster.local');
    expect(c?.lbPolicy).toBe('LEAST_REQUEST');
    expect(c?.connectTimeout).toBe('10s');
    expect(c?.circuitBreakers?.thresholds?.[0]).toEqual({
      maxRetries: MAX,
      maxRequests: MAX,
      maxConnections: MAX,
      maxPendingRequests: MAX,
      trackRemaining: true,
    });
    expect(c?.outlierDetection).toBeUndefined();
  });
  it('auto mTLS: Istio mTLS to endpoints labelled tlsMode=istio, plaintext to the others', () => {
    expect(c?.transportSocketMatches?.map((m) => [m.name, m.match])).toEqual([
      ['tlsMode-istio', { tlsMode: 'istio' }],
      ['tlsMode-disabled', {}],
    ]);
    expect(JSON.stringify(c?.transportSocketMatches?.[0]?.transportSocket)).toContain(
      'outbound_.80_._.web.app.svc.cluster.local',
    );
  });
});

describe('DestinationRule traffic policy', () => {
  const rule = dr(
    'web',
    'app',
    `  host: web
  trafficPolicy:
    loadBalancer: {simple: RANDOM}
    connectionPool: {tcp: {maxConnections: 10, connectTimeout: 2s}, http: {http1MaxPendingRequests: 5}}
    portLevelSettings:
    - port: {number: 9090}
      loadBalancer: {simple: ROUND_ROBIN}
  subsets:
  - name: v1
    labels: {version: v1}
    trafficPolicy:
      outlierDetection: {consecutive5xxErrors: 3, interval: 5s, baseEjectionTime: 1m}
  - name: v2
    labels: {version: v2}
    trafficPolicy:
      portLevelSettings:
      - port: {number: 80}
        tls: {mode: DISABLE}
`,
  );
  const cs = clusters([rule]);
  it('applies the destination-level policy', () => {
    const c = cs.get('outbound|80||web.app.svc.cluster.local');
    expect(c?.lbPolicy).toBe('RANDOM');
    expect(c?.connectTimeout).toBe('2s');
    expect(c?.circuitBreakers?.thresholds?.[0]).toMatchObject({
      maxConnections: 10,
      maxPendingRequests: 5,
      maxRequests: MAX,
    });
    expect(c?.metadata?.filterMetadata?.istio?.['config']).toBe(
      '/apis/networking.istio.io/v1/namespaces/app/destination-rule/web',
    );
  });
  it('lets a portLevelSettings entry replace the whole destination-level policy (nothing inherited)', () => {
    const c = cs.get('outbound|9090||web.app.svc.cluster.local');
    expect(c?.lbPolicy).toBe('ROUND_ROBIN');
    expect(c?.connectTimeout).toBe('10s');
    expect(c?.circuitBreakers?.thresholds?.[0]?.maxConnections).toBe(MAX);
  });
  it('overrides field by field with a subset’s policy; outlier detection disables success-rate and panic', () => {
    const c = cs.get('outbound|80|v1|web.app.svc.cluster.local');
    expect(c?.lbPolicy).toBe('RANDOM');
    expect(c?.circuitBreakers?.thresholds?.[0]?.maxConnections).toBe(10);
    expect(c?.outlierDetection).toEqual({
      enforcingSuccessRate: 0,
      consecutive5xx: 3,
      enforcingConsecutive5xx: 100,
      interval: '5s',
      baseEjectionTime: '60s',
    });
    expect(c?.commonLbConfig?.healthyPanicThreshold).toEqual({ value: 0 });
    expect(c?.metadata?.filterMetadata?.istio?.['subset']).toBe('v1');
  });
  it('takes all of connectionPool, outlierDetection, loadBalancer and tls from a subset port-level entry', () => {
    const c = cs.get('outbound|80|v2|web.app.svc.cluster.local');
    expect(c?.lbPolicy).toBe('LEAST_REQUEST');
    expect(c?.circuitBreakers?.thresholds?.[0]?.maxConnections).toBe(MAX);
    expect(c?.transportSocket).toBeUndefined();
    expect(c?.transportSocketMatches).toBeUndefined();
  });
});

describe('TLS', () => {
  it('ISTIO_MUTUAL in the DestinationRule gives one Istio mTLS transport socket', () => {
    const c = clusters([dr('web', 'app', '  host: web\n  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}\n')]).get(
      'outbound|80||web.app.svc.cluster.local',
    );
    expect(c?.transportSocket?.name).toBe('envoy.transport_sockets.tls');
    expect(c?.transportSocketMatches).toBeUndefined();
  });
  it('a namespace PeerAuthentication DISABLE turns auto mTLS off for the service', () => {
    const pa = `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: app\nspec:\n  mtls: {mode: DISABLE}\n`;
    const c = clusters([pa]).get('outbound|80||web.app.svc.cluster.local');
    expect(c?.transportSocketMatches).toBeUndefined();
    expect(c?.transportSocket).toBeUndefined();
  });
});

describe('discovery type by resolution', () => {
  const se = (name: string, resolution: string, extra = ''): string =>
    `apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: ${name}\n  namespace: app\nspec:\n  hosts: [${name}.example.com]\n  ports: [{number: 443, name: tls, protocol: TLS}]\n  resolution: ${resolution}\n${extra}`;
  const cs = clusters([
    se('dns', 'DNS'),
    se('none', 'NONE'),
    se('static', 'STATIC', '  endpoints: [{address: 192.0.2.10}]\n'),
    service('hl', 'app', [{ name: 'tcp', port: 5432 }], { clusterIP: 'None' }),
  ]);
  it('DNS → STRICT_DNS with the host as endpoint; NONE and headless → ORIGINAL_DST; STATIC → EDS', () => {
    const dns = cs.get('outbound|443||dns.example.com');
    expect(dns?.type).toBe('STRICT_DNS');
    expect(dns?.loadAssignment?.endpoints[0]?.lbEndpoints[0]?.endpoint.address.socketAddress).toEqual({
      address: 'dns.example.com',
      portValue: 443,
    });
    expect(dns?.dnsLookupFamily).toBe('V4_ONLY');
    expect([
      cs.get('outbound|443||none.example.com')?.type,
      cs.get('outbound|443||none.example.com')?.lbPolicy,
    ]).toEqual(['ORIGINAL_DST', 'CLUSTER_PROVIDED']);
    expect(cs.get('outbound|5432||hl.app.svc.cluster.local')?.type).toBe('ORIGINAL_DST');
    expect(cs.get('outbound|443||static.example.com')?.type).toBe('EDS');
  });
  it('mesh-external services get no auto mTLS', () => {
    expect(cs.get('outbound|443||static.example.com')?.transportSocketMatches).toBeUndefined();
  });
});

describe('inbound clusters', () => {
  it('inbound|<target port>|| per workload port: ORIGINAL_DST with PASSTHROUGH, STATIC 127.0.0.1 with LOCALHOST', () => {
    const passthrough = clusters([], undefined, 'web.app');
    expect(passthrough.get('inbound|8080||')?.type).toBe('ORIGINAL_DST');
    expect(passthrough.get('inbound|9090||')?.type).toBe('ORIGINAL_DST');
    const local = clusters([], { inboundTrafficPolicy: { mode: 'LOCALHOST' } }, 'web.app').get('inbound|8080||');
    expect(local?.type).toBe('STATIC');
    expect(local?.loadAssignment?.endpoints[0]?.lbEndpoints[0]?.endpoint.address.socketAddress).toEqual({
      address: '127.0.0.1',
      portValue: 8080,
    });
  });

  // cluster_builder.go buildInboundCluster: SidecarScope.DestinationRule(TrafficDirectionInbound, …) — the
  // port-level policy for the service port, connection pool only; a Sidecar's inbound pool replaces it.
  const pool = (max: number, port?: number): string =>
    `  trafficPolicy:\n${port !== undefined ? `    portLevelSettings:\n    - port: {number: ${port}}\n  ` : ''}    connectionPool: {tcp: {maxConnections: ${max}}}\n`;
  const maxConnections = (c: Cluster | undefined): number | undefined =>
    c?.circuitBreakers?.thresholds?.[0]?.maxConnections;
  it('take the connection pool of the service’s DestinationRule (port-level by service port) and name it', () => {
    const cs = clusters([dr('web', 'app', `  host: web\n${pool(7)}`)], undefined, 'web.app');
    expect(maxConnections(cs.get('inbound|8080||'))).toBe(7);
    expect(cs.get('inbound|8080||')?.metadata?.filterMetadata?.istio?.['config']).toBe(
      '/apis/networking.istio.io/v1/namespaces/app/destination-rule/web',
    );
    const portLevel = clusters([dr('web', 'app', `  host: web\n${pool(9, 80)}`)], undefined, 'web.app');
    expect(maxConnections(portLevel.get('inbound|8080||'))).toBe(9); // service port 80 → target 8080
    expect(maxConnections(portLevel.get('inbound|9090||'))).toBe(MAX);
  });
  it('ignore DestinationRules with a workloadSelector, which only apply outbound', () => {
    const selected = dr('web', 'app', `  host: web\n  workloadSelector: {matchLabels: {app: web}}\n${pool(3)}`);
    const cs = clusters([selected], undefined, 'web.app');
    expect(maxConnections(cs.get('inbound|8080||'))).toBe(MAX);
    expect(cs.get('inbound|8080||')?.metadata?.filterMetadata?.istio?.['config']).toBeUndefined();
    expect(maxConnections(cs.get('outbound|80||web.app.svc.cluster.local'))).toBe(3); // the web proxy's own outbound
  });
  it('let a Sidecar’s inboundConnectionPool replace the DestinationRule’s', () => {
    const sidecar =
      'apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: default, namespace: app}\nspec:\n  inboundConnectionPool: {tcp: {maxConnections: 11}}\n';
    const cs = clusters([dr('web', 'app', `  host: web\n${pool(7)}`), sidecar], undefined, 'web.app');
    expect(maxConnections(cs.get('inbound|8080||'))).toBe(11);
  });
});

describe('failoverPriority end to end', () => {
  it('orders a service’s endpoints by the topology labels they share with the client (its pod’s augmented labels)', () => {
    const model = modelOf([
      namespace('app'),
      deployment('client', 'app'),
      deployment('web', 'app', { ports: [8080], replicas: 4 }),
      service('web', 'app', [{ name: 'http', port: 80, targetPort: 8080 }]),
      dr(
        'web',
        'app',
        '  host: web\n  trafficPolicy:\n    outlierDetection: {consecutive5xxErrors: 5}\n    loadBalancer:\n      localityLbSetting: {enabled: true, failoverPriority: [topology.kubernetes.io/zone]}\n',
      ),
    ]);
    const client = model.proxies.find((p) => p.workloadName === 'client');
    const zone = client?.locality.split('/')[1];
    const cla = buildProxyConfig(model, client!.id).endpoints.find(
      (e) => e.clusterName === 'outbound|80||web.app.svc.cluster.local',
    );
    expect(cla?.endpoints.length).toBeGreaterThan(1);
    for (const l of cla?.endpoints ?? []) expect(l.priority ?? 0).toBe(l.locality?.zone === zone ? 0 : 1);
    expect(cla?.endpoints.some((l) => l.locality?.zone === zone)).toBe(true);
  });
});
