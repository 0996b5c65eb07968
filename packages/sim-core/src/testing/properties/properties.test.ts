/**
 * The ready-made properties against planted mistakes (testdata/planted, see its README): each is found
 * within fast-check's default number of runs (the seed is pinned in scripts/vitest.setup.ts), its
 * counterexample is a handful of objects, and that YAML — applied on its own — reproduces the failure.
 * On the same mesh without the mistake, the property holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { RouteCall } from '../../explain/call.js';
import { loadMeshModel, type MeshModel } from '../../istio/model/meshModel.js';
import { formatCounterexample } from '../counterexample/counterexample.js';
import { simulateCall } from '../routing/simulateCall.js';
import { canaryMonotone } from './canaryMonotone.js';
import { faultsOnlyAffectMatching } from './faultsOnlyAffectMatching.js';
import { noUnreachableRules } from './noUnreachableRules.js';
import {
  checkMeshProperty,
  assertMeshProperty,
  MeshPropertyError,
  type MeshProperty,
  type MeshPropertyResult,
} from './property.js';
import { everyRequestReachesDestination } from './reachesDestination.js';
import { retriesNeverExceedAttempts } from './retriesBounded.js';
import { routingInvariance } from './routingInvariance.js';
import { splitMatchesWeights } from './splitMatchesWeights.js';

const PLANTED = join(import.meta.dirname, '..', 'testdata', 'planted');
const input = (f: string): { file: string; text: string } => ({
  file: f,
  text: readFileSync(join(PLANTED, f), 'utf8'),
});
const mesh = (...files: string[]): MeshModel => loadMeshModel(files.map(input));
const withDr = (...files: string[]): MeshModel => mesh('base.yaml', 'destination-rule.yaml', ...files);
const isJason = (c: RouteCall): boolean => (c.headers as Record<string, string> | undefined)?.['end-user'] === 'jason';

/** Runs `p` with fast-check's defaults and expects a failure found within them. */
function fails<T>(p: MeshProperty<T>): Extract<MeshPropertyResult, { ok: false }> {
  const r = checkMeshProperty(p);
  if (r.ok) throw new Error(`expected "${p.name}" to fail, but it held for ${r.numRuns} runs`);
  expect(r.numRuns).toBeLessThanOrEqual(100);
  expect(r.counterexample.objects.length).toBeLessThanOrEqual(6);
  return r;
}

/** The counterexample file, loaded on its own, still fails `again` for the same request. */
function reproduces(
  r: Extract<MeshPropertyResult, { ok: false }>,
  again: (m: MeshModel) => MeshProperty<RouteCall>,
): void {
  const file = formatCounterexample(r.counterexample);
  const model = loadMeshModel([{ file: 'counterexample.yaml', text: file }]);
  const request = r.counterexample.request as RouteCall;
  expect(again(model).check(request)).toBeDefined();
}

