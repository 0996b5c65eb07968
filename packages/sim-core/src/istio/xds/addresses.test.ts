// Issue item 5: addresses given in the manifests — a Pod's status.podIP (a kubectl dump), a Service's
// spec.clusterIP, a ServiceEntry's addresses — are the ones the proxy configuration uses, so a real
// cluster's dump can be reproduced.
import { describe, expect, it } from 'vitest';
import { buildProxyConfig } from './buildProxyConfig.js';
import { deployment, modelOf, namespace, service } from './testing/manifests.js';

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: db-0
  namespace: app
  labels: {app: db}
spec:
  containers: [{name: db, image: postgres, ports: [{containerPort: 5432}]}]
status:
  phase: Running
  podIP: 10.20.30.40
  conditions: [{type: Ready, status: "True"}]
`;
const se = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: legacy, namespace: app}
spec:
  hosts: [legacy.corp]
  addresses: [192.168.50.7]
  ports: [{number: 1521, name: tcp-oracle, protocol: TCP}]
  resolution: STATIC
  endpoints: [{address: 192.168.50.10}]
`;

describe('addresses from the manifests', () => {
  const model = modelOf([
    namespace('app'),
    deployment('client', 'app'),
    pod,
    service('db', 'app', [{ name: 'tcp', port: 5432 }], { app: 'db', clusterIP: '10.99.0.42' }),
    se,
  ]);
  const cfg = buildProxyConfig(model, 'client.app');
  it('listen on the given ClusterIP and ServiceEntry address', () => {
    const names = cfg.listeners.map((l) => l.name);
    expect(names).toContain('10.99.0.42_5432');
    expect(names).toContain('192.168.50.7_1521');
  });
  it('send to the pod’s status.podIP and the ServiceEntry’s endpoint', () => {
    const eps = cfg.endpoints.flatMap((c) =>
      c.endpoints.flatMap((l) =>
        l.lbEndpoints.map(
          (e) =>
            `${c.clusterName} ${e.endpoint.address.socketAddress?.address}:${e.endpoint.address.socketAddress?.portValue}`,
        ),
      ),
    );
    expect(eps).toContain('outbound|5432||db.app.svc.cluster.local 10.20.30.40:5432');
    expect(eps).toContain('outbound|1521||legacy.corp 192.168.50.10:1521');
  });
});
