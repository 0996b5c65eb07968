import { loadManifests, schemaValidationMessages } from '@meshsim/sim-core';

const text = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
  namespace: shop
spec:
  hosts: [ratings]
  http:
  - fault:
      abort:
        httpStatus: 503
        percentage: {value: 150}
    route:
    - destination: {host: ratings}
      weight: -10
`;
const { errors, warnings } = loadManifests([{ file: 'vs.yaml', text }]);
for (const m of schemaValidationMessages(errors, warnings)) {
  console.log(`${m.level} [${m.code}] (${m.kind} ${m.object} ${m.file}:${m.line}) ${m.message}`);
}
