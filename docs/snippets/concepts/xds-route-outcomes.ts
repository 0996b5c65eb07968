import { formatRouteExplanation, loadMeshModel, route, withChanges } from '@meshsim/sim-core';
import { readFileSync, readdirSync } from 'node:fs';

const dir = 'packages/sim-core/testdata/seeds/canary';
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const model = loadMeshModel(files.map((f) => ({ file: `${dir}/${f}`, text: readFileSync(`${dir}/${f}`, 'utf8') })));

// What if the tester's route injected a fault, and the default route sent 10 % to a subset v3 that no
// DestinationRule defines?
const whatIf = withChanges(model, (draft) => {
  const vs = draft.objects.find((o) => o.kind === 'VirtualService' && o.metadata.name === 'canary');
  const http = (vs?.spec as { http: Record<string, unknown>[] }).http;
  http[0]!.fault = {
    delay: { fixedDelay: '2s', percentage: { value: 100 } },
    abort: { httpStatus: 503, percentage: { value: 10 } },
  };
  http[1]!.route = [
    { destination: { host: 'canary', subset: 'v1' }, weight: 90 },
    { destination: { host: 'canary', subset: 'v3' }, weight: 10 },
  ];
});
for (const headers of [['user: jesse'], []]) {
  const e = route(whatIf, { from: 'toolbox.canary', url: 'http://canary/', headers });
  console.log(`spec.http[${e.route?.httpRouteIndex}] match block ${e.route?.matchIndex ?? '(none)'}:`);
  const text = formatRouteExplanation(e);
  console.log(text.slice(text.indexOf('=>')).trimEnd());
}
