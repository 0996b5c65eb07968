import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../engine/simulation.js';
import { ms, s } from '../../engine/time.js';
import { InvariantError } from '../../errors.js';
import { binomialAcceptance } from '../../testing/stats.js';
import { AppReplica } from './appReplica.js';
import { resolveReplica, type AppBehaviour, type AppSpec } from './appSpec.js';
import { compileBehaviour } from './compileApp.js';
import type { AppResponse, InboundRequest, OutboundPort, OutboundRequest, OutboundResult } from './ports.js';

const REQ: InboundRequest = { method: 'GET', path: '/', authority: 'app:9080', headers: {}, bodyBytes: 0 };

function replica(sim: Simulation, b: AppBehaviour, outbound?: OutboundPort, pod = 'app-0'): AppReplica {
  return new AppReplica({
    sim,
    namespace: 'default',
    pod,
    behaviour: compileBehaviour(b),
    ...(outbound ? { outbound } : {}),
  });
}

/** A fake sidecar: answers each call after `delay(req)` with `answer(req)`; `hang` requests never answer. */
function fakeOutbound(
  sim: Simulation,
  answer: (req: OutboundRequest, attempt: number) => OutboundResult | 'hang',
  delay: (req: OutboundRequest) => number = () => ms(1),
): OutboundPort & { sent: { at: number; req: OutboundRequest }[]; cancelled: number } {
  const port = {
    sent: [] as { at: number; req: OutboundRequest }[],
    cancelled: 0,
    send(req: OutboundRequest, done: (r: OutboundResult) => void) {
      port.sent.push({ at: sim.now, req });
      const attempt = port.sent.filter((x) => x.req.callName === req.callName).length;
      const a = answer(req, attempt);
      const ev = a === 'hang' ? undefined : sim.schedule(delay(req), () => done(a));
      return {
        cancel() {
          port.cancelled++;
          ev?.cancel();
        },
      };
    },
  };
  return port;
}

const statusOf = (r: AppResponse): number => (r.kind === 'response' ? r.status : 0);

describe('AppReplica concurrency and queueing', () => {
  test.prop([
    fc.integer({ min: 1, max: 4 }),
    fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 5 })),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 3000 })), {
      minLength: 1,
      maxLength: 60,
    }),
  ])(
    'never serves more than `concurrency` at once, queues at most `queueLimit`, serves FIFO, answers each request exactly once',
    (concurrency, queueLimit, arrivals) => {
      // Arrange: arrivals at given times; service times come from an empirical table we control.
      const sim = new Simulation({ seed: 'fifo' });
      const app = replica(sim, { serviceTime: { kind: 'uniform', min: 500, max: 1500 }, concurrency, queueLimit });
      const answered: number[] = [];
      const started: number[] = [];
      let t = 0;
      let overloads = 0;
      arrivals.forEach(([gap], i) => {
        t += gap;
        sim.at(t, () => {
          const queuedBefore = app.queued;
          const busyBefore = app.inService;
          app.handle(REQ, (res) => {
            answered.push(i);
            if (statusOf(res) === 503) overloads++;
          });
          if (busyBefore < concurrency) started.push(i);
          expect(app.inService).toBeLessThanOrEqual(concurrency);
          expect(app.queued).toBeLessThanOrEqual(queueLimit);
          if (busyBefore === concurrency && queuedBefore === queueLimit) expect(app.queued).toBe(queuedBefore);
        });
      });
      // Act
      sim.run();
      // Assert
      expect([...answered].sort((a, b) => a - b)).toEqual(arrivals.map((_, i) => i));
      expect(app.stats.answered).toBe(arrivals.length);
      expect(app.stats.overloaded).toBe(overloads);
      expect(app.inService).toBe(0);
      expect(app.queued).toBe(0);
    },
  );

  it('a full queue answers the configured overload status at the arrival instant', () => {
    const sim = new Simulation();
    const app = replica(sim, {
      serviceTime: { kind: 'constant', value: ms(10) },
      concurrency: 1,
      queueLimit: 1,
      overload: { status: 429 },
    });
    const got: [number, number][] = [];
    for (let i = 0; i < 3; i++) app.handle(REQ, (r) => got.push([sim.now, statusOf(r)]));
    sim.run();
    expect(got).toEqual([
      [0, 429],
      [ms(10), 200],
      [ms(20), 200],
    ]);
  });

  it("overload 'reset' resets the connection", () => {
    const sim = new Simulation();
    const app = replica(sim, {
      serviceTime: { kind: 'constant', value: 5 },
      concurrency: 1,
      queueLimit: 0,
      overload: 'reset',
    });
    const got: AppResponse[] = [];
    app.handle(REQ, (r) => got.push(r));
    app.handle(REQ, (r) => got.push(r));
    sim.run();
    expect(got.map((r) => r.kind)).toEqual(['reset', 'response']);
    expect(app.stats.resets).toBe(1);
  });

  it('cancel() discards the answer but the request still holds its slot until served', () => {
    const sim = new Simulation();
    const app = replica(sim, { serviceTime: { kind: 'constant', value: ms(5) }, concurrency: 1 });
    const got: number[] = [];
    app.handle(REQ, () => got.push(1)).cancel();
    app.handle(REQ, () => got.push(sim.now));
    sim.run();
    expect(got).toEqual([ms(10)]);
  });
});

