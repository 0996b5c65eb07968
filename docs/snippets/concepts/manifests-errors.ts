import { loadManifests } from '@meshsim/sim-core';

const text = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - match:
    - uri:
        regex: "/api/(?!internal).*"   # lookahead: fine in JavaScript, not in RE2
    route:
    - destination: {host: reviews, subset: v1}
      weight: -10
    - destination: {host: reviews, subset: v2}
      weight: 110
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: reviews
  trafficPolicy:
    loadBalancer:
      simpel: ROUND_ROBIN
---
apiVersion: v1
kind: Service
metadata:
  name: ratings
spec:
  selector: {app: ratings}
  ports:
  - name: http
    port: 70000
`;
for (const e of loadManifests([{ file: 'routes.yaml', text }]).errors) console.log(e.message);
