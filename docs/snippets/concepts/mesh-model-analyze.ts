import { analyzeManifests, formatFinding } from '@meshsim/sim-core';

const manifests = `apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: default}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}, {name: grpc, port: 9090}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination:
        host: reviews
        subset: v3
`;
const { findings } = analyzeManifests([{ file: 'vs.yaml', text: manifests }]);
for (const f of findings) console.log(formatFinding(f));
