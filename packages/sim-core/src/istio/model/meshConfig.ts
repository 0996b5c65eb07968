/**
 * MeshConfig as istiod reads it: `pkg/config/mesh/mesh.go` `DefaultMeshConfig()` overlaid with the `mesh` key
 * of the `istio` ConfigMap in the Istio namespace (`ApplyMeshConfig`: every field given replaces the default,
 * except `defaultConfig`, which is merged field by field with `proxyMetadata` merged key by key, and
 * `extensionProviders`, merged by name). Per-proxy overrides come from the `proxy.istio.io/config` pod
 * annotation (`MergeProxyConfig`). Durations are parsed to integer microseconds; the merged raw JSON is kept
 * for fields meshsim does not interpret.
 */
import { parse as parseYaml } from 'yaml';
import { parseDuration, type Duration } from '../../engine/time.js';
import { ConfigError } from '../../errors.js';
import { asBoolean, asNumber, asRecord, asString, asStrings } from '../../k8s/json.js';
import type { KubeObject } from '../../k8s/object.js';

/** `meshconfig.ProxyConfig`, the fields meshsim interprets. */
export interface ProxyConfig {
  /** Envoy worker threads; unset means "from the proxy's CPU limit" (see `proxyConcurrency`). */
  readonly concurrency?: number;
  /** @defaultValue `'REDIRECT'` */
  readonly interceptionMode: 'REDIRECT' | 'TPROXY' | 'NONE';
  /** Environment for the agent; `ISTIO_META_*` keys become proxy metadata (e.g. `ISTIO_META_DNS_CAPTURE`). */
  readonly proxyMetadata: Readonly<Record<string, string>>;
  /** @defaultValue 15020 */
  readonly statusPort: number;
  /** @defaultValue 15000 */
  readonly proxyAdminPort: number;
  readonly holdApplicationUntilProxyStarts: boolean;
  /** @defaultValue 45 s */
  readonly drainDuration: Duration;
  /** @defaultValue `'istiod.istio-system.svc:15012'` */
  readonly discoveryAddress: string;
  /** The merged ProxyConfig as JSON (`protoToJSON`), for everything else. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** `meshconfig.MeshConfig`, the fields that change what meshsim simulates. */
export interface MeshConfig {
  /** @defaultValue `ALLOW_ANY` */
  readonly outboundTrafficPolicy: { readonly mode: 'ALLOW_ANY' | 'REGISTRY_ONLY' | 'ALLOW_ANY_DYNAMIC_DNS' };
  /** @defaultValue `PASSTHROUGH` */
  readonly inboundTrafficPolicy: { readonly mode: 'PASSTHROUGH' | 'LOCALHOST' };
  /** @defaultValue `'istio-system'` */
  readonly rootNamespace: string;
  /** @defaultValue `'cluster.local'` */
  readonly trustDomain: string;
  /** @defaultValue true */
  readonly enableAutoMtls: boolean;
  /** @defaultValue 15001 */
  readonly proxyListenPort: number;
  /** @defaultValue 15006 */
  readonly proxyInboundListenPort: number;
  /** @defaultValue 10 s */
  readonly connectTimeout: Duration;
  /** @defaultValue 0 (no timeout: server-first protocols are safe) */
  readonly protocolDetectionTimeout: Duration;
  /** @defaultValue 60 s */
  readonly dnsRefreshRate: Duration;
  /** @defaultValue `['*']` */
  readonly defaultServiceExportTo: readonly string[];
  /** @defaultValue `['*']` */
  readonly defaultVirtualServiceExportTo: readonly string[];
  /** @defaultValue `['*']` */
  readonly defaultDestinationRuleExportTo: readonly string[];
  /** `localityLbSetting`; @defaultValue `{ enabled: true }` */
  readonly localityLbSetting: Readonly<Record<string, unknown>>;
  /** Retry policy for routes without `retries`; unset means Istio's built-in default (2 attempts). */
  readonly defaultHttpRetryPolicy?: Readonly<Record<string, unknown>>;
  /** Traffic policy applied where DestinationRules leave fields unset. */
  readonly defaultTrafficPolicy?: Readonly<Record<string, unknown>>;
  /** `UPGRADE` turns HTTP/1.1 upstream connections into HTTP/2; @defaultValue unset (DO_NOT_UPGRADE) */
  readonly h2UpgradePolicy?: string;
  /** @defaultValue `'istio-ingressgateway'` */
  readonly ingressService: string;
  /** @defaultValue true */
  readonly enablePrometheusMerge: boolean;
  /** @defaultValue `''` (access logging off) */
  readonly accessLogFile: string;
  readonly defaultConfig: ProxyConfig;
  /** The merged MeshConfig as JSON, for everything else. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** `DefaultProxyConfig()` as JSON. */
const DEFAULT_PROXY_CONFIG: Readonly<Record<string, unknown>> = {
  configPath: './etc/istio/proxy',
  serviceCluster: 'istio-proxy',
  drainDuration: '45s',
  terminationDrainDuration: '5s',
  proxyAdminPort: 15000,
  controlPlaneAuthPolicy: 'MUTUAL_TLS',
  discoveryAddress: 'istiod.istio-system.svc:15012',
  binaryPath: '/usr/local/bin/envoy',
  statNameLength: 189,
  statusPort: 15020,
};

/** `DefaultMeshConfig()` as JSON (without `defaultConfig`). */
const DEFAULT_MESH_CONFIG: Readonly<Record<string, unknown>> = {
  enableTracing: true,
  accessLogFile: '',
  accessLogEncoding: 'TEXT',
  accessLogFormat: '',
  enableEnvoyAccessLogService: false,
  protocolDetectionTimeout: '0s',
  ingressService: 'istio-ingressgateway',
  ingressControllerMode: 'STRICT',
  ingressClass: 'istio',
  trustDomain: 'cluster.local',
  trustDomainAliases: [],
  enableAutoMtls: true,
  outboundTrafficPolicy: { mode: 'ALLOW_ANY' },
  inboundTrafficPolicy: { mode: 'PASSTHROUGH' },
  localityLbSetting: { enabled: true },
  certificates: [],
  rootNamespace: 'istio-system',
  proxyListenPort: 15001,
  proxyInboundListenPort: 15006,
  connectTimeout: '10s',
  defaultServiceExportTo: ['*'],
  defaultVirtualServiceExportTo: ['*'],
  defaultDestinationRuleExportTo: ['*'],
  dnsRefreshRate: '60s',
  serviceSettings: [],
  enablePrometheusMerge: true,
  defaultProviders: {},
  extensionProviders: [
    { name: 'prometheus', prometheus: {} },
    { name: 'stackdriver', stackdriver: {} },
    { name: 'envoy', envoyFileAccessLog: { path: '/dev/stdout' } },
  ],
};

/** The name of the ConfigMap istiod reads MeshConfig from (`istio`, or `istio-<revision>`). */
export const MESH_CONFIGMAP = 'istio';

/** Istio's MeshConfig with nothing overridden. */
export function defaultMeshConfig(): MeshConfig {
  return toMeshConfig({ ...DEFAULT_MESH_CONFIG, defaultConfig: { ...DEFAULT_PROXY_CONFIG } });
}

/**
 * MeshConfig from the `istio` ConfigMap in `istioNamespace` among `objects` (defaults when there is none),
 * then `overrides` (a MeshConfig fragment, as the `mesh` YAML would give it) on top.
 */
export function meshConfigFromObjects(
  objects: readonly KubeObject[],
  istioNamespace = 'istio-system',
  overrides?: Readonly<Record<string, unknown>>,
): MeshConfig {
  const cm = objects.find(
    (o) => o.kind === 'ConfigMap' && o.metadata.name === MESH_CONFIGMAP && o.metadata.namespace === istioNamespace,
  );
  let raw: Record<string, unknown> = { ...DEFAULT_MESH_CONFIG, defaultConfig: { ...DEFAULT_PROXY_CONFIG } };
  const text = cm?.data?.['mesh'];
  if (cm !== undefined && text !== undefined) {
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (error) {
      throw new ConfigError(`invalid mesh config: ${error instanceof Error ? error.message : String(error)}`, {
        file: cm.source.file,
        line: cm.source.lineOf(['data', 'mesh']),
        kind: 'ConfigMap',
        object: `${istioNamespace}/${MESH_CONFIGMAP}`,
        field: 'data.mesh',
      });
    }
    raw = applyMeshConfig(raw, asRecord(parsed) ?? {});
  }
  if (overrides !== undefined) raw = applyMeshConfig(raw, overrides);
  return toMeshConfig(raw, cm);
}

/** `mesh.ApplyMeshConfig`: fields replace, `defaultConfig` merges, `extensionProviders` merge by name. */
export function applyMeshConfig(
  base: Readonly<Record<string, unknown>>,
  patch: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'defaultConfig')
      out[key] = mergeProxyConfig(asRecord(base[key]) ?? DEFAULT_PROXY_CONFIG, asRecord(value) ?? {});
    else if (key === 'extensionProviders' && Array.isArray(value)) {
      const merged = [...(Array.isArray(base[key]) ? (base[key] as unknown[]) : [])];
      for (const p of value) {
        const name = asString(asRecord(p)?.['name']);
        const i = merged.findIndex((e) => asString(asRecord(e)?.['name']) === name);
        if (i >= 0) merged[i] = p;
        else merged.push(p);
      }
      out[key] = merged;
    } else out[key] = value;
  }
  return out;
}

