import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadManifests } from '../../k8s/load/loadManifests.js';
import type { KubeObject } from '../../k8s/object.js';
import { formatFieldPath } from '../../k8s/object.js';
import { ISTIO_CRD_SCHEMAS } from './crd/crdSchemas.gen.js';
import type { JSONSchemaProps } from './crd/schemaTypes.js';
import { schemaValidationMessages } from './schemaValidationMessages.js';
import { destinationRule, gateway, manifestsYaml, serviceEntry, virtualService } from '../../testing/index.js';

const SAMPLES = join(import.meta.dirname, '..', '..', 'k8s', 'load', 'testdata', 'istio-samples');
const samples = loadManifests(
  readdirSync(SAMPLES)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ file: f, text: readFileSync(join(SAMPLES, f), 'utf8') })),
).objects.filter((o) => o.apiVersion.includes('istio.io'));

const plain = (o: KubeObject): Record<string, unknown> => {
  const { source: _source, ...rest } = o;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
};

// Paths of object nodes whose schema lists its fields (not maps, not preserve-unknown-fields).
function closedObjects(value: unknown, schema: JSONSchemaProps, path: (string | number)[]): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value))
    return schema.items ? value.flatMap((v, i) => closedObjects(v, schema.items as JSONSchemaProps, [...path, i])) : [];
  if (schema['x-kubernetes-preserve-unknown-fields'] === true || schema.properties === undefined) return [];
  const here = schema.additionalProperties === undefined ? [path] : [];
  return [
    ...here,
    ...Object.entries(value).flatMap(([k, v]) =>
      schema.properties?.[k] ? closedObjects(v, schema.properties[k] as JSONSchemaProps, [...path, k]) : [],
    ),
  ];
}

const vs = (route: unknown[]): string =>
  stringify({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'r' },
    spec: { hosts: ['r'], http: [{ route }] },
  });

describe('validateIstioObject()', () => {
  test.prop([fc.nat(), fc.nat(), fc.stringMatching(/^[a-z][a-zA-Z]{2,8}$/)])(
    'an unknown field anywhere in a spec is one error at its path and line',
    (i, j, name) => {
      const o = samples[i % samples.length] as KubeObject;
      const group = o.apiVersion.split('/')[0] ?? '';
      const schema = ISTIO_CRD_SCHEMAS[`${group}/${o.kind}`]?.schema.properties?.['spec'] as JSONSchemaProps;
      const data = plain(o);
      const targets = closedObjects(data['spec'], schema, ['spec']);
      const target = targets[j % targets.length] as (string | number)[];
      let node = data as Record<string | number, unknown>;
      for (const k of target) node = node[k] as Record<string | number, unknown>;
      const field = `x${name}`;
      fc.pre(!(field in node));
      node[field] = 1;
      const text = stringify(data);
      const { errors } = loadManifests([{ file: 'm.yaml', text }]);
      const path = formatFieldPath([...target, field]);
      expect(errors.map((e) => e.detail)).toEqual([`unknown field ${JSON.stringify(path)}`]);
      const line = text.split('\n')[(errors[0]?.location.line ?? 0) - 1];
      expect(line).toMatch(new RegExp(`(^|[\\s{,-])${field}: 1`));
    },
  );

  test.prop([fc.array(fc.integer({ min: -100, max: 200 }), { minLength: 1, maxLength: 4 })])(
    'weights: each negative one is an error, and several destinations need a non-zero total',
    (weights) => {
      const route = weights.map((w, k) => ({ destination: { host: 'r', subset: `v${k}` }, weight: w }));
      const got = loadManifests([{ file: 'vs.yaml', text: vs(route) }]).errors.map(
        (e) => `${e.location.field}: ${e.detail}`,
      );
      const want = [
        ...weights.flatMap((w, k) => (w < 0 ? [`spec.http[0].route[${k}].weight: weight ${w} < 0`] : [])),
        ...(weights.length > 1 && weights.reduce((a, b) => a + b, 0) === 0
          ? ['spec.http[0].route: total destination weight = 0']
          : []),
      ];
      expect([...got].sort()).toEqual([...want].sort());
    },
  );

  it('consults the webhook only when the schema holds (one mistake, one error)', () => {
    const text = vs([
      { destination: { host: 'r' }, weight: 'heavy' },
      { destination: { host: 'r' }, weight: 0 },
    ]);
    expect(loadManifests([{ file: 'vs.yaml', text }]).errors.map((e) => e.detail)).toEqual([
      'Invalid value: "heavy": must be of type integer, got string',
    ]);
  });

  it('reports Istio validation warnings without rejecting the object', () => {
    const text = stringify({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'r', namespace: 'shop' },
      spec: { hosts: ['r'], gateways: ['shop-gateway.shop'], http: [{ route: [{ destination: { host: 'r' } }] }] },
    });
    const result = loadManifests([{ file: 'vs.yaml', text }]);
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.detail)).toEqual([
      'using legacy gatewayName format "shop-gateway.shop"; prefer the <namespace>/<name> format: "shop/shop-gateway"',
    ]);
  });
});

