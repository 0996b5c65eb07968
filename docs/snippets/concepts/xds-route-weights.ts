import { formatRouteExplanation, loadMeshModel, route, withChanges } from '@meshsim/sim-core';
import { readFileSync, readdirSync } from 'node:fs';

const dir = 'packages/sim-core/testdata/seeds/canary';
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const model = loadMeshModel(files.map((f) => ({ file: `${dir}/${f}`, text: readFileSync(`${dir}/${f}`, 'utf8') })));

// What if the default route sent 20 % to v2? Edit the VirtualService's weights and ask again.
const whatIf = withChanges(model, (draft) => {
  const vs = draft.objects.find((o) => o.kind === 'VirtualService' && o.metadata.name === 'canary');
  const weighted = (vs?.spec as { http: { route: { weight?: number }[] }[] }).http[1]!.route;
  weighted[0]!.weight = 80;
  weighted[1]!.weight = 20;
});
const e = route(whatIf, { from: 'toolbox.canary', url: 'http://canary/' });
for (const c of e.clusters) console.log(`${c.name}: weight ${c.weight}, probability ${c.probability}`);
const text = formatRouteExplanation(e);
console.log(text.slice(text.search(/\d+\. route/) - 1).trimEnd()); // the route step onwards
