import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { buildTimeline, timelineEventsFromOutlier, type TimelineEvent } from './timeline.js';

const S = 1_000_000;
const arbEvent: fc.Arbitrary<TimelineEvent> = fc.record({
  time: fc.integer({ min: 0, max: 60 * S }),
  kind: fc.constantFrom(
    'ejection',
    'unejection',
    'ejection_detected',
    'overflow',
    'fault_delay',
    'fault_abort',
    'config_push',
    'scenario',
  ),
  subject: fc.constantFrom('10.0.0.1:80', '10.0.0.2:80', 'outbound|80||web'),
}) as fc.Arbitrary<TimelineEvent>;

describe('buildTimeline()', () => {
  test.prop([fc.array(arbEvent, { maxLength: 80 }), fc.integer({ min: 1, max: 100 })])(
    'counts every counted event once, in bins that tile [start, end]',
    (events, bins) => {
      const t = buildTimeline(events, { start: 0, end: 60 * S, bins });
      const counted = events.filter(
        (e) => e.kind === 'overflow' || e.kind === 'fault_delay' || e.kind === 'fault_abort',
      ).length;
      const lanes = t.lanes.filter((l) => l.kind === 'overflows' || l.kind === 'faults');
      expect(lanes.reduce((a, l) => a + l.bins.reduce((b, x) => b + x.count, 0), 0)).toBe(counted);
      for (const l of lanes) {
        for (const b of l.bins) {
          expect(b.start).toBeGreaterThanOrEqual(0);
          expect(b.end).toBeLessThanOrEqual(60 * S);
          expect(b.end).toBeGreaterThan(b.start);
        }
      }
      const marks = events.filter((e) => e.kind === 'config_push' || e.kind === 'scenario').length;
      expect(t.lanes.filter((l) => l.kind === 'events').reduce((a, l) => a + l.marks.length, 0)).toBe(marks);
    },
  );

  test.prop([fc.array(arbEvent, { maxLength: 80 })])(
    'ejection spans never overlap within a host and lie inside the run',
    (events) => {
      const t = buildTimeline(events, { start: 0, end: 60 * S });
      for (const l of t.lanes.filter((x) => x.kind === 'ejections')) {
        for (let i = 0; i < l.spans.length; i++) {
          const s = l.spans[i] as { start: number; end: number; open: boolean };
          expect(s.start).toBeLessThanOrEqual(s.end);
          expect(s.end).toBeLessThanOrEqual(60 * S);
          if (i > 0) expect(s.start).toBeGreaterThanOrEqual((l.spans[i - 1] as { end: number }).end);
          if (s.open) expect(i).toBe(l.spans.length - 1);
        }
      }
    },
  );

  it('pairs an ejection with the next unejection of the same host; one still ejected stays open', () => {
    const t = buildTimeline(
      [
        { time: 10 * S, kind: 'ejection', subject: 'a', detail: 'CONSECUTIVE_5XX' },
        { time: 40 * S, kind: 'unejection', subject: 'a' },
        { time: 50 * S, kind: 'ejection', subject: 'a', detail: 'CONSECUTIVE_5XX' },
        { time: 20 * S, kind: 'ejection', subject: 'b' },
      ],
      { end: 60 * S },
    );
    expect(t.lanes.map((l) => l.label)).toEqual(['a', 'b']);
    expect(t.lanes[0]?.spans).toEqual([
      { start: 10 * S, end: 40 * S, label: 'CONSECUTIVE_5XX', open: false },
      { start: 50 * S, end: 60 * S, label: 'CONSECUTIVE_5XX', open: true },
    ]);
    expect(t.lanes[1]?.spans).toEqual([{ start: 20 * S, end: 60 * S, label: 'ejected', open: true }]);
  });

  it('orders lanes: events, ejections, overflows, faults', () => {
    const t = buildTimeline([
      { time: 1, kind: 'fault_abort', subject: 'r' },
      { time: 2, kind: 'overflow', subject: 'c', detail: 'upstream_rq_pending_overflow' },
      { time: 3, kind: 'ejection', subject: 'h' },
      { time: 4, kind: 'config_push', subject: 'VirtualService ns/vs' },
    ]);
    expect(t.lanes.map((l) => [l.kind, l.stat])).toEqual([
      ['events', undefined],
      ['ejections', undefined],
      ['overflows', 'upstream_rq_pending_overflow'],
      ['faults', 'aborts_injected'],
    ]);
  });

  it('refuses events outside the run and bad bin counts', () => {
    expect(() => buildTimeline([{ time: 10, kind: 'scenario', subject: 'x' }], { end: 5 })).toThrow(/outside/);
    expect(() => buildTimeline([], { bins: 0 })).toThrow(/bins/);
  });
});

describe('timelineEventsFromOutlier()', () => {
  it("maps Envoy's outlier event log: enforced ejections, detections and unejections", () => {
    const host = { addressString: '10.0.0.7:80' };
    const events = timelineEventsFromOutlier(
      [
        { time: 5, action: 'EJECT', host, type: 'CONSECUTIVE_5XX', enforced: true },
        { time: 6, action: 'EJECT', host, type: 'SUCCESS_RATE', enforced: false },
        { time: 9, action: 'UNEJECT', host, enforced: true },
      ],
      'outbound|80||web.ns.svc.cluster.local',
      (a) => (a === '10.0.0.7:80' ? 'ns/web-1' : undefined),
    );
    expect(events.map((e) => [e.kind, e.subject])).toEqual([
      ['ejection', '10.0.0.7:80 (ns/web-1)'],
      ['ejection_detected', '10.0.0.7:80 (ns/web-1)'],
      ['unejection', '10.0.0.7:80 (ns/web-1)'],
    ]);
    expect(events[0]?.detail).toBe('CONSECUTIVE_5XX in outbound|80||web.ns.svc.cluster.local');
  });
});
