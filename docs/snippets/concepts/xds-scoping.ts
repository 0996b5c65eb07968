import { buildProxyConfig, loadMeshModel } from '@meshsim/sim-core';

// 60 services in 6 namespaces; the client lives in ns0.
const docs: string[] = [];
for (let n = 0; n < 6; n++)
  docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ns${n}, labels: {istio-injection: enabled}}`);
docs.push(
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: client, namespace: ns0}\nspec:\n  selector: {matchLabels: {app: client}}\n  template:\n    metadata: {labels: {app: client}}\n    spec: {containers: [{name: c, image: curl}]}`,
);
for (let i = 0; i < 60; i++) {
  docs.push(
    `apiVersion: v1\nkind: Service\nmetadata: {name: svc${i}, namespace: ns${i % 6}}\nspec:\n  selector: {app: svc${i}}\n  ports: [{name: http, port: 80}]`,
  );
}
const sidecar = `apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: default, namespace: ns0}\nspec:\n  egress: [{hosts: ["./*", "istio-system/*"]}]`;

const size = (extra: string[]): string => {
  const s = buildProxyConfig(
    loadMeshModel([{ file: 'mesh.yaml', text: [...docs, ...extra].join('\n---\n') }]),
    'client.ns0',
  ).size;
  return `${s.clusters} clusters, ${s.virtualHosts} virtual hosts, ${(s.bytes / 1024).toFixed(0)} KiB`;
};
console.log(`every service:          ${size([])}`);
console.log(`Sidecar egress ./*:     ${size([sidecar])}`);
