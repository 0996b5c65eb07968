/**
 * Injecting a pod (`pkg/kube/inject/webhook.go` `injectPod`): select the templates
 * (`inject.istio.io/templates`, default `sidecar`), render them, merge them onto the pod — the template wins,
 * except that fields of a user-written `istio-proxy` container are re-applied on top
 * (`reapplyOverwrittenContainers`; `image: auto` takes the injected image) — then `postProcessPod`:
 * Prometheus metrics merging, application probe rewriting, the `sidecar.istio.io/status` annotation and
 * container ordering (proxy last, `istio-init` last among init containers; with native sidecars
 * `istio-init`, then `istio-proxy`, first).
 */
import { asArray, asRecord, asString } from '../../../k8s/json.js';
import type { Labels } from '../../../k8s/labels.js';
import type { MeshConfig, ProxyConfig } from '../meshConfig.js';
import type { InjectionConfig } from './config.js';
import { dumpAppProbers, rewriteProbes } from './probes.js';
import { gatewayTemplate, sidecarTemplate, type TemplateInput, type TemplatePod } from './templates.js';

type Json = Record<string, unknown>;

/** A pod before injection. */
export interface InjectablePod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly spec: Readonly<Json>;
  /** The owning workload (`DeploymentMeta` / `TypeMeta` of the template). */
  readonly workload: { readonly kind: string; readonly apiVersion: string; readonly name: string };
}

/** The injected pod's metadata and spec. */
export interface InjectedPod {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly spec: Json;
}

/** Templates this injector knows. */
export const KNOWN_TEMPLATES = ['sidecar', 'gateway'] as const;

