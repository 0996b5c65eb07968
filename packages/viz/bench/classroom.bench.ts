/**
 * Benchmarks of reading real runs (the report's `run/` layer) and of the classroom's in-browser run, each
 * against the same run without what is measured:
 * - viz run collector: sim-core's world (sleep → reviews, 70/30, 2 pods per version) with a `records` trace
 *   read by a RunTraceCollector as it goes, against the same world with the trace off — what the report's
 *   routing counts, timeline and samples cost;
 * - viz classroom run (canary, 400 + 40 requests): `runLesson` with a slider set — edit, model rebuild, traced
 *   run, every chart model — against the same world run with the trace off; the page has a second for it.
 */
import { buildMeshModel, envoy, reviewsMesh, sleepPod, World, type TrafficSpec } from '@meshsim/sim-core';
import { compareRates, ratioRow, type BenchRow, type BenchSuite } from '../../../scripts/bench/harness.js';
import { loadClassroomObjects, runLesson } from '../src/classroom/runLesson.js';
import { collectorFor, runCollecting } from '../src/run/variantFromRun.js';
import { canaryClassroomScenario } from '../src/testdata/classroomFixture.js';

const suite: BenchSuite = {
  name: 'classroom',
  run({ quick, log }): BenchRow[] {
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
        `viz run collector (reviews 70/30, ${requests} requests)`,
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
        `viz classroom run (canary, ${scenario.requests} requests per generator)`,
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
    return rows;
  },
};

export default suite;
