// Delegate merging and name resolution, after istio/istio@1.29.3 pilot/pkg/model/virtualservice_test.go
// (TestHasConflict, TestResolveGatewayName, TestMergeHttpRoutes) — cases copied into testdata/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HTTPMatchRequest } from './api.js';
import { hasConflict, mergeHTTPRoute, resolveGatewayName } from './virtualServices.js';
import { namespace, modelOf } from './testing/manifests.js';
import { pushContextOf } from './pushContext.js';

const conflicts = JSON.parse(
  readFileSync(join(import.meta.dirname, 'testdata/delegate-has-conflict.json'), 'utf8'),
) as {
  cases: { name: string; root: HTTPMatchRequest; leaf: HTTPMatchRequest; expected: boolean }[];
};

describe('hasConflict(root, leaf)', () => {
  it.each(conflicts.cases)('$name', ({ root, leaf, expected }) => {
    expect(hasConflict(root, leaf)).toBe(expected);
  });
});

describe('resolveGatewayName(gateway, namespace)', () => {
  it.each([
    ['./gateway', 'default', 'default/gateway'],
    ['gateway', 'default', 'default/gateway'],
    ['default/gateway', 'foo', 'default/gateway'],
    ['gateway.default', 'default', 'default/gateway'],
    ['gateway.default', 'foo', 'default/gateway'],
    ['private.ingress.svc.cluster.local', 'foo', 'ingress/private'],
  ])('%s in %s → %s', (gw, ns, want) => {
    expect(resolveGatewayName(gw, ns)).toBe(want);
  });
});

describe('mergeHTTPRoute(root, delegate)', () => {
  it('joins names, merges matches and inherits the root’s policies the delegate leaves unset', () => {
    const merged = mergeHTTPRoute(
      {
        name: 'root',
        match: [{ uri: { prefix: '/productpage' }, headers: { a: { exact: '1' } } }],
        timeout: '5s',
        retries: { attempts: 5 },
        delegate: { name: 'd' },
      },
      {
        name: 'leaf',
        match: [{ uri: { prefix: '/productpage/v2' }, headers: { b: { exact: '2' } } }],
        retries: { attempts: 1 },
        route: [{ destination: { host: 'productpage' } }],
      },
    );
    expect(merged).toEqual({
      name: 'root-leaf',
      match: [{ uri: { prefix: '/productpage/v2' }, headers: { a: { exact: '1' }, b: { exact: '2' } } }],
      retries: { attempts: 1 },
      timeout: '5s',
      route: [{ destination: { host: 'productpage' } }],
    });
  });
  it('drops a delegate route whose match conflicts with every root match', () => {
    expect(
      mergeHTTPRoute({ match: [{ uri: { prefix: '/a' } }] }, { match: [{ uri: { prefix: '/b' } }] }),
    ).toBeUndefined();
  });
});

describe('prepareVirtualServices (through the push context)', () => {
  const vs = (name: string, ns: string, extra: string): string =>
    `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${extra}`;
  const model = modelOf([
    namespace('web'),
    namespace('prod'),
    vs(
      'root',
      'web',
      '  hosts: [shop.example.com]\n  gateways: [ingress]\n  http:\n  - match: [{uri: {prefix: /api}}]\n    delegate: {name: api, namespace: prod}\n  - route: [{destination: {host: web}}]\n',
    ),
    vs(
      'api',
      'prod',
      '  http:\n  - match: [{uri: {prefix: /api/v1}}]\n    route: [{destination: {host: api}}]\n  - route: [{destination: {host: api-v0}}]\n',
    ),
  ]);
  const list = pushContextOf(model).virtualServices;
  it('replaces a delegate route by the delegate’s routes, resolved in the delegate’s namespace', () => {
    expect(list.map((v) => v.name)).toEqual(['root']); // the delegate alone applies nowhere
    const http = list[0]?.spec.http ?? [];
    expect(http.map((h) => [h.match?.[0]?.uri, h.route?.[0]?.destination.host])).toEqual([
      [{ prefix: '/api/v1' }, 'api.prod.svc.cluster.local'],
      [{ prefix: '/api' }, 'api-v0.prod.svc.cluster.local'],
      [undefined, 'web.web.svc.cluster.local'],
    ]);
    expect(list[0]?.spec.gateways).toEqual(['web/ingress']);
    expect(list[0]?.httpOrigins.map((o) => `${o.namespace}/${o.name} ${o.field}`)).toEqual([
      'prod/api spec.http[0]',
      'prod/api spec.http[1]',
      'web/root spec.http[1]',
    ]);
  });
});
