/**
 * Reading sim-core's trace records: their JSON detail parsed once, typed field access, and the provenance
 * of a route (the VirtualService `http[i]`, or the Service of a default route, with its file and line) in
 * both forms the data plane writes it — the structured object of `hcm.decode` and the one-line text of
 * `router.route` (sim-core envoy/router/routerFilter.ts).
 */

/** The resource that produced an Envoy route (sim-core's `Provenance`). */
export interface RouteProvenance {
  /** `VirtualService`, or `Service` for a default route. */
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly file?: string;
  readonly line?: number;
  /** e.g. `spec.http[1]`. */
  readonly field?: string;
  readonly httpRouteIndex?: number;
}

/** A trace record with its JSON detail parsed. */
export interface ParsedRecord {
  readonly time: number;
  readonly kind: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** A record's parsed detail. */
export type Detail = Readonly<Record<string, unknown>>;

/** A record's detail as an object (undefined when it is not JSON of an object). */
export function parseDetail(detail: string): Detail | undefined {
  try {
    const v: unknown = JSON.parse(detail);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Detail) : undefined;
  } catch {
    return undefined;
  }
}

/** `d[k]` when it is a string. */
export const detailString = (d: Detail, k: string): string | undefined =>
  typeof d[k] === 'string' ? (d[k] as string) : undefined;
/** `d[k]` when it is a number. */
export const detailNumber = (d: Detail, k: string): number | undefined =>
  typeof d[k] === 'number' ? (d[k] as number) : undefined;

/**
 * A route's provenance from a record: the structured object of `hcm.decode`, or the one-line form of
 * `router.route` (`Kind namespace/name file:line field`; the file may contain spaces, the field may be
 * empty).
 */
export function parseRouteProvenance(value: unknown): RouteProvenance | undefined {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const o = value as Detail;
    const kind = detailString(o, 'kind');
    const name = detailString(o, 'name');
    if (kind === undefined || name === undefined) return undefined;
    const ns = detailString(o, 'namespace');
    const file = detailString(o, 'file');
    const line = detailNumber(o, 'line');
    const field = detailString(o, 'field');
    const index = detailNumber(o, 'httpRouteIndex');
    return {
      kind,
      name,
      ...(ns !== undefined ? { namespace: ns } : {}),
      ...(file !== undefined ? { file } : {}),
      ...(line !== undefined ? { line } : {}),
      ...(field !== undefined && field !== '' ? { field } : {}),
      ...(index !== undefined ? { httpRouteIndex: index } : {}),
    };
  }
  if (typeof value !== 'string') return undefined;
  const m = /^(\S+) ([^/\s]*)\/(\S+) (.*):(\d*) (\S*)$/.exec(value);
  if (m === null) return undefined;
  const [, kind, ns, name, file, line, field] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const index = /^spec\.http\[(\d+)\]$/.exec(field)?.[1];
  return {
    kind,
    name,
    ...(ns !== '' ? { namespace: ns } : {}),
    ...(file !== '' ? { file } : {}),
    ...(line !== '' ? { line: Number(line) } : {}),
    ...(field !== '' ? { field } : {}),
    ...(index !== undefined ? { httpRouteIndex: Number(index) } : {}),
  };
}

/** A stable key of a provenance (kind, object, file, line, field). */
export function provenanceKey(p: RouteProvenance | undefined): string {
  if (p === undefined) return '';
  return [p.kind, p.namespace ?? '', p.name, p.file ?? '', p.line ?? '', p.field ?? ''].join('\u0000');
}
