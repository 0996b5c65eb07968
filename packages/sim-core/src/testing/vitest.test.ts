import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMeshModel, type MeshModel } from '../istio/model/meshModel.js';
import { everyRequestReachesDestination } from './properties/reachesDestination.js';
import { decideRoute } from './routing/decide.js';
import { sampleRoute } from './routing/sample.js';
import { simulateCall } from './routing/simulateCall.js';
import { registerMatchers } from './vitest.js';

const PLANTED = join(import.meta.dirname, 'testdata', 'planted');
const input = (f: string): { file: string; text: string } => ({
  file: f,
  text: readFileSync(join(PLANTED, f), 'utf8'),
});
const mesh = (...files: string[]): MeshModel =>
  loadMeshModel(['base.yaml', 'destination-rule.yaml', ...files].map(input));

const counterexampleDir = mkdtempSync(join(tmpdir(), 'meshsim-cx-'));
registerMatchers({ counterexampleDir });

const canary = mesh('canary-step-1.yaml'); // jason → v2; everyone else 90 % v1, 10 % v2
const failure = (f: () => void): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an assertion failure');
};

describe('expect(mesh).toRoute(call).to(destination)', () => {
  it('passes when every candidate is the destination', () => {
    expect(canary)
      .toRoute({ from: 'sleep.shop', url: 'http://reviews:9080/', headers: { 'end-user': 'jason' } })
      .to({ host: 'reviews', subset: 'v2', port: 9080 });
    expect(canary)
      .toRoute({ from: 'sleep.shop', url: 'http://reviews.shop:9080/' })
      .to({ host: 'reviews.shop.svc.cluster.local', virtualService: 'shop/reviews' });
    expect(canary).toRoute({ from: 'sleep.shop', url: 'http://reviews:9080/' }).not.to({ subset: 'v3' });
  });

  it('fails naming the VirtualService rule (file:line) and each candidate that differs', () => {
    const message = failure(() =>
      expect(canary).toRoute({ from: 'sleep.shop', url: 'http://reviews:9080/' }).to({ subset: 'v2' }),
    );
    expect(message).toContain(
      'it is routed by VirtualService shop/reviews spec.http[1] (canary-step-1.yaml:16) to subset v1 (90 % of requests), not v2',
    );
    expect(message).toContain('#1: prefix "/"'); // the route trace of `meshsim route`
  });

  it('fails when the request is not routed at all (404 NR), and .not passes then', () => {
    const message = failure(() => expect(canary).toRoute({ from: 'sleep.shop', url: 'http://nowhere.example.com/' }));
    expect(message).toMatch(
      /expected GET http:\/\/nowhere\.example\.com\/ from sleep\.shop to be routed to a cluster, but: /,
    );
    expect(canary).not.toRoute({ from: 'sleep.shop', url: 'http://nowhere.example.com/' });
  });
});

describe('expect(result).toSplit(weights, { alpha })', () => {
  it('on a route decision compares the exact probabilities', () => {
    const d = decideRoute(canary, { from: 'sleep.shop', url: 'http://reviews:9080/' });
    expect(d).toSplit({ v1: 90, v2: 10 });
    expect(d).not.toSplit({ v1: 80, v2: 20 });
  });

  it('on sampled requests applies the exact binomial test', () => {
    const sample = sampleRoute(
      canary,
      { from: 'sleep.shop', url: 'http://reviews:9080/' },
      { requests: 5000, seed: 3 },
    );
    expect(sample).toSplit({ v1: 90, v2: 10 }, { alpha: 0.001 });
    const message = failure(() => expect(sample).toSplit({ v1: 80, v2: 20 }, { alpha: 0.001 }));
    expect(message).toMatch(
      /expected 5000 requests to fit the split \{"v1":80,"v2":20\} \(exact binomial test, alpha 0\.001\)/,
    );
    expect({ v1: 4512, v2: 488 }).toSplit({ v1: 90, v2: 10 });
    expect([{ upstream_cluster: 'outbound|9080|v1|reviews.shop.svc.cluster.local' }]).toSplit({ v1: 1 });
  });
});

describe('on the simulated world (simulateCall)', () => {
  it('toSplit and toHaveStatus read its outcomes', () => {
    const outcomes = simulateCall(
      canary,
      { from: 'sleep.shop', url: 'http://reviews:9080/' },
      { requests: 2000, seed: 4 },
    );
    expect(outcomes).toSplit({ v1: 90, v2: 10 }, { alpha: 0.001 });
    expect(outcomes).toHaveStatus(200);
    const faulty = simulateCall(
      mesh('fault-on-catch-all.yaml'),
      { from: 'sleep.shop', url: 'http://ratings:9080/' },
      { requests: 1000 },
    );
    expect(faulty).toHaveStatus(500, { share: 50, alpha: 0.001 });
    expect(faulty.every((o) => (o.status === 500) === o.responseFlags.includes('FI'))).toBe(true);
  });
});

describe('expect(result).toHaveStatus(status, { share })', () => {
  const faulty = mesh('fault-on-catch-all.yaml');
  const call = { from: 'sleep.shop', url: 'http://ratings:9080/' };
  it('on a decision: the possible statuses and their exact shares', () => {
    const d = decideRoute(faulty, call);
    expect(d).toHaveStatus(500, { share: 50 });
    expect(d).toHaveStatus([200, 500]);
    expect(d).not.toHaveStatus(200);
    expect(decideRoute(faulty, { ...call, headers: { 'end-user': 'jason' } })).toHaveStatus(200);
  });

  it('on sampled requests: every one, or a share at alpha', () => {
    const s = sampleRoute(faulty, call, { requests: 2000, seed: 9 });
    expect(s).toHaveStatus(500, { share: 50, alpha: 0.001 });
    expect(s).not.toHaveStatus(500);
    expect(failure(() => expect(s).toHaveStatus(500, { share: 10 }))).toMatch(
      /expected 10 % of 2000 requests to get 500/,
    );
  });
});

describe('expect(property).toHold()', () => {
  it('passes for a mesh without the mistake', () => {
    expect(everyRequestReachesDestination(canary)).toHold();
  });

  it('fails with the counterexample as YAML plus the request, and saves it to a file', () => {
    const message = failure(() => expect(everyRequestReachesDestination(mesh('missing-subset.yaml'))).toHold());
    expect(message).toContain('property "every request reaches a defined destination" does not hold');
    expect(message).toContain('kind: VirtualService');
    const files = readdirSync(counterexampleDir);
    expect(files).toHaveLength(1);
    expect(message).toContain(`(saved to ${join(counterexampleDir, files[0] as string)})`);
    const text = readFileSync(join(counterexampleDir, files[0] as string), 'utf8');
    expect(message).toContain(text);
  });
});
