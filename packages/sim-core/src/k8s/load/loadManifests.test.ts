import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from '../../errors.js';
import type { KubeObject } from '../object.js';
import { knownKinds } from './kinds.js';
import { loadManifests, loadManifestsOrThrow } from './loadManifests.js';

const withoutSource = (o: KubeObject): unknown => {
  const { source: _source, ...rest } = o;
  return rest;
};

// Valid manifests of several kinds, named uniquely by index so that any selection loads without errors.
const manifest = (i: number, kind: number, n: number): Record<string, unknown> => {
  const name = `obj-${i}`;
  switch (kind % 5) {
    case 0:
      return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: `ns-${n % 3}` } };
    case 1:
      return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { key: `v${n}` } };
    case 2:
      return {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, labels: { app: name } },
        spec: { selector: { app: name }, ports: [{ name: 'http', port: 1 + (n % 65535), targetPort: 'http' }] },
      };
    case 3:
      return {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name },
        spec: {
          hosts: [name],
          http: [
            {
              route: [
                { destination: { host: name, subset: 'v1' }, weight: n % 100 },
                { destination: { host: name, subset: 'v2' }, weight: 100 - (n % 100) },
              ],
            },
          ],
        },
      };
    default:
      return {
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'DestinationRule',
        metadata: { name },
        spec: { host: name, subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
      };
  }
};

const docs = fc
  .array(fc.tuple(fc.nat(4), fc.nat(100_000)), { minLength: 1, maxLength: 12 })
  .map((specs) => specs.map(([kind, n], i) => stringify(manifest(i, kind, n))));

/** Splits `texts` into files: `cuts[i]` true starts a new file before document i. */
function arrange(
  texts: readonly string[],
  order: readonly number[],
  cuts: readonly boolean[],
): { file: string; text: string }[] {
  const files: string[][] = [];
  order.forEach((d, i) => {
    if (i === 0 || cuts[i] === true) files.push([]);
    files[files.length - 1]?.push(texts[d] ?? '');
  });
  return files.map((f, i) => ({ file: `f${i}.yaml`, text: f.join('---\n') }));
}

const arrangement = docs.chain((texts) =>
  fc.tuple(
    fc.constant(texts),
    fc.shuffledSubarray(
      texts.map((_, i) => i),
      { minLength: texts.length, maxLength: texts.length },
    ),
    fc.array(fc.boolean(), { minLength: texts.length, maxLength: texts.length }),
  ),
);