describe('AppReplica errors and resets', () => {
  test.prop([fc.double({ min: 0, max: 0.5, noNaN: true }), fc.double({ min: 0, max: 0.4, noNaN: true })], {
    numRuns: 20,
  })('error and reset fractions match their probabilities (exact binomial test at alpha = 1e-4)', (pError, pReset) => {
    const sim = new Simulation({ seed: `err/${pError}/${pReset}` });
    const app = replica(sim, { errors: [{ status: 500, probability: pError }], resetProbability: pReset });
    const n = 4000;
    let errors = 0;
    let resets = 0;
    for (let i = 0; i < n; i++) {
      app.handle(REQ, (r) => {
        if (r.kind === 'reset') resets++;
        else if (r.status === 500) errors++;
      });
    }
    sim.run();
    const e = binomialAcceptance(n, pError, 1e-4);
    const r = binomialAcceptance(n, pReset, 1e-4);
    expect(errors).toBeGreaterThanOrEqual(e.lower);
    expect(errors).toBeLessThanOrEqual(e.upper);
    expect(resets).toBeGreaterThanOrEqual(r.lower);
    expect(resets).toBeLessThanOrEqual(r.upper);
  });

  test.prop([fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })])(
    'common random numbers: with the same seed, a higher error probability fails a superset of the requests',
    (a, b) => {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      const failed = (p: number): Set<number> => {
        const sim = new Simulation({ seed: 'crn' });
        const app = replica(sim, {
          serviceTime: { kind: 'exponential', mean: 1000 },
          errors: [{ status: 503, probability: p }],
        });
        const out = new Set<number>();
        for (let i = 0; i < 200; i++) app.handle(REQ, (r) => statusOf(r) === 503 && out.add(i));
        sim.run();
        return out;
      };
      const small = failed(lo);
      const big = failed(hi);
      for (const i of small) expect(big.has(i)).toBe(true);
    },
  );
});

describe('resolveReplica() per-replica overrides', () => {
  const spec: AppSpec = {
    serviceTime: { kind: 'constant', value: ms(2) },
    errors: [],
    replicas: [
      { index: 2, errors: [{ status: 503, probability: 1 }] },
      { pod: 'reviews-v3-abc', serviceTime: { kind: 'constant', value: ms(500) } },
    ],
  };

  test.prop([fc.integer({ min: 0, max: 10 }), fc.string()])(
    'only the matching replica differs, field by field',
    (index, pod) => {
      const b = resolveReplica(spec, { index, pod });
      expect(b.errors).toEqual(index === 2 ? [{ status: 503, probability: 1 }] : []);
      expect(b.serviceTime).toEqual(
        pod === 'reviews-v3-abc' ? { kind: 'constant', value: ms(500) } : { kind: 'constant', value: ms(2) },
      );
      expect('replicas' in b).toBe(false);
    },
  );

  it('each replica draws from its own stream: adding a replica does not change another one’s service times', () => {
    const times = (pods: string[]): number[] => {
      const sim = new Simulation({ seed: 7 });
      const apps = pods.map((p) => replica(sim, { serviceTime: { kind: 'exponential', mean: ms(1) } }, undefined, p));
      const out: number[] = [];
      for (const app of apps) app.handle(REQ, () => app.pod === 'a' && out.push(sim.now));
      sim.run();
      return out;
    };
    expect(times(['a'])).toEqual(times(['z', 'a', 'b']));
  });
});

