import { describe, expect, it } from 'vitest';
import { loadManifestsOrThrow } from '../../../k8s/load/loadManifests.js';
import { buildMeshModel, type MeshModel } from '../meshModel.js';
import { clientTlsOf, findProxy, inboundModeOf, serviceFor } from '../modelQueries.js';
import { endpointsOf } from '../registry/buildRegistry.js';
import { transportTo } from './clientTls.js';
import { inboundAccepts } from './peerAuthentication.js';

const pa = (name: string, ns: string, spec: string, created = '') =>
  `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: ${name}, namespace: ${ns}${created ? `, creationTimestamp: "${created}"` : ''}}\nspec: ${spec}\n`;

const APP = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: legacy}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: old, namespace: legacy}
spec:
  selector: {matchLabels: {app: old}}
  template:
    metadata: {labels: {app: old}}
    spec: {containers: [{name: old, image: nginx, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: old, namespace: legacy}
spec: {selector: {app: old}, ports: [{name: http, port: 80, targetPort: 8080}]}
`;

const model = (extra: string): MeshModel =>
  buildMeshModel(loadManifestsOrThrow([{ file: 'm.yaml', text: `${APP}---\n${extra}` }]));
const web = { namespace: 'shop', labels: { app: 'web' } };

describe('PeerAuthentication (ComposePeerAuthentication)', () => {
  it('defaults to PERMISSIVE', () => {
    expect(
      inboundModeOf(model('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: shop}\n'), web, 8080),
    ).toBe('PERMISSIVE');
  });

  it('mesh < namespace < workload; UNSET inherits; port-level only from the workload policy', () => {
    const m = model(
      [
        pa('mesh', 'istio-system', '{mtls: {mode: STRICT}}'),
        pa('ns', 'shop', '{mtls: {mode: UNSET}}'),
        pa(
          'wl',
          'shop',
          '{selector: {matchLabels: {app: web}}, mtls: {mode: PERMISSIVE}, portLevelMtls: {"8080": {mode: DISABLE}, "9090": {mode: UNSET}}}',
        ),
      ].join('---\n'),
    );
    expect(inboundModeOf(m, web, 8080)).toBe('DISABLE');
    expect(inboundModeOf(m, web, 9090)).toBe('PERMISSIVE');
    expect(inboundModeOf(m, web, 7000)).toBe('PERMISSIVE');
    expect(inboundModeOf(m, { namespace: 'shop', labels: { app: 'other' } }, 8080)).toBe('STRICT');
  });

  it('the oldest policy wins at each level', () => {
    const m = model(
      [
        pa('b-new', 'shop', '{mtls: {mode: DISABLE}}', '2024-02-01T00:00:00Z'),
        pa('z-old', 'shop', '{mtls: {mode: STRICT}}', '2024-01-01T00:00:00Z'),
      ].join('---\n'),
    );
    expect(inboundModeOf(m, web, 8080)).toBe('STRICT');
  });

  it('inboundAccepts(): STRICT refuses plaintext, DISABLE refuses mTLS, PERMISSIVE takes both', () => {
    expect(
      ['STRICT', 'PERMISSIVE', 'DISABLE'].map((mode) => [
        inboundAccepts(mode as 'STRICT', 'mtls'),
        inboundAccepts(mode as 'STRICT', 'plaintext'),
      ]),
    ).toEqual([
      [true, false],
      [true, true],
      [false, true],
    ]);
  });
});

describe('client TLS with auto mTLS (buildUpstreamTLSSettings)', () => {
  it('auto mTLS: mTLS to endpoints with a sidecar, plaintext to those without', () => {
    const m = model('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: shop}\n');
    const client = findProxy(m, 'web', 'shop')!;
    for (const [host, want] of [
      ['web.shop.svc.cluster.local', 'mtls'],
      ['old.legacy.svc.cluster.local', 'plaintext'],
    ] as const) {
      const svc = serviceFor(m, host)!;
      const tls = clientTlsOf(m, client, svc, 80);
      expect(tls).toMatchObject({ autoMtls: true, source: 'autoMtls' });
      expect(endpointsOf(m.registry, svc, 80).map((e) => transportTo(tls, e))).toEqual([want]);
    }
  });

  it('a DestinationRule tls mode wins; a DISABLE PeerAuthentication in the service namespace turns auto mTLS off', () => {
    const dr =
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: web, namespace: shop}\nspec: {host: web, trafficPolicy: {tls: {mode: DISABLE}, portLevelSettings: [{port: {number: 80}, tls: {mode: ISTIO_MUTUAL}}]}, subsets: [{name: v1, labels: {app: web}, trafficPolicy: {tls: {mode: SIMPLE}}}]}\n';
    const m = model(dr);
    const client = findProxy(m, 'web', 'shop')!;
    const svc = serviceFor(m, 'web.shop.svc.cluster.local')!;
    expect(clientTlsOf(m, client, svc, 80).mode).toBe('ISTIO_MUTUAL');
    expect(clientTlsOf(m, client, svc, 81).mode).toBe('DISABLE');
    expect(clientTlsOf(m, client, svc, 80, 'v1').mode).toBe('SIMPLE');
    const off = model(pa('ns', 'shop', '{mtls: {mode: DISABLE}}'));
    expect(
      clientTlsOf(off, findProxy(off, 'web', 'shop')!, serviceFor(off, 'web.shop.svc.cluster.local')!, 80),
    ).toMatchObject({ autoMtls: false });
  });
});
