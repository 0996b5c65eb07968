/**
 * Kubernetes' ObjectMeta validation (`k8s.io/apimachinery/pkg/api/validation.ValidateObjectMeta`): the name
 * rule of each kind, namespace, label keys and values, annotation keys. Messages are Kubernetes' own.
 */
import type { IssueList } from './issue.js';
import {
  dns1035LabelErrors,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
  qualifiedNameErrors,
} from './names.js';

/** Which name rule a kind's `metadata.name` follows. */
export type NameRule = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label';

/** Name rule per kind: Namespaces are labels, Services DNS-1035 labels, the rest subdomains (CRs included). */
export function nameRuleOf(kind: string): NameRule {
  if (kind === 'Namespace') return 'dns1123-label';
  if (kind === 'Service') return 'dns1035-label';
  return 'dns1123-subdomain';
}

/** Validates `metadata` of an object of `kind`. */
export function validateObjectMeta(
  meta: Readonly<Record<string, unknown>>,
  kind: string,
  namespaced: boolean,
  out: IssueList,
): void {
  const name = meta['name'];
  if (typeof name === 'string') {
    const rule = nameRuleOf(kind);
    const errs =
      rule === 'dns1123-label'
        ? dns1123LabelErrors(name)
        : rule === 'dns1035-label'
          ? dns1035LabelErrors(name)
          : dns1123SubdomainErrors(name);
    for (const e of errs) out.error(['metadata', 'name'], `Invalid value: ${JSON.stringify(name)}: ${e}`);
  }
  const ns = meta['namespace'];
  if (namespaced && typeof ns === 'string') {
    for (const e of dns1123LabelErrors(ns))
      out.error(['metadata', 'namespace'], `Invalid value: ${JSON.stringify(ns)}: ${e}`);
  }
  validateLabelMap(meta['labels'], ['metadata', 'labels'], out);
  const annotations = meta['annotations'];
  if (typeof annotations === 'object' && annotations !== null) {
    for (const key of Object.keys(annotations).sort()) {
      for (const e of qualifiedNameErrors(key.toLowerCase()))
        out.error(['metadata', 'annotations', key], `Invalid value: ${JSON.stringify(key)}: ${e}`);
    }
  }
}

/** Validates a label map (`metadata.labels`, a selector's `matchLabels`, a Service `selector`). */
export function validateLabelMap(labels: unknown, path: readonly (string | number)[], out: IssueList): void {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return;
  for (const [key, value] of Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const e of qualifiedNameErrors(key)) out.error([...path, key], `Invalid value: ${JSON.stringify(key)}: ${e}`);
    if (typeof value === 'string')
      for (const e of labelValueErrors(value))
        out.error([...path, key], `Invalid value: ${JSON.stringify(value)}: ${e}`);
  }
}
