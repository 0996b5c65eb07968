import { loadMeshModel, route } from '@meshsim/sim-core';

const manifests = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec:
  selector: {app: cart}
  ports: [{name: http, port: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  selector: {matchLabels: {app: cart}}
  template:
    metadata: {labels: {app: cart}}
    spec: {containers: [{name: cart, image: cart, ports: [{containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: sleep, namespace: shop}
spec:
  selector: {matchLabels: {app: sleep}}
  template:
    metadata: {labels: {app: sleep}}
    spec: {containers: [{name: sleep, image: curlimages/curl}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: cart, namespace: shop}
spec:
  hosts: [cart]
  http:
  - match: [{uri: {prefix: /api}}]
    route: [{destination: {host: cart}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    outboundTrafficPolicy: {mode: REGISTRY_ONLY}
`;
const model = loadMeshModel([{ file: 'shop.yaml', text: manifests }]);
const show = (url: string, extra: Record<string, unknown> = {}): void => {
  const e = route(model, { from: 'sleep.shop', url, ...extra });
  console.log(`${url.padEnd(30)} ${(e.error ?? 'ok').padEnd(16)} ${e.outcome.text}`);
};
show('http://cart:8080/api/items');
show('http://cart:8080/checkout'); // no http route matches
show('http://cart:8080/', { headers: ['Host: unknown.example'] }); // REGISTRY_ONLY: block_all
show('tcp://cart:8443'); // nothing listens on 8443: virtualOutbound's catch-all
show('http://example.org/'); // kube-dns does not know it