/** `mesh.MergeProxyConfig`: fields replace, `proxyMetadata` merges key by key. */
export function mergeProxyConfig(
  base: Readonly<Record<string, unknown>>,
  patch: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base, ...patch };
  if (patch['proxyMetadata'] !== undefined) {
    out['proxyMetadata'] = { ...(asRecord(base['proxyMetadata']) ?? {}), ...(asRecord(patch['proxyMetadata']) ?? {}) };
  }
  return out;
}

/** The ProxyConfig of one proxy: the mesh default with the pod's `proxy.istio.io/config` annotation merged in. */
export function proxyConfigFor(
  mesh: MeshConfig,
  annotations: Readonly<Record<string, string>> | undefined,
): ProxyConfig {
  const text = annotations?.['proxy.istio.io/config'];
  if (text === undefined) return mesh.defaultConfig;
  let patch: unknown;
  try {
    patch = parseYaml(text);
  } catch {
    return mesh.defaultConfig; // istiod logs and ignores an unparsable annotation
  }
  return toProxyConfig(mergeProxyConfig(mesh.defaultConfig.raw, asRecord(patch) ?? {}));
}

function toMeshConfig(raw: Readonly<Record<string, unknown>>, cm?: KubeObject): MeshConfig {
  const dur = (field: string, fallback: string): Duration => {
    const v = asString(raw[field]) ?? fallback;
    return parseDuration(
      v,
      cm
        ? {
            file: cm.source.file,
            line: cm.source.lineOf(['data', 'mesh']),
            kind: 'ConfigMap',
            object: `${cm.metadata.namespace}/${cm.metadata.name}`,
            field: `data.mesh: ${field}`,
          }
        : {},
    );
  };
  const enumOf = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
    allowed.includes(value as T) ? (value as T) : fallback;
  return {
    outboundTrafficPolicy: {
      mode: enumOf(
        asRecord(raw['outboundTrafficPolicy'])?.['mode'],
        ['ALLOW_ANY', 'REGISTRY_ONLY', 'ALLOW_ANY_DYNAMIC_DNS'] as const,
        'ALLOW_ANY',
      ),
    },
    inboundTrafficPolicy: {
      mode: enumOf(
        asRecord(raw['inboundTrafficPolicy'])?.['mode'],
        ['PASSTHROUGH', 'LOCALHOST'] as const,
        'PASSTHROUGH',
      ),
    },
    rootNamespace: asString(raw['rootNamespace']) || 'istio-system',
    trustDomain: asString(raw['trustDomain']) || 'cluster.local',
    enableAutoMtls: asBoolean(raw['enableAutoMtls']) ?? true,
    proxyListenPort: asNumber(raw['proxyListenPort']) || 15001,
    proxyInboundListenPort: asNumber(raw['proxyInboundListenPort']) || 15006,
    connectTimeout: dur('connectTimeout', '10s'),
    protocolDetectionTimeout: dur('protocolDetectionTimeout', '0s'),
    dnsRefreshRate: dur('dnsRefreshRate', '60s'),
    defaultServiceExportTo: asStrings(raw['defaultServiceExportTo']).length
      ? asStrings(raw['defaultServiceExportTo'])
      : ['*'],
    defaultVirtualServiceExportTo: asStrings(raw['defaultVirtualServiceExportTo']).length
      ? asStrings(raw['defaultVirtualServiceExportTo'])
      : ['*'],
    defaultDestinationRuleExportTo: asStrings(raw['defaultDestinationRuleExportTo']).length
      ? asStrings(raw['defaultDestinationRuleExportTo'])
      : ['*'],
    localityLbSetting: asRecord(raw['localityLbSetting']) ?? {},
    ...(asRecord(raw['defaultHttpRetryPolicy'])
      ? { defaultHttpRetryPolicy: asRecord(raw['defaultHttpRetryPolicy']) as Record<string, unknown> }
      : {}),
    ...(asRecord(raw['defaultTrafficPolicy'])
      ? { defaultTrafficPolicy: asRecord(raw['defaultTrafficPolicy']) as Record<string, unknown> }
      : {}),
    ...(asString(raw['h2UpgradePolicy']) ? { h2UpgradePolicy: asString(raw['h2UpgradePolicy']) as string } : {}),
    ingressService: asString(raw['ingressService']) ?? 'istio-ingressgateway',
    enablePrometheusMerge: asBoolean(raw['enablePrometheusMerge']) ?? true,
    accessLogFile: asString(raw['accessLogFile']) ?? '',
    defaultConfig: toProxyConfig(asRecord(raw['defaultConfig']) ?? DEFAULT_PROXY_CONFIG),
    raw,
  };
}

