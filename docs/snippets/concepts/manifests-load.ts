import { loadManifests, objectRef } from '@meshsim/sim-core';

const text = `apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: reviews
  subsets:
  - name: v1
    labels: {version: v1}
---
apiVersion: v1
kind: Pod            # from kubectl get pod -o yaml
metadata:
  name: reviews-v1-7d8f9c
  resourceVersion: "48213"
  managedFields: [{manager: kube-controller-manager}]
spec:
  containers: [{name: reviews, image: istio/examples-bookinfo-reviews-v1}]
status:
  podIP: 10.244.0.12
  qosClass: BestEffort
`;
const { objects, errors } = loadManifests([{ file: 'bookinfo.yaml', text }]);
console.log(`${objects.length} objects, ${errors.length} errors`);
for (const o of objects) {
  console.log(`${o.kind} ${objectRef(o)} at ${o.source.file}:${o.source.line}`, JSON.stringify(o.status ?? {}));
}
const dr = objects.find((o) => o.kind === 'DestinationRule');
console.log('spec.subsets[0].labels is on line', dr?.source.lineOf(['spec', 'subsets', 0, 'labels']));
