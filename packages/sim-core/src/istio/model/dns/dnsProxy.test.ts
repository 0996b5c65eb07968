import { describe, expect, it } from 'vitest';
import { loadManifestsOrThrow } from '../../../k8s/load/loadManifests.js';
import { buildMeshModel } from '../meshModel.js';
import { findProxy, resolveName, serviceFor } from '../modelQueries.js';

const m = buildMeshModel(
  loadManifestsOrThrow([
    {
      file: 'm.yaml',
      text: `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: shop}
spec:
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}, annotations: {proxy.istio.io/config: 'proxyMetadata: {ISTIO_META_DNS_CAPTURE: "true"}'}}
    spec: {containers: [{name: c, image: curl}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: other}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: wild, namespace: shop}
spec: {hosts: ["*.corp.example"], addresses: [10.50.0.9], resolution: NONE, ports: [{number: 443, name: tls, protocol: TLS}]}
`,
    },
  ]),
);
const client = findProxy(m, 'client', 'shop')!;

describe('the agent DNS proxy', () => {
  it('is on for a pod whose proxy.istio.io/config turns on DNS capture', () => {
    expect(client.dnsCapture).toBe(true);
    expect(client.iptables?.redirectDns).toBe(true);
    expect(client.iptables?.env).toEqual({ ISTIO_META_DNS_CAPTURE: 'true' });
  });

  it('answers name.namespace for other namespaces, short names only for its own (generateAltHosts)', () => {
    const api = serviceFor(m, 'api.other.svc.cluster.local')!;
    expect(resolveName(m, 'api.other', { namespace: 'shop', proxy: client })).toMatchObject({
      answeredBy: 'istio-dns-proxy',
      addresses: [api.defaultAddress],
    });
    expect(resolveName(m, 'api.other.svc', { namespace: 'shop', proxy: client })).toMatchObject({
      answeredBy: 'istio-dns-proxy',
    });
    // `api` is not a name in namespace shop: the agent forwards, kube-dns says NXDOMAIN.
    expect(resolveName(m, 'api', { namespace: 'shop', proxy: client }).rcode).toBe('NXDOMAIN');
  });

  it('answers names under a wildcard ServiceEntry host with its address', () => {
    expect(resolveName(m, 'git.corp.example', { namespace: 'shop', proxy: client })).toMatchObject({
      rcode: 'NOERROR',
      addresses: ['10.50.0.9'],
      answeredBy: 'istio-dns-proxy',
    });
  });
});
