/**
 * The injector's configuration: the `istio-sidecar-injector` ConfigMap istiod mounts (`config`: policy and
 * selectors; `values`: the Helm values the templates read), with the defaults of Istio 1.29's
 * `manifests/charts/istio-control/istio-discovery/values.yaml` and of a release build (images
 * `docker.io/istio/proxyv2:1.29.2`).
 */
import { parse as parseYaml } from 'yaml';
import { asArray, asBoolean, asNumber, asRecord, asString } from '../../../k8s/json.js';
import { readLabelSelector, type LabelSelector } from '../../../k8s/labels.js';
import type { KubeObject } from '../../../k8s/object.js';

/** `global.proxy` values the templates read. */
export interface ProxyValues {
  readonly image: string;
  readonly includeIPRanges: string;
  readonly excludeIPRanges: string;
  readonly includeInboundPorts: string;
  readonly excludeInboundPorts: string;
  readonly includeOutboundPorts: string;
  readonly excludeOutboundPorts: string;
  readonly statusPort: number;
  readonly logLevel: string;
  readonly componentLogLevel: string;
  readonly clusterDomain: string;
  readonly privileged: boolean;
  readonly readinessInitialDelaySeconds: number;
  readonly readinessPeriodSeconds: number;
  readonly readinessFailureThreshold: number;
  readonly startupProbe: { readonly enabled: boolean; readonly failureThreshold: number };
  readonly resources: Readonly<Record<string, unknown>>;
  readonly holdApplicationUntilProxyStarts: boolean;
}

/** The injector's policy, selectors and values. */
export interface InjectionConfig {
  /** The revision this injector serves; `''` is the default revision (webhooks also match `istio.io/rev=default`). */
  readonly revision: string;
  /** `enabled`: inject unless the pod opts out; `disabled`: only pods that opt in. @defaultValue `'enabled'` */
  readonly policy: 'enabled' | 'disabled';
  /** Inject every unlabelled namespace (except system ones). @defaultValue false */
  readonly enableNamespacesByDefault: boolean;
  readonly neverInjectSelector: readonly LabelSelector[];
  readonly alwaysInjectSelector: readonly LabelSelector[];
  /**
   * `ENABLE_NATIVE_SIDECARS` of istiod: `auto` uses Kubernetes native sidecars (istio-proxy as an init
   * container with `restartPolicy: Always`) when every node's kubelet is ≥ 1.33. @defaultValue `'auto'`
   */
  readonly nativeSidecars: 'auto' | 'true' | 'false';
  /** `pilot.cni.enabled`: the CNI plugin sets up iptables; pods get `istio-validation` instead of `istio-init`. */
  readonly cniEnabled: boolean;
  /** `sidecarInjectorWebhook.rewriteAppHTTPProbe`. @defaultValue true */
  readonly rewriteAppHTTPProbe: boolean;
  readonly hub: string;
  readonly tag: string;
  readonly proxyInitImage: string;
  readonly loggingLevel: string;
  readonly istioNamespace: string;
  readonly pilotCertProvider: string;
  readonly clusterName: string;
  readonly network: string;
  readonly meshID: string;
  readonly trustDomain: string;
  readonly proxy: ProxyValues;
}

/** Istio 1.29.2's defaults. */
export const DEFAULT_INJECTION_CONFIG: InjectionConfig = {
  revision: '',
  policy: 'enabled',
  enableNamespacesByDefault: false,
  neverInjectSelector: [],
  alwaysInjectSelector: [],
  nativeSidecars: 'auto',
  cniEnabled: false,
  rewriteAppHTTPProbe: true,
  hub: 'docker.io/istio',
  tag: '1.29.2',
  proxyInitImage: 'proxyv2',
  loggingLevel: 'default:info',
  istioNamespace: 'istio-system',
  pilotCertProvider: 'istiod',
  clusterName: '',
  network: '',
  meshID: '',
  trustDomain: '',
  proxy: {
    image: 'proxyv2',
    includeIPRanges: '*',
    excludeIPRanges: '',
    includeInboundPorts: '*',
    excludeInboundPorts: '',
    includeOutboundPorts: '',
    excludeOutboundPorts: '',
    statusPort: 15020,
    logLevel: 'warning',
    componentLogLevel: 'misc:error',
    clusterDomain: 'cluster.local',
    privileged: false,
    readinessInitialDelaySeconds: 0,
    readinessPeriodSeconds: 15,
    readinessFailureThreshold: 4,
    startupProbe: { enabled: true, failureThreshold: 600 },
    // `2000m`/`1024Mi` in values.yaml; Kubernetes prints quantities canonically.
    resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
    holdApplicationUntilProxyStarts: false,
  },
};

