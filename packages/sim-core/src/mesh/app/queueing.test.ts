/**
 * Queueing sanity: one app replica fed by a Poisson generator must reproduce the closed-form mean response
 * times of M/M/1, M/M/c (Erlang C) and M/D/1.
 *
 * Method: batch means. One long run per model with a fixed seed; the first WARMUP responses are discarded
 * (the queue starts empty), the rest are cut, in completion order, into BATCHES consecutive batches whose
 * means are treated as i.i.d. normal (each batch spans thousands of busy periods, far longer than the
 * correlation time). A two-sided Student-t interval at ALPHA = 0.001 around the grand mean must contain the
 * theoretical mean, and its half-width must be under 3 % of it (so the check is tight, not vacuous).
 */
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../engine/simulation.js';
import { MILLISECOND, SECOND } from '../../engine/time.js';
import { OpenLoopGenerator } from '../traffic/openLoop.js';
import { AppReplica } from './appReplica.js';
import { compileBehaviour } from './compileApp.js';
import type { DistributionSpec } from './distribution.js';
import { erlangC, md1MeanResponseTime, mm1MeanResponseTime, mmcMeanResponseTime } from './queueing.js';

const ALPHA = 0.001;
const WARMUP = 20_000;
const BATCHES = 40;
const PER_BATCH = 25_000;

/** Two-sided Student-t critical value with ν degrees of freedom: P(|T| > t) = alpha. */
function tCritical(alpha: number, nu: number): number {
  // |T| > t  ⇔  ν/(ν+T²) < ν/(ν+t²), and ν/(ν+T²) ~ Beta(ν/2, 1/2).
  const x = betaQuantile(alpha, nu / 2, 0.5);
  return Math.sqrt((nu * (1 - x)) / x);
}

/** Runs Poisson arrivals at `rate`/s into one replica; returns the batch-means interval of response times (µs). */
function simulate(seed: string, rate: number, serviceTime: DistributionSpec, concurrency: number) {
  const sim = new Simulation({ seed });
  const app = new AppReplica({
    sim,
    namespace: 'default',
    pod: 'server-0',
    behaviour: compileBehaviour({ serviceTime, concurrency }),
  });
  const total = WARMUP + BATCHES * PER_BATCH;
  const sums = new Float64Array(BATCHES);
  let done = 0;
  const gen = new OpenLoopGenerator(
    sim,
    {
      name: 'load',
      source: { kind: 'external', name: 'client' },
      rate,
      requests: total,
      mix: [{ url: 'http://server/' }],
    },
    { send: (req, reply) => app.handle(req, (res) => reply({ status: res.kind === 'response' ? res.status : 0 })) },
    (_req, _res, latency) => {
      const k = done++ - WARMUP;
      if (k >= 0) sums[Math.floor(k / PER_BATCH)]! += latency;
    },
  );
  gen.start();
  sim.run();
  expect(done).toBe(total);
  const means = Array.from(sums, (s) => s / PER_BATCH);
  const grand = means.reduce((a, b) => a + b, 0) / BATCHES;
  const sd = Math.sqrt(means.reduce((a, m) => a + (m - grand) ** 2, 0) / (BATCHES - 1));
  const half = (tCritical(ALPHA, BATCHES - 1) * sd) / Math.sqrt(BATCHES);
  return { grand, half };
}

describe('AppReplica under Poisson load reproduces queueing theory (batch means, t-interval at alpha = 0.001)', () => {
  it('tCritical matches tabulated Student-t quantiles', () => {
    expect(tCritical(0.05, 10)).toBeCloseTo(2.228, 3);
    expect(tCritical(0.001, 39)).toBeCloseTo(3.558, 3);
  });

  it('erlangC: one server is M/M/1 (P(wait) = ρ), and a textbook M/M/2 value', () => {
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 12);
    expect(mmcMeanResponseTime(0.7, 1, 1)).toBeCloseTo(mm1MeanResponseTime(0.7, 1), 12);
    // M/M/2 with a = 1: C = a²/(2(2−a)) / (1 + a + a²/(2(2−a))) = 0.5/2.5 = 0.2
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
  });

  it('M/M/1 at ρ = 0.7: mean response time 1/(μ − λ)', () => {
    const mean = 1 * MILLISECOND;
    const rate = 700; // per second
    const expected = mm1MeanResponseTime(rate / SECOND, 1 / mean);
    const { grand, half } = simulate('mm1', rate, { kind: 'exponential', mean }, 1);
    expect(half / expected).toBeLessThan(0.03);
    expect(Math.abs(grand - expected)).toBeLessThanOrEqual(half);
  });

  it('M/M/4 at ρ = 0.8: mean response time C(c, a)/(cμ − λ) + 1/μ', () => {
    const mean = 1 * MILLISECOND;
    const rate = 3200;
    const expected = mmcMeanResponseTime(rate / SECOND, 1 / mean, 4);
    const { grand, half } = simulate('mm4', rate, { kind: 'exponential', mean }, 4);
    expect(half / expected).toBeLessThan(0.03);
    expect(Math.abs(grand - expected)).toBeLessThanOrEqual(half);
  });

  it('M/D/1 at ρ = 0.6: Pollaczek–Khinchine mean response time', () => {
    const d = 1 * MILLISECOND;
    const rate = 600;
    const expected = md1MeanResponseTime(rate / SECOND, d);
    const { grand, half } = simulate('md1', rate, { kind: 'constant', value: d }, 1);
    expect(half / expected).toBeLessThan(0.03);
    expect(Math.abs(grand - expected)).toBeLessThanOrEqual(half);
  });
});
