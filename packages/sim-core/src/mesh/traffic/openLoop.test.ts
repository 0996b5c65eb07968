import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../engine/simulation.js';
import { ms, s, SECOND } from '../../engine/time.js';
import { ConfigError } from '../../errors.js';
import { chiSquareCritical, chiSquareStatistic } from '../../testing/stats.js';
import type { GeneratedRequest, TrafficSink } from './generator.js';
import { checkOpenLoopSpec, OpenLoopGenerator, type OpenLoopSpec } from './openLoop.js';

const SOURCE = { kind: 'pod', namespace: 'default', pod: 'sleep-0' } as const;

/** Runs a generator against a sink that answers after `serviceTime`; returns the requests sent. */
function run(
  spec: Omit<OpenLoopSpec, 'source' | 'name' | 'mix'> & { mix?: OpenLoopSpec['mix'] },
  seed = 'open',
  serviceTime = ms(1),
) {
  const sim = new Simulation({ seed });
  const sent: GeneratedRequest[] = [];
  const sink: TrafficSink = {
    send(req, done) {
      sent.push(req);
      sim.schedule(serviceTime, () => done({ status: 200 }));
    },
  };
  const gen = new OpenLoopGenerator(
    sim,
    { name: 'load', source: SOURCE, mix: [{ url: 'http://server:8080/' }], ...spec },
    sink,
  );
  gen.start();
  sim.run();
  return { sent, gen };
}

const poissonPmf = (k: number, m: number): number => {
  let p = Math.exp(-m);
  for (let i = 1; i <= k; i++) p *= m / i;
  return p;
};

describe('OpenLoopGenerator', () => {
  it('Poisson arrivals: counts in disjoint 100 ms windows are Poisson(λ·100 ms) (χ² at alpha = 1e-4)', () => {
    // Rounding to whole µs maps continuous arrivals in [a − ½, b − ½) onto [a, b), so window counts of the
    // rounded times are still exactly i.i.d. Poisson(λ·W).
    const rate = 50; // per second: 5 per 100 ms window
    const windows = 20_000;
    const W = ms(100);
    const { sent } = run({ rate, duration: windows * W }, 'poisson');
    const counts = new Array<number>(windows).fill(0);
    for (const r of sent) counts[Math.floor(r.sentAt / W)]!++;
    const maxK = 12; // categories 0..11 and ≥ 12
    const observed = new Array<number>(maxK + 1).fill(0);
    for (const c of counts) observed[Math.min(c, maxK)]!++;
    const probs = Array.from({ length: maxK }, (_, k) => poissonPmf(k, (rate * W) / SECOND));
    probs.push(1 - probs.reduce((a, b) => a + b, 0));
    expect(chiSquareStatistic(observed, probs)).toBeLessThan(chiSquareCritical(probs.length, 1e-4));
  });

  test.prop([
    fc.double({ min: 0.5, max: 5000, noNaN: true }),
    fc.integer({ min: 1, max: 2 * SECOND }),
    fc.integer({ min: 0, max: SECOND }),
  ])(
    'constant arrivals: exactly the times startAt + round(k / rate) inside [startAt, startAt + duration)',
    (rate, duration, startAt) => {
      const { sent } = run({ rate, duration, startAt, arrivals: 'constant' });
      const expected: number[] = [];
      for (let k = 0; ; k++) {
        const t = Math.round(startAt + (k * SECOND) / rate);
        if (t >= startAt + duration) break;
        expected.push(t);
      }
      expect(sent.map((r) => r.sentAt)).toEqual(expected);
    },
  );

  test.prop([fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: s(10) })])(
    'stops at the request count or the end of the duration, whichever comes first, and every request completes',
    (requests, duration) => {
      const { sent, gen } = run({ rate: 100, requests, duration }, `limit/${requests}/${duration}`);
      expect(sent.length).toBeLessThanOrEqual(requests);
      for (const r of sent) expect(r.sentAt).toBeLessThan(duration);
      expect(sent.map((r) => r.seq)).toEqual(sent.map((_, i) => i));
      expect(gen.finished).toBe(true);
      expect(gen.stats).toEqual({ sent: sent.length, completed: sent.length });
    },
  );

  it('carries the source, the generator name and the parsed template on every request', () => {
    const { sent } = run({
      rate: 10,
      requests: 1,
      mix: [{ url: 'http://productpage:9080/productpage?u=normal', headers: { 'End-User': 'jason' } }],
    });
    expect(sent[0]).toMatchObject({
      generator: 'load',
      source: SOURCE,
      method: 'GET',
      scheme: 'http',
      authority: 'productpage:9080',
      path: '/productpage?u=normal',
      headers: { 'end-user': 'jason' },
      connection: undefined,
    });
  });

  it.each<[string, Partial<OpenLoopSpec>, RegExp]>([
    ['a zero rate', { rate: 0, requests: 1 }, /traffic\.rate/],
    ['no limit', { rate: 1 }, /give a duration/],
    ['a fractional duration', { rate: 1, duration: 1.5 }, /traffic\.duration/],
  ])('rejects %s with a ConfigError naming the field', (_, bad, message) => {
    const spec = { name: 'x', source: SOURCE, mix: [{ url: 'http://a/' }], rate: 1, ...bad } as OpenLoopSpec;
    expect(() => new OpenLoopGenerator(new Simulation(), spec, { send: () => undefined })).toThrow(ConfigError);
    expect(() => checkOpenLoopSpec(spec, { field: 'traffic' })).toThrow(message);
  });
});