describe('planted mistakes are found within the default number of runs, with small counterexamples', () => {
  it('noUnreachableRules() finds the tester route placed after the catch-all', () => {
    const r = fails(noUnreachableRules(withDr('shadowed-header-route.yaml')));
    expect(r.counterexample.message).toContain(
      'spec.http[1].match[0] "testers" (shadowed-header-route.yaml:15) can never be reached',
    );
    expect(r.counterexample.message).toContain(
      'shadowed by VirtualService shop/reviews spec.http[0] "everyone" (shadowed-header-route.yaml:10)',
    );
    expect(r.counterexample.request).toMatchObject({ headers: { 'end-user': 'jason' } });
    expect(r.counterexample.objects.map((o) => o.kind).sort()).toEqual([
      'Deployment',
      'Namespace',
      'Service',
      'VirtualService',
    ]);
  });

  it('everyRequestReachesDestination() finds the route to a subset no DestinationRule defines', () => {
    const r = fails(everyRequestReachesDestination(withDr('missing-subset.yaml')));
    expect(r.counterexample.message).toMatch(
      /outbound\|9080\|v3\|reviews\.shop\.svc\.cluster\.local, which is not a cluster of the proxy: 503 NC/,
    );
    expect(r.counterexample.message).toContain('missing-subset.yaml:11');
    reproduces(r, (m) => everyRequestReachesDestination(m));
  });

  it('everyRequestReachesDestination() finds the subset whose labels select no pod', () => {
    const r = fails(everyRequestReachesDestination(mesh('base.yaml', 'subset-without-pods.yaml')));
    expect(r.counterexample.message).toContain('none has the labels of subset "v2"');
    // The counterexample keeps a pod of the Service, which shows the labels the subset misses.
    expect(r.counterexample.objects.some((o) => o.metadata.name === 'reviews-v1')).toBe(true);
    reproduces(r, (m) => everyRequestReachesDestination(m));
  });

  it('faultsOnlyAffectMatching() finds the abort meant for jason on the catch-all route', () => {
    const r = fails(faultsOnlyAffectMatching(withDr('fault-on-catch-all.yaml'), { intended: isJason }));
    expect(r.counterexample.message).toMatch(
      /gets the fault .* of VirtualService shop\/ratings spec\.http\[1\] \(fault-on-catch-all\.yaml:17\), but the fault is not meant for it/,
    );
    expect(isJason(r.counterexample.request as RouteCall)).toBe(false);
    reproduces(r, (m) => faultsOnlyAffectMatching(m, { intended: isJason }));
  });

  it('splitMatchesWeights() finds weights written the wrong way round', () => {
    const r = fails(
      splitMatchesWeights(withDr('weights-swapped.yaml'), {
        hosts: ['reviews.shop.svc.cluster.local'],
        expected: { v1: 90, v2: 10 },
      }),
    );
    expect(r.counterexample.message).toContain('is split v1: 10 %, v2: 90 %; expected v1: 90 %, v2: 10 %');
    reproduces(r, (m) => splitMatchesWeights(m, { expected: { v1: 90, v2: 10 } }));
  });

  it('canaryMonotone() finds the step that lowers v2', () => {
    const steps = [1, 2, 3, 4].map((k) => withDr(`canary-step-${k}.yaml`));
    const r = fails(canaryMonotone(steps));
    expect(r.counterexample.message).toMatch(/the share of v2 falls from 50 % at step 2 to 20 % at step 3/);
    expect(r.counterexample.objects).toHaveLength(1); // the VirtualService that changed
    expect(isJason(r.counterexample.request as RouteCall)).toBe(false);
  });

  it('retriesNeverExceedAttempts() finds x-envoy-max-retries raising the retries an application gets', () => {
    const r = fails(retriesNeverExceedAttempts(withDr('retries.yaml'), { envoyHeaders: true }));
    expect(r.counterexample.message).toMatch(
      /is retried (10|100) times when every try fails, more than the 3 attempts VirtualService shop\/reviews spec\.http\[0\] \(retries\.yaml:10\) declares/,
    );
    reproduces(r, (m) => retriesNeverExceedAttempts(m));
  });
});

describe('without the mistakes the properties hold', () => {
  const clean = withDr('canary-step-1.yaml');
  it.each([
    ['everyRequestReachesDestination', () => everyRequestReachesDestination(clean)],
    ['noUnreachableRules', () => noUnreachableRules(clean)],
    [
      'splitMatchesWeights (analytic, and route draws sampled)',
      () => splitMatchesWeights(clean, { empirical: { requests: 2000, alpha: 0.001, source: 'route' } }),
    ],
    [
      'splitMatchesWeights (simulated world)',
      () => splitMatchesWeights(clean, { empirical: { requests: 1000, alpha: 0.001 } }),
    ],
    [
      'faultsOnlyAffectMatching (simulated world: FI only on the faulted route, at its percentage)',
      () => faultsOnlyAffectMatching(withDr('fault-on-catch-all.yaml'), { empirical: { requests: 400 } }),
    ],
    [
      'retriesNeverExceedAttempts (simulated world, pods answering 503)',
      () => retriesNeverExceedAttempts(withDr('retries.yaml'), { empirical: { requests: 50 } }),
    ],
    ['faultsOnlyAffectMatching', () => faultsOnlyAffectMatching(clean)],
    ['retriesNeverExceedAttempts', () => retriesNeverExceedAttempts(withDr('retries.yaml'))],
    ['canaryMonotone', () => canaryMonotone([1, 2, 4].map((k) => withDr(`canary-step-${k}.yaml`)))],
    ['routingInvariance', () => routingInvariance(clean)],
  ])('%s', (_, make) => {
    const r = checkMeshProperty(make() as MeshProperty<unknown>);
    expect(r.ok ? 'holds' : r.counterexample.message).toBe('holds');
  });
});