describe('loadManifests()', () => {
  test.prop([arrangement])('is independent of document order and of splitting into files', ([texts, order, cuts]) => {
    const reference = loadManifests([{ file: 'all.yaml', text: texts.join('---\n') }]);
    const inputs = arrange(texts, order, cuts);
    const result = loadManifests(inputs);
    expect(reference.errors).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(result.objects.map(withoutSource)).toEqual(reference.objects.map(withoutSource));
    // Every object's source points at its own document: the text there is the document it came from.
    for (const o of result.objects) {
      const input = inputs.find((f) => f.file === o.source.file);
      const docText = input?.text.split('---\n')[o.source.document] ?? '';
      const i = Number(o.metadata.name.slice('obj-'.length));
      expect(docText).toBe(texts[i]);
      const lines = input?.text.split('\n') ?? [];
      expect(lines[o.source.line - 1]).toMatch(/^apiVersion: /);
      expect(lines[o.source.lineOf(['metadata', 'name']) - 1]).toContain(`name: ${o.metadata.name}`);
    }
  });

  test.prop([docs, fc.integer({ min: 1, max: 500 })])('firstLine shifts every reported line', (texts, firstLine) => {
    const text = texts.join('---\n');
    const at1 = loadManifests([{ file: 'x.yaml', text }]).objects;
    const shifted = loadManifests([{ file: 'x.yaml', text, firstLine }]).objects;
    expect(shifted.map((o) => o.source.line)).toEqual(at1.map((o) => o.source.line + firstLine - 1));
    expect(shifted.map((o) => o.source.lineOf(['metadata', 'name']))).toEqual(
      at1.map((o) => o.source.lineOf(['metadata', 'name']) + firstLine - 1),
    );
  });

  it('reads kind: List items with their own lines and fills the default namespace', () => {
    const text = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: a
- apiVersion: v1
  kind: Namespace
  metadata:
    name: demo
    namespace: ignored
`;
    const { objects, errors } = loadManifests([{ file: 'list.yaml', text }], { defaultNamespace: 'team' });
    expect(errors).toEqual([]);
    const [ns, sa] = objects;
    expect(sa?.metadata).toEqual({ name: 'a', namespace: 'team' });
    expect(sa?.source.line).toBe(4);
    expect(sa?.source.lineOf(['metadata', 'name'])).toBe(7);
    expect(ns?.metadata).toEqual({ name: 'demo' }); // cluster-scoped: the apiserver ignores a namespace
  });

  it('strips kubectl get -o yaml noise but keeps the status fields meshsim honours', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: web-0
  namespace: default
  uid: 0b6e2a7c-1111-2222-3333-444455556666
  resourceVersion: "12345"
  generation: 2
  creationTimestamp: "2024-05-01T10:00:00Z"
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1"}'
  managedFields:
  - manager: kubectl
    operation: Update
spec:
  containers:
  - name: web
    image: nginx
status:
  phase: Running
  podIP: 10.244.1.7
  hostIP: 172.18.0.3
  qosClass: BestEffort
  startTime: "2024-05-01T10:00:01Z"
`;
    const { objects, errors } = loadManifests([{ file: 'dump.yaml', text }]);
    expect(errors).toEqual([]);
    const pod = objects[0];
    expect(pod?.metadata).toEqual({
      name: 'web-0',
      namespace: 'default',
      uid: '0b6e2a7c-1111-2222-3333-444455556666',
      creationTimestamp: '2024-05-01T10:00:00Z',
    });
    expect(pod?.status).toEqual({ phase: 'Running', podIP: '10.244.1.7', hostIP: '172.18.0.3' });
  });

  it('reads JSON, skips empty documents and freezes every object deeply', () => {
    const json = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'istio', namespace: 'istio-system' },
        data: { mesh: 'rootNamespace: istio-system' },
      },
      null,
      2,
    );
    const { objects, errors } = loadManifests([
      { file: 'cm.json', text: json },
      { file: 'empty.yaml', text: '---\n# nothing\n---\n' },
    ]);
    expect(errors).toEqual([]);
    expect(objects).toHaveLength(1);
    const cm = objects[0] as KubeObject;
    expect(cm.source.lineOf(['data', 'mesh'])).toBe(9);
    expect(Object.isFrozen(cm) && Object.isFrozen(cm.metadata) && Object.isFrozen(cm.data)).toBe(true);
    expect(() => {
      (cm.metadata as { name: string }).name = 'x';
    }).toThrow(TypeError);
  });

  it('accepts every served Istio API version and skips unmodelled Kubernetes kinds with a warning', () => {
    const text = ['v1', 'v1beta1', 'v1alpha3']
      .map(
        (v) =>
          `apiVersion: networking.istio.io/${v}\nkind: DestinationRule\nmetadata:\n  name: dr-${v}\nspec:\n  host: reviews\n`,
      )
      .concat(['apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n'])
      .join('---\n');
    const { objects, errors, warnings } = loadManifests([{ file: 'x.yaml', text }]);
    expect(errors).toEqual([]);
    expect(objects.map((o) => o.metadata.name)).toEqual(['dr-v1', 'dr-v1alpha3', 'dr-v1beta1']);
    expect(warnings.map((w) => w.message)).toEqual([
      'x.yaml:22: ClusterRole reader: ClusterRole is not simulated by meshsim; ignored',
    ]);
  });

  it('keeps going past bad objects and marks the rejected ones', () => {
    const text = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: bad
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews}
      weight: -1
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: good
`;
    const result = loadManifests([{ file: 'x.yaml', text }]);
    expect(result.objects.map((o) => o.metadata.name)).toEqual(['good', 'bad']);
    expect(result.rejected.map((o) => o.metadata.name)).toEqual(['bad']);
    expect(result.errors.map((e) => e.message)).toEqual([
      'x.yaml:10: VirtualService default/bad: spec.http[0].route[0].weight: weight -1 < 0',
    ]);
    expect(() => loadManifestsOrThrow([{ file: 'x.yaml', text }])).toThrow(ConfigError);
    expect(loadManifests([{ file: 'x.yaml', text }], { validate: false }).errors).toEqual([]);
  });

  it('loadManifestsOrThrow() names the first error and how many more there are', () => {
    const text = 'kind: A\n---\nkind: B\n---\nkind: C\n';
    expect(() => loadManifestsOrThrow([{ file: 'x.yaml', text }])).toThrow(
      "x.yaml:1: apiVersion: Object 'apiVersion' is missing (and 2 more errors; run `meshsim analyze` to list them all)",
    );
  });
});

describe('loadManifests() on arbitrary input', () => {
  test.prop([fc.string({ maxLength: 200 })])('never throws on any text', (text) => {
    const result = loadManifests([{ file: 'fuzz.yaml', text }]);
    for (const e of result.errors) expect(e.location.file).toBe('fuzz.yaml');
  });

  const kinds = knownKinds().filter((k) => k.support !== 'ignored');
  test.prop([fc.constantFrom(...kinds), fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 3 })], {
    numRuns: 400,
  })('never throws on any spec of any kind, and locates every error', (info, spec, data) => {
    const apiVersion = info.group === '' ? info.versions[0] : `${info.group}/${info.versions[0]}`;
    const text = stringify({ apiVersion, kind: info.kind, metadata: { name: 'x' }, spec, data });
    const result = loadManifests([{ file: 'fuzz.yaml', text }]);
    for (const e of result.errors) {
      expect(e).toBeInstanceOf(ConfigError);
      expect(e.location.line).toBeGreaterThan(0);
    }
  });
});
