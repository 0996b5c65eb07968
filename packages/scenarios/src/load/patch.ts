/**
 * JSON Merge Patch (RFC 7386) and JSON Patch (RFC 6902), as `kubectl patch --type merge|json` applies them to
 * a manifest. Pure functions on plain JSON: inputs are never modified; failures are a {@link PatchError}
 * naming the operation and the pointer, in RFC 6902's terms.
 */
import type { JsonPatchOperation } from '../schema/types/variants.js';

/** A JSON Patch operation that cannot be applied. */
export class PatchError extends Error {
  constructor(
    message: string,
    /** Index of the failing operation. */
    readonly index: number,
  ) {
    super(message);
    this.name = 'PatchError';
  }
}

type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386 §2 `MergePatch(Target, Patch)`: objects merge recursively, `null` removes, anything else replaces. */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}

/** RFC 6902: applies `ops` in order to a copy of `document`; throws {@link PatchError} on the first failure. */
export function applyJsonPatch(document: Json, ops: readonly JsonPatchOperation[]): Json {
  let doc = clone(document);
  ops.forEach((op, index) => {
    const fail = (why: string): never => {
      throw new PatchError(`${op.op} ${JSON.stringify(op.path)}: ${why}`, index);
    };
    const path = parsePointer(op.path);
    switch (op.op) {
      case 'add':
        doc = add(doc, path, clone(op.value), fail);
        break;
      case 'remove':
        doc = remove(doc, path, fail).doc;
        break;
      case 'replace':
        doc = add(remove(doc, path, fail).doc, path, clone(op.value), fail);
        break;
      case 'move': {
        const from = parsePointer(op.from);
        if (from.length < path.length && from.every((s, i) => s === path[i]))
          fail(`cannot move ${JSON.stringify(op.from)} into itself`);
        const taken = remove(doc, from, (why) => fail(`from ${JSON.stringify(op.from)}: ${why}`));
        doc = add(taken.doc, path, taken.value, fail);
        break;
      }
      case 'copy': {
        const value = get(doc, parsePointer(op.from), (why) => fail(`from ${JSON.stringify(op.from)}: ${why}`));
        doc = add(doc, path, clone(value), fail);
        break;
      }
      case 'test':
        if (!jsonEqual(get(doc, path, fail), op.value)) fail(`the value is not ${JSON.stringify(op.value)}`);
        break;
    }
  });
  return doc;
}

/** RFC 6901 JSON Pointer → reference tokens. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(doc: Json, path: readonly string[], fail: (why: string) => never): Json {
  let node = doc;
  for (const [i, token] of path.entries()) {
    const where = pointerOf(path.slice(0, i + 1));
    if (Array.isArray(node)) {
      const index = arrayIndex(token, node.length, false, fail, where);
      node = node[index];
    } else if (isObject(node)) {
      if (!(token in node)) fail(`${where} does not exist`);
      node = node[token];
    } else fail(`${pointerOf(path.slice(0, i))} is not an object or array`);
  }
  return node;
}

// Returns a new document with value inserted at path (RFC 6902 §4.1 "add").
function add(doc: Json, path: readonly string[], value: Json, fail: (why: string) => never): Json {
  if (path.length === 0) return value;
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1] as string;
  return update(doc, parentPath, fail, (parent) => {
    if (Array.isArray(parent)) {
      const copy = [...parent];
      const index = key === '-' ? copy.length : arrayIndex(key, copy.length, true, fail, pointerOf(path));
      copy.splice(index, 0, value);
      return copy;
    }
    if (isObject(parent)) return { ...parent, [key]: value };
    return fail(`${pointerOf(parentPath)} is not an object or array`);
  });
}

function remove(doc: Json, path: readonly string[], fail: (why: string) => never): { doc: Json; value: Json } {
  if (path.length === 0) fail('cannot remove the whole document');
  const key = path[path.length - 1] as string;
  let value: Json;
  const next = update(doc, path.slice(0, -1), fail, (parent) => {
    if (Array.isArray(parent)) {
      const index = arrayIndex(key, parent.length, false, fail, pointerOf(path));
      value = parent[index];
      return parent.filter((_, i) => i !== index);
    }
    if (isObject(parent)) {
      if (!(key in parent)) fail(`${pointerOf(path)} does not exist`);
      value = parent[key];
      const copy = { ...parent };
      delete copy[key];
      return copy;
    }
    return fail(`${pointerOf(path.slice(0, -1))} is not an object or array`);
  });
  return { doc: next, value };
}

// Rebuilds the spine from the root to `path`, replacing the node there with change(node).
function update(
  doc: Json,
  path: readonly string[],
  fail: (why: string) => never,
  change: (node: Json) => Json,
  prefix: readonly string[] = [],
): Json {
  if (path.length === 0) return change(doc);
  const [head, ...rest] = path as [string, ...string[]];
  const here = [...prefix, head];
  if (Array.isArray(doc)) {
    const index = arrayIndex(head, doc.length, false, fail, pointerOf(here));
    const copy = [...doc];
    copy[index] = update(doc[index], rest, fail, change, here);
    return copy;
  }
  if (isObject(doc)) {
    if (!(head in doc)) fail(`${pointerOf(here)} does not exist`);
    return { ...doc, [head]: update(doc[head], rest, fail, change, here) };
  }
  return fail(`${pointerOf(prefix)} is not an object or array`);
}

// `end`: the index one past the last item is allowed (insertion with "add").
function arrayIndex(token: string, length: number, end: boolean, fail: (why: string) => never, where: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) fail(`${where}: ${JSON.stringify(token)} is not an array index`);
  const index = Number(token);
  if (index > (end ? length : length - 1))
    fail(`${where}: index ${index} is out of range (the array has ${length} item${length === 1 ? '' : 's'})`);
  return index;
}

function pointerOf(path: readonly string[]): string {
  return path.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('') || '/';
}

function clone(value: Json): Json {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as Json);
}

/** Deep equality of JSON values (RFC 6902 §4.6 "test"): object member order does not matter. */
export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}
