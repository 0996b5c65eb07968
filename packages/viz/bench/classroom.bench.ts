/**
 * Benchmarks of reading real runs (the report's `run/` layer) and of the classroom's in-browser run, each
 * against the same run without what is measured:
 * - viz run collector: sim-core's world (sleep → reviews, 70/30, 2 pods per version) with a `records` trace
 *   read by a RunTraceCollector as it goes, against the same world with the trace off — what the report's
 *   routing counts, timeline and samples cost;
 * - viz classroom run (canary, 400 + 40 requests): `runLesson` with a slider set — edit, model rebuild, traced
 *   run, every chart model — against the same world run with the trace off; the page has a second for it;
 * - classroom slider in a real browser: the canary page written by `renderClassroom` opened in Debian's
 *   chromium (playwright-core), the canary slider moved 7 times; the value is the page's own measure from the
 *   move to the charts redrawn (`data-update-ms`: 80 ms debounce, re-simulation, drawing), the baseline the
 *   re-simulation alone in the page (`data-simulate-ms`). Without /usr/bin/chromium the row is left out
 *   (with a line on stderr): the other rows do not need a browser.
 */
import { existsSync } from 'node:fs';
import { buildMeshModel, envoy, reviewsMesh, sleepPod, World, type TrafficSpec } from '@meshsim/sim-core';
import { compareRates, ratioRow, type BenchRow, type BenchSuite } from '../../../scripts/bench/harness.js';
import { loadClassroomObjects, runLesson } from '../src/classroom/runLesson.js';
import { collectorFor, runCollecting } from '../src/run/variantFromRun.js';
import { renderClassroom } from '../src/classroom/renderClassroom.js';
import { canaryClassroomInput, canaryClassroomScenario } from '../src/testdata/classroomFixture.js';

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The canary slider moved `moves` times in chromium: medians of the page's update and simulate times, ms. */
async function sliderInChromium(moves: number): Promise<{ value: number; baseline: number }> {
  // Loaded only here, so that `pnpm bench` never needs playwright-core for the other suites.
  const { launchChromium, openPage } = await import('../src/testdata/browser.js');
  const browser = await launchChromium();
  try {
    const html = renderClassroom(canaryClassroomInput());
    const visit = await openPage(browser, { html, name: 'bench-classroom-canary' }, 'html[data-rendered="true"]');
    const page = visit.page;
    const update: number[] = [];
    const simulate: number[] = [];
    const weights = [50, 20, 80, 40, 60, 30, 70];
    for (let k = 0; k < moves; k++) {
      const before = Number(await page.evaluate(() => document.body.dataset['runs'] ?? '0'));
      await page.locator('#canary-weight').fill(String(weights[k % weights.length]));
      await page.waitForFunction((n) => Number(document.body.dataset['runs']) > n, before, { timeout: 60_000 });
      const d = await page.evaluate(() => [document.body.dataset['updateMs'], document.body.dataset['simulateMs']]);
      update.push(Number(d[0]));
      simulate.push(Number(d[1]));
    }
    if (visit.errors.length > 0) throw new Error(`classroom page errors: ${visit.errors.join('; ')}`);
    return { value: median(update), baseline: median(simulate) };
  } finally {
    await browser.close();
  }
}

const suite: BenchSuite = {
  name: 'classroom',
  async run({ quick, log }): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const requests = quick ? 200 : 1000;
    const model = reviewsMesh({
      versions: [
        { name: 'v1', replicas: 2 },
        { name: 'v2', replicas: 2 },
      ],
      virtualService: {
        http: [
          {
            route: [
              { destination: { host: 'reviews', subset: 'v1' }, weight: 70 },
              { destination: { host: 'reviews', subset: 'v2' }, weight: 30 },
            ],
          },
        ],
      },
    });
    const traffic: TrafficSpec[] = [
      {
        name: 'sleep',
        source: { kind: 'pod', namespace: 'default', pod: sleepPod(model) },
        rate: 200,
        requests,
        arrivals: 'poisson',
        mix: [{ url: 'http://reviews:9080/' }],
      },
    ];
    log(`viz: collector over ${requests} requests`);
    rows.push(
      ratioRow(
        `viz/run-collector-reviews-70-30-${requests}-requests`,
        'requests/s',
        compareRates(
          requests,
          () => {
            const world = new World({ model, traffic, trace: 'records', onOutcome: () => undefined });
            runCollecting(world, collectorFor(world));
          },
          () => {
            new World({ model, traffic, onOutcome: () => undefined }).run();
          },
        ),
        'baseline: the same run with the trace off',
      ),
    );
    const scenario = canaryClassroomScenario(quick ? 100 : 400);
    const objects = loadClassroomObjects(scenario);
    log('viz: classroom run (canary)');
    rows.push(
      ratioRow(
        `classroom/run-lesson-canary-${scenario.requests}-requests`,
        'runs/s',
        compareRates(
          1,
          () => {
            runLesson(scenario, objects, { canaryWeight: 50 });
          },
          () => {
            const outcomes = new envoy.OutcomeAggregator({});
            new World({
              ...scenario.world,
              model: buildMeshModel(objects, scenario.meshModel),
              onOutcome: (o) => outcomes.add(o),
            }).run();
          },
        ),
        'baseline: the world run alone, trace off; the page needs > 1 run/s',
      ),
    );
    if (existsSync('/usr/bin/chromium')) {
      log('viz: classroom slider in chromium (canary, 400 requests)');
      const m = await sliderInChromium(quick ? 3 : 7);
      rows.push({
        name: 'classroom/slider-update-chromium-canary-400-requests',
        value: m.value,
        unit: 'ms',
        baseline: m.baseline,
        ratio: m.value / m.baseline,
        note: 'the re-simulation alone, in the page (target: value < 1,000 ms)',
      });
    } else log('viz: /usr/bin/chromium is missing: classroom/slider-update-chromium row left out');
    return rows;
  },
};

export default suite;
