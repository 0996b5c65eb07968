import { describe, expect, it } from 'vitest';
import { defaultMeshConfig } from '../meshConfig.js';
import { DEFAULT_INJECTION_CONFIG, type InjectionConfig } from './config.js';
import { injectPod, useNativeSidecar } from './inject.js';
import { excludeInboundPort } from './iptablesArgs.js';

type Json = Record<string, unknown>;
const mesh = defaultMeshConfig();

function run(
  annotations: Record<string, string> = {},
  spec: Json = { containers: [{ name: 'app', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
  cfg: Partial<InjectionConfig> = {},
  native = false,
) {
  const c = { ...DEFAULT_INJECTION_CONFIG, ...cfg };
  return injectPod(
    {
      name: 'app-1',
      namespace: 'shop',
      labels: { app: 'app' },
      annotations,
      spec,
      workload: { kind: 'Deployment', apiVersion: 'apps/v1', name: 'app' },
    },
    { mesh, cfg: c, proxyConfig: mesh.defaultConfig, nativeSidecar: native },
  );
}
const containers = (spec: Json, field = 'containers') => (spec[field] ?? []) as Json[];
const init = (spec: Json) => containers(spec, 'initContainers').find((c) => c['name'] === 'istio-init');

describe('istio-init arguments (injection-template.yaml)', () => {
  it('default: -p 15001 -z 15006 -u 1337 -m REDIRECT -i * -x "" -b * -d 15090,15021,15020', () => {
    expect(init(run().spec)?.['args']).toEqual([
      'istio-iptables',
      '-p',
      '15001',
      '-z',
      '15006',
      '-u',
      '1337',
      '-m',
      'REDIRECT',
      '-i',
      '*',
      '-x',
      '',
      '-b',
      '*',
      '-d',
      '15090,15021,15020',
      '--log_output_level=default:info',
    ]);
  });

  it('traffic.sidecar.istio.io annotations fill -i -x -b -d -q -o -k -c', () => {
    const args = init(
      run({
        'traffic.sidecar.istio.io/includeOutboundIPRanges': '10.0.0.0/8',
        'traffic.sidecar.istio.io/excludeOutboundIPRanges': '10.96.0.1/32',
        'traffic.sidecar.istio.io/includeInboundPorts': '8080,9090',
        'traffic.sidecar.istio.io/excludeInboundPorts': '9100',
        'traffic.sidecar.istio.io/includeOutboundPorts': '443',
        'traffic.sidecar.istio.io/excludeOutboundPorts': '3306',
        'traffic.sidecar.istio.io/kubevirtInterfaces': 'net1',
        'traffic.sidecar.istio.io/excludeInterfaces': 'eth1',
        'sidecar.istio.io/agentLogLevel': 'default:debug',
      }).spec,
    )?.['args'];
    expect(args).toEqual([
      'istio-iptables',
      '-p',
      '15001',
      '-z',
      '15006',
      '-u',
      '1337',
      '-m',
      'REDIRECT',
      '-i',
      '10.0.0.0/8',
      '-x',
      '10.96.0.1/32',
      '-b',
      '8080,9090',
      '-d',
      '15090,15021,9100,15020',
      '-q',
      '443',
      '-o',
      '3306',
      '-k',
      'net1',
      '-c',
      'eth1',
      '--log_output_level=default:debug',
    ]);
  });

  it('istio.io/reroute-virtual-interfaces wins over kubevirtInterfaces; status port 0 drops it from -d', () => {
    const args = init(
      run({
        'istio.io/reroute-virtual-interfaces': 'a',
        'traffic.sidecar.istio.io/kubevirtInterfaces': 'b',
        'status.sidecar.istio.io/port': '0',
      }).spec,
    )?.['args'] as string[];
    expect(args.slice(args.indexOf('-d'), args.indexOf('-d') + 2)).toEqual(['-d', '15090,15021']);
    expect(args.slice(args.indexOf('-k'), args.indexOf('-k') + 2)).toEqual(['-k', 'a']);
  });

  it('excludeInboundPort() appends the status port unless present or 0', () => {
    expect([
      excludeInboundPort('15020', ''),
      excludeInboundPort('15020', '80, 81'),
      excludeInboundPort('15020', '15020'),
      excludeInboundPort('0', '80'),
    ]).toEqual(['15020', '80,81,15020', '15020', '80']);
  });

  it('TPROXY keeps -u 1337 and gives the proxy NET_ADMIN as root; NONE has no init container; CNI has istio-validation', () => {
    const t = run({ 'sidecar.istio.io/interceptionMode': 'TPROXY' });
    expect(init(t.spec)?.['args']).toContain('TPROXY');
    expect(containers(t.spec).find((c) => c['name'] === 'istio-proxy')?.['securityContext']).toMatchObject({
      runAsUser: 0,
      runAsGroup: 1337,
      capabilities: { add: ['NET_ADMIN'] },
    });
    expect(run({ 'sidecar.istio.io/interceptionMode': 'NONE' }).spec['initContainers']).toBeUndefined();
    expect(containers(run({}, undefined, { cniEnabled: true }).spec, 'initContainers').map((c) => c['name'])).toEqual([
      'istio-validation',
    ]);
  });
});

describe('injectPod()', () => {
  it('classic: app containers first, istio-proxy last (uid 1337, 15090 http-envoy-prom, readiness on 15021); istio-init last of the init containers', () => {
    const out = run(
      {},
      { initContainers: [{ name: 'migrate', image: 'm' }], containers: [{ name: 'app', image: 'nginx' }] },
    );
    expect(containers(out.spec).map((c) => c['name'])).toEqual(['app', 'istio-proxy']);
    expect(containers(out.spec, 'initContainers').map((c) => c['name'])).toEqual(['migrate', 'istio-init']);
    const proxy = containers(out.spec)[1] as Json;
    expect(proxy['securityContext']).toMatchObject({ runAsUser: 1337, runAsGroup: 1337, runAsNonRoot: true });
    expect(proxy['ports']).toEqual([{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }]);
    expect(proxy['readinessProbe']).toMatchObject({ httpGet: { path: '/healthz/ready', port: 15021 } });
    expect(out.labels).toMatchObject({
      'security.istio.io/tlsMode': 'istio',
      'service.istio.io/canonical-name': 'app',
      'service.istio.io/canonical-revision': 'latest',
    });
  });

  it('native sidecars: istio-init, then istio-proxy (restartPolicy Always) first among init containers', () => {
    const out = run(
      {},
      { initContainers: [{ name: 'migrate', image: 'm' }], containers: [{ name: 'app', image: 'nginx' }] },
      {},
      true,
    );
    expect(containers(out.spec, 'initContainers').map((c) => [c['name'], c['restartPolicy']])).toEqual([
      ['istio-init', undefined],
      ['istio-proxy', 'Always'],
      ['migrate', undefined],
    ]);
    expect(containers(out.spec).map((c) => c['name'])).toEqual(['app']);
  });

  it('holdApplicationUntilProxyStarts puts the proxy first with a postStart wait', () => {
    const out = run({}, undefined, {
      proxy: { ...DEFAULT_INJECTION_CONFIG.proxy, holdApplicationUntilProxyStarts: true },
    });
    expect(containers(out.spec).map((c) => c['name'])).toEqual(['istio-proxy', 'app']);
    expect(containers(out.spec)[0]?.['lifecycle']).toEqual({
      postStart: { exec: { command: ['pilot-agent', 'wait'] } },
    });
  });

  it('rewrites app probes to the agent (/app-health/<container>/readyz on 15020) and keeps the originals in ISTIO_KUBE_APP_PROBERS', () => {
    const out = run(
      {},
      {
        containers: [
          {
            name: 'app',
            image: 'nginx',
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/ready', port: 'http' }, timeoutSeconds: 2 },
            livenessProbe: { tcpSocket: { port: 8080 } },
          },
        ],
      },
    );
    const app = containers(out.spec)[0] as Json;
    expect(app['readinessProbe']).toEqual({
      httpGet: { path: '/app-health/app/readyz', port: 15020 },
      timeoutSeconds: 2,
    });
    expect(app['livenessProbe']).toEqual({ httpGet: { path: '/app-health/app/livez', port: 15020 } });
    const env = (containers(out.spec)[1]?.['env'] as { name: string; value?: string }[]).find(
      (e) => e.name === 'ISTIO_KUBE_APP_PROBERS',
    );
    expect(JSON.parse(env?.value ?? '{}')).toEqual({
      '/app-health/app/readyz': { httpGet: { path: '/ready', port: 8080 }, timeoutSeconds: 2 },
      '/app-health/app/livez': { tcpSocket: { port: 8080 } },
    });
  });

  it('merges Prometheus scraping through the agent (port 15020, /stats/prometheus)', () => {
    const out = run({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '80' });
    expect(out.annotations).toMatchObject({
      'prometheus.io/port': '15020',
      'prometheus.io/path': '/stats/prometheus',
      'prometheus.io/scrape': 'true',
    });
    const env = (containers(out.spec)[1]?.['env'] as { name: string; value?: string }[]).find(
      (e) => e.name === 'ISTIO_PROMETHEUS_ANNOTATIONS',
    );
    expect(env?.value).toBe('{"scrape":"true","path":"","port":"80"}');
    expect(run({ 'prometheus.io/scrape': 'false' }).annotations['prometheus.io/port']).toBeUndefined();
  });

  it('the gateway template runs `proxy router` without capture; an unknown template fails', () => {
    const gw = run(
      { 'inject.istio.io/templates': 'gateway' },
      { containers: [{ name: 'istio-proxy', image: 'auto' }] },
    );
    expect(containers(gw.spec).map((c) => [c['name'], (c['args'] as string[])[1], c['image']])).toEqual([
      ['istio-proxy', 'router', 'docker.io/istio/proxyv2:1.29.2'],
    ]);
    expect(gw.spec['initContainers']).toBeUndefined();
    expect(() => run({ 'inject.istio.io/templates': 'nope' })).toThrow(/requested template "nope" not found/);
  });

  it('useNativeSidecar(): the annotation, else ENABLE_NATIVE_SIDECARS (auto: every kubelet ≥ 1.33)', () => {
    expect(useNativeSidecar({}, DEFAULT_INJECTION_CONFIG, ['v1.33.1', 'v1.34.0'])).toBe(true);
    expect(useNativeSidecar({}, DEFAULT_INJECTION_CONFIG, ['v1.33.1', 'v1.32.5'])).toBe(false);
    expect(useNativeSidecar({ 'sidecar.istio.io/nativeSidecar': 'true' }, DEFAULT_INJECTION_CONFIG, ['v1.30.0'])).toBe(
      true,
    );
    expect(useNativeSidecar({}, { ...DEFAULT_INJECTION_CONFIG, nativeSidecars: 'false' }, ['v1.34.0'])).toBe(false);
  });
});
