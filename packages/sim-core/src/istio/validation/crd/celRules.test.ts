import { describe, expect, it } from 'vitest';
import { evaluateCelRule, implementedCelRules } from './celRules.js';
import { ISTIO_CRD_SCHEMAS } from './crdSchemas.gen.js';
import type { JSONSchemaProps } from './schemaTypes.js';

function rulesIn(schema: JSONSchemaProps, out: Set<string>): Set<string> {
  for (const r of schema['x-kubernetes-validations'] ?? []) out.add(r.rule);
  for (const child of [
    ...Object.values(schema.properties ?? {}),
    ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : []),
    ...(schema.items ? [schema.items] : []),
    ...(schema.oneOf ?? []),
    ...(schema.anyOf ?? []),
    ...(schema.allOf ?? []),
  ]) {
    rulesIn(child, out);
  }
  return out;
}

describe('CRD CEL rules', () => {
  it('implements exactly the rules Istio 1.29 CRDs use', () => {
    const used = new Set<string>();
    for (const crd of Object.values(ISTIO_CRD_SCHEMAS)) rulesIn(crd.schema, used);
    expect([...used].sort()).toEqual([...implementedCelRules()].sort());
  });

  it.each([
    ["duration(self) >= duration('1ms')", '1ms', true],
    ["duration(self) >= duration('1ms')", '1h30m', true],
    ["duration(self) >= duration('1ms')", '999us', false],
    ["duration(self) >= duration('1ms')", '5 seconds', false],
    ['0 < self && self <= 65535', 65535, true],
    ['0 < self && self <= 65535', 0, false],
    ['self.all(key, 0 < int(key) && int(key) <= 65535)', { '8080': {}, '443': {} }, true],
    ['self.all(key, 0 < int(key) && int(key) <= 65535)', { http: {} }, false],
    ['self.all(l1, self.exists_one(l2, l1.number == l2.number))', [{ number: 80 }, { number: 443 }], true],
    ['self.all(l1, self.exists_one(l2, l1.number == l2.number))', [{ number: 80 }, { number: 80 }], false],
    ['has(self.address) || has(self.network)', { network: 'vm-net' }, true],
    ['has(self.address) || has(self.network)', { labels: {} }, false],
    [
      '((has(self.resolution) ? self.resolution : "NONE") == "NONE") ? !has(self.endpoints) : true',
      { endpoints: [] },
      false,
    ],
    [
      '((has(self.resolution) ? self.resolution : "NONE") == "NONE") ? !has(self.endpoints) : true',
      { resolution: 'STATIC', endpoints: [] },
      true,
    ],
    [
      'self.startsWith("unix://") ? (self.substring(7, 8) == "/" || self.substring(7, 8) == "@") : true',
      'unix://relative',
      false,
    ],
    [
      'self.startsWith("unix://") ? (self.substring(7, 8) == "/" || self.substring(7, 8) == "@") : true',
      'unix:///var/run/x.sock',
      true,
    ],
    ['url(self).getScheme() in ["http", "https"]', 'https://example.com/jwks', true],
    ['url(self).getScheme() in ["http", "https"]', 'ftp://example.com/jwks', false],
  ] as const)('%s on %j is %s', (rule, self, expected) => {
    expect(evaluateCelRule(rule, self)).toBe(expected);
  });

  it('refuses to guess about a rule it does not know (a meshsim bug, not bad input)', () => {
    expect(() => evaluateCelRule('self.size() > 3', 'x')).toThrow(/meshsim bug/);
  });
});
