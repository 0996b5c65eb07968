import { describe, expect, it } from 'vitest';
import { loadScenarioArg } from '../library/resolve.js';
import { reportInput, runForReport, variantsReport } from './report.js';

const SHORT = { duration: 5_000_000 };

describe('the report of real runs', () => {
  it('reads the run itself: split per route with the manifest’s weights, sampled request paths, relative file paths', async () => {
    const loaded = await loadScenarioArg('canary', process.cwd());
    const run = runForReport(loaded, SHORT);
    const input = reportInput([run], '0.1.0', loaded.file);
    const v = input.variants[0];
    expect(v?.name).toBe('baseline');
    // The routes as the scenario declares them before its first event (at 30 s): header route, weighted 90/10.
    const routes = v?.trafficSplit?.nodes.filter((n) => n.column === 'route') ?? [];
    expect(routes.map((r) => r.label).sort()).toEqual(['canary http[0]', 'canary http[1]']);
    const weighted = routes.find((r) => r.label === 'canary http[1]');
    const declared = v?.trafficSplit?.links
      .filter((l) => l.source === weighted?.id)
      .map((l) => [l.target.split('|')[1], l.declaredWeight]);
    expect(declared).toEqual([
      ['v1', 90],
      ['v2', 10],
    ]);
    expect(weighted?.decidedBy).toMatchObject({
      file: 'scenario.yaml',
      kind: 'VirtualService',
      object: 'canary/canary',
    });
    // Every request the generators completed is in the split (none sent by the scenario's apps).
    const completed = run.out.result.generators.reduce((a, g) => a + g.completed, 0);
    expect(v?.trafficSplit?.total).toBe(completed);
    expect(v?.flows?.length).toBeGreaterThanOrEqual(2);
    for (const f of v?.flows ?? [])
      for (const h of f.hops) for (const r of h.decidedBy) expect(r.file.startsWith('/')).toBe(false);
    expect(v?.expectations?.length).toBe(run.out.result.expectations.length);
  }, 120_000);

  it('puts every variant beside the baseline, or the baseline beside the variant run', async () => {
    const loaded = await loadScenarioArg('canary', process.cwd());
    const html = variantsReport(loaded, runForReport(loaded, SHORT), SHORT, '0.1.0');
    expect([...html.matchAll(/<figcaption>([^<]*)<\/figcaption>/g)].slice(0, 4).map((m) => m[1])).toEqual([
      'baseline',
      'fifty-fifty',
      'slow-v2',
      'bad-v2',
    ]);
    const one = variantsReport(loaded, runForReport(loaded, { ...SHORT, variant: 'bad-v2' }), SHORT, '0.1.0');
    expect([...one.matchAll(/<figcaption>([^<]*)<\/figcaption>/g)].slice(0, 2).map((m) => m[1])).toEqual([
      'baseline',
      'bad-v2',
    ]);
  }, 240_000);
});
