/**
 * Pieces the injection templates share: the proxy container's environment (`ISTIO_META_*`, `PROXY_CONFIG`,
 * the pod's ports), resources, canonical-service labels, and the volumes and mounts every injected pod gets —
 * the latter built once, frozen and shared by all pods rather than copied.
 */
import { deepFreeze } from '../../../k8s/freeze.js';
import { asArray, asRecord, asString } from '../../../k8s/json.js';
import type { Labels } from '../../../k8s/labels.js';
import type { ProxyConfig } from '../meshConfig.js';
import { TRAFFIC_ANNOTATIONS } from './iptablesArgs.js';
import type { TemplateInput } from './templates.js';

type Json = Record<string, unknown>;

/** Names of the pod's own containers (all but `istio-proxy`), in order. */
export function appContainers(t: TemplateInput): string[] {
  return asArray(t.spec['containers'])
    .map((c) => asString(asRecord(c)?.['name']))
    .filter((n): n is string => n !== undefined && n !== 'istio-proxy');
}

/** `canonical-name` and `canonical-revision` defaults (`trunc 63 | trimAll "-_."` on the name). */
export function canonicalLabels(t: TemplateInput): Labels {
  const name = (
    t.labels['service.istio.io/canonical-name'] ||
    t.labels['app.kubernetes.io/name'] ||
    t.labels['app'] ||
    t.deploymentName
  )
    .slice(0, 63)
    .replace(/^[-_.]+|[-_.]+$/g, '');
  const rev =
    t.labels['service.istio.io/canonical-revision'] ||
    t.labels['app.kubernetes.io/version'] ||
    t.labels['version'] ||
    'latest';
  return { 'service.istio.io/canonical-name': name, 'service.istio.io/canonical-revision': rev };
}

/** `istio.io/rev` and the `kubectl.kubernetes.io/default(-logs)-container` annotations both templates add. */
export function commonAnnotations(t: TemplateInput): Record<string, string> {
  const out: Record<string, string> = { 'istio.io/rev': t.cfg.revision || 'default' };
  const apps = appContainers(t);
  if (apps.length >= 1) {
    if (t.annotations['kubectl.kubernetes.io/default-logs-container'] === undefined)
      out['kubectl.kubernetes.io/default-logs-container'] = apps[0] as string;
    if (t.annotations['kubectl.kubernetes.io/default-container'] === undefined)
      out['kubectl.kubernetes.io/default-container'] = apps[0] as string;
  }
  return out;
}

/** `ISTIO_META_POD_PORTS`: the containers' ports as Go's `json.Marshal(ContainerPort)` prints them, one per line. */
function podPortsEnv(t: TemplateInput): string {
  const lines: string[] = [];
  for (const c of asArray(t.spec['containers'])) {
    for (const p of asArray(asRecord(c)?.['ports'])) {
      const r = asRecord(p);
      if (r === undefined) continue;
      const o: Json = {};
      for (const k of ['name', 'hostPort', 'containerPort', 'protocol', 'hostIP'])
        if (r[k] !== undefined && r[k] !== '' && r[k] !== 0) o[k] = r[k];
      lines.push(`    ${lines.length === 0 ? '' : ','}${JSON.stringify(o)}`);
    }
  }
  return ['[', ...lines, ']'].join('\n');
}

/** `protoToJSON(cleanProxyConfig(pc))`: the ProxyConfig without the fields equal to Istio's defaults. */
function proxyConfigJson(pc: ProxyConfig): string {
  const defaults: Json = {
    configPath: './etc/istio/proxy',
    binaryPath: '/usr/local/bin/envoy',
    controlPlaneAuthPolicy: 'MUTUAL_TLS',
    serviceCluster: 'istio-proxy',
    drainDuration: '45s',
    terminationDrainDuration: '5s',
    discoveryAddress: 'istiod.istio-system.svc:15012',
    proxyAdminPort: 15000,
    statNameLength: 189,
    statusPort: 15020,
  };
  const out: Json = {};
  for (const [k, v] of Object.entries(pc.raw)) if (JSON.stringify(defaults[k]) !== JSON.stringify(v)) out[k] = v;
  return `${JSON.stringify(out)}\n`;
}

// Entries every injected pod shares: built once, frozen, never copied.
const SHARED = new Map<string, Json>();
function shared(key: string, make: () => Json): Json {
  let v = SHARED.get(key);
  if (v === undefined) {
    v = deepFreeze(make());
    SHARED.set(key, v);
  }
  return v;
}

function fieldRef(name: string, path: string): Json {
  return shared(`f/${name}/${path}`, () => ({ name, valueFrom: { fieldRef: { fieldPath: path } } }));
}

function resourceRef(name: string, resource: string): Json {
  return shared(`r/${name}/${resource}`, () => ({ name, valueFrom: { resourceFieldRef: { resource, divisor: '1' } } }));
}

