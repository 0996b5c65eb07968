import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { FieldPath } from '../object.js';
import { lineIn, parseYamlDocuments, pathKey } from './yamlDocuments.js';

// A tiny block-style YAML emitter that records the line it writes each field and item on, so the parser's
// lines can be checked against an independent source of truth.
type Json = string | number | boolean | Json[] | { [k: string]: Json };
function emit(value: Json): { text: string; lines: Map<string, number> } {
  const out: string[] = [];
  const lines = new Map<string, number>();
  const scalar = (v: Json): string | undefined => {
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v) && v.length === 0) return '[]';
    if (!Array.isArray(v) && Object.keys(v).length === 0) return '{}';
    return undefined;
  };
  const walk = (v: Json, indent: string, path: (string | number)[]): void => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        // An item's line is where its content starts (the next line for a nested block under a bare `-`).
        const s = scalar(item);
        lines.set(pathKey([...path, i]), out.length + (s === undefined ? 2 : 1));
        out.push(s === undefined ? `${indent}-` : `${indent}- ${s}`);
        if (s === undefined) walk(item, `${indent}  `, [...path, i]);
      });
    } else if (typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        lines.set(pathKey([...path, k]), out.length + 1);
        const s = scalar(child);
        out.push(s === undefined ? `${indent}${JSON.stringify(k)}:` : `${indent}${JSON.stringify(k)}: ${s}`);
        if (s === undefined) walk(child, `${indent}  `, [...path, k]);
      }
    }
  };
  walk(value, '', []);
  return { text: `${out.join('\n')}\n`, lines };
}

const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== '<<');
const json: fc.Arbitrary<Json> = fc.letrec<{ node: Json }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ maxLength: 10 }),
    fc.integer(),
    fc.boolean(),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(key, tie('node'), { maxKeys: 4 }),
  ),
})).node;
const root = fc.dictionary(key, json, { minKeys: 1, maxKeys: 5 });

describe('parseYamlDocuments()', () => {
  test.prop([root])('the line reported for a field is the line where it appears', (value) => {
    const { text, lines } = emit(value);
    const { documents, errors } = parseYamlDocuments(text);
    expect(errors).toEqual([]);
    expect(documents).toHaveLength(1);
    const doc = documents[0];
    expect(doc?.value).toEqual(value);
    for (const [k, line] of lines) expect(doc?.lines.get(k), k).toBe(line);
  });

  test.prop([root, fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 4 })])(
    'lineIn() falls back to the nearest existing ancestor',
    (value, suffix) => {
      const { text } = emit(value);
      const doc = parseYamlDocuments(text).documents[0];
      const first = Object.keys(value)[0] as string;
      const path: FieldPath = [first, '\u0000missing', ...suffix];
      expect(lineIn(doc?.lines ?? new Map(), path, -1)).toBe(doc?.lines.get(pathKey([first])));
    },
  );

  it('reads YAML 1.1 scalars as Kubernetes does, but keeps timestamps and h:m:s strings', () => {
    const { documents } = parseYamlDocuments(
      'a: yes\nb: off\nc: y\nd: 0755\ne: 2024-01-02T03:04:05Z\nf: 1:30\ng: "on"\n',
    );
    expect(documents[0]?.value).toEqual({
      a: true,
      b: false,
      c: true,
      d: 493,
      e: '2024-01-02T03:04:05Z',
      f: '1:30',
      g: 'on',
    });
  });

  it('numbers documents and reports syntax errors per document', () => {
    const { documents, errors } = parseYamlDocuments('a: 1\n---\nb: [1,\n---\nc: 3\n');
    expect(documents.map((d) => d.index)).toEqual([0, 2]);
    expect(errors.map((e) => e.index)).toEqual([1]);
    expect(documents[1]?.line).toBe(5);
  });
});
