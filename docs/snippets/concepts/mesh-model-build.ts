import { buildMeshModel, endpointsOf, loadManifestsOrThrow, serviceFor } from '@meshsim/sim-core';

// The walkthrough's `sidecar` namespace: injection on, nginx behind a Service, a toolbox client.
const manifests = `
apiVersion: v1
kind: Namespace
metadata: {name: sidecar, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: nginx-deployment, namespace: sidecar}
spec:
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec: {containers: [{name: nginx, image: nginx}]}
---
apiVersion: v1
kind: Service
metadata: {name: nginx, namespace: sidecar}
spec: {selector: {app: nginx}, ports: [{name: http, port: 80, targetPort: 80}]}
`;
const model = buildMeshModel(loadManifestsOrThrow([{ file: 'nginx.yaml', text: manifests }]));

for (const pod of model.cluster.pods.filter((p) => p.namespace === 'sidecar')) {
  console.log(pod.name, pod.podIP, pod.nodeName, pod.containers.map((c) => c.name).join(','));
  console.log('  init:', pod.initContainers.map((c) => c.args.map((a) => (a === '' ? '""' : a)).join(' ')).join(' | '));
}
const svc = serviceFor(model, 'nginx.sidecar.svc.cluster.local');
console.log(svc?.hostname, svc?.defaultAddress, svc?.ports.map((p) => `${p.port}/${p.protocol}`).join(','));
for (const e of endpointsOf(model.registry, svc!, 80))
  console.log(`  ${e.address}:${e.endpointPort} ${e.healthStatus} tlsMode=${e.tlsMode}`);
