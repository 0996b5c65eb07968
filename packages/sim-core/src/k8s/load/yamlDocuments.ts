/**
 * Splits a manifest file into documents and keeps, for every field of every document, the line where it
 * appears — so errors and findings can point at `spec.http[0].route[1].weight`, not just at the file.
 *
 * Kubernetes reads manifests with `sigs.k8s.io/yaml` (go-yaml v2 converted to JSON), i.e. YAML 1.1 scalars:
 * unquoted `yes`/`no`/`on`/`off` are booleans, as `kubectl apply` would see them. JSON is YAML, so `.json`
 * files go through the same parser and keep their lines too.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import type { FieldPath } from '../object.js';

/** Path → line table of one document, keyed by {@link pathKey}. */
export type LineTable = ReadonlyMap<string, number>;

/** One parsed YAML document. */
export interface ParsedDocument {
  /** 0-based index of the document in its file. */
  readonly index: number;
  /** The document as plain JSON (`null` for an empty document). */
  readonly value: unknown;
  /** 1-based line of the document's first content (its first key for a mapping). */
  readonly line: number;
  /** Lines of every field and item, keyed by {@link pathKey}. */
  readonly lines: LineTable;
}

/** A YAML syntax error, located. */
export interface YamlSyntaxError {
  readonly index: number;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** Key of a field path in a {@link LineTable}: path segments joined by NUL (keys may contain dots). */
export function pathKey(path: FieldPath): string {
  return path.map((p) => (typeof p === 'number' ? `#${p}` : `.${p}`)).join('\u0000');
}

/** The line of `path`, or of its nearest ancestor present in the table. */
export function lineIn(lines: LineTable, path: FieldPath, fallback: number): number {
  for (let n = path.length; n >= 0; n--) {
    const line = lines.get(pathKey(path.slice(0, n)));
    if (line !== undefined) return line;
  }
  return fallback;
}

/** Parses every document of `text`; documents with syntax errors are reported, not returned. */
export function parseYamlDocuments(text: string): { documents: ParsedDocument[]; errors: YamlSyntaxError[] } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    version: '1.1', // go-yaml v2 semantics, as sigs.k8s.io/yaml
    merge: true,
    // go-yaml v2 leaves timestamps as strings when decoding to JSON and has no base-60 numbers; the yaml
    // package's 1.1 schema would turn `creationTimestamp: 2024-01-01T00:00:00Z` into a Date and `1:30` into 90.
    customTags: (tags) =>
      tags.filter((t) => typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME')),
    uniqueKeys: true, // Kubernetes strict decoding rejects duplicate fields
    prettyErrors: false,
    keepSourceTokens: false,
  });
  const list: Document.Parsed[] = Array.isArray(docs) ? docs : [docs as unknown as Document.Parsed];
  const documents: ParsedDocument[] = [];
  const errors: YamlSyntaxError[] = [];
  list.forEach((doc, index) => {
    const firstError = doc.errors[0];
    if (firstError !== undefined) {
      const pos = lineCounter.linePos(firstError.pos[0]);
      errors.push({ index, line: pos.line, column: pos.col, message: cleanYamlMessage(firstError.message) });
      return;
    }
    const lines = new Map<string, number>();
    const root = doc.contents as YamlNode | null;
    const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
    if (root !== null) indexNode(root, [], lines, lineAt, doc);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      const line = root?.range ? lineAt(root.range[0]) : 1;
      errors.push({ index, line, column: 1, message: cleanYamlMessage((error as Error).message) });
      return;
    }
    const line = root?.range ? lineAt(firstContentOffset(root)) : lineAt(doc.range[0]);
    documents.push({ index, value: value ?? null, line, lines });
  });
  return { documents, errors };
}

function firstContentOffset(node: YamlNode): number {
  if (isMap(node) && node.items.length > 0) {
    const key = node.items[0]?.key as YamlNode | undefined;
    if (key?.range) return key.range[0];
  }
  return node.range?.[0] ?? 0;
}

function indexNode(
  node: YamlNode,
  path: (string | number)[],
  lines: Map<string, number>,
  lineAt: (offset: number) => number,
  doc: Document.Parsed,
): void {
  const target = isAlias(node) ? (node.resolve(doc) as YamlNode | undefined) : node;
  if (target === undefined) return;
  if (isMap(target)) {
    for (const pair of target.items) {
      if (!isPair(pair)) continue;
      const key = pair.key as YamlNode | null;
      const name = isScalar(key) ? String(key.value) : null;
      if (name === null || name === '<<') continue;
      const keyPath = [...path, name];
      const at = key?.range?.[0];
      if (at !== undefined) lines.set(pathKey(keyPath), lineAt(at));
      const value = pair.value as YamlNode | null;
      if (value !== null && value !== undefined) indexNode(value, keyPath, lines, lineAt, doc);
    }
  } else if (isSeq(target)) {
    target.items.forEach((item, i) => {
      const child = item as YamlNode | null;
      const itemPath = [...path, i];
      const at = child?.range?.[0];
      if (at !== undefined) lines.set(pathKey(itemPath), lineAt(at));
      if (child !== null && child !== undefined) indexNode(child, itemPath, lines, lineAt, doc);
    });
  }
}

// The yaml package appends a code excerpt and error codes; one line reads better in a CLI.
function cleanYamlMessage(message: string): string {
  return (
    message
      .split('\n')[0]
      ?.replace(/ at line \d+, column \d+:?$/, '')
      .trim() ?? message
  );
}
