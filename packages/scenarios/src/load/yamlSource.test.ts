/** parseYamlSource(): positions of keys and values, and inline mappings that re-parse with their lines. */
import { ConfigError } from '@meshsim/sim-core';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseYamlSource } from './yamlSource.js';

const TEXT = `name: x
traffic:
  - name: users
    rate: 5   # comment
    mix: [{url: "http://a", weight: 2}]
`;

describe('parseYamlSource()', () => {
  const source = parseYamlSource('s.yaml', TEXT);
  it.each([
    [['name'], 'key', 1, 1],
    [['name'], 'value', 1, 7],
    [['traffic', 0], 'value', 3, 5],
    [['traffic', 0, 'rate'], 'key', 4, 5],
    [['traffic', 0, 'rate'], 'value', 4, 11],
    [['traffic', 0, 'mix', 0, 'weight'], 'value', 5, 37],
  ] as const)('%j (%s) is at %i:%i', (path, at, line, column) => {
    expect(source.position(path, at)).toEqual({ line, column });
  });
  it('falls back to the nearest existing ancestor', () => {
    expect(source.position(['traffic', 0, 'missing', 'deeper'])).toEqual({ line: 3, column: 5 });
  });
  it('refuses a syntax error with its position', () => {
    expect(() => parseYamlSource('s.yaml', 'a: [1, 2\nb: 3\n')).toThrow(ConfigError);
  });

  const key = fc.stringMatching(/^[a-z]{1,6}$/);
  const value = fc.oneof(fc.integer(), fc.stringMatching(/^[a-z ]{0,6}$/), fc.boolean());
  const mapping = fc.dictionary(
    key,
    fc.oneof(value, fc.dictionary(key, value, { maxKeys: 3, noNullPrototype: true })),
    { minKeys: 1, maxKeys: 4, noNullPrototype: true },
  );
  test.prop([fc.array(mapping, { minLength: 1, maxLength: 3 }), fc.constantFrom<'block' | 'flow'>('block', 'flow')])(
    'an inline mapping re-parses alone to the same value, with the same lines',
    (items, style) => {
      const text = stringify(
        { before: 1, list: items },
        { collectionStyle: style === 'flow' ? 'any' : 'block', flowCollectionPadding: false },
      );
      const src = parseYamlSource('s.yaml', text);
      items.forEach((item, i) => {
        const alone = src.mappingText(['list', i]);
        expect(alone).toBeDefined();
        expect(parse(alone as string)).toEqual(item);
        const line = src.position(['list', i]).line;
        expect((alone as string).split('\n')[line - 1]?.trim()).not.toBe('');
        expect(
          (alone as string)
            .split('\n')
            .slice(0, line - 1)
            .every((l) => l === ''),
        ).toBe(true);
      });
    },
  );
});
