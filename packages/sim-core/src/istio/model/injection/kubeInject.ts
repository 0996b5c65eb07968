/**
 * `istioctl kube-inject` (`pkg/kube/inject/inject.go` `IntoResourceFile`/`IntoObject`): injects the pod
 * template of every Deployment, ReplicaSet and StatefulSet, and every Pod, of the given objects, and passes
 * everything else through. Unlike the webhook it ignores namespace labels: only `hostNetwork`, the Kubernetes
 * system namespaces and the pod's own `sidecar.istio.io/inject: "false"` skip injection ("Skipping injection
 * because …"). Native sidecars are used only when asked for (`ENABLE_NATIVE_SIDECARS=true`), since
 * kube-inject cannot see the nodes.
 */
import { asRecord, asString, dig } from '../../../k8s/json.js';
import { readLabels } from '../../../k8s/labels.js';
import type { KubeObject } from '../../../k8s/object.js';
import { proxyConfigFor, type MeshConfig } from '../meshConfig.js';
import type { InjectionConfig } from './config.js';
import { injectPod } from './inject.js';
import { kubeInjectRequired } from './webhook.js';

type Json = Record<string, unknown>;

/** The output of {@link kubeInject}. */
export interface KubeInjectResult {
  /** The objects as `istioctl kube-inject` prints them (plain JSON, without meshsim's `source`). */
  readonly objects: readonly Json[];
  /** istioctl's warnings, e.g. `===> Skipping injection because "default/hello" has sidecar injection disabled`. */
  readonly warnings: readonly string[];
}

const TEMPLATED = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']);

/** Injects `objects` as `istioctl kube-inject -f` does. Throws `Error` for an unknown injection template. */
export function kubeInject(objects: readonly KubeObject[], mesh: MeshConfig, cfg: InjectionConfig): KubeInjectResult {
  const warnings: string[] = [];
  const out = objects.map((obj): Json => {
    const plain = toPlain(obj);
    const namespace = obj.metadata.namespace ?? 'default';
    const isPod = obj.kind === 'Pod';
    if (!isPod && !TEMPLATED.has(obj.kind)) return plain;
    const template = isPod
      ? { metadata: plain['metadata'], spec: plain['spec'] }
      : asRecord(dig(plain, 'spec', 'template'));
    if (template === undefined) return plain;
    const meta = asRecord(template['metadata']) ?? {};
    const spec = asRecord(template['spec']) ?? {};
    const labels = readLabels(meta['labels']);
    const annotations = readLabels(meta['annotations']);
    const fullName = `${namespace}/${obj.metadata.name}`;
    const decision = kubeInjectRequired({ namespace, labels, annotations, spec });
    if (!decision.required) {
      warnings.push(
        isPod
          ? `===> Skipping injection because ${JSON.stringify(fullName)} has sidecar injection disabled`
          : `===> Skipping injection because ${obj.kind} ${JSON.stringify(fullName)} has sidecar injection disabled`,
      );
      return plain;
    }
    const apiVersion = isPod ? 'v1' : obj.apiVersion;
    const injected = injectPod(
      {
        name: asString(meta['name']) ?? obj.metadata.name,
        namespace,
        labels,
        annotations,
        spec,
        workload: { kind: obj.kind, apiVersion, name: obj.metadata.name },
      },
      {
        mesh,
        cfg,
        proxyConfig: proxyConfigFor(mesh, annotations),
        nativeSidecar: cfg.nativeSidecars === 'true' || annotations['sidecar.istio.io/nativeSidecar'] === 'true',
      },
    );
    const newMeta: Json = { ...meta, labels: injected.labels, annotations: injected.annotations };
    if (isPod) return { ...plain, metadata: newMeta, spec: injected.spec };
    return {
      ...plain,
      spec: { ...(asRecord(plain['spec']) ?? {}), template: { ...template, metadata: newMeta, spec: injected.spec } },
    };
  });
  return { objects: out, warnings };
}

/** The object's JSON without meshsim's `source`. */
function toPlain(obj: KubeObject): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'source') out[k] = v;
  return out;
}
