/**
 * How an instance's readiness is probed and reported to the control plane. A pod's kubelet runs the app
 * container's `readinessProbe` (`periodSeconds`, `failureThreshold`, `successThreshold`; Kubernetes
 * defaults 10 s, 3, 1 — the sidecar injector rewrites the probe to go through pilot-agent but keeps its
 * timing). A VM's istio-agent runs its WorkloadGroup's `probe` and reports the result as the auto-registered
 * WorkloadEntry's `Healthy` condition; without a `probe` nothing is reported and the entry stays healthy
 * whatever the app does (istio/istio pilot/pkg/serviceregistry/serviceentry/conversion.go `isHealthy`,
 * WorkloadGroup API `probe`: defaults 10 s, 3, 1).
 */
import { s, type Duration } from '../../engine/time.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import type { Instance } from './instance.js';

/** Probe timing. */
export interface ProbeTiming {
  readonly period: Duration;
  readonly failureThreshold: number;
  readonly successThreshold: number;
}

/** Kubernetes' and Istio's probe defaults. */
export const DEFAULT_PROBE: ProbeTiming = { period: s(10), failureThreshold: 3, successThreshold: 1 };

interface ProbeFields {
  readonly periodSeconds?: number;
  readonly failureThreshold?: number;
  readonly successThreshold?: number;
}

function timing(p: ProbeFields, defaults: ProbeTiming): ProbeTiming {
  const pos = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;
  return {
    period: pos(p.periodSeconds) ? s(p.periodSeconds) : defaults.period,
    failureThreshold: pos(p.failureThreshold) ? Math.floor(p.failureThreshold) : defaults.failureThreshold,
    successThreshold: pos(p.successThreshold) ? Math.floor(p.successThreshold) : defaults.successThreshold,
  };
}

/**
 * The readiness probe of `instance`, or null when its readiness never reaches the endpoints (a VM whose
 * WorkloadGroup has no `probe`, or a WorkloadEntry declared by hand). `defaults` applies to pods whose app
 * container declares no `readinessProbe` (a scenario making such a pod unready behaves as if it had one).
 */
export function readinessProbe(
  model: MeshModel,
  instance: Instance,
  defaults: ProbeTiming = DEFAULT_PROBE,
): ProbeTiming | null {
  if (instance.kind === 'vm') {
    const vm = model.virtualMachines.find((v) => v.namespace === instance.namespace && v.name === instance.name);
    if (vm?.autoRegisterGroup === undefined) return null;
    const group = model.istio.workloadGroups.find(
      (g) => g.metadata.name === vm.autoRegisterGroup && (g.metadata.namespace ?? 'default') === vm.namespace,
    );
    const probe = group?.spec.probe as ProbeFields | undefined;
    return probe === undefined ? null : timing(probe, DEFAULT_PROBE);
  }
  const pod = model.cluster.pods.find((p) => p.namespace === instance.namespace && p.name === instance.name);
  const containers = (pod?.spec['containers'] ?? []) as readonly { name?: string; readinessProbe?: ProbeFields }[];
  const app = containers.find((c) => c.name !== 'istio-proxy' && c.readinessProbe !== undefined);
  return app?.readinessProbe !== undefined ? timing(app.readinessProbe, defaults) : defaults;
}