/** The `istio-proxy` container's environment, in the template's order (`sidecar` or `gateway` variant). */
export function proxyEnv(t: TemplateInput, kind: 'sidecar' | 'gateway'): Json[] {
  const cfg = t.cfg;
  const env: Json[] = [
    { name: 'PILOT_CERT_PROVIDER', value: cfg.pilotCertProvider },
    { name: 'CA_ADDR', value: `istiod${cfg.revision ? `-${cfg.revision}` : ''}.${cfg.istioNamespace}.svc:15012` },
    fieldRef('POD_NAME', 'metadata.name'),
    fieldRef('POD_NAMESPACE', 'metadata.namespace'),
    fieldRef('INSTANCE_IP', 'status.podIP'),
    fieldRef('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
    fieldRef('HOST_IP', 'status.hostIP'),
    resourceRef('ISTIO_CPU_LIMIT', 'limits.cpu'),
    { name: 'PROXY_CONFIG', value: proxyConfigJson(t.proxyConfig) },
    { name: 'ISTIO_META_POD_PORTS', value: podPortsEnv(t) },
  ];
  if (kind === 'sidecar') env.push({ name: 'ISTIO_META_APP_CONTAINERS', value: appContainers(t).join(',') });
  env.push(resourceRef('GOMEMLIMIT', 'limits.memory'), resourceRef('GOMAXPROCS', 'limits.cpu'));
  if (kind === 'gateway') env.push({ name: 'ISTIO_META_APP_CONTAINERS', value: appContainers(t).join(',') });
  env.push(
    { name: 'ISTIO_META_CLUSTER_ID', value: cfg.clusterName || 'Kubernetes' },
    fieldRef('ISTIO_META_NODE_NAME', 'spec.nodeName'),
    {
      name: 'ISTIO_META_INTERCEPTION_MODE',
      value:
        kind === 'sidecar'
          ? t.annotations[TRAFFIC_ANNOTATIONS.interceptionMode] || t.proxyConfig.interceptionMode
          : t.proxyConfig.interceptionMode,
    },
  );
  if (cfg.network !== '') env.push({ name: 'ISTIO_META_NETWORK', value: cfg.network });
  const workloadName =
    kind === 'sidecar' ? t.labels['service.istio.io/workload-name'] || t.deploymentName : t.deploymentName;
  if (workloadName) env.push({ name: 'ISTIO_META_WORKLOAD_NAME', value: workloadName });
  if (t.typeMeta.apiVersion && t.deploymentName) {
    env.push({
      name: 'ISTIO_META_OWNER',
      value: `kubernetes://apis/${t.typeMeta.apiVersion}/namespaces/${t.namespace || 'default'}/${t.typeMeta.kind.toLowerCase()}s/${t.deploymentName}`,
    });
  }
  const trustDomain = t.mesh.trustDomain || cfg.trustDomain;
  if (cfg.meshID) env.push({ name: 'ISTIO_META_MESH_ID', value: cfg.meshID });
  else if (trustDomain) env.push({ name: 'ISTIO_META_MESH_ID', value: trustDomain });
  if (trustDomain) env.push({ name: 'TRUST_DOMAIN', value: trustDomain });
  for (const [k, v] of Object.entries(t.proxyConfig.proxyMetadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    env.push({ name: k, value: v });
  return env;
}

/** The `resources` block: the proxyCPU/proxyMemory annotations, else `global.proxy.resources`. */
export function resources(t: TemplateInput): Json {
  const a = t.annotations;
  const keys = [
    'sidecar.istio.io/proxyCPU',
    'sidecar.istio.io/proxyMemory',
    'sidecar.istio.io/proxyCPULimit',
    'sidecar.istio.io/proxyMemoryLimit',
  ];
  if (!keys.some((k) => a[k] !== undefined)) return JSON.parse(JSON.stringify(t.cfg.proxy.resources)) as Json;
  const out: Json = {};
  const requests: Json = {};
  const limits: Json = {};
  if (a['sidecar.istio.io/proxyCPU'] !== undefined) requests['cpu'] = a['sidecar.istio.io/proxyCPU'];
  if (a['sidecar.istio.io/proxyMemory'] !== undefined) requests['memory'] = a['sidecar.istio.io/proxyMemory'];
  if (a['sidecar.istio.io/proxyCPULimit'] !== undefined) limits['cpu'] = a['sidecar.istio.io/proxyCPULimit'];
  if (a['sidecar.istio.io/proxyMemoryLimit'] !== undefined) limits['memory'] = a['sidecar.istio.io/proxyMemoryLimit'];
  if (Object.keys(requests).length) out['requests'] = requests;
  if (Object.keys(limits).length) out['limits'] = limits;
  return out;
}

/** The proxy's volume mounts (sidecar template; the gateway template omits the CRL mount). */
export const VOLUME_MOUNTS: readonly Json[] = deepFreeze([
  { name: 'workload-socket', mountPath: '/var/run/secrets/workload-spiffe-uds' },
  { name: 'credential-socket', mountPath: '/var/run/secrets/credential-uds' },
  { name: 'workload-certs', mountPath: '/var/run/secrets/workload-spiffe-credentials' },
  { mountPath: '/var/run/secrets/istio', name: 'istiod-ca-cert' },
  { mountPath: '/var/run/secrets/istio/crl', name: 'istio-ca-crl' },
  { mountPath: '/var/lib/istio/data', name: 'istio-data' },
  { mountPath: '/etc/istio/proxy', name: 'istio-envoy' },
  { mountPath: '/var/run/secrets/tokens', name: 'istio-token' },
  { name: 'istio-podinfo', mountPath: '/etc/istio/pod' },
]);

/**
 * The pod volumes the sidecar template adds. The template writes `- emptyDir:` (null) for the first three, so
 * the pod spec carries just their names.
 */
export const VOLUMES: readonly Json[] = deepFreeze([
  { name: 'workload-socket' },
  { name: 'credential-socket' },
  { name: 'workload-certs' },
  { emptyDir: { medium: 'Memory' }, name: 'istio-envoy' },
  { name: 'istio-data', emptyDir: {} },
  {
    name: 'istio-podinfo',
    downwardAPI: {
      items: [
        { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
        { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
      ],
    },
  },
  {
    name: 'istio-token',
    projected: {
      sources: [{ serviceAccountToken: { path: 'istio-token', expirationSeconds: 43200, audience: 'istio-ca' } }],
    },
  },
  { name: 'istiod-ca-cert', configMap: { name: 'istio-ca-root-cert' } },
  { name: 'istio-ca-crl', configMap: { name: 'istio-ca-crl', optional: true } },
]);
