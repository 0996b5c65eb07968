/**
 * The format round-trips: printing a loaded scenario and loading the text again gives the same scenario,
 * for generated scenarios covering every section (including inline manifests whose strings YAML 1.1 would
 * read as booleans or numbers if printed bare).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { parseScenario } from '../load/parseScenario.js';
import { scenarioArb } from './arbitraries.js';
import { printScenario } from './print.js';

describe('printScenario()', () => {
  test.prop([scenarioArb], { numRuns: 100 })('parse(print(s)) equals s', (scenario) => {
    const text = printScenario(scenario);
    const back = parseScenario({ file: 'printed.yaml', text }).scenario;
    expect(back).toStrictEqual(scenario);
  });

  test.prop([scenarioArb], { numRuns: 40 })(
    'printing is a fixed point: print(parse(print(s))) = print(s)',
    (scenario) => {
      const text = printScenario(scenario);
      expect(printScenario(parseScenario({ file: 'printed.yaml', text }).scenario)).toBe(text);
    },
  );

  test.prop([scenarioArb.filter((s) => s.manifests.some((m) => 'inline' in m))], { numRuns: 40 })(
    'inline manifests come back as Kubernetes (YAML 1.1) reads them',
    (scenario) => {
      const loaded = parseScenario({ file: 'printed.yaml', text: printScenario(scenario) });
      scenario.manifests.forEach((m, i) => {
        if ('inline' in m) expect(loaded.scenario.manifests[i]).toStrictEqual(m);
      });
      expect(fc).toBeDefined();
    },
  );
});
