/** parseScenario(): YAML dialects, shorthands, default names and how several problems are reported. */
import { ConfigError } from '@meshsim/sim-core';
import { describe, expect, it } from 'vitest';
import { checkScenarioText, parseScenario } from './parseScenario.js';

const base = `name: s
duration: 1s
traffic:
  - from: {pod: toolbox}
    url: http://nginx/
    headers: {x-debug: on}
    rate: 1
`;

describe('parseScenario()', () => {
  it('reads the scenario as YAML 1.2 (on is a string) and inline manifests as Kubernetes does, YAML 1.1 (on is true)', () => {
    const { scenario } = parseScenario({
      file: 's.yaml',
      text: `${base}manifests:\n  - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {hostNetwork: on}}\n`,
    });
    expect(scenario.traffic[0]?.mix[0]?.headers).toEqual({ 'x-debug': 'on' });
    expect(scenario.manifests[0]).toEqual({
      inline: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { hostNetwork: true } },
    });
  });

  it('expands shorthands: a duration is a constant distribution, a string manifest is a path', () => {
    const { scenario } = parseScenario({
      file: 's.yaml',
      text: `${base}manifests: [m.yaml]\nworkloads:\n  - {pod: toolbox, serviceTime: 1.5ms, calls: [{url: "http://a/"}, {compute: 2ms}]}\n`,
    });
    expect(scenario.manifests).toEqual([{ path: 'm.yaml' }]);
    expect(scenario.workloads[0]).toEqual({
      namespace: 'default',
      pod: 'toolbox',
      serviceTime: { constant: 1500 },
      calls: [
        { url: 'http://a/', method: 'GET', headers: {}, attempts: 1, onFailure: 'propagate' },
        { compute: { constant: 2000 } },
      ],
    });
  });

  it('names events after what they do unless named', () => {
    const { scenario } = parseScenario({
      file: 's.yaml',
      text: `${base}events:
  - {at: 1s, scale: {name: reviews-v2, replicas: 3}}
  - {at: 1m, kill: {selector: {matchLabels: {app: reviews}}, replica: 1}}
  - {at: 1m, unready: {namespace: vm, selector: {}}}
  - {at: 2m, name: cut it off, partition: {node: node-2}}
`,
    });
    expect(scenario.events.map((e) => e.name)).toEqual([
      'at 1s: scale Deployment default/reviews-v2 to 3',
      'at 1m0s: kill replica 1 of app=reviews in default',
      'at 1m0s: make every instance in vm unready',
      'cut it off',
    ]);
  });
});

describe('checkScenarioText()', () => {
  it('reports every problem of the failing stage, in file order, one line each', () => {
    const text = `name: s\nduration: 1s\ntraffic:\n  - {from: {pod: p}, url: "http://a/", rate: 0, arrival: sometimes}\nseed: -1\n`;
    const { errors, document } = checkScenarioText({ file: 's.yaml', text });
    expect(document).toBeUndefined();
    expect(errors.map((e) => e.message)).toEqual([
      's.yaml:4:46: traffic[0].rate: must be > 0, not 0',
      's.yaml:4:58: traffic[0].arrival: must be one of poisson, constant, not "sometimes"',
      's.yaml:5:7: seed: must be ≥ 0, not -1',
    ]);
    expect(() => parseScenario({ file: 's.yaml', text })).toThrow(
      new ConfigError(
        'must be > 0, not 0 (and 2 more problems after it)',
        { file: 's.yaml', line: 4, column: 46, field: 'traffic[0].rate' },
        'scenario/schema',
      ),
    );
  });
});
