import { buildMeshModel, findObject, loadManifestsOrThrow, withChanges } from '@meshsim/sim-core';

const manifests = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: canary, namespace: canary}
spec:
  hosts: [canary]
  http:
  - route:
    - {destination: {host: canary, subset: v1}, weight: 100}
    - {destination: {host: canary, subset: v2}, weight: 0}
`;
const model = buildMeshModel(loadManifestsOrThrow([{ file: 'canary.yaml', text: manifests }]));

// A recipe that changes nothing gives back the very same model.
console.log('no-op is identity:', withChanges(model, () => {}) === model);

// What if 20 % went to v2? Edit a draft of the manifests; the result is validated and rebuilt.
type Route = { weight: number }[];
const canary20 = withChanges(model, (draft) => {
  const vs = findObject(draft.objects, 'VirtualService', 'canary', 'canary');
  const route = (vs?.spec as { http: { route: Route }[] }).http[0]!.route;
  route[0]!.weight = 80;
  route[1]!.weight = 20;
});
const weights = (m: typeof model) => m.istio.virtualServices[0]?.spec.http?.[0]?.route?.map((r) => r.weight).join('/');
console.log('before', weights(model), 'after', weights(canary20));
console.log('cluster shared (only Istio config changed):', canary20.cluster === model.cluster);

try {
  withChanges(model, (draft) => {
    const vs = findObject(draft.objects, 'VirtualService', 'canary', 'canary');
    (vs?.spec as { http: { route: Route }[] }).http[0]!.route[0]!.weight = -10;
  });
} catch (error) {
  console.log(String(error));
}
