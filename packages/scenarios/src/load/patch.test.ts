/**
 * JSON Merge Patch and JSON Patch against the test vectors their RFCs publish (RFC 7386 Appendix A,
 * RFC 6902 Appendix A), plus properties that follow from the definitions.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { JsonPatchOperation } from '../schema/types/variants.js';
import { applyJsonPatch, applyMergePatch, jsonEqual, parsePointer, PatchError } from './patch.js';

describe('applyMergePatch() — RFC 7386 Appendix A', () => {
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  it.each(cases)('%j patched with %j is %j', (target, patch, result) => {
    expect(applyMergePatch(target, patch)).toEqual(result);
  });

  const json = fc.jsonValue({ maxDepth: 3 });
  test.prop([json, json])('never modifies its inputs', (target, patch) => {
    const before = [JSON.stringify(target), JSON.stringify(patch)];
    applyMergePatch(target, patch);
    expect([JSON.stringify(target), JSON.stringify(patch)]).toEqual(before);
  });
  test.prop([json, json])('is idempotent: applying a patch twice is applying it once', (target, patch) => {
    const once = applyMergePatch(target, patch);
    expect(jsonEqual(applyMergePatch(once, patch), once)).toBe(true);
  });
});

describe('applyJsonPatch() — RFC 6902 Appendix A', () => {
  const ok: [string, unknown, JsonPatchOperation[], unknown][] = [
    [
      'A.1 adding an object member',
      { foo: 'bar' },
      [{ op: 'add', path: '/baz', value: 'qux' }],
      { baz: 'qux', foo: 'bar' },
    ],
    [
      'A.2 adding an array element',
      { foo: ['bar', 'baz'] },
      [{ op: 'add', path: '/foo/1', value: 'qux' }],
      { foo: ['bar', 'qux', 'baz'] },
    ],
    ['A.3 removing an object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    [
      'A.4 removing an array element',
      { foo: ['bar', 'qux', 'baz'] },
      [{ op: 'remove', path: '/foo/1' }],
      { foo: ['bar', 'baz'] },
    ],
    [
      'A.5 replacing a value',
      { baz: 'qux', foo: 'bar' },
      [{ op: 'replace', path: '/baz', value: 'boo' }],
      { baz: 'boo', foo: 'bar' },
    ],
    [
      'A.6 moving a value',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    [
      'A.7 moving an array element',
      { foo: ['all', 'grass', 'cows', 'eat'] },
      [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
      { foo: ['all', 'cows', 'eat', 'grass'] },
    ],
    [
      'A.8 testing a value: success',
      { baz: 'qux', foo: ['a', 2, 'c'] },
      [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ],
      { baz: 'qux', foo: ['a', 2, 'c'] },
    ],
    [
      'A.10 adding a nested member object',
      { foo: 'bar' },
      [{ op: 'add', path: '/child', value: { grandchild: {} } }],
      { foo: 'bar', child: { grandchild: {} } },
    ],
    ['A.14 ~ escape ordering', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
    [
      'A.16 adding an array value',
      { foo: ['bar'] },
      [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }],
      { foo: ['bar', ['abc', 'def']] },
    ],
  ];
  it.each(ok)('%s', (_, doc, ops, result) => {
    expect(applyJsonPatch(doc, ops)).toEqual(result);
  });

  const failing: [string, unknown, JsonPatchOperation[], string][] = [
    [
      'A.9 testing a value: error',
      { baz: 'qux' },
      [{ op: 'test', path: '/baz', value: 'bar' }],
      'test "/baz": the value is not "bar"',
    ],
    [
      'A.12 adding to a nonexistent target',
      { foo: 'bar' },
      [{ op: 'add', path: '/baz/bat', value: 'qux' }],
      'add "/baz/bat": /baz does not exist',
    ],
    [
      'A.15 comparing strings and numbers',
      { '/': 9, '~1': 10 },
      [{ op: 'test', path: '/~01', value: '10' }],
      'test "/~01": the value is not "10"',
    ],
    ['removing a missing member', { a: 1 }, [{ op: 'remove', path: '/b' }], 'remove "/b": /b does not exist'],
    [
      'an index past the end',
      { a: [1] },
      [{ op: 'replace', path: '/a/3', value: 2 }],
      'replace "/a/3": /a/3: index 3 is out of range (the array has 1 item)',
    ],
    [
      'a leading zero is not an index',
      { a: [1, 2] },
      [{ op: 'remove', path: '/a/01' }],
      'remove "/a/01": /a/01: "01" is not an array index',
    ],
    [
      'moving a value into itself',
      { a: { b: 1 } },
      [{ op: 'move', from: '/a', path: '/a/b/c' }],
      'move "/a/b/c": cannot move "/a" into itself',
    ],
  ];
  it.each(failing)('%s fails', (_, doc, ops, message) => {
    expect(() => applyJsonPatch(doc, ops)).toThrow(new PatchError(message, 0));
  });

  it('reports the index of the failing operation', () => {
    const ops: JsonPatchOperation[] = [
      { op: 'add', path: '/a', value: 1 },
      { op: 'remove', path: '/zz' },
    ];
    expect(() => applyJsonPatch({}, ops)).toThrow(expect.objectContaining({ index: 1 }));
  });

  const doc = fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { noNullPrototype: true });
  const key = fc.string({ maxLength: 4 });
  const escape = (k: string) => `/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  test.prop([doc, key, fc.jsonValue({ maxDepth: 2 })])(
    'add then test the same pointer succeeds; add then remove restores a missing member',
    (d, k, v) => {
      const added = applyJsonPatch(d, [{ op: 'add', path: escape(k), value: v }]);
      expect(() => applyJsonPatch(added, [{ op: 'test', path: escape(k), value: v }])).not.toThrow();
      if (!(k in d)) expect(applyJsonPatch(added, [{ op: 'remove', path: escape(k) }])).toEqual(d);
    },
  );
  test.prop([key])('parsePointer() inverts the ~0/~1 escaping', (k) => {
    expect(parsePointer(escape(k))).toEqual([k]);
  });
});
