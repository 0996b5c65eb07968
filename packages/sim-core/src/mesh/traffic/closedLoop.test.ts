/**
 * The closed-loop generator against Fortio's rules (fortio/fortio periodic/periodic.go): the expected send
 * times below are computed from Fortio's formulas — `targetElapsedInSec = (i + i/(numCalls−1)) / perThreadQPS`
 * with a duration, `i / perThreadQPS` without — not read off this implementation.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../engine/simulation.js';
import { ms, s, SECOND, type Duration } from '../../engine/time.js';
import { ConfigError } from '../../errors.js';
import { compileDistribution, type DistributionSpec } from '../app/distribution.js';
import { checkClosedLoopSpec, ClosedLoopGenerator, type ClosedLoopSpec } from './closedLoop.js';
import type { GeneratedRequest } from './generator.js';

type Spec = Omit<ClosedLoopSpec, 'name' | 'source' | 'mix'>;

/** Runs a closed loop against a server whose answer takes `service` µs (drawn per request). */
function run(spec: Spec, service: DistributionSpec = { kind: 'constant', value: ms(1) }, seed = 'closed') {
  const sim = new Simulation({ seed });
  const serviceTime = compileDistribution(service);
  const rng = sim.rng.stream('server');
  const sent: GeneratedRequest[] = [];
  const latencies: { conn: number; sentAt: number; latency: Duration }[] = [];
  const gen = new ClosedLoopGenerator(
    sim,
    {
      name: 'fortio',
      source: { kind: 'pod', namespace: 'default', pod: 'fortio-0' },
      mix: [{ url: 'http://echo:8080/' }],
      ...spec,
    },
    {
      send(req, done) {
        sent.push(req);
        sim.schedule(serviceTime.sample(rng), () => done({ status: 200 }));
      },
    },
    (req, _res, latency) => latencies.push({ conn: req.connection!, sentAt: req.sentAt, latency }),
  );
  gen.start();
  sim.run();
  return { sim, sent, latencies, gen };
}

describe('ClosedLoopGenerator, as fast as possible (qps 0)', () => {
  test.prop([
    fc.integer({ min: 1, max: 8 }),
    fc.integer({ min: 1, max: 200 }),
    fc.oneof(
      fc.integer({ min: 0, max: 5000 }).map((value) => ({ kind: 'constant' as const, value })),
      fc.integer({ min: 1, max: 5000 }).map((mean) => ({ kind: 'exponential' as const, mean })),
    ),
  ])(
    "Little's law, exactly: each connection is always busy, so Σ latency = Σ over connections of (its last answer − start)",
    (connections, requests, service) => {
      const { latencies, sent, gen } = run(
        { connections, qps: 0, requests },
        service,
        `little/${connections}/${requests}`,
      );
      expect(sent).toHaveLength(requests);
      expect(gen.finished).toBe(true);
      const total = latencies.reduce((a, l) => a + l.latency, 0);
      const lastEnd = new Map<number, number>();
      for (const l of latencies) lastEnd.set(l.conn, Math.max(lastEnd.get(l.conn) ?? 0, l.sentAt + l.latency));
      let busy = 0;
      for (const end of lastEnd.values()) busy += end;
      expect(total).toBe(busy);
      // Fortio splits n requests as ⌊n/c⌋ per connection, the remainder to connection 0.
      const c = Math.min(connections, requests);
      const per = new Array<number>(c).fill(0);
      for (const r of sent) per[r.connection!]!++;
      expect(per).toEqual(Array.from({ length: c }, (_, i) => Math.floor(requests / c) + (i === 0 ? requests % c : 0)));
    },
  );

  it('with a duration, no request starts after the end (Fortio checks the clock before each call)', () => {
    const { sent } = run({ connections: 3, qps: 0, duration: ms(100) }, { kind: 'constant', value: ms(7) });
    expect(sent.length).toBe(3 * (Math.floor(100 / 7) + 1));
    for (const r of sent) expect(r.sentAt).toBeLessThanOrEqual(ms(100));
  });
});

