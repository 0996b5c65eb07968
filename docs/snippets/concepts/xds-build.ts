import { buildProxyConfig, loadMeshModel } from '@meshsim/sim-core';
import { readFileSync, readdirSync } from 'node:fs';

const dir = 'packages/sim-core/testdata/seeds/canary';
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const model = loadMeshModel(files.map((f) => ({ file: `${dir}/${f}`, text: readFileSync(`${dir}/${f}`, 'utf8') })));

// What istiod pushes to the toolbox's sidecar: a pure function of the model and the proxy.
const config = buildProxyConfig(model, 'toolbox.canary');
const { listeners, routeConfigurations, virtualHosts, clusters, endpoints } = config.size;
console.log(
  `${listeners} listeners, ${routeConfigurations} route configurations (${virtualHosts} virtual hosts), ${clusters} clusters, ${endpoints} endpoints`,
);

// The VirtualService became the routes of one virtual host of route configuration "80" …
const vh = config.routes.find((r) => r.name === '80')?.virtualHosts?.find((v) => v.name.startsWith('canary.'));
console.log(vh?.name, JSON.stringify(vh?.domains));
for (const r of vh?.routes ?? []) {
  const origin = r.metadata?.filterMetadata?.meshsim?.sources?.[0];
  const to =
    r.route?.cluster ?? r.route?.weightedClusters?.clusters.map((c) => `${c.name} (weight ${c.weight})`).join(', ');
  console.log(
    `  ${JSON.stringify(r.match)} → ${to}   ← ${origin?.kind} ${origin?.namespace}/${origin?.name} ${origin?.field}`,
  );
}
// … and the DestinationRule its subset clusters, with the traffic policy merged per subset.
for (const c of config.clusters.filter((x) => x.name.endsWith('|canary.canary.svc.cluster.local'))) {
  console.log(`${c.name}: ${c.type}, ${c.lbPolicy}, ${c.transportSocketMatches?.map((m) => m.name).join('/')}`);
}
