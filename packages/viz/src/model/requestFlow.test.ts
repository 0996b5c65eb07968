import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  buildRequestFlow,
  FLOW_LANES,
  lanesOf,
  type FlowLane,
  type FlowStep,
  type RequestFlowSpec,
} from './requestFlow.js';

const step = (lane: FlowLane, label: string, duration?: number): FlowStep => ({
  lane,
  stage: 'router',
  label,
  ...(duration !== undefined ? { duration } : {}),
});

const arbStep = fc
  .record({
    lane: fc.constantFrom(...FLOW_LANES),
    label: fc.string({ maxLength: 12 }),
    duration: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
  })
  .map(({ lane, label, duration }) => step(lane, label, duration));

const arbSpec: fc.Arbitrary<RequestFlowSpec> = fc
  .record({
    outbound: fc.array(arbStep, { maxLength: 6 }),
    attempts: fc.array(
      fc.record({
        request: fc.array(arbStep, { maxLength: 5 }),
        response: fc.array(arbStep, { maxLength: 3 }),
        retry: fc.option(arbStep, { nil: undefined }),
      }),
      { maxLength: 4 },
    ),
    final: fc.array(arbStep, { maxLength: 3 }),
  })
  .map((r) => ({
    title: 't',
    request: 'r',
    outbound: r.outbound,
    // Only tries followed by another may carry a retry.
    attempts: r.attempts.map((a, i) =>
      i === r.attempts.length - 1 ? { request: a.request, response: a.response } : a,
    ),
    final: r.final,
    outcome: { status: 200, responseFlags: '-' },
  }));

describe('buildRequestFlow()', () => {
  test.prop([arbSpec])('keeps every step, in order, numbered h1…hN', (spec) => {
    const flow = buildRequestFlow(spec);
    const expected = [
      ...spec.outbound,
      ...spec.attempts.flatMap((a) => [...a.request, ...a.response, ...(a.retry !== undefined ? [a.retry] : [])]),
      ...spec.final,
    ];
    expect(flow.hops.map((h) => h.label)).toEqual(expected.map((s) => s.label));
    expect(flow.hops.map((h) => h.id)).toEqual(expected.map((_, i) => `h${i + 1}`));
    expect(flow.outcome.attempts).toBe(spec.attempts.length);
  });

  test.prop([arbSpec])('assigns tries and directions: request legs, then the response legs of each try', (spec) => {
    const flow = buildRequestFlow(spec);
    let i = spec.outbound.length;
    expect(flow.hops.slice(0, i).every((h) => h.direction === 'request' && h.attempt === undefined)).toBe(true);
    spec.attempts.forEach((a, t) => {
      for (const _ of a.request) expect(flow.hops[i++]).toMatchObject({ direction: 'request', attempt: t + 1 });
      for (const _ of a.response) expect(flow.hops[i++]).toMatchObject({ direction: 'response', attempt: t + 1 });
      if (a.retry !== undefined)
        expect(flow.hops[i++]).toMatchObject({ direction: 'response', attempt: t + 1, status: 'retry' });
    });
    expect(flow.hops.slice(i).every((h) => h.direction === 'response' && h.attempt === undefined)).toBe(true);
  });

  test.prop([arbSpec])('start times are the sums of the earlier durations, until one is missing', (spec) => {
    const flow = buildRequestFlow(spec);
    let clock: number | undefined = 0;
    for (const h of flow.hops) {
      expect(h.start).toBe(clock);
      clock = clock !== undefined && h.duration !== undefined ? clock + h.duration : undefined;
    }
  });

  it('refuses a retry after the last try, and negative durations', () => {
    const base = { title: 't', request: 'r', outbound: [], final: [], outcome: { status: 200, responseFlags: '-' } };
    expect(() =>
      buildRequestFlow({ ...base, attempts: [{ request: [], response: [], retry: step('client-envoy', 'retry') }] }),
    ).toThrow(/last try/);
    expect(() => buildRequestFlow({ ...base, attempts: [], outbound: [step('network', 'n', -1)] })).toThrow(/duration/);
  });

  it('lanesOf() lists the used lanes in lane order', () => {
    const flow = buildRequestFlow({
      title: 't',
      request: 'r',
      outbound: [step('server-app', 'a'), step('client-app', 'b'), step('network', 'c')],
      attempts: [],
      final: [],
      outcome: { status: 200, responseFlags: '-' },
    });
    expect(lanesOf(flow)).toEqual(['client-app', 'network', 'server-app']);
  });
});