/** The injector ConfigMap's name for a revision. */
export function injectorConfigMapName(revision: string): string {
  return revision === '' || revision === 'default' ? 'istio-sidecar-injector' : `istio-sidecar-injector-${revision}`;
}

/**
 * The injection config: `base` (defaults, or the caller's) overlaid with the `istio-sidecar-injector`
 * ConfigMap of `istioNamespace` when the manifests bring one (`data.config` YAML, `data.values` JSON).
 */
export function injectionConfigFromObjects(
  objects: readonly KubeObject[],
  base: Partial<InjectionConfig> = {},
  istioNamespace = 'istio-system',
): InjectionConfig {
  let cfg: InjectionConfig = {
    ...DEFAULT_INJECTION_CONFIG,
    ...base,
    proxy: { ...DEFAULT_INJECTION_CONFIG.proxy, ...(base.proxy ?? {}) },
  };
  const name = injectorConfigMapName(cfg.revision);
  const cm = objects.find(
    (o) => o.kind === 'ConfigMap' && o.metadata.name === name && o.metadata.namespace === istioNamespace,
  );
  if (cm === undefined) return cfg;
  const config = safeParse(cm.data?.['config']);
  const values = safeParse(cm.data?.['values']);
  const policy = asString(config?.['policy']);
  if (policy === 'enabled' || policy === 'disabled') cfg = { ...cfg, policy };
  const never = asArray(config?.['neverInjectSelector'])
    .map(readLabelSelector)
    .filter((s): s is LabelSelector => s !== undefined);
  const always = asArray(config?.['alwaysInjectSelector'])
    .map(readLabelSelector)
    .filter((s): s is LabelSelector => s !== undefined);
  cfg = { ...cfg, neverInjectSelector: never, alwaysInjectSelector: always };
  const global = asRecord(values?.['global']);
  const proxy = asRecord(global?.['proxy']);
  const webhook = asRecord(values?.['sidecarInjectorWebhook']);
  const str = (v: unknown, d: string): string => asString(v) ?? d;
  return {
    ...cfg,
    enableNamespacesByDefault: asBoolean(webhook?.['enableNamespacesByDefault']) ?? cfg.enableNamespacesByDefault,
    rewriteAppHTTPProbe: asBoolean(webhook?.['rewriteAppHTTPProbe']) ?? cfg.rewriteAppHTTPProbe,
    cniEnabled: asBoolean(asRecord(asRecord(values?.['pilot'])?.['cni'])?.['enabled']) ?? cfg.cniEnabled,
    hub: str(global?.['hub'], cfg.hub),
    tag: str(global?.['tag'], cfg.tag),
    istioNamespace: str(global?.['istioNamespace'], cfg.istioNamespace),
    network: str(global?.['network'], cfg.network),
    meshID: str(global?.['meshID'], cfg.meshID),
    trustDomain: str(global?.['trustDomain'], cfg.trustDomain),
    loggingLevel: str(asRecord(global?.['logging'])?.['level'], cfg.loggingLevel),
    proxy: {
      ...cfg.proxy,
      includeIPRanges: str(proxy?.['includeIPRanges'], cfg.proxy.includeIPRanges),
      excludeIPRanges: str(proxy?.['excludeIPRanges'], cfg.proxy.excludeIPRanges),
      includeInboundPorts: str(proxy?.['includeInboundPorts'], cfg.proxy.includeInboundPorts),
      excludeInboundPorts: str(proxy?.['excludeInboundPorts'], cfg.proxy.excludeInboundPorts),
      includeOutboundPorts: str(proxy?.['includeOutboundPorts'], cfg.proxy.includeOutboundPorts),
      excludeOutboundPorts: str(proxy?.['excludeOutboundPorts'], cfg.proxy.excludeOutboundPorts),
      statusPort: asNumber(proxy?.['statusPort']) ?? cfg.proxy.statusPort,
      holdApplicationUntilProxyStarts:
        asBoolean(proxy?.['holdApplicationUntilProxyStarts']) ?? cfg.proxy.holdApplicationUntilProxyStarts,
    },
  };
}

function safeParse(text: string | undefined): Readonly<Record<string, unknown>> | undefined {
  if (text === undefined) return undefined;
  try {
    return asRecord(parseYaml(text));
  } catch {
    return undefined;
  }
}