describe('ClosedLoopGenerator, paced (qps > 0)', () => {
  test.prop([fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 5 })])(
    'with a duration: ⌊qps·t⌋ requests, request i of a connection at (i + i/(n−1)) / (qps/c)',
    (connections, qps, seconds) => {
      const { sent, gen } = run({ connections, qps, duration: s(seconds) }, { kind: 'constant', value: 100 });
      let total = Math.trunc(qps * seconds);
      let threads = connections;
      if (total < 2) [total, threads] = [2, 1];
      if (2 * threads > total) threads = Math.floor(total / 2);
      const n = Math.floor(total / threads);
      expect(gen.effectiveConnections).toBe(threads);
      expect(sent).toHaveLength(n * threads);
      const perThreadQps = qps / threads;
      for (let c = 0; c < threads; c++) {
        const times = sent.filter((r) => r.connection === c).map((r) => r.sentAt);
        const expected = Array.from({ length: n }, (_, i) => Math.round(((i + i / (n - 1)) / perThreadQps) * SECOND));
        expect(times).toEqual(expected);
      }
    },
  );

  it('a connection that falls behind catches up by sending at once; noCatchUp skips the late requests', () => {
    // 10 qps on one connection (one every 100 ms) against a 250 ms server.
    const caught = run({ connections: 1, qps: 10, requests: 6 }, { kind: 'constant', value: ms(250) });
    expect(caught.sent.map((r) => r.sentAt)).toEqual([0, 250, 500, 750, 1000, 1250].map(ms));
    const skipped = run(
      { connections: 1, qps: 10, requests: 6, noCatchUp: true },
      { kind: 'constant', value: ms(250) },
    );
    // after 250 ms, requests 1 and 2 (due at 100, 200 ms) are skipped; request 3 is due at 300 ms, …
    expect(skipped.sent.map((r) => r.sentAt)).toEqual([0, 300].map(ms));
  });

  it('uniform staggers connection starts by id/c of a period', () => {
    const { sent } = run({ connections: 4, qps: 40, requests: 8, uniform: true }, { kind: 'constant', value: 10 });
    const firsts = [0, 1, 2, 3].map((c) => sent.find((r) => r.connection === c)!.sentAt);
    expect(firsts).toEqual([0, 25, 50, 75].map(ms)); // period 100 ms per connection
  });

  test.prop([fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 40 })])(
    'jitter moves each send by at most ±10 % of its wait and does not accumulate (Fortio getJitter)',
    (connections, requests) => {
      const plain = run({ connections, qps: 20, requests }, { kind: 'constant', value: 10 });
      const jittered = run(
        { connections, qps: 20, requests, jitter: true },
        { kind: 'constant', value: 10 },
        `j/${connections}/${requests}`,
      );
      // The jitter is ±10 % of each wait; a wait follows an early send and can reach 1.1 periods.
      const period = SECOND / (20 / plain.gen.effectiveConnections);
      let moved = 0;
      for (let c = 0; c < plain.gen.effectiveConnections; c++) {
        const a = plain.sent.filter((r) => r.connection === c).map((r) => r.sentAt);
        const b = jittered.sent.filter((r) => r.connection === c).map((r) => r.sentAt);
        expect(b).toHaveLength(a.length);
        a.forEach((t, i) => {
          expect(Math.abs((b[i] as number) - t)).toBeLessThanOrEqual(period * 0.11 + 1);
          if (b[i] !== t) moved++;
        });
      }
      expect(moved).toBeGreaterThan(0); // the first send of a connection never waits, every later one does
    },
  );

  it.each<[string, Partial<ClosedLoopSpec>, RegExp]>([
    ['no connections', { connections: 0, qps: 1, requests: 1 }, /x\.connections/],
    ['a negative qps', { connections: 1, qps: -1, requests: 1 }, /x\.qps/],
    ['max speed forever', { connections: 1, qps: 0 }, /give a duration/],
  ])('rejects %s with a ConfigError', (_, bad, message) => {
    const spec = {
      name: 'x',
      source: { kind: 'external', name: 'c' },
      mix: [{ url: 'http://a/' }],
      ...bad,
    } as ClosedLoopSpec;
    expect(() => checkClosedLoopSpec(spec, { field: 'x' })).toThrow(ConfigError);
    expect(() => checkClosedLoopSpec(spec, { field: 'x' })).toThrow(message);
  });
});
