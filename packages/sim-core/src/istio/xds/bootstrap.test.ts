// The bootstrap's static resources against istio/istio@1.29.3 pkg/bootstrap golden files
// (testdata/bootstrap-*.golden.json, see testdata/SOURCE.md), and how istioctl's views show them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBootstrap } from './bootstrap.js';
import { buildProxyConfig } from './buildProxyConfig.js';
import { configDump, endpointSummary, envoyAdminView, listenerSummary, routeSummary } from './istioctl/index.js';
import type { MeshProxy } from '../model/proxy.js';
import { deployment, modelOf, namespace, service } from './testing/manifests.js';

/** proto3 JSON field names: `snake_case` keys to `lowerCamelCase` (type URLs and extension names untouched). */
function camel(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camel);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v))
    out[k.includes('.') ? k : k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = camel(x);
  return out;
}

/** proto3 JSON leaves out empty strings: drop the inline route configurations' empty `name`. */
function withoutEmptyNames(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutEmptyNames);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!(k === 'name' && x === '')) out[k] = withoutEmptyNames(x);
  return out;
}

const golden = (file: string): Record<string, unknown> =>
  camel(JSON.parse(readFileSync(join(import.meta.dirname, 'testdata', file), 'utf8'))) as Record<string, unknown>;

/** A Deployment `web` (one injected pod) whose pod template carries a `proxy.istio.io/config` annotation. */
function pod(annotation: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
      annotations:
        proxy.istio.io/config: ${JSON.stringify(annotation)}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
`;
}

const webProxy = (annotation: string): MeshProxy => {
  const proxy = modelOf([namespace('app'), pod(annotation)]).proxies.find((p) => p.workloadName === 'web');
  if (proxy === undefined) throw new Error('no web proxy');
  return proxy;
};

describe('bootstrap static resources (pkg/bootstrap golden files)', () => {
  it('match default_golden.json: prometheus_stats, agent, sds-grpc, xds-grpc and the 15090/15021 listeners', () => {
    const b = buildBootstrap(webProxy('configPath: /tmp'), { workloadIdentitySocketFile: 'test.sock' });
    const g = golden('bootstrap-default.golden.json');
    expect(withoutEmptyNames(b.staticResources)).toEqual(g['staticResources']);
    expect(b.dynamicResources).toEqual(g['dynamicResources']);
  });

  it('add the zipkin cluster of tracing_zipkin_golden.json when tracing.zipkin is set', () => {
    const b = buildBootstrap(webProxy('tracing: {zipkin: {address: "localhost:6000"}}'));
    const zipkin = b.staticResources.clusters.find((c) => c.name === 'zipkin');
    expect(zipkin).toEqual(golden('bootstrap-zipkin.golden.json')['zipkinCluster']);
    expect(b.staticResources.clusters.map((c) => c.name)).toEqual([
      'prometheus_stats',
      'agent',
      'sds-grpc',
      'xds-grpc',
      'zipkin',
    ]);
  });

  it('follow statsCompression, METRICS_LOCALHOST_ACCESS_ONLY, ISTIO_DELTA_XDS and the ports of ProxyConfig', () => {
    const b = buildBootstrap(
      webProxy(
        'statsCompression: false\nstatusPort: 15999\nproxyAdminPort: 15001\nproxyMetadata: {METRICS_LOCALHOST_ACCESS_ONLY: "true", ISTIO_DELTA_XDS: "false"}',
      ),
    );
    const [prom, ready] = b.staticResources.listeners;
    expect(prom?.name).toBe('127.0.0.1_15090');
    expect(ready?.name).toBe('0.0.0.0_15021');
    const filters = (prom?.filterChains[0]?.filters[0]?.typedConfig as { httpFilters: { name: string }[] }).httpFilters;
    expect(filters.map((f) => f.name)).toEqual(['envoy.filters.http.router']);
    const port = (name: string): number | undefined =>
      b.staticResources.clusters.find((c) => c.name === name)?.loadAssignment?.endpoints[0]?.lbEndpoints[0]?.endpoint
        .address.socketAddress?.portValue;
    expect(port('agent')).toBe(15999);
    expect(port('prometheus_stats')).toBe(15001);
    expect(b.admin.address.socketAddress).toEqual({ address: '127.0.0.1', portValue: 15001 });
    expect(b.dynamicResources.adsConfig.apiType).toBe('GRPC');
  });

  it('name the node as the agent does: id, <app>.<namespace> service cluster, labels without pod-template-hash', () => {
    const proxy = webProxy('configPath: ./etc/istio/proxy');
    const cfg = buildProxyConfig(modelOf([namespace('app'), pod('configPath: ./etc/istio/proxy')]), proxy.id);
    const node = cfg.bootstrap?.node;
    expect(node?.id).toBe(`sidecar~${proxy.ip}~${proxy.name}.app~app.svc.cluster.local`);
    expect(node?.id).toBe(cfg.node.id);
    expect(node?.cluster).toBe('web.app');
    const { ['pod-template-hash']: hash, ...labels } = proxy.labels;
    expect(hash).toBeDefined(); // the model gives Deployment pods their pod-template-hash label
    expect(node?.metadata?.['LABELS']).toEqual(labels);
    expect(labels['app']).toBe('web');
    expect(node?.metadata?.['NAMESPACE']).toBe('app');
    expect(node?.metadata?.['INSTANCE_IPS']).toBe(proxy.ip);
    expect(node?.metadata?.['WORKLOAD_NAME']).toBe('web');
  });
});

describe('what istioctl shows of the bootstrap', () => {
  const model = modelOf([
    namespace('app'),
    deployment('client', 'app'),
    deployment('web', 'app', { ports: [8080] }),
    service('web', 'app', [{ name: 'http', port: 80, targetPort: 8080 }]),
  ]);
  const cfg = buildProxyConfig(model, 'web.app');
  const view = envoyAdminView(cfg);

  it('lists the static listeners with their inline routes', () => {
    const t = listenerSummary(view.listeners);
    expect(t).toMatch(/^0\.0\.0\.0 +15021 +ALL +Inline Route: \/healthz\/ready\*$/m);
    expect(t).toMatch(/^0\.0\.0\.0 +15090 +ALL +Inline Route: \/stats\/prometheus\*$/m);
  });

  it('lists every inline route configuration, once per connection manager, after the RDS ones', () => {
    const inbound = view.staticRouteConfigs.filter((r) => r.name === 'inbound|8080||');
    // virtualInbound has an mTLS and a plaintext HTTP chain for the port (PERMISSIVE), each with its own HCM.
    expect(inbound).toHaveLength(2);
    expect(view.routes.slice(0, cfg.routes.length)).toEqual(cfg.routes);
    const t = routeSummary(view.routes);
    // Named by the workload port, its virtual host by the service port (listener_inbound.go).
    expect(t).toMatch(/^inbound\|8080\|\| +inbound\|http\|80 +\* +\/\*/m);
    expect(t).toMatch(/^ +backend +\* +\/healthz\/ready\*/m);
  });

  it('reports the Unix-socket hosts as unix://<path> and every host without an EDS health status as HEALTHY', () => {
    const t = endpointSummary(view.hosts);
    expect(t).toMatch(/^unix:\/\/\.\/etc\/istio\/proxy\/XDS +HEALTHY +OK +xds-grpc$/m);
    expect(t).toMatch(/^unix:\/\/\.\/var\/run\/secrets\/workload-spiffe-uds\/socket +HEALTHY +OK +sds-grpc$/m);
    expect(t).toMatch(/^127\.0\.0\.1:15020 +HEALTHY +OK +agent$/m);
  });

  it('dumps the bootstrap first and static resources beside the dynamic ones, in Envoy’s section order', () => {
    const dump = configDump(cfg) as { configs: Record<string, unknown>[] };
    expect(dump.configs.map((c) => (c['@type'] as string).split('.').at(-1))).toEqual([
      'BootstrapConfigDump',
      'ClustersConfigDump',
      'EndpointsConfigDump',
      'ListenersConfigDump',
      'RoutesConfigDump',
    ]);
    const clusters = dump.configs[1] as { staticClusters: unknown[]; dynamicActiveClusters: unknown[] };
    expect(clusters.staticClusters).toHaveLength(4);
    expect(clusters.dynamicActiveClusters).toHaveLength(cfg.clusters.length);
  });

  it('is not counted in the xDS size', () => {
    expect(cfg.size.listeners).toBe(cfg.listeners.length);
    expect(cfg.size.clusters).toBe(cfg.clusters.length);
  });
});