describe('schemaValidationMessages()', () => {
  it('yields IST0106 data in istioctl analyze wording', () => {
    const text = vs([{ destination: { host: 'r' }, weight: -10 }]);
    const { errors, warnings } = loadManifests([{ file: 'vs.yaml', text: `# comment\n${text}` }]);
    expect(schemaValidationMessages(errors, warnings)).toEqual([
      {
        code: 'IST0106',
        level: 'Error',
        message: 'Schema validation error: spec.http[0].route[0].weight: weight -10 < 0',
        detail: 'weight -10 < 0',
        kind: 'VirtualService',
        object: 'default/r',
        file: 'vs.yaml',
        line: 13,
        field: 'spec.http[0].route[0].weight',
      },
    ]);
  });

  it('leaves out errors that are not about an Istio object (syntax, unknown kinds)', () => {
    const { errors } = loadManifests([
      { file: 'x.yaml', text: 'a: [\n---\napiVersion: v9\nkind: Nope\nmetadata: {name: x}\n' },
    ]);
    expect(errors).toHaveLength(2);
    expect(schemaValidationMessages(errors)).toEqual([]);
  });
});

describe("Istio's webhook checks on arbitrary well-typed values", () => {
  // Replaces every leaf with a random value of the same JSON type, so the schema mostly holds and the
  // webhook checks run on values they were never written for.
  function retype(value: unknown, mk: { s: () => string; n: () => number; b: () => boolean }): unknown {
    if (typeof value === 'string') return mk.s();
    if (typeof value === 'number') return mk.n();
    if (typeof value === 'boolean') return mk.b();
    if (Array.isArray(value)) return value.map((v) => retype(v, mk));
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, retype(v, mk)]));
    return value;
  }

  test.prop([
    fc.nat(),
    fc.infiniteStream(
      fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.constantFrom(
          '*',
          '*.x.com',
          '10.0.0.1',
          'unix:///a',
          '(a',
          '1ms',
          '0s',
          'HTTP',
          'TLS',
          'DNS',
          'STATIC',
          'NONE',
        ),
      ),
    ),
    fc.infiniteStream(fc.integer({ min: -5, max: 70_000 })),
    fc.infiniteStream(fc.boolean()),
  ])('never throw, and every error names a field of the object', (i, strings, ints, bools) => {
    const o = samples[i % samples.length] as KubeObject;
    const data = plain(o);
    const s = strings[Symbol.iterator]();
    const n = ints[Symbol.iterator]();
    const b = bools[Symbol.iterator]();
    data['spec'] = retype(data['spec'], {
      s: () => s.next().value as string,
      n: () => n.next().value as number,
      b: () => b.next().value as boolean,
    });
    const result = loadManifests([{ file: 'm.yaml', text: stringify(data) }]);
    for (const e of [...result.errors, ...result.warnings]) expect(e.location.field ?? '').toMatch(/^(spec|metadata)/);
  });
});

// The resource arbitraries of @meshsim/sim-core/testing are valid by construction: Istio's checks must accept
// every one of them, without a warning (no false positives), whatever the combination of fields.
describe('Istio validation accepts every resource valid by construction (@meshsim/sim-core/testing)', () => {
  const loadAll = (objects: readonly object[]): ReturnType<typeof loadManifests> =>
    loadManifests([{ file: 'generated.yaml', text: manifestsYaml(objects as never) }]);

  test.prop([virtualService({ host: 'reviews', subsets: ['v1', 'v2'], policies: true, catchAll: true })])(
    'VirtualServices (matches, weights, fault, retries, timeout)',
    (vs) => {
      const r = loadAll([vs]);
      expect([...r.errors, ...r.warnings].map((e) => e.message)).toEqual([]);
    },
  );

  test.prop([
    destinationRule({ host: 'reviews', subsets: ['v1', 'v2', 'v3'], trafficPolicy: true }),
    serviceEntry(),
    gateway(),
  ])('DestinationRules, ServiceEntries and Gateways', (dr, se, gw) => {
    const r = loadAll([dr, se, gw]);
    expect([...r.errors, ...r.warnings].map((e) => e.message)).toEqual([]);
  });
});
