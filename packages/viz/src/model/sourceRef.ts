/**
 * Where in the user's manifests a decision was made. Mirrors sim-core's `SourceRef`
 * (packages/sim-core/src/explain/explanation.ts), which every explanation step carries in `decidedBy`.
 */

/** A field of a manifest: file, line and, when known, the object and the field path in the API's words. */
export interface ManifestRef {
  readonly file: string;
  readonly line: number;
  /** `VirtualService`, `DestinationRule`, `Service`, … */
  readonly kind?: string;
  /** `namespace/name`. */
  readonly object?: string;
  /** Field path as the API spells it, e.g. `spec.http[1].route[0].weight`. */
  readonly field?: string;
}

/** `file:line`. */
export function manifestLocation(ref: ManifestRef): string {
  return `${ref.file}:${ref.line}`;
}

/** `VirtualService canary/canary spec.http[1] (istio-specs.yaml:21)` — as `meshsim route` prints it. */
export function formatManifestRef(ref: ManifestRef): string {
  const what = [ref.kind, ref.object, ref.field].filter((x) => x !== undefined && x !== '').join(' ');
  return `${what}${what === '' ? '' : ' '}(${manifestLocation(ref)})`;
}
