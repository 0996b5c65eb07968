// Sidecar outbound routes: VirtualService translation (all match kinds and actions), host conflicts
// (oldest wins, exact beats wildcard), short names across namespaces, exportTo, non-service hosts, the
// catch-all truncation — after istio/istio@1.29.3 pilot/pkg/networking/core/route/route.go,
// httproute.go and their tests (TestSidecarOutboundHTTPRouteConfig, TestTranslateRoute*).
import { describe, expect, it } from 'vitest';
import type { Route, VirtualHost } from '../../../envoy/config/route.js';
import { buildProxyConfig } from '../buildProxyConfig.js';
import { deployment, modelOf, namespace, service } from '../testing/manifests.js';

const vs = (name: string, ns: string, body: string, meta = ''): string =>
  `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${meta}spec:\n${body}`;
const base = [
  namespace('app'),
  namespace('other'),
  deployment('client', 'app'),
  service('web', 'app', [{ name: 'http', port: 80 }]),
  service('api', 'app', [{ name: 'http', port: 80 }]),
  service('web', 'other', [{ name: 'http', port: 80 }]),
];
function vhosts(docs: string[], route = '80', proxy = 'client.app'): VirtualHost[] {
  const cfg = buildProxyConfig(modelOf([...base, ...docs]), proxy);
  return [...(cfg.routes.find((r) => r.name === route)?.virtualHosts ?? [])];
}
const vhost = (vh: readonly VirtualHost[], name: string): VirtualHost | undefined => vh.find((v) => v.name === name);
const clusterOf = (r: Route | undefined): string | undefined => r?.route?.cluster;

describe('VirtualService host conflicts (sidecars)', () => {
  it('the oldest VirtualService for a host wins, even across namespaces', () => {
    const vh = vhosts([
      vs(
        'newer',
        'app',
        '  hosts: [web]\n  http:\n  - route: [{destination: {host: api}}]\n',
        '  creationTimestamp: "2024-05-01T00:00:00Z"\n',
      ),
      vs(
        'older',
        'other',
        '  hosts: [web.app.svc.cluster.local]\n  http:\n  - route: [{destination: {host: web.other.svc.cluster.local}}]\n',
        '  creationTimestamp: "2024-01-01T00:00:00Z"\n',
      ),
    ]);
    expect(clusterOf(vhost(vh, 'web.app.svc.cluster.local:80')?.routes?.[0])).toBe(
      'outbound|80||web.other.svc.cluster.local',
    );
  });
  it('an exact host beats a wildcard host; the wildcard keeps the other services it matches', () => {
    const vh = vhosts([
      vs(
        'wild',
        'app',
        '  hosts: ["*.app.svc.cluster.local"]\n  http:\n  - route: [{destination: {host: web.other.svc.cluster.local}}]\n',
        '  creationTimestamp: "2024-01-01T00:00:00Z"\n',
      ),
      vs(
        'exact',
        'app',
        '  hosts: [web]\n  http:\n  - route: [{destination: {host: api}}]\n',
        '  creationTimestamp: "2024-06-01T00:00:00Z"\n',
      ),
    ]);
    expect(clusterOf(vhost(vh, 'web.app.svc.cluster.local:80')?.routes?.[0])).toBe(
      'outbound|80||api.app.svc.cluster.local',
    );
    expect(clusterOf(vhost(vh, 'api.app.svc.cluster.local:80')?.routes?.[0])).toBe(
      'outbound|80||web.other.svc.cluster.local',
    );
  });
});

