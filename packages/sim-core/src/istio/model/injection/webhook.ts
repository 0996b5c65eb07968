/**
 * Sidecar injection as an admission step of the cluster: for every pod a controller creates, decide
 * (`injectionDecision`) and inject (`injectPod`) with the pod's ProxyConfig (mesh default merged with its
 * `proxy.istio.io/config` annotation). Also the decision `istioctl kube-inject` makes, which ignores
 * namespace labels and webhooks (`IntoObject` runs `injectRequired` with policy `enabled`).
 */
import type { AdmissionHook } from '../../../k8s/cluster/buildCluster.js';
import type { PodDraft } from '../../../k8s/cluster/workloads.js';
import { asBoolean, dig } from '../../../k8s/json.js';
import { proxyConfigFor, type MeshConfig } from '../meshConfig.js';
import type { InjectionConfig } from './config.js';
import { injectPod, useNativeSidecar } from './inject.js';
import { injectionDecision, injectRequired } from './injectRequired.js';

/** The mutating admission hook that injects sidecars. */
export function sidecarInjectionWebhook(mesh: MeshConfig, cfg: InjectionConfig): AdmissionHook {
  return (draft, namespace, nodes) => {
    const decision = injectionDecision(
      {
        namespace: draft.namespace,
        labels: draft.labels,
        annotations: draft.annotations,
        hostNetwork: asBoolean(dig(draft.spec, 'hostNetwork')) === true,
      },
      namespace.labels,
      cfg,
    );
    if (!decision.inject) return draft;
    return inject(
      draft,
      mesh,
      cfg,
      useNativeSidecar(
        draft.annotations,
        cfg,
        nodes.map((n) => n.kubeletVersion),
      ),
    );
  };
}

/** `istioctl kube-inject`'s decision: only hostNetwork, ignored namespaces and the pod's own opt-out count. */
export function kubeInjectRequired(draft: Pick<PodDraft, 'namespace' | 'labels' | 'annotations' | 'spec'>): {
  required: boolean;
  reason: string;
} {
  return injectRequired(
    {
      namespace: draft.namespace,
      labels: draft.labels,
      annotations: draft.annotations,
      hostNetwork: asBoolean(dig(draft.spec, 'hostNetwork')) === true,
    },
    { policy: 'enabled', neverInjectSelector: [], alwaysInjectSelector: [] },
  );
}

/** Injects one draft; an unknown template rejects the pod. */
export function inject(
  draft: PodDraft,
  mesh: MeshConfig,
  cfg: InjectionConfig,
  nativeSidecar: boolean,
): PodDraft | { rejected: string } {
  try {
    const out = injectPod(draft, { mesh, cfg, proxyConfig: proxyConfigFor(mesh, draft.annotations), nativeSidecar });
    return { ...draft, labels: out.labels, annotations: out.annotations, spec: out.spec };
  } catch (error) {
    return {
      rejected: `admission webhook "namespace.sidecar-injector.istio.io" denied the request: injection failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
