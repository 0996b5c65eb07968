import { Trace } from '@meshsim/sim-core';
import { describe, expect, it } from 'vitest';
import { buildTimeline } from './timeline.js';
import { timelineEventsFromTrace } from './traceAdapters.js';

const S = 1_000_000;

/** A trace as the world writes it (records' detail shapes from sim-core mesh/sidecar/envoyProxy.ts and mesh/world/dynamics.ts). */
function worldTrace(): Trace {
  const t = new Trace('records');
  const eject = (time: number, host: string, enforced = true): void =>
    t.record(
      time,
      'outlier.eject',
      JSON.stringify({
        proxy: 'default/sleep-0',
        cluster: 'outbound|9080||reviews.default.svc.cluster.local',
        host,
        type: 'CONSECUTIVE_5XX',
        enforced,
      }),
    );
  t.record(0, 'event', 'start');
  t.record(1 * S, 'change', JSON.stringify({ name: 'replica reviews-v1-2 starts failing', kind: 'workload' }));
  eject(3 * S, '10.244.1.9:9080');
  t.record(3 * S + 10, 'net.request', JSON.stringify({ from: 'a', to: 'b' }));
  eject(4 * S, '10.244.1.8:9080', false);
  t.record(
    33 * S,
    'outlier.uneject',
    JSON.stringify({
      proxy: 'default/sleep-0',
      cluster: 'outbound|9080||reviews.default.svc.cluster.local',
      host: '10.244.1.9:9080',
      type: null,
      enforced: true,
    }),
  );
  t.record(40 * S, 'instance.dead', JSON.stringify({ instance: 'default/reviews-v1-2', abrupt: true }));
  t.record(40 * S + 5_000, 'xds.push', JSON.stringify({ proxy: 'default/sleep-0' }));
  t.record(41 * S, 'instance.state', JSON.stringify({ instance: 'default/reviews-v1-1', state: 'unready' }));
  return t;
}

describe('timelineEventsFromTrace()', () => {
  const events = timelineEventsFromTrace(worldTrace().records);

  it('keeps the kinds the timeline shows, in order, and drops the rest', () => {
    expect(events.map((e) => [e.time, e.kind])).toEqual([
      [1 * S, 'scenario'],
      [3 * S, 'ejection'],
      [4 * S, 'ejection_detected'],
      [33 * S, 'unejection'],
      [40 * S, 'scenario'],
      [40 * S + 5_000, 'config_push'],
      [41 * S, 'scenario'],
    ]);
  });

  it('names an ejected host with the client proxy whose outlier detector ejected it', () => {
    expect(events[1]).toEqual({
      time: 3 * S,
      kind: 'ejection',
      subject: '10.244.1.9:9080 in default/sleep-0',
      detail: 'CONSECUTIVE_5XX in outbound|9080||reviews.default.svc.cluster.local',
    });
    expect(events[3]?.subject).toBe(events[1]?.subject);
  });

  it('builds a timeline whose ejection ends when the host returns', () => {
    const t = buildTimeline(events, { start: 0, end: 60 * S });
    const lane = t.lanes.find((l) => l.label === '10.244.1.9:9080 in default/sleep-0');
    expect(lane?.spans).toEqual([
      {
        start: 3 * S,
        end: 33 * S,
        label: 'CONSECUTIVE_5XX in outbound|9080||reviews.default.svc.cluster.local',
        open: false,
      },
    ]);
    expect(t.lanes.find((l) => l.kind === 'events')?.marks.map((m) => m.label)).toEqual([
      'event: replica reviews-v1-2 starts failing — workload',
      'event: default/reviews-v1-2 — killed',
      'push: xDS push to default/sleep-0',
      'event: default/reviews-v1-1 — now unready',
    ]);
  });

  it('skips records whose detail is not a JSON object', () => {
    expect(
      timelineEventsFromTrace([
        { time: 0, kind: 'change', detail: 'not json' },
        { time: 1, kind: 'xds.push', detail: '[1]' },
      ]),
    ).toEqual([]);
  });
});