describe('names', () => {
  it('resolves short hosts in the VirtualService’s namespace, not the client’s', () => {
    const vh = vhosts([
      vs('r', 'other', '  hosts: [web]\n  http:\n  - route: [{destination: {host: web}}]\n    timeout: 3s\n'),
    ]);
    expect(vhost(vh, 'web.other.svc.cluster.local:80')?.routes?.[0]?.route?.timeout).toBe('3s');
    expect(vhost(vh, 'web.app.svc.cluster.local:80')?.routes?.[0]?.name).toBe('default');
    // From namespace app, web.other is reached as web.other / web.other.svc — never the short "web".
    expect(vhost(vh, 'web.other.svc.cluster.local:80')?.domains).not.toContain('web');
    expect(vhost(vh, 'web.other.svc.cluster.local:80')?.domains).toContain('web.other');
  });
  it('a host no service has gets its own virtual host, on route "80" only', () => {
    const docs = [vs('ext', 'app', '  hosts: [foo.example.com]\n  http:\n  - route: [{destination: {host: web}}]\n')];
    expect(vhost(vhosts(docs), 'foo.example.com:80')?.domains).toEqual(['foo.example.com']);
  });
});

describe('exportTo', () => {
  it('a VirtualService exported only to its namespace does not apply to other namespaces', () => {
    const vh = vhosts([
      vs(
        'private',
        'other',
        '  hosts: [web.app.svc.cluster.local]\n  exportTo: ["."]\n  http:\n  - route: [{destination: {host: api.app.svc.cluster.local}}]\n',
      ),
    ]);
    expect(vhost(vh, 'web.app.svc.cluster.local:80')?.routes?.[0]?.name).toBe('default');
  });
  it('a Service exported only to its namespace is invisible from others', () => {
    const model = modelOf([
      ...base,
      service('hidden', 'other', [{ name: 'http', port: 80 }], {
        annotations: { 'networking.istio.io/exportTo': '.' },
      }),
    ]);
    const cfg = buildProxyConfig(model, 'client.app');
    expect(cfg.clusters.some((c) => c.name.includes('hidden'))).toBe(false);
  });
});

