/**
 * Manifests as `kubectl apply -f` reads them: plain objects printed as multi-document YAML. Loaded objects
 * (`KubeObject`) lose their `source` (file and line); everything else is printed as written, keys in the
 * order kubectl prints them (apiVersion, kind, metadata, spec, data, then the rest).
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { KubeObject } from '../../k8s/object.js';

/** A Kubernetes or Istio object as plain JSON, the way it is written in a manifest. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec?: unknown;
  readonly data?: Readonly<Record<string, string>>;
}

const KEY_ORDER = ['apiVersion', 'kind', 'metadata', 'spec', 'data'];

/** `obj` as a plain manifest: `source` dropped, keys in kubectl's order. */
export function toManifest(obj: KubeObject | Manifest): Manifest {
  const out: Record<string, unknown> = {};
  const entries = Object.entries(obj).filter(([k, v]) => k !== 'source' && v !== undefined);
  entries.sort((a, b) => rank(a[0]) - rank(b[0]));
  for (const [k, v] of entries) out[k] = v;
  return out as unknown as Manifest;
}

function rank(key: string): number {
  const i = KEY_ORDER.indexOf(key);
  return i < 0 ? KEY_ORDER.length : i;
}

/**
 * Multi-document YAML that `kubectl apply -f` accepts. Strings YAML 1.1 would read as something else
 * (`yes`, `on`, `0o17`) are quoted, since Kubernetes reads manifests as YAML 1.1.
 */
export function manifestsYaml(objects: readonly (KubeObject | Manifest)[]): string {
  return objects
    .map((o) => stringify(toManifest(o), { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
}

/**
 * Makes fast-check print `value` with `print` (its `toStringMethod`), so a failing property shows a
 * generated manifest as YAML rather than as a JavaScript literal. The method is not enumerable: equality,
 * JSON and YAML ignore it.
 */
export function printedAs<T extends object>(value: T, print: (value: T) => string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: () => print(value), enumerable: false });
  return value;
}
