/**
 * `exportTo` visibility (`pkg/config/visibility`): `*` everywhere, `.` the object's own namespace, `~`
 * nowhere, or a list of namespaces. Services take it from the `networking.istio.io/exportTo` annotation,
 * Istio config from `spec.exportTo`; without either, from MeshConfig's `default*ExportTo` (all `*`).
 */

/** The namespaces an object is visible from, resolved: `'*'` for all, else an explicit list. */
export type Visibility = '*' | readonly string[];

/** Resolves `exportTo` (or the mesh default) of an object in `namespace`. */
export function resolveExportTo(
  exportTo: readonly string[] | undefined,
  namespace: string,
  meshDefault: readonly string[],
): Visibility {
  const list = exportTo !== undefined && exportTo.length > 0 ? exportTo : meshDefault;
  if (list.includes('*')) return '*';
  const out = new Set<string>();
  for (const e of list) {
    if (e === '~') continue;
    out.add(e === '.' ? namespace : e);
  }
  return [...out].sort();
}

/** True when something with visibility `v` can be seen from `namespace`. */
export function visibleFrom(v: Visibility, namespace: string): boolean {
  return v === '*' || v.includes(namespace);
}

/** The `networking.istio.io/exportTo` annotation as a list. */
export function exportToAnnotation(annotations: Readonly<Record<string, string>>): string[] | undefined {
  const a = annotations['networking.istio.io/exportTo'];
  if (a === undefined || a === '') return undefined;
  return a.split(',').map((s) => s.trim());
}
