/**
 * A finding, printed as `istioctl analyze` prints it (`pkg/config/analysis/diag/message.go`):
 * `Error [IST0101] (VirtualService default/reviews vs.yaml:12) Referenced host+subset in destinationrule not
 * found: "reviews+v3"`, or, with `-o json`, an array of `{code, documentationUrl, level, message, origin,
 * reference}` objects indented with tabs (Go's `json.MarshalIndent` of `Message.Unstructured`: keys sorted,
 * `<`, `>`, `&` escaped). Findings are sorted as `Messages.SortedDedupedCopy` sorts them: level, code, findings
 * without a resource first, resource (`Kind/name/namespace`), then text; duplicates removed.
 */
import { compareStrings } from '../k8s/json.js';
import { formatTemplate, type Level, type MessageType } from './messages.js';

/** The resource a finding is about. */
export interface FindingOrigin {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** One finding. */
export interface Finding {
  readonly code: string;
  readonly level: Level;
  readonly message: string;
  readonly origin?: FindingOrigin;
  /** Where: the file, and the line of the offending field (or of the resource). */
  readonly reference?: { readonly file: string; readonly line?: number };
  readonly documentationUrl: string;
}

/** Istio's analysis reference for a code, as `istioctl analyze` links it. */
export function documentationUrl(code: string): string {
  if (code.startsWith('IST'))
    return `https://istio.io/v1.29/docs/reference/config/analysis/${code.toLowerCase()}/?ref=istioctl-analyze`;
  return `docs/concepts/mesh-model.md#${code.toLowerCase()}`;
}

/** Makes a finding of type `type` with template parameters `params`. */
export function makeFinding(
  type: MessageType,
  params: readonly unknown[],
  origin?: FindingOrigin,
  reference?: { readonly file: string; readonly line?: number },
): Finding {
  return {
    code: type.code,
    level: type.level,
    message: formatTemplate(type.template, params),
    ...(origin !== undefined ? { origin } : {}),
    ...(reference !== undefined ? { reference } : {}),
    documentationUrl: documentationUrl(type.code),
  };
}

/** `Kind namespace/name` (istioctl's `FriendlyName`). */
export function originName(o: FindingOrigin): string {
  return o.namespace !== undefined && o.namespace !== '' ? `${o.kind} ${o.namespace}/${o.name}` : `${o.kind} ${o.name}`;
}

/** `file:line` (no line for JSON files, as istioctl's `Position.String`). */
export function referenceString(r: { readonly file: string; readonly line?: number }): string {
  return r.line !== undefined && r.line > 0 && !r.file.endsWith('.json') ? `${r.file}:${r.line}` : r.file;
}

/** One line of `istioctl analyze` output. */
export function formatFinding(f: Finding): string {
  let origin = '';
  if (f.origin !== undefined)
    origin = ` (${originName(f.origin)}${f.reference !== undefined ? ` ${referenceString(f.reference)}` : ''})`;
  else if (f.reference !== undefined) origin = ` (${referenceString(f.reference)})`;
  return `${f.level} [${f.code}]${origin} ${f.message}`;
}

const LEVEL_ORDER: Readonly<Record<Level, number>> = { Error: 0, Warning: 1, Info: 2 };

/** Sorted and deduplicated, as istioctl does. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const comparator = (o: FindingOrigin): string => `${o.kind}/${o.name}/${o.namespace ?? ''}`;
  const sorted = [...findings].sort((a, b) => {
    if (a.level !== b.level) return LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level];
    if (a.code !== b.code) return compareStrings(a.code, b.code);
    if (a.origin === undefined && b.origin !== undefined) return -1;
    if (a.origin !== undefined && b.origin === undefined) return 1;
    if (a.origin !== undefined && b.origin !== undefined) {
      const c = compareStrings(comparator(a.origin), comparator(b.origin));
      if (c !== 0) return c;
    }
    return compareStrings(formatFinding(a), formatFinding(b));
  });
  return sorted.filter((f, i) => i === 0 || formatFinding(f) !== formatFinding(sorted[i - 1] as Finding));
}

/** The JSON `istioctl analyze -o json` prints for `findings`. */
export function findingsToJson(findings: readonly Finding[]): string {
  const rows = findings.map((f) => {
    const row: Record<string, string> = {
      code: f.code,
      documentationUrl: f.documentationUrl,
      level: f.level,
      message: f.message,
    };
    if (f.origin !== undefined) row['origin'] = originName(f.origin);
    if (f.reference !== undefined) row['reference'] = referenceString(f.reference);
    return row;
  });
  // Go's encoding/json escapes HTML-significant characters and the JS line separators.
  return JSON.stringify(rows, null, '\t')
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