describe('AppReplica downstream calls (Bookinfo productpage)', () => {
  const details = { authority: 'details:9080', path: '/details/0' };
  const reviews = {
    authority: 'reviews:9080',
    path: '/reviews/0',
    timeout: s(3),
    attempts: 2,
    onFailure: 'ignore' as const,
  };

  it('calls details, then reviews, after its own service time, and propagates end-user and x-request-id', () => {
    const sim = new Simulation();
    const port = fakeOutbound(
      sim,
      () => ({ kind: 'response', status: 200, bodyBytes: 100 }),
      (r) => (r.authority === 'details:9080' ? ms(3) : ms(7)),
    );
    const app = replica(
      sim,
      {
        serviceTime: { kind: 'constant', value: ms(1) },
        calls: [
          { kind: 'call', call: details },
          { kind: 'call', call: reviews },
        ],
      },
      port,
    );
    let answeredAt = -1;
    app.handle(
      { ...REQ, headers: { 'end-user': 'jason', 'x-request-id': 'abc', cookie: 'session=1', 'x-secret': 'no' } },
      () => (answeredAt = sim.now),
    );
    sim.run();
    expect(port.sent.map((x) => [x.at, x.req.authority])).toEqual([
      [ms(1), 'details:9080'],
      [ms(4), 'reviews:9080'],
    ]);
    expect(port.sent[0]!.req.headers).toEqual({ 'x-request-id': 'abc', cookie: 'session=1', 'end-user': 'jason' });
    expect(answeredAt).toBe(ms(11));
  });

  it('a parallel step issues all calls at once and waits for the slowest', () => {
    const sim = new Simulation();
    const port = fakeOutbound(
      sim,
      () => ({ kind: 'response', status: 200, bodyBytes: 0 }),
      (r) => (r.authority === 'details:9080' ? ms(3) : ms(7)),
    );
    const app = replica(sim, { calls: [{ kind: 'parallel', calls: [details, reviews] }] }, port);
    let answeredAt = -1;
    app.handle(REQ, () => (answeredAt = sim.now));
    sim.run();
    expect(port.sent.map((x) => x.at)).toEqual([0, 0]);
    expect(answeredAt).toBe(ms(7));
  });

  test.prop([
    fc.array(
      fc.record({
        status: fc.constantFrom(200, 404, 503),
        delay: fc.integer({ min: 1, max: 5 }),
        onFailure: fc.constantFrom<'ignore' | 'propagate' | { status: number }>('ignore', 'propagate', { status: 502 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  ])(
    'a parallel step ends when its last call does, answering for the first failed call (in call order) not ignored',
    (calls) => {
      const sim = new Simulation();
      const port = fakeOutbound(
        sim,
        (r) => ({ kind: 'response', status: calls[Number(r.path.slice(1))]!.status, bodyBytes: 0 }),
        (r) => ms(calls[Number(r.path.slice(1))]!.delay),
      );
      const app = replica(
        sim,
        {
          calls: [
            {
              kind: 'parallel',
              calls: calls.map((c, i) => ({ authority: `s${i}:80`, path: `/${i}`, onFailure: c.onFailure })),
            },
          ],
        },
        port,
      );
      const got: [number, number][] = [];
      app.handle(REQ, (r) => got.push([sim.now, statusOf(r)]));
      sim.run();
      const decisive = calls.find((c) => c.status >= 400 && c.onFailure !== 'ignore');
      const want = decisive === undefined ? 200 : decisive.onFailure === 'propagate' ? decisive.status : 502;
      expect(got).toEqual([[ms(Math.max(...calls.map((c) => c.delay))), want]]);
      expect(app.stats.errors).toBe(decisive === undefined ? 0 : 1);
    },
  );

  it('reviews hanging: productpage gives up after 3 s, tries again, and answers 200 after 6 s (Istio fault-injection task)', () => {
    const sim = new Simulation();
    const port = fakeOutbound(
      sim,
      (r) => (r.authority === 'reviews:9080' ? 'hang' : { kind: 'response', status: 200, bodyBytes: 0 }),
      () => ms(2),
    );
    const app = replica(
      sim,
      {
        calls: [
          { kind: 'call', call: details },
          { kind: 'call', call: reviews },
        ],
      },
      port,
    );
    const got: [number, number][] = [];
    app.handle(REQ, (r) => got.push([sim.now, statusOf(r)]));
    sim.run();
    expect(got).toEqual([[ms(2) + s(6), 200]]);
    expect(port.sent.filter((x) => x.req.authority === 'reviews:9080').map((x) => x.at)).toEqual([ms(2), ms(2) + s(3)]);
    expect(port.cancelled).toBe(2);
  });

  test.prop([fc.integer({ min: 1, max: 2 * s(3) }), fc.constantFrom(200, 503)])(
    'an answer before the app’s timeout cancels its timer; one after it is ignored (the stream was closed)',
    (answerAfter, status) => {
      const sim = new Simulation();
      const port = fakeOutbound(
        sim,
        () => ({ kind: 'response', status, bodyBytes: 0 }),
        () => answerAfter,
      );
      const app = replica(sim, { calls: [{ kind: 'call', call: { ...reviews, attempts: 1 } }] }, port);
      const got: [number, number][] = [];
      app.handle(REQ, (r) => got.push([sim.now, statusOf(r)]));
      sim.run({ until: answerAfter });
      // At exactly 3 s the answer, scheduled before the timer, fires first.
      const inTime = answerAfter <= s(3);
      // In time: answered now, and neither the timer nor anything else is left to fire.
      if (inTime) expect([got, sim.pending, port.cancelled]).toEqual([[[answerAfter, 200]], 0, 0]);
      sim.run();
      // onFailure 'ignore': the request is answered 200 either way, once, at the answer or at the timeout.
      expect(got).toEqual([[inTime ? answerAfter : s(3), 200]]);
      expect(port.cancelled).toBe(inTime ? 0 : 1);
      expect(app.stats.callAttempts).toBe(1);
    },
  );

  it('app-level attempts stop at the first response below 400', () => {
    const sim = new Simulation();
    const port = fakeOutbound(sim, (_r, attempt) => ({
      kind: 'response',
      status: attempt === 1 ? 503 : 200,
      bodyBytes: 0,
    }));
    const app = replica(sim, { calls: [{ kind: 'call', call: { ...reviews, attempts: 5 } }] }, port);
    app.handle(REQ, () => undefined);
    sim.run();
    expect(port.sent).toHaveLength(2);
  });

  it.each<[string, 'propagate' | 'ignore' | { status: number }, OutboundResult, number]>([
    ['propagate passes a downstream 503 on', 'propagate', { kind: 'response', status: 503, bodyBytes: 0 }, 503],
    ['propagate turns a reset into 500 (an exception in the handler)', 'propagate', { kind: 'reset' }, 500],
    ['a fixed status replaces the failure', { status: 502 }, { kind: 'connectFailure' }, 502],
    ['ignore answers normally', 'ignore', { kind: 'response', status: 500, bodyBytes: 0 }, 200],
  ])('onFailure: %s', (_, onFailure, result, expected) => {
    const sim = new Simulation();
    const port = fakeOutbound(sim, () => result);
    const app = replica(
      sim,
      {
        calls: [
          { kind: 'call', call: { ...details, onFailure } },
          { kind: 'call', call: reviews },
        ],
      },
      port,
    );
    const got: number[] = [];
    app.handle(REQ, (r) => got.push(statusOf(r)));
    sim.run();
    expect(got).toEqual([expected]);
    // a failing step stops the handler; with 'ignore' it goes on to reviews, which fails twice (2 attempts)
    expect(port.sent).toHaveLength(onFailure === 'ignore' ? 3 : 1);
  });

  it('an app with downstream calls and no outbound port is a meshsim bug, not a user error', () => {
    expect(() => replica(new Simulation(), { calls: [{ kind: 'call', call: details }] })).toThrow(InvariantError);
  });
});
