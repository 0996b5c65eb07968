import { readFileSync, readdirSync } from 'node:fs';
import { loadMeshModel } from '@meshsim/sim-core';
import {
  checkMeshProperty,
  everyRequestReachesDestination,
  noUnreachableRules,
  routeCommand,
} from '@meshsim/sim-core/testing';

// The canary walkthrough's manifests, with one edit a teammate made: a catch-all route put first, "to be safe".
const dir = 'packages/sim-core/testdata/seeds/canary';
const manifests = readdirSync(dir)
  .filter((f) => f !== 'istio-specs.yaml')
  .map((f) => ({ file: `${dir}/${f}`, text: readFileSync(`${dir}/${f}`, 'utf8') }));
const edited = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: canary, namespace: canary}
spec:
  host: canary
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: canary, namespace: canary}
spec:
  hosts: [canary]
  http:
    - name: default
      route: [{destination: {host: canary, subset: v1}}]
    - name: tester
      match: [{headers: {user: {exact: jesse}}}]
      route: [{destination: {host: canary, subset: v2}}]
`;
const mesh = loadMeshModel([...manifests, { file: 'istio-specs.yaml', text: edited }]);

// Every request still gets an answer — nothing a smoke test would notice…
console.log(
  checkMeshProperty(everyRequestReachesDestination(mesh)).ok ? 'every request reaches a destination' : 'broken',
);
// …but the tester's rule can never be reached.
const r = checkMeshProperty(noUnreachableRules(mesh));
if (!r.ok) {
  const cx = r.counterexample;
  console.log(cx.message);
  console.log(`replay: ${routeCommand(cx.request ?? {}, 'counterexample.yaml')}`);
  console.log(`counterexample.yaml: ${cx.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
}
