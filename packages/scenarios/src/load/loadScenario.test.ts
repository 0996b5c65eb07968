/** loadScenario() on good scenarios: what it returns, where things point, and how variants change objects. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@meshsim/sim-core';
import { describe, expect, it } from 'vitest';
import { checkScenario, loadScenario } from './loadScenario.js';

const GOOD = join(import.meta.dirname, 'testdata', 'good');
const CANARY = 'canary/scenario.yaml';
const canaryText = readFileSync(join(GOOD, CANARY), 'utf8');
const lineOf = (needle: string, from = 0): number =>
  canaryText.slice(0, canaryText.indexOf(needle, from)).split('\n').length;

describe('loadScenario() — the canary example', async () => {
  const loaded = await loadScenario(CANARY, { cwd: GOOD });
  const { scenario } = loaded;

  it('reads the folder and the inline object, in document order, into manifest inputs', () => {
    expect(loaded.inputs(scenario.manifests).map((i) => i.file)).toEqual([
      'canary/manifests/destination-rule.yaml',
      'canary/manifests/namespace.yaml',
      'canary/manifests/reviews.yaml',
      'canary/manifests/sleep.yaml',
      'canary/scenario.yaml',
    ]);
  });

  it('locates the inline VirtualService in the scenario file, down to its fields', () => {
    const vs = loaded.objects.find((o) => o.kind === 'VirtualService');
    expect(vs?.source.file).toBe('canary/scenario.yaml');
    expect(vs?.source.line).toBe(lineOf('  - apiVersion: networking.istio.io/v1'));
    expect(vs?.source.lineOf(['spec', 'http', 1, 'route', 0, 'weight'])).toBe(lineOf('weight: 90'));
  });

  it('fills defaults and parses durations to microseconds', () => {
    expect(scenario.seed).toBe(1);
    expect(scenario.duration).toBe(90_000_000);
    expect(scenario.traffic.map((t) => [t.name, t.rate, t.arrival, t.connections, t.qps])).toEqual([
      ['users', 50, 'poisson', undefined, undefined],
      ['tester', undefined, undefined, 1, 2],
    ]);
    expect(scenario.events.map((e) => [e.at, e.name])).toEqual([
      [30_000_000, 'shift to 50 %'],
      [60_000_000, 'shift to 100 %'],
    ]);
    expect(scenario.expect[1]?.share).toMatchObject({ percent: 50, alpha: 0.001 });
    expect(scenario.workloads[0]?.serviceTime).toEqual({ lognormal: { median: 20_000, p99: 80_000 } });
  });

  it('is deeply frozen', () => {
    expect(Object.isFrozen(scenario)).toBe(true);
    expect(Object.isFrozen(scenario.traffic[0]?.mix[0]?.headers)).toBe(true);
    expect(Object.isFrozen(scenario.variants[1]?.patches[0]?.mergePatch)).toBe(true);
  });

  it('applies a variant to the objects without touching the base', () => {
    const dr = (name: string) => loaded.variantObjects(name).find((o) => o.kind === 'DestinationRule');
    expect((dr('outlier-detection')?.spec as { trafficPolicy?: unknown }).trafficPolicy).toEqual({
      outlierDetection: { consecutive5xxErrors: 3, interval: '5s', baseEjectionTime: '30s', maxEjectionPercent: 100 },
    });
    expect((dr('baseline')?.spec as { trafficPolicy?: unknown }).trafficPolicy).toBeUndefined();
    expect(loaded.variantObjects('bad-v2-pod')).toEqual(loaded.objects); // only workloads change
    expect(() => loaded.variantObjects('bad-v2')).toThrow(ConfigError);
  });

  it('points back into its file for problems found later', () => {
    expect(loaded.locate(['traffic', 1, 'qps'])).toEqual({
      file: CANARY,
      line: lineOf('qps: 2'),
      column: 10,
      field: 'traffic[1].qps',
    });
    expect(loaded.error(['traffic', 1], 'no such pod').message).toBe(
      `${CANARY}:${lineOf('  - name: tester')}:5: traffic[1]: no such pod`,
    );
  });
});

describe('loadScenario() — inputs', () => {
  it('loads a scenario given as text, with manifest paths relative to baseDir', async () => {
    const loaded = await loadScenario({ file: 'inline.yaml', text: canaryText }, { baseDir: join(GOOD, 'canary') });
    expect(loaded.objects.map((o) => o.kind)).toContain('Deployment');
  });

  it('reads JSON, which is YAML', async () => {
    const json = JSON.stringify({
      name: 'json',
      duration: '1s',
      manifests: ['manifests/'],
      traffic: [{ from: { selector: { matchLabels: { app: 'sleep' } } }, url: 'http://reviews:9080/', rate: 1 }],
    });
    const loaded = await loadScenario({ file: 'json.json', text: json }, { baseDir: join(GOOD, 'canary') });
    expect(loaded.scenario.traffic[0]?.from).toEqual({
      namespace: 'default',
      selector: { matchLabels: { app: 'sleep' } },
    });
  });

  it('says when the scenario file itself is missing', async () => {
    await expect(loadScenario('nope.yaml', { cwd: GOOD })).rejects.toThrow(
      'nope.yaml: the scenario file "nope.yaml" does not exist',
    );
  });

  it('skips the model checks when asked', async () => {
    const text = canaryText.replace(
      '{app: reviews, version: v2}}\n    serviceTime',
      '{app: reviewz}}\n    serviceTime',
    );
    expect((await checkScenario({ file: 's.yaml', text }, { baseDir: join(GOOD, 'canary') })).errors).toHaveLength(1);
    expect(
      (await checkScenario({ file: 's.yaml', text }, { baseDir: join(GOOD, 'canary'), checkModel: false })).errors,
    ).toEqual([]);
  });
});

describe('loadScenario() — the fixture that uses every field', () => {
  it('loads, with the VM joined through its WorkloadGroup', async () => {
    const { scenario, errors } = await checkScenario('everything/scenario.yaml', { cwd: GOOD });
    expect(errors).toEqual([]);
    expect(scenario?.scenario.vms[0]).toMatchObject({ name: 'vm-1', autoRegisterGroup: 'nginx', healthy: true });
    expect(scenario?.variantObjects('random-lb').some((o) => o.kind === 'WorkloadEntry')).toBe(false);
  });
});
