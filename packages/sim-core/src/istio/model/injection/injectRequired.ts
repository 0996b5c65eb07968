/**
 * Whether a pod gets a sidecar, decided in two steps exactly as in a cluster:
 *
 * 1. **The webhook fires** — the API server calls istiod only for pods matched by one of the
 *    MutatingWebhookConfiguration's `namespaceSelector`/`objectSelector` pairs
 *    (`manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml`): `rev.namespace`
 *    (namespace `istio.io/rev=<rev>` without `istio-injection`), `rev.object` (unlabelled namespace, pod label
 *    `istio.io/rev=<rev>`), and for the default revision `namespace` (`istio-injection=enabled`), `object`
 *    (unlabelled namespace, pod label `sidecar.istio.io/inject=true`, no `istio.io/rev`) and, with
 *    `enableNamespacesByDefault`, `auto`. In all but `object`/`auto`, a pod label `sidecar.istio.io/inject:
 *    "false"` opts out. Selectors see pod **labels** only.
 * 2. **istiod agrees** — `pkg/kube/inject/inject.go` `injectRequired`: never with `hostNetwork`, never in
 *    `kube-system`, `kube-public`, `kube-node-lease`, `local-path-storage`; the `sidecar.istio.io/inject` label
 *    (or, if absent, the legacy annotation of the same name) decides when it is `"true"`/`"false"`; otherwise
 *    `neverInjectSelector`, then `alwaysInjectSelector`, then the policy (`enabled` injects).
 */
import { selectorMatches, type Labels } from '../../../k8s/labels.js';
import type { InjectionConfig } from './config.js';

/** Namespaces istiod never injects into (`IgnoredNamespaces`). */
export const IGNORED_NAMESPACES: readonly string[] = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'local-path-storage',
];

/** Label and annotation keys. */
export const INJECTION_LABEL = 'istio-injection';
export const REVISION_LABEL = 'istio.io/rev';
export const SIDECAR_INJECT = 'sidecar.istio.io/inject';

/** What decides injection for one pod. */
export interface InjectionSubject {
  readonly namespace: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly hostNetwork: boolean;
}

/** The decision and why. */
export interface InjectionDecision {
  readonly inject: boolean;
  /** The webhook that matched (`namespace.sidecar-injector.istio.io` …), or none. */
  readonly webhook?: 'rev.namespace' | 'rev.object' | 'namespace' | 'object' | 'auto';
  /** A sentence for humans (`meshsim kube-inject`, `analyze`). */
  readonly reason: string;
}

/** Which of the injector's webhooks the API server calls for this pod, if any. */
export function matchingWebhook(
  nsName: string,
  nsLabels: Labels,
  podLabels: Labels,
  cfg: Pick<InjectionConfig, 'revision' | 'enableNamespacesByDefault'>,
): InjectionDecision['webhook'] {
  const rev = cfg.revision === '' ? 'default' : cfg.revision;
  const has = (labels: Labels, key: string): boolean => Object.prototype.hasOwnProperty.call(labels, key);
  const notOptedOut = podLabels[SIDECAR_INJECT] !== 'false';
  if (nsLabels[REVISION_LABEL] === rev && !has(nsLabels, INJECTION_LABEL) && notOptedOut) return 'rev.namespace';
  const nsUnlabelled = !has(nsLabels, REVISION_LABEL) && !has(nsLabels, INJECTION_LABEL);
  if (nsUnlabelled && notOptedOut && podLabels[REVISION_LABEL] === rev) return 'rev.object';
  if (cfg.revision !== '') return undefined;
  if (nsLabels[INJECTION_LABEL] === 'enabled' && notOptedOut) return 'namespace';
  if (nsUnlabelled && podLabels[SIDECAR_INJECT] === 'true' && !has(podLabels, REVISION_LABEL)) return 'object';
  if (
    cfg.enableNamespacesByDefault &&
    nsUnlabelled &&
    !['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage'].includes(
      nsLabels['kubernetes.io/metadata.name'] ?? nsName,
    ) &&
    !has(podLabels, SIDECAR_INJECT) &&
    !has(podLabels, REVISION_LABEL)
  ) {
    return 'auto';
  }
  return undefined;
}

/** istiod's `injectRequired` (the webhook has already fired). */
export function injectRequired(
  subject: InjectionSubject,
  cfg: Pick<InjectionConfig, 'policy' | 'neverInjectSelector' | 'alwaysInjectSelector'>,
): { required: boolean; reason: string } {
  if (subject.hostNetwork) return { required: false, reason: 'the pod uses hostNetwork' };
  if (IGNORED_NAMESPACES.includes(subject.namespace))
    return { required: false, reason: `namespace ${subject.namespace} is never injected` };
  // An unknown policy turns injection off entirely, whatever the pod says (`default:` branch of the switch).
  if (cfg.policy !== 'enabled' && cfg.policy !== 'disabled')
    return { required: false, reason: `invalid injection policy ${JSON.stringify(cfg.policy)}` };
  const label = subject.labels[SIDECAR_INJECT];
  const value = label ?? subject.annotations[SIDECAR_INJECT] ?? '';
  const from = label !== undefined ? 'label' : 'annotation';
  if (value === 'true') return { required: true, reason: `${from} ${SIDECAR_INJECT}="true"` };
  if (value === 'false') return { required: false, reason: `${from} ${SIDECAR_INJECT}="false"` };
  for (const sel of cfg.neverInjectSelector) {
    if (isEmpty(sel)) continue;
    if (selectorMatches(sel, subject.labels)) return { required: false, reason: 'the pod matches neverInjectSelector' };
  }
  for (const sel of cfg.alwaysInjectSelector) {
    if (isEmpty(sel)) continue;
    if (selectorMatches(sel, subject.labels)) return { required: true, reason: 'the pod matches alwaysInjectSelector' };
  }
  return cfg.policy === 'enabled'
    ? { required: true, reason: 'injection policy is enabled' }
    : { required: false, reason: 'injection policy is disabled and the pod does not opt in' };
}

/** Both steps: does a pod created in this namespace get a sidecar? */
export function injectionDecision(
  subject: InjectionSubject,
  nsLabels: Labels,
  cfg: InjectionConfig,
): InjectionDecision {
  const webhook = matchingWebhook(subject.namespace, nsLabels, subject.labels, cfg);
  if (webhook === undefined) {
    return {
      inject: false,
      reason: `no injection webhook selects the pod (${describeLabels(nsLabels, subject.labels)})`,
    };
  }
  const { required, reason } = injectRequired(subject, cfg);
  return { inject: required, webhook, reason: `webhook ${webhook}.sidecar-injector.istio.io: ${reason}` };
}

function isEmpty(sel: { matchLabels?: Labels; matchExpressions?: readonly unknown[] }): boolean {
  return Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}

function describeLabels(ns: Labels, pod: Labels): string {
  const parts: string[] = [];
  for (const k of [INJECTION_LABEL, REVISION_LABEL]) if (ns[k] !== undefined) parts.push(`namespace ${k}=${ns[k]}`);
  for (const k of [SIDECAR_INJECT, REVISION_LABEL]) if (pod[k] !== undefined) parts.push(`pod ${k}=${pod[k]}`);
  return parts.length === 0 ? 'namespace has no injection label' : parts.join(', ');
}