describe('TranslateRoute', () => {
  const spec = `  hosts: [web]
  http:
  - name: rich
    match:
    - name: m1
      uri: {regex: "/api/v[0-9]+"}
      headers: {x-user: {exact: alice}, x-any: {}}
      withoutHeaders: {x-debug: {prefix: "1"}}
      queryParams: {page: {exact: "2"}}
      method: {exact: GET}
      authority: {prefix: web}
      ignoreUriCase: true
    rewrite: {uri: /v2, authority: web.internal}
    timeout: 2.5s
    retries: {attempts: 4, perTryTimeout: 1s, retryOn: "5xx,503"}
    mirror: {host: api}
    mirrorPercentage: {value: 25}
    headers:
      request: {set: {x-b: "1", x-a: "2"}, add: {x-c: "3"}, remove: [x-d]}
    corsPolicy: {allowOrigins: [{exact: "https://a.example"}], allowMethods: [GET, POST], maxAge: 24h}
    route:
    - destination: {host: web, subset: v1}
      weight: 70
    - destination: {host: web, subset: v2}
      weight: 30
    - destination: {host: web, subset: v3}
      weight: 0
  - match: [{port: 8080}]
    route: [{destination: {host: api}}]
  - match: [{sourceLabels: {app: nobody}}]
    route: [{destination: {host: api}}]
  - match: [{sourceNamespace: app}]
    redirect: {uri: /moved, authority: new.example, redirectCode: 302}
  - route: [{destination: {host: api}}]
  - route: [{destination: {host: web}}]
`;
  const routes = vhost(vhosts([vs('web', 'app', spec)]), 'web.app.svc.cluster.local:80')?.routes ?? [];
  it('translates every match kind', () => {
    expect(routes[0]?.name).toBe('rich.m1');
    expect(routes[0]?.match).toEqual({
      safeRegex: { regex: '/api/v[0-9]+' },
      caseSensitive: false,
      headers: [
        { name: 'x-any', presentMatch: true },
        { name: 'x-debug', stringMatch: { prefix: '1' }, invertMatch: true, treatMissingHeaderAsEmpty: true },
        { name: 'x-user', stringMatch: { exact: 'alice' } },
        { name: ':method', stringMatch: { exact: 'GET' } },
        { name: ':authority', stringMatch: { prefix: 'web' } },
      ],
      queryParameters: [{ name: 'page', stringMatch: { exact: '2' } }],
    });
  });
  it('carries weights (zero dropped), rewrite, timeout, retries, mirror, header operations and CORS', () => {
    const a = routes[0]?.route;
    expect(a?.weightedClusters?.clusters).toEqual([
      { name: 'outbound|80|v1|web.app.svc.cluster.local', weight: 70 },
      { name: 'outbound|80|v2|web.app.svc.cluster.local', weight: 30 },
    ]);
    expect(a?.prefixRewrite).toBe('/v2');
    expect(a?.hostRewriteLiteral).toBe('web.internal');
    expect(a?.timeout).toBe('2.500s');
    expect(a?.retryPolicy).toMatchObject({
      numRetries: 4,
      perTryTimeout: '1s',
      retryOn: '5xx,retriable-status-codes',
      retriableStatusCodes: [503],
    });
    expect(a?.requestMirrorPolicies).toEqual([
      {
        cluster: 'outbound|80||api.app.svc.cluster.local',
        runtimeFraction: { defaultValue: { numerator: 250000, denominator: 'MILLION' } },
        traceSampled: false,
      },
    ]);
    expect(routes[0]?.requestHeadersToAdd).toEqual([
      { header: { key: 'x-a', value: '2' }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' },
      { header: { key: 'x-b', value: '1' }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' },
      { header: { key: 'x-c', value: '3' }, appendAction: 'APPEND_IF_EXISTS_OR_ADD' },
    ]);
    expect(routes[0]?.requestHeadersToRemove).toEqual(['x-d']);
    expect(routes[0]?.typedPerFilterConfig?.['envoy.filters.http.cors']).toMatchObject({
      allowOriginStringMatch: [{ exact: 'https://a.example' }],
      allowMethods: 'GET,POST',
      maxAge: '86400',
    });
  });
  it('drops matches for another port or other source labels, keeps a matching sourceNamespace', () => {
    expect(routes.map((r) => r.redirect?.pathRedirect ?? clusterOf(r) ?? 'weighted')).toEqual(['weighted', '/moved']);
    expect(routes[1]?.redirect).toEqual({ hostRedirect: 'new.example', pathRedirect: '/moved', responseCode: 'FOUND' });
  });
  it('stops at the first catch-all route (later http routes are unreachable)', () => {
    // The sourceNamespace-only match translates to prefix "/" with no header or query condition: a
    // catch-all, so http[4] and http[5] produce no route (IsCatchAllRoute in BuildHTTPRoutesForVirtualService).
    expect(routes).toHaveLength(2);
    expect(routes[1]?.match).toEqual({ prefix: '/', caseSensitive: true });
  });
  it('records which http route each Envoy route came from', () => {
    expect(routes.map((r) => r.metadata?.filterMetadata?.meshsim?.sources?.[0]?.httpRouteIndex)).toEqual([0, 3]);
    expect(routes[0]?.metadata?.filterMetadata?.istio?.['config']).toBe(
      '/apis/networking.istio.io/v1/namespaces/app/virtual-service/web',
    );
  });
});

describe('Sidecar egress scoping', () => {
  it('imports only the listed hosts; the rest of the mesh disappears from routes and clusters', () => {
    const sidecar = `apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\n  namespace: app\nspec:\n  egress:\n  - hosts: ["./api.app.svc.cluster.local", "istio-system/*"]\n`;
    const model = modelOf([...base, sidecar]);
    const scoped = buildProxyConfig(model, 'client.app');
    const full = buildProxyConfig(modelOf(base), 'client.app');
    expect(scoped.clusters.map((c) => c.name).filter((n) => n.includes('.app.') || n.includes('.other.'))).toEqual([
      'outbound|80||api.app.svc.cluster.local',
    ]);
    expect(
      vhost(scoped.routes.find((r) => r.name === '80')?.virtualHosts ?? [], 'web.app.svc.cluster.local:80'),
    ).toBeUndefined();
    expect(scoped.size.clusters).toBeLessThan(full.size.clusters);
    expect(scoped.size.bytes).toBeLessThan(full.size.bytes);
  });
});
