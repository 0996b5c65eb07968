/**
 * Names of the pods controllers create. Kubernetes names a Deployment's ReplicaSet
 * `<deployment>-<pod-template-hash>` (`controller.ComputeHash`: FNV-1a 32 of the pod template, printed in
 * decimal and mapped through `rand.SafeEncodeString`) and its pods `<replicaset>-<5 random safe chars>`;
 * StatefulSet pods are `<statefulset>-<ordinal>`.
 *
 * Kubernetes hashes the Go struct dump (`hashutil.DeepHashObject`, spew) of the defaulted template, which
 * cannot be reproduced outside Go; meshsim hashes the template's canonical JSON instead — same alphabet, same
 * length range, stable for a given template, different from a real cluster's value. The 5-character suffix
 * is derived from the ReplicaSet name and replica index instead of drawn at random.
 */
import { canonicalJson, fnv1a32, safeEncodeString, safeSuffix } from '../hash.js';

/** `pod-template-hash` of a pod template (`metadata` + `spec` of `spec.template`). */
export function podTemplateHash(template: unknown): string {
  return safeEncodeString(String(fnv1a32(canonicalJson(template))));
}

/** Names for `replicas` pods of ReplicaSet `rsName`: distinct, deterministic, `<rs>-<5 chars>`. */
export function replicaSetPodNames(rsName: string, replicas: number): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < replicas; i++) {
    let salt = 0;
    let name = `${rsName}-${safeSuffix(`${rsName}/${i}`)}`;
    while (seen.has(name)) name = `${rsName}-${safeSuffix(`${rsName}/${i}/${++salt}`)}`;
    seen.add(name);
    names.push(name);
  }
  return names;
}

/** A deterministic UID (RFC 4122 layout) for an object key, where the apiserver would draw a random one. */
export function deterministicUid(key: string): string {
  const hex = [0, 1, 2, 3].map((i) => fnv1a32(`${i}/${key}`).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
