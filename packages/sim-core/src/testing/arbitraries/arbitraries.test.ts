import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { route } from '../../explain/route.js';
import { buildMeshModel } from '../../istio/model/meshModel.js';
import { loadManifests, loadManifestsOrThrow } from '../../k8s/load/loadManifests.js';
import { manifestsYaml } from '../counterexample/manifestYaml.js';
import { destinationRule } from './destinationRule.js';
import { mesh } from './mesh.js';
import { dnsLabel, headerName, versionName } from './names.js';
import { authority, hostInForm, HOST_FORMS, requestPath } from './request.js';
import { trafficProfile, trafficTargetsOf } from './traffic.js';
import { virtualService } from './virtualService.js';

/** Loads manifests with full validation: schema (CRDs, Kubernetes OpenAPI) and Istio's webhook checks. */
const load = (objects: readonly object[]): ReturnType<typeof loadManifests> =>
  loadManifests([{ file: 'generated.yaml', text: manifestsYaml(objects as never) }]);

// That the resources and meshes generated here pass Istio's validation is a property of validation, checked in
// istio/validation/validateIstio.test.ts and k8s/load/goodManifests.test.ts with these arbitraries.
describe('generated meshes', () => {
  test.prop([mesh({ virtualServices: { policies: true } })], { numRuns: 30 })(
    'mesh(): every client pod gets a sidecar and every Service is in the registry',
    (m) => {
      const model = buildMeshModel(load(m.objects).objects);
      for (const c of m.clients) {
        const [, ns] = c.split('.');
        expect(model.proxies.some((p) => p.namespace === ns && p.labels['app'] === 'sleep')).toBe(true);
      }
      for (const s of m.services) {
        expect(model.registry.services.some((x) => x.hostname === s.host)).toBe(true);
      }
    },
  );

  test.prop(
    [
      mesh({ maxNamespaces: 2, maxServices: 2 }).chain((m) =>
        fc.tuple(fc.constant(m), trafficProfile(trafficTargetsOf(m))),
      ),
    ],
    {
      numRuns: 30,
    },
  )('trafficProfile() names only the mesh’s clients and Services', ([m, profile]) => {
    for (const g of profile) {
      expect(m.namespaces).toContain(g.from.namespace);
      for (const r of g.mix)
        expect(m.services.some((s) => r.url.startsWith(`http://${s.name}.${s.namespace}`))).toBe(true);
      expect((g.rate === undefined) !== (g.connections === undefined)).toBe(true);
    }
  });
});

describe('authority() covers the host forms a sidecar routes', () => {
  const model = buildMeshModel(
    loadManifestsOrThrow([
      {
        file: 'm.yaml',
        text: `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: sleep, namespace: shop}
spec:
  selector: {matchLabels: {app: sleep}}
  template: {metadata: {labels: {app: sleep}}, spec: {containers: [{name: sleep, image: curl}]}}
`,
      },
    ]),
  );
  const svc = model.cluster.services.find((s) => s.name === 'reviews');
  const target = { name: 'reviews', namespace: 'shop', port: 9080, clusterIP: svc?.clusterIP as string };

  test.prop([authority({ service: target, fromNamespace: 'shop' })])(
    'every generated authority reaches the Service’s virtual host from its namespace',
    (a) => {
      const e = route(model, { from: 'sleep.shop', url: `http://${a.authority}/` });
      expect(e.virtualHost).toBe('reviews.shop.svc.cluster.local:9080');
      expect(e.cluster).toBe('outbound|9080||reviews.shop.svc.cluster.local');
    },
  );

  it('hostInForm() spells the five forms', () => {
    expect(HOST_FORMS.map((f) => hostInForm({ ...target, clusterIP: '10.96.0.9' }, f))).toEqual([
      'reviews',
      'reviews.shop',
      'reviews.shop.svc',
      'reviews.shop.svc.cluster.local',
      '10.96.0.9',
    ]);
  });

  it('authority() leaves out the short form for a client in another namespace', () => {
    const forms = fc
      .sample(authority({ service: target, fromNamespace: 'other' }), { seed: 1, numRuns: 200 })
      .map((a) => a.form);
    expect(new Set(forms).has('short')).toBe(false);
    expect(new Set(forms).size).toBe(4);
  });
});

describe('bad constraints throw before anything is generated', () => {
  it.each([
    ['dnsLabel maxLength 64', () => dnsLabel({ maxLength: 64 })],
    ['versionName max 0', () => versionName({ max: 0 })],
    ['headerName host', () => headerName({ names: ['host'] })],
    ['requestPath include without /', () => requestPath({ include: ['api'] })],
    ['authority bad namespace', () => authority({ service: { name: 'a', namespace: 'Bad_NS' } })],
    ['authority vip without clusterIP', () => authority({ service: { name: 'a', namespace: 'b' }, forms: ['vip'] })],
    ['virtualService maxRoutes < minRoutes', () => virtualService({ host: 'a', minRoutes: 3, maxRoutes: 2 })],
    ['virtualService bad subset', () => virtualService({ host: 'a', subsets: ['V1'] })],
    ['destinationRule empty host', () => destinationRule({ host: '' })],
    ['mesh minServices > maxServices', () => mesh({ minServices: 3, maxServices: 2 })],
    ['trafficProfile without clients', () => trafficProfile({ clients: [], targets: ['a'] })],
  ])('%s', (_, make) => {
    expect(make).toThrow(RangeError);
  });
});

describe('shrinking yields small, readable manifests', () => {
  it('a property failing on any header match shrinks to one route with one readable header condition', () => {
    const details = fc.check(
      fc.property(virtualService({ host: 'reviews', subsets: ['v1', 'v2'] }), (vs) => {
        const http = (vs.spec as { http: { match?: { headers?: object }[] }[] }).http;
        return !http.some((h) => (h.match ?? []).some((m) => m.headers !== undefined));
      }),
      { seed: 42 },
    );
    expect(details.failed).toBe(true);
    const vs = details.counterexample?.[0] as { spec: { http: { match: object[]; route: object[] }[] } };
    expect(vs.spec.http).toHaveLength(1);
    expect(vs.spec.http[0]?.match).toHaveLength(1);
    expect(vs.spec.http[0]?.route).toHaveLength(1);
    // fast-check prints it as the YAML a user would write.
    expect(fc.stringify(vs)).toMatch(/^apiVersion: networking\.istio\.io\/v1\nkind: VirtualService\n/);
    expect(fc.stringify(vs)).toContain('end-user');
  });
});
