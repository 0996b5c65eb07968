/**
 * Strips what `kubectl get -o yaml` adds to an object that the user did not write and that changes nothing
 * meshsim simulates — server-set metadata (`managedFields`, `resourceVersion`, `selfLink`, `generation`, the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation) and `status` — so a real cluster's dump
 * loads like the manifests that made it. The status fields meshsim honours are kept (see {@link KEPT_STATUS}).
 */

/** Server-populated ObjectMeta fields that are dropped (`k8s.io/apimachinery` ObjectMeta, "Read-only"). */
export const DROPPED_METADATA: readonly string[] = [
  'managedFields',
  'resourceVersion',
  'selfLink',
  'generation',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];

/** Annotation kubectl writes on `apply`; a copy of the object, never meaningful to the mesh. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * `status` fields meshsim honours, by kind. Pod addresses and readiness let a dump be reproduced exactly;
 * ServiceEntry `status.addresses` is where Istio ≥ 1.25's IP auto-allocation controller writes VIPs;
 * WorkloadEntry `status.conditions` carries the `Healthy` condition istiod's health checks set.
 */
export const KEPT_STATUS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['podIP', 'podIPs', 'hostIP', 'hostIPs', 'phase', 'conditions'],
  Service: ['loadBalancer'],
  ServiceEntry: ['addresses'],
  WorkloadEntry: ['conditions'],
};

/** Returns a copy of `obj` without dump noise. `obj` is a plain JSON object; nothing is mutated. */
export function stripKubectlDump(obj: Record<string, unknown>, kind: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...obj };
  const meta = obj['metadata'];
  if (isRecord(meta)) {
    const m: Record<string, unknown> = { ...meta };
    for (const field of DROPPED_METADATA) delete m[field];
    const annotations = m['annotations'];
    if (isRecord(annotations) && LAST_APPLIED in annotations) {
      const rest = { ...annotations };
      delete rest[LAST_APPLIED];
      if (Object.keys(rest).length === 0) delete m['annotations'];
      else m['annotations'] = rest;
    }
    out['metadata'] = m;
  }
  if ('status' in obj) {
    const keep = KEPT_STATUS[kind] ?? [];
    const status = obj['status'];
    const kept: Record<string, unknown> = {};
    if (isRecord(status)) for (const field of keep) if (status[field] !== undefined) kept[field] = status[field];
    if (Object.keys(kept).length > 0) out['status'] = kept;
    else delete out['status'];
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
