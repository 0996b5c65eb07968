import {
  buildMeshModel,
  endpointsOf,
  findProxy,
  loadManifestsOrThrow,
  parseClusterEnv,
  resolveName,
  serviceFor,
  virtualMachineFromEnv,
} from '@meshsim/sim-core';

// Seed 001: a WorkloadGroup, a VM that auto-registers with it, and a ServiceEntry selecting VM and pods.
const manifests = `
apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |
    defaultConfig: {proxyMetadata: {ISTIO_META_DNS_CAPTURE: "true"}}
---
apiVersion: v1
kind: Namespace
metadata: {name: istio-demo, labels: {istio-injection: enabled}}
---
apiVersion: networking.istio.io/v1alpha3
kind: WorkloadGroup
metadata: {name: nginx, namespace: istio-demo}
spec:
  metadata: {labels: {app: nginx}}
  template: {serviceAccount: vm}
  probe: {httpGet: {port: 80}}
---
apiVersion: networking.istio.io/v1alpha3
kind: ServiceEntry
metadata: {name: nginx, namespace: istio-demo}
spec:
  hosts: [nginx.example.com]
  location: MESH_INTERNAL
  ports: [{name: http, number: 80, protocol: HTTP}]
  resolution: STATIC
  workloadSelector: {labels: {app: nginx}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: nginx, namespace: istio-demo}
spec:
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx, class: docker}}
    spec: {containers: [{name: nginx, image: nginx}]}
`;
const clusterEnv = `ISTIO_META_AUTO_REGISTER_GROUP='nginx'
ISTIO_METAJSON_LABELS='{"app":"nginx","class":"vm"}'
ISTIO_META_DNS_CAPTURE='true'
ISTIO_NAMESPACE='istio-demo'
ISTIO_SVC_IP='192.168.0.204'
SERVICE_ACCOUNT='vm'`;
const vm = virtualMachineFromEnv('vm204', parseClusterEnv(clusterEnv));
const model = buildMeshModel(loadManifestsOrThrow([{ file: 'vm.yaml', text: manifests }]), { virtualMachines: [vm] });

const we = model.istio.workloadEntries[0];
console.log('WorkloadEntry', we?.metadata.name, JSON.stringify(we?.spec.labels), we?.spec.serviceAccount);
const svc = serviceFor(model, 'nginx.example.com', 'istio-demo')!;
for (const e of endpointsOf(model.registry, svc, 80))
  console.log(`  endpoint ${e.workload.kind} ${e.address}:${e.endpointPort} class=${e.labels['class']}`);
console.log('auto-allocated VIP', svc.autoAllocatedIPv4Address);
const pod = findProxy(model, 'nginx', 'istio-demo')!;
const answer = resolveName(model, 'nginx.example.com', { namespace: 'istio-demo', proxy: pod });
console.log(`${answer.query} -> ${answer.addresses.join(',')} (${answer.answeredBy}, first query ${answer.tried[0]})`);
const plain = resolveName(model, 'nginx.example.com', { namespace: 'istio-demo' });
console.log(`without DNS capture: ${plain.rcode} after ${plain.tried.length} queries`);
