import { parseScenario } from '@meshsim/scenarios';

const { scenario } = parseScenario({
  file: 'tiny.yaml',
  text: `name: tiny
traffic:
  - from: {namespace: sidecar, pod: toolbox}
    url: http://nginx.sidecar/
    connections: 2
    requests: 100
`,
});
// Shorthands expanded, defaults filled in, durations in integer microseconds.
console.log(JSON.stringify(scenario.traffic[0]));
