/**
 * A scenario file parsed once, keeping its syntax tree so that every later error — from the schema, the
 * semantic checks or the mesh model — can point at `file:line:column` of the field it concerns.
 *
 * The scenario body is read as YAML 1.2 (`on`, `no`, `yes` are strings, as most editors assume). Manifests
 * written inline are cut out of the text and read again with Kubernetes' YAML 1.1 rules by the manifest
 * loader, exactly as `kubectl apply` would read them, with their lines unchanged.
 */
import { ConfigError, type FieldPath } from '@meshsim/sim-core';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

/** A 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A parsed scenario file. */
export interface YamlSource {
  /** The file as the user named it. */
  readonly file: string;
  readonly text: string;
  /** The document as plain JSON (`null` when empty). */
  readonly value: unknown;
  /**
   * Where the node at `path` starts — its key with `'key'`, its value otherwise — or, when the path does not
   * exist, where its nearest existing ancestor starts.
   */
  position(path: FieldPath, at?: 'key' | 'value'): Position;
  /**
   * The source text of the block or flow mapping at `path`, padded with blank lines and spaces so that it
   * parses on its own with every line and column unchanged; `undefined` when `path` is not a mapping
   * written in place (an alias, for instance).
   */
  mappingText(path: FieldPath): string | undefined;
}

/** Parses a scenario file. Throws a {@link ConfigError} (code `scenario/yaml`) on a syntax error. */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, merge: true, prettyErrors: false });
  const fail = (offset: number, message: string): never => {
    const { line, col } = lineCounter.linePos(offset);
    throw new ConfigError(message, { file, line, column: col }, 'scenario/yaml');
  };
  const error = doc.errors[0];
  if (error !== undefined) {
    fail(
      error.pos[0],
      error.code === 'MULTIPLE_DOCS'
        ? 'a scenario file holds one YAML document (put manifests in files listed under `manifests`, or inline there)'
        : yamlMessage(error.message),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 }) ?? null;
  } catch (e) {
    fail(0, yamlMessage((e as Error).message));
  }
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const rootStart = (doc.contents as Node | null)?.range?.[0] ?? 0;
  return {
    file,
    text,
    value,
    position(path, where = 'value') {
      const found = walk(doc, path);
      const node = where === 'key' && found.exact && found.key !== undefined ? found.key : found.node;
      const offset = node?.range?.[0] ?? found.fallback ?? rootStart;
      return at(offset);
    },
    mappingText(path) {
      const found = walk(doc, path);
      if (!found.exact || found.node === undefined || !isMap(found.node) || found.viaAlias) return undefined;
      const range = found.node.range;
      if (!range) return undefined;
      const { line, col } = lineCounter.linePos(range[0]);
      return '\n'.repeat(line - 1) + ' '.repeat(col - 1) + text.slice(range[0], range[2]);
    },
  };
}

interface Found {
  /** The node at the path, or at its deepest existing ancestor. */
  readonly node: Node | undefined;
  /** The key scalar of the last segment, for mapping entries. */
  readonly key: Node | undefined;
  readonly exact: boolean;
  readonly viaAlias: boolean;
  readonly fallback: number | undefined;
}

function walk(doc: Document.Parsed, path: FieldPath): Found {
  let node = doc.contents as Node | null | undefined;
  let key: Node | undefined;
  let viaAlias = false;
  for (const segment of path) {
    if (isAlias(node)) {
      node = node.resolve(doc) as Node | undefined;
      viaAlias = true;
    }
    let next: Node | null | undefined;
    let nextKey: Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair !== undefined) {
        nextKey = pair.key as Node;
        next = (pair.value as Node | null) ?? undefined;
        if (next === undefined) return { node: nextKey, key: nextKey, exact: true, viaAlias, fallback: undefined };
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment] as Node | null | undefined;
    }
    if (next === undefined || next === null) {
      return { node: node ?? undefined, key, exact: false, viaAlias, fallback: undefined };
    }
    node = next;
    key = nextKey;
  }
  if (isAlias(node)) {
    // Point at the alias itself (`*anchor`), where the user wrote the value.
    return { node, key, exact: true, viaAlias: true, fallback: undefined };
  }
  return { node: node ?? undefined, key, exact: true, viaAlias, fallback: undefined };
}

// The yaml package appends a code excerpt and "at line N, column M"; the location is ours to print.
function yamlMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return `invalid YAML: ${first.replace(/ at line \d+, column \d+:?$/, '').trim()}`;
}
