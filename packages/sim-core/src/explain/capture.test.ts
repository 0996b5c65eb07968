import { describe, expect, it } from 'vitest';
import { loadMeshModel } from '../istio/model/meshModel.js';
import { route } from './route.js';

// Capture follows the pod's real istio-iptables rules (istio/istio tools/istio-iptables/pkg/capture/run.go):
// `traffic.sidecar.istio.io/excludeOutboundPorts` adds `-o`, excluded inbound ports (`-d 15090,15021,15020`)
// are never redirected, and traffic of uid 1337 (the proxy's) is RETURNed by ISTIO_OUTPUT.
const manifests = `
apiVersion: v1
kind: Namespace
metadata: { name: app, labels: { istio-injection: enabled } }
---
apiVersion: v1
kind: Service
metadata: { name: db, namespace: app }
spec:
  clusterIP: 10.96.20.20
  selector: { app: db }
  ports: [{ name: tcp-mysql, port: 3306 }, { name: http, port: 80 }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: client, namespace: app }
spec:
  selector: { matchLabels: { app: client } }
  template:
    metadata:
      labels: { app: client }
      annotations: { traffic.sidecar.istio.io/excludeOutboundPorts: "3306" }
    spec: { containers: [{ name: client, image: client }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: as-proxy, namespace: app }
spec:
  selector: { matchLabels: { app: as-proxy } }
  template:
    metadata: { labels: { app: as-proxy } }
    spec: { containers: [{ name: app, image: app, securityContext: { runAsUser: 1337 } }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: db, namespace: app }
spec:
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: db, image: mysql, ports: [{ containerPort: 3306 }, { containerPort: 80 }] }] }
`;
const model = loadMeshModel([{ file: 'capture.yaml', text: manifests }]);

describe('route() follows iptables capture', () => {
  it('an excluded outbound port bypasses Envoy', () => {
    const e = route(model, { from: 'client.app', url: 'tcp://db:3306' });
    expect(e.outcome.action).toBe('not_captured');
    expect(e.listener).toBeUndefined();
    expect(e.steps.find((s) => s.step === 'capture')?.summary).toContain('not captured');
  });
  it('other ports of the same pod are captured', () => {
    const e = route(model, { from: 'client.app', url: 'http://db/' });
    expect(e.outcome.action).toBe('forward');
    expect(e.cluster).toBe('outbound|80||db.app.svc.cluster.local');
  });
  it('an application running as uid 1337 is not captured (IST0144)', () => {
    expect(route(model, { from: 'as-proxy.app', url: 'http://db/' }).outcome.action).toBe('not_captured');
  });
  it('the health-check port 15021 is not redirected inbound', () => {
    const e = route(model, { to: 'db.app', inbound: true, port: 15021 });
    expect(e.outcome.action).toBe('not_captured');
    expect(route(model, { to: 'db.app', inbound: true, port: 3306, protocol: 'tcp' }).cluster).toBe('inbound|3306||');
  });
});