function toProxyConfig(raw: Readonly<Record<string, unknown>>): ProxyConfig {
  const concurrency = asNumber(raw['concurrency']);
  const mode = asString(raw['interceptionMode']);
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(raw['proxyMetadata']) ?? {})) if (typeof v === 'string') metadata[k] = v;
  let drain: Duration = 45_000_000;
  try {
    drain = parseDuration(asString(raw['drainDuration']) ?? '45s');
  } catch {
    // validation reports it
  }
  return {
    ...(concurrency !== undefined ? { concurrency } : {}),
    interceptionMode: mode === 'TPROXY' || mode === 'NONE' ? mode : 'REDIRECT',
    proxyMetadata: metadata,
    statusPort: asNumber(raw['statusPort']) ?? 15020,
    proxyAdminPort: asNumber(raw['proxyAdminPort']) ?? 15000,
    holdApplicationUntilProxyStarts: asBoolean(raw['holdApplicationUntilProxyStarts']) ?? false,
    drainDuration: drain,
    discoveryAddress: asString(raw['discoveryAddress']) ?? 'istiod.istio-system.svc:15012',
    raw,
  };
}

/** True when the proxy's metadata turns DNS capture on (`ISTIO_META_DNS_CAPTURE=true`). */
export function dnsCaptureEnabled(pc: ProxyConfig): boolean {
  return pc.proxyMetadata['ISTIO_META_DNS_CAPTURE'] === 'true';
}

/**
 * Envoy worker threads of a proxy (pilot-agent `ConstructProxyConfig`): `concurrency` when set, else the
 * proxy container's CPU limit rounded up (Istio's default limit is 2000m → 2); 0 means one per host core.
 */
export function proxyConcurrency(pc: ProxyConfig, cpuLimitCores: number | undefined): number {
  if (pc.concurrency !== undefined) return pc.concurrency;
  return cpuLimitCores !== undefined && cpuLimitCores > 0 ? Math.ceil(cpuLimitCores) : 0;
}