describe('assertMeshProperty()', () => {
  it('throws the counterexample as kubectl-apply-able YAML plus the request, after handing it to save', () => {
    const saved: [string, string][] = [];
    const p = everyRequestReachesDestination(withDr('missing-subset.yaml'));
    let error: unknown;
    try {
      assertMeshProperty(p, { save: (name, text) => saved.push([name, text]) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MeshPropertyError);
    expect(saved).toHaveLength(1);
    const [name, text] = saved[0] as [string, string];
    expect(name).toMatch(/^every-request-reaches-a-defined-destination-[0-9a-f]{8}\.yaml$/);
    expect((error as MeshPropertyError).message).toContain(text);
    expect(text).toMatch(/^# meshsim counterexample — property: every request reaches a defined destination\n/);
    expect(text).toContain(`# replay:\n#   meshsim route -f ${name} --from sleep-`);
    // The file loads as manifests (comments and all) and holds only the minimized objects.
    expect(loadMeshModel([{ file: name, text }]).objects).toHaveLength(
      (error as MeshPropertyError).counterexample.objects.length,
    );
  });

  it('reports the seed and the shrink path, so `fc.assert(…, { seed, path })` replays the run', () => {
    const r = checkMeshProperty(everyRequestReachesDestination(withDr('missing-subset.yaml')), { seed: 5 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.counterexample.seed).toBe(5);
      expect(r.counterexample.path).toMatch(/^\d+(:\d+)*$/);
      expect(fc.stringify(r.counterexample.request)).toContain('end-user');
    }
  });
});

describe('the empirical checks have teeth', () => {
  it('a split that does not fit the declared weights fails at alpha (exact binomial test)', () => {
    // 1000 requests of which 150 reach v2, against a declared 90/10: outside the exact acceptance region.
    const skewed = (_: RouteCall, n: number): Record<string, unknown>[] =>
      Array.from({ length: n }, (_x, i) => ({ subset: i < 150 ? 'v2' : 'v1' }));
    const r = checkMeshProperty(
      splitMatchesWeights(withDr('canary-step-1.yaml'), {
        // the weighted catch-all route only (spec.http[1])
        where: (_c, d) => d.rule?.httpRoute === 1,
        empirical: { requests: 1000, sample: skewed },
      }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.counterexample.message).toMatch(
        /1000 sampled requests do not fit v1: 90 %, v2: 10 %[\s\S]*✗ v2: 150 of 1000/,
      );
  });

  it('the simulated world retries a 5xx route exactly `attempts` times when every pod answers 503', () => {
    const model = withDr('retries.yaml');
    const workloads = [{ namespace: 'shop', selector: {}, behaviour: { errors: [{ status: 503, probability: 1 }] } }];
    const outcomes = simulateCall(
      model,
      { from: 'sleep.shop', url: 'http://reviews:9080/' },
      { requests: 20, workloads },
    );
    expect(new Set(outcomes.map((o) => o.attempts))).toEqual(new Set([4])); // 1 + retries.attempts 3
    expect(new Set(outcomes.map((o) => `${o.status} ${o.responseFlags}`))).toEqual(new Set(['503 URX']));
  });
});