/** The templates a pod asks for (`selectTemplates`): `inject.istio.io/templates`, else `sidecar`. */
export function selectTemplates(annotations: Labels): string[] {
  const a = annotations['inject.istio.io/templates'];
  if (a === undefined || a.trim() === '') return ['sidecar'];
  return a
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Whether the proxy becomes a Kubernetes native sidecar: the pod's `sidecar.istio.io/nativeSidecar`
 * annotation, else `ENABLE_NATIVE_SIDECARS` (`auto`: every node's kubelet ≥ 1.33, `DetectNativeSidecar`).
 */
export function useNativeSidecar(
  annotations: Labels,
  cfg: InjectionConfig,
  kubeletVersions: readonly string[],
): boolean {
  const a = annotations['sidecar.istio.io/nativeSidecar'];
  if (a === 'true') return true;
  if (a === 'false') return false;
  if (cfg.nativeSidecars === 'true') return true;
  if (cfg.nativeSidecars === 'false') return false;
  return kubeletVersions.length > 0 && kubeletVersions.every((v) => Number(/^v?\d+\.(\d+)/.exec(v)?.[1] ?? '0') >= 33);
}

/** Injects `pod`. Throws `Error` naming an unknown template (the webhook rejects such a pod). */
export function injectPod(
  pod: InjectablePod,
  ctx: { mesh: MeshConfig; cfg: InjectionConfig; proxyConfig: ProxyConfig; nativeSidecar: boolean },
): InjectedPod {
  const input: TemplateInput = {
    name: pod.name,
    namespace: pod.namespace,
    labels: pod.labels,
    annotations: pod.annotations,
    spec: pod.spec,
    deploymentName: pod.workload.name,
    typeMeta: { kind: pod.workload.kind, apiVersion: pod.workload.apiVersion },
    proxyConfig: ctx.proxyConfig,
    mesh: ctx.mesh,
    cfg: ctx.cfg,
    nativeSidecar: ctx.nativeSidecar,
  };
  const templates: TemplatePod[] = selectTemplates(pod.annotations).map((name) => {
    if (name === 'sidecar') return sidecarTemplate(input);
    if (name === 'gateway') return gatewayTemplate(input);
    throw new Error(`requested template ${JSON.stringify(name)} not found; have ${KNOWN_TEMPLATES.join(', ')}`);
  });

  let labels: Record<string, string> = { ...pod.labels };
  let annotations: Record<string, string> = { ...pod.annotations };
  const spec: Json = { ...pod.spec };
  const templateInit: string[] = [];
  const templateContainers: string[] = [];
  const templateVolumes: string[] = [];
  for (const t of templates) {
    labels = { ...labels, ...t.labels };
    annotations = { ...annotations, ...t.annotations };
    if (t.securityContext !== undefined)
      spec['securityContext'] = { ...(asRecord(spec['securityContext']) ?? {}), ...t.securityContext };
    const native = t.initContainers.some((c) => c['name'] === 'istio-proxy');
    let containers = asArray(spec['containers']).map((c) => ({ ...(asRecord(c) ?? {}) }));
    let inits = asArray(spec['initContainers']).map((c) => ({ ...(asRecord(c) ?? {}) }));
    if (native && containers.some((c) => c['name'] === 'istio-proxy')) {
      // A customised istio-proxy written under `containers` moves to `initContainers` with native sidecars.
      inits = [...inits, ...containers.filter((c) => c['name'] === 'istio-proxy')];
      containers = containers.filter((c) => c['name'] !== 'istio-proxy');
    }
    spec['containers'] = mergeContainers(containers, t.containers);
    spec['initContainers'] = mergeContainers(inits, t.initContainers);
    spec['volumes'] = mergeByName(
      asArray(spec['volumes']).map((v) => asRecord(v) ?? {}),
      t.volumes,
    );
    templateInit.push(...t.initContainers.map((c) => String(c['name'])));
    templateContainers.push(...t.containers.map((c) => String(c['name'])));
    templateVolumes.push(...t.volumes.map((v) => String(v['name'])));
  }
  if (asArray(spec['initContainers']).length === 0) delete spec['initContainers'];

  // postProcessPod
  const statusPort = ctx.proxyConfig.statusPort;
  annotations = applyPrometheusMerge(spec, annotations, ctx.mesh, statusPort);
  applyRewrite(spec, annotations, ctx.cfg, statusPort);
  annotations['sidecar.istio.io/status'] = JSON.stringify({
    initContainers: templateInit.length ? templateInit : null,
    containers: templateContainers.length ? templateContainers : null,
    volumes: templateVolumes.length ? templateVolumes : null,
    imagePullSecrets: null,
    revision: ctx.cfg.revision || 'default',
  });
  reorder(spec, ctx.proxyConfig.holdApplicationUntilProxyStarts || ctx.cfg.proxy.holdApplicationUntilProxyStarts);
  return { labels, annotations, spec };
}

function mergeContainers(existing: Json[], template: readonly Json[]): Json[] {
  const out = existing.map((c) => ({ ...c }));
  for (const t of template) {
    const i = out.findIndex((c) => c['name'] === t['name']);
    if (i < 0) {
      out.push({ ...t });
      continue;
    }
    const user = out[i] as Json;
    const merged: Json = { ...t };
    for (const [k, v] of Object.entries(user)) {
      if (k === 'image' && v === 'auto') continue;
      if (k === 'env')
        merged['env'] = mergeByName(
          asArray(t['env']).map((e) => asRecord(e) ?? {}),
          asArray(v).map((e) => asRecord(e) ?? {}),
        );
      else merged[k] = v;
    }
    out[i] = merged;
  }
  return out;
}

function mergeByName(existing: readonly Json[], added: readonly Json[]): Json[] {
  const out = existing.map((e) => ({ ...e }));
  for (const a of added) {
    const i = out.findIndex((e) => e['name'] === a['name']);
    if (i < 0) out.push({ ...a });
    else out[i] = { ...a };
  }
  return out;
}

function findProxy(spec: Json): Json | undefined {
  for (const field of ['containers', 'initContainers']) {
    const c = asArray(spec[field]).find((x) => asRecord(x)?.['name'] === 'istio-proxy');
    if (c !== undefined) return c as Json;
  }
  return undefined;
}

/** `applyPrometheusMerge`: scrape the agent (which merges the app's metrics) instead of the app. */
function applyPrometheusMerge(
  spec: Json,
  annotations: Record<string, string>,
  mesh: MeshConfig,
  statusPort: number,
): Record<string, string> {
  const scrape = annotations['prometheus.io/scrape'];
  const scrapeOff = scrape !== undefined && /^(0|f|F|false|FALSE|False)$/.test(scrape);
  const mergeOff = annotations['prometheus.istio.io/merge-metrics'] === 'false';
  if (scrapeOff || !mesh.enablePrometheusMerge || mergeOff) return annotations;
  if (annotations['prometheus.io/port'] === String(statusPort)) return annotations;
  const cfg = {
    scrape: annotations['prometheus.io/scrape'] ?? '',
    path: annotations['prometheus.io/path'] ?? '',
    port: annotations['prometheus.io/port'] ?? '',
  };
  const proxy = findProxy(spec);
  if (proxy !== undefined && (cfg.scrape !== '' || cfg.path !== '' || cfg.port !== '')) {
    proxy['env'] = [...asArray(proxy['env']), { name: 'ISTIO_PROMETHEUS_ANNOTATIONS', value: JSON.stringify(cfg) }];
  }
  const out = { ...annotations };
  delete out['prometheus.io/scrape'];
  delete out['prometheus.io/path'];
  delete out['prometheus.io/port'];
  return {
    ...out,
    'prometheus.io/port': String(statusPort),
    'prometheus.io/path': '/stats/prometheus',
    'prometheus.io/scrape': 'true',
  };
}

/** `applyRewrite`: app probes go through the agent's status port. */
function applyRewrite(
  spec: Json,
  annotations: Readonly<Record<string, string>>,
  cfg: InjectionConfig,
  defaultStatusPort: number,
): void {
  const proxy = findProxy(spec);
  if (proxy === undefined) return;
  const flag = annotations['sidecar.istio.io/rewriteAppHTTPProbers'];
  const rewrite = flag === 'true' ? true : flag === 'false' ? false : cfg.rewriteAppHTTPProbe;
  if (!rewrite) return;
  const statusPort =
    annotations['status.sidecar.istio.io/port'] !== undefined
      ? Number(annotations['status.sidecar.istio.io/port'])
      : defaultStatusPort;
  const all = [...asArray(spec['initContainers']), ...asArray(spec['containers'])].map((c) => asRecord(c) ?? {});
  const probers = dumpAppProbers(all, defaultStatusPort);
  if (probers !== '') proxy['env'] = [...asArray(proxy['env']), { name: 'ISTIO_KUBE_APP_PROBERS', value: probers }];
  for (const field of ['containers', 'initContainers']) {
    if (spec[field] === undefined) continue;
    spec[field] = asArray(spec[field]).map((c) => {
      const r = asRecord(c) ?? {};
      return asString(r['name']) === 'istio-proxy' ? r : rewriteProbes(r, statusPort);
    });
  }
}

/** `reorderPod`. */
function reorder(spec: Json, hold: boolean): void {
  const move = (list: Json[], name: string, first: boolean): Json[] => {
    const hit = list.filter((c) => c['name'] === name);
    const rest = list.filter((c) => c['name'] !== name);
    return first ? [...hit, ...rest] : [...rest, ...hit];
  };
  let containers = asArray(spec['containers']).map((c) => asRecord(c) as Json);
  containers = move(containers, 'istio-proxy', hold);
  spec['containers'] = containers;
  if (spec['initContainers'] === undefined) return;
  let inits = asArray(spec['initContainers']).map((c) => asRecord(c) as Json);
  if (inits.some((c) => c['name'] === 'istio-proxy')) {
    inits = move(inits, 'enable-core-dump', true);
    inits = move(inits, 'istio-proxy', true);
    inits = move(inits, 'istio-validation', true);
    inits = move(inits, 'istio-init', true);
  } else {
    inits = move(inits, 'istio-validation', true);
    inits = move(inits, 'istio-init', false);
    inits = move(inits, 'enable-core-dump', false);
  }
  spec['initContainers'] = inits;
}
