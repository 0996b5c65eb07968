/**
 * The rule-testing toolkit (`@meshsim/sim-core/testing`) on the planted-mistakes mesh
 * (src/testing/testdata/planted: base + canary step 1, 7 user objects, 4 sidecars):
 * - `testing/decide-route`: `decideRoute` per request; baseline, same process: `route()` alone (the
 *   explanation `meshsim route` prints), so the ratio is what rule tracing, candidate states and the status
 *   distribution cost on top;
 * - `testing/reachability`: every VirtualService rule's verdict (witness requests routed, shadowing proofs);
 * - `testing/property-100-runs`: `everyRequestReachesDestination` with fast-check's default 100 runs (20 with
 *   `--quick`, and the row is named so).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareRates, rate, ratioRow, type BenchRow, type BenchSuite } from '../../../scripts/bench/harness.js';
import type { RouteCall } from '../src/explain/call.js';
import { route } from '../src/explain/route.js';
import { loadMeshModel } from '../src/istio/model/meshModel.js';
import {
  checkMeshProperty,
  decideRoute,
  everyRequestReachesDestination,
  reachabilityOf,
} from '../src/testing/index.js';

const PLANTED = join(import.meta.dirname, '..', 'src', 'testing', 'testdata', 'planted');
const model = loadMeshModel(
  ['base.yaml', 'destination-rule.yaml', 'canary-step-1.yaml'].map((f) => ({
    file: f,
    text: readFileSync(join(PLANTED, f), 'utf8'),
  })),
);
const calls: RouteCall[] = Array.from({ length: 64 }, (_, i) => ({
  from: 'sleep.shop',
  url: `http://reviews:9080/items/${i}`,
  headers: i % 4 === 0 ? { 'end-user': 'jason' } : ({} as Record<string, string>),
}));

const suite: BenchSuite = {
  name: 'testing',
  run(ctx): BenchRow[] {
    const n = ctx.quick ? 200 : 2000;
    const rows: BenchRow[] = [];
    const m = compareRates(
      n,
      () => {
        for (let i = 0; i < n; i++) decideRoute(model, calls[i % calls.length] as RouteCall);
      },
      () => {
        for (let i = 0; i < n; i++) route(model, calls[i % calls.length] as RouteCall);
      },
    );
    rows.push(ratioRow('testing/decide-route', 'req/s', m, 'route() alone'));
    const rules = reachabilityOf(model).length;
    rows.push({
      name: 'testing/reachability',
      unit: 'rules/s',
      value: rate(rules, () => void reachabilityOf(model), ctx.quick ? 1 : 3),
      baseline: null,
      ratio: null,
    });
    const runs = ctx.quick ? 20 : 100;
    rows.push({
      name: `testing/property-${runs}-runs`,
      unit: 'runs/s',
      value: rate(
        runs,
        () => void checkMeshProperty(everyRequestReachesDestination(model), { numRuns: runs, seed: 1 }),
        1,
      ),
      baseline: null,
      ratio: null,
    });
    return rows;
  },
};

export default suite;
