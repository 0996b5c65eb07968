import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { fixedRandom, RngStreams } from '../../engine/rng.js';
import { binomialAcceptance } from '../../testing/stats.js';
import {
  pickWeightedCluster,
  sampleWeightedCluster,
  totalWeight,
  weightedCandidates,
  weightedClusterRandomValue,
} from './weightedClusters.js';
import type { WeightedCluster } from './types.js';

const wc = (...weights: number[]): WeightedCluster => ({
  clusters: weights.map((weight, i) => ({ name: `c${i}`, weight })),
});

describe('pickWeightedCluster() — RouteEntryImplBase::pickWeightedCluster', () => {
  it('walks [0,w1), [w1,w1+w2), … in configuration order with random % total', () => {
    // Envoy's RouteMatcherTest.WeightedClusters: cluster1 30, cluster2 30, cluster3 40.
    const c = wc(30, 30, 40);
    expect(pickWeightedCluster(c, 0)).toBe('c0');
    expect(pickWeightedCluster(c, 29)).toBe('c0');
    expect(pickWeightedCluster(c, 30)).toBe('c1');
    expect(pickWeightedCluster(c, 59)).toBe('c1');
    expect(pickWeightedCluster(c, 60)).toBe('c2');
    expect(pickWeightedCluster(c, 99)).toBe('c2');
    expect(pickWeightedCluster(c, 100)).toBe('c0');
    expect(pickWeightedCluster(c, 2 ** 53 - 1)).toBe('c2'); // (2^53 − 1) mod 100 = 91
  });

  it('uses the sum of weights, not 100, and never picks a 0-weight cluster', () => {
    const c = wc(1, 0, 2);
    expect(totalWeight(c)).toBe(3);
    expect([0, 1, 2, 3, 4, 5].map((r) => pickWeightedCluster(c, r))).toEqual(['c0', 'c2', 'c2', 'c0', 'c2', 'c2']);
    expect(pickWeightedCluster(wc(0, 0), 7)).toBeUndefined();
  });

  it('takes the random value from header_name when it carries one number', () => {
    const c: WeightedCluster = { ...wc(50, 50), headerName: 'x-random' };
    expect(weightedClusterRandomValue(c, { 'x-random': '75' }, 3)).toBe(75);
    expect(weightedClusterRandomValue(c, { 'x-random': ['1', '2'] }, 3)).toBe(3);
    expect(weightedClusterRandomValue(c, { 'x-random': 'abc' }, 3)).toBe(3);
    expect(weightedClusterRandomValue(wc(1), { 'x-random': '75' }, 3)).toBe(3);
  });

  it('sampleWeightedCluster() draws exactly one value per request', () => {
    const rnd = fixedRandom([10, 95]);
    expect(sampleWeightedCluster(wc(90, 10), rnd)).toBe('c0');
    expect(sampleWeightedCluster(wc(90, 10), rnd)).toBe('c1');
    expect(rnd.drawn).toBe(2);
  });
});

const weights = fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 8 }).filter((ws) => ws.some((w) => w > 0));

describe('weightedCandidates() properties', () => {
  test.prop([weights])('probabilities equal weight/total and sum to 1', (ws) => {
    const cands = weightedCandidates(wc(...ws));
    const total = ws.reduce((a, b) => a + b, 0);
    expect(cands.map((c) => c.probability)).toEqual(ws.map((w) => w / total));
    expect(Math.abs(cands.reduce((a, c) => a + c.probability, 0) - 1)).toBeLessThan(1e-12);
  });

  test.prop([weights])('over one full period of random values each cluster gets exactly its weight', (ws) => {
    const total = ws.reduce((a, b) => a + b, 0);
    const counts = new Map<string, number>();
    for (let r = 0; r < total; r++) {
      const name = pickWeightedCluster(wc(...ws), r) as string;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    ws.forEach((w, i) => expect(counts.get(`c${i}`) ?? 0).toBe(w));
  });
});

describe('sampleWeightedCluster() converges to weight/total', () => {
  // Exact two-sided binomial acceptance regions at alpha = 0.001 per cluster, fixed seeds.
  const alpha = 0.001;
  const n = 20_000;
  for (const ws of [
    [90, 10],
    [50, 50],
    [1, 2, 3, 4],
    [33, 33, 34],
  ]) {
    it(`weights ${ws.join('/')} over ${n} draws`, () => {
      const rng = new RngStreams(42).stream('router/weighted');
      const c = wc(...ws);
      const counts = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const name = sampleWeightedCluster(c, rng) as string;
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
      for (const cand of weightedCandidates(c)) {
        const { lower, upper } = binomialAcceptance(n, cand.probability, alpha);
        const k = counts.get(cand.name) ?? 0;
        expect(k).toBeGreaterThanOrEqual(lower);
        expect(k).toBeLessThanOrEqual(upper);
      }
    });
  }
});
