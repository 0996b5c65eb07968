import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { OutcomeAggregator, type RequestOutcome } from './outcome.js';

const outcome = fc.record({
  id: fc.nat(),
  source: fc.constant('pod default/productpage-0'),
  destination: fc.record({
    service: fc.constantFrom('reviews.default.svc.cluster.local', 'ratings.default.svc.cluster.local'),
    subset: fc.constantFrom(undefined, 'v1', 'v2'),
    pod: fc.constantFrom(undefined, 'default/reviews-v1-0', 'default/reviews-v2-0', 'default/reviews-v2-1'),
  }),
  status: fc.constantFrom(200, 503, 0),
  responseFlags: fc.constantFrom('-', 'UO', 'URX'),
  responseCodeDetails: fc.constant('via_upstream'),
  attempts: fc.integer({ min: 0, max: 3 }),
  startTime: fc.nat(),
  duration: fc.integer({ min: 0, max: 1e8 }),
}) as fc.Arbitrary<RequestOutcome>;

describe('OutcomeAggregator', () => {
  test.prop([fc.array(outcome, { maxLength: 300 })])(
    'conservation: every outcome is counted once overall and once in exactly one group, at every roll-up level',
    (outcomes) => {
      const agg = new OutcomeAggregator();
      for (const o of outcomes) agg.add(o);
      const n = outcomes.length;
      expect(agg.overall.count).toBe(n);
      for (const level of [agg.byPod(), agg.bySubset(), agg.byService()]) {
        expect(level.reduce((a, g) => a + g.summary.count, 0)).toBe(n);
        expect(level.reduce((a, g) => a + g.summary.latency.count, 0)).toBe(n);
      }
      expect(agg.overall.statusCounts().reduce((a, [, c]) => a + c, 0)).toBe(n);
      expect(agg.overall.withStatus(503)).toBe(outcomes.filter((o) => o.status === 503).length);
      expect(agg.overall.retried).toBe(outcomes.filter((o) => o.attempts > 1).length);
      expect(agg.overall.attempts).toBe(outcomes.reduce((a, o) => a + o.attempts, 0));
    },
  );

  test.prop([fc.array(outcome, { minLength: 1, maxLength: 100 }), fc.integer({ min: 1, max: 30 })])(
    'bounded: the number of groups depends on the destinations, not on the number of requests',
    (outcomes, repeat) => {
      const agg = new OutcomeAggregator();
      for (let r = 0; r < repeat; r++) for (const o of outcomes) agg.add(o);
      const keys = new Set(
        outcomes.map((o) => `${o.destination.service}|${o.destination.subset ?? ''}|${o.destination.pod ?? ''}`),
      );
      expect(agg.byPod()).toHaveLength(keys.size);
    },
  );

  test.prop([fc.array(outcome, { maxLength: 200 })])(
    'addToGroup with the group of the destination is the same as add',
    (outcomes) => {
      const a = new OutcomeAggregator();
      const b = new OutcomeAggregator();
      for (const o of outcomes) {
        a.add(o);
        b.addToGroup(b.group(o.destination), o);
      }
      const view = (agg: OutcomeAggregator) =>
        agg
          .byPod()
          .map((g) => [g.service, g.subset, g.pod, g.summary.count, g.summary.statusCounts(), g.summary.latency.count]);
      expect(view(b)).toEqual(view(a));
      expect(b.overall.count).toBe(a.overall.count);
    },
  );

  it('groups are sorted by service, subset, pod', () => {
    const agg = new OutcomeAggregator();
    const base = {
      source: 's',
      status: 200,
      responseFlags: '-',
      responseCodeDetails: 'via_upstream',
      attempts: 1,
      startTime: 0,
      duration: 5,
    };
    agg.add({ ...base, id: 1, destination: { service: 'b', subset: 'v1', pod: 'p2' } });
    agg.add({ ...base, id: 2, destination: { service: 'a' } });
    agg.add({ ...base, id: 3, destination: { service: 'b', subset: 'v1', pod: 'p1' } });
    expect(agg.byPod().map((g) => `${g.service}/${g.subset ?? ''}/${g.pod ?? ''}`)).toEqual([
      'a//',
      'b/v1/p1',
      'b/v1/p2',
    ]);
    expect(agg.bySubset().map((g) => [g.service, g.subset, g.summary.count])).toEqual([
      ['a', undefined, 1],
      ['b', 'v1', 2],
    ]);
  });

  // The summaries keep the last status and flags at hand; any interleaving must count exactly.
  test.prop([fc.array(outcome, { maxLength: 300 }), fc.integer({ min: 1, max: 4 })])(
    'status and flag counts are exact for any order of outcomes, overall, per group and rolled up',
    (outcomes, parts) => {
      const agg = new OutcomeAggregator();
      for (const o of outcomes)
        agg.addCallToGroup(agg.group(o.destination), o.status, o.responseFlags, o.attempts, o.duration);
      const count = <K>(list: readonly RequestOutcome[], key: (o: RequestOutcome) => K): [K, number][] => {
        const m = new Map<K, number>();
        for (const o of list) m.set(key(o), (m.get(key(o)) ?? 0) + 1);
        return [...m];
      };
      const byStatus = (list: readonly RequestOutcome[]) => count(list, (o) => o.status).sort((a, b) => a[0] - b[0]);
      const byFlags = (list: readonly RequestOutcome[]) =>
        count(list, (o) => o.responseFlags).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      expect(agg.overall.statusCounts()).toEqual(byStatus(outcomes));
      expect(agg.overall.flagCounts()).toEqual(byFlags(outcomes));
      for (const code of [0, 200, 503, 404]) {
        expect(agg.overall.withStatus(code)).toBe(outcomes.filter((o) => o.status === code).length);
      }
      for (const g of agg.byPod()) {
        const mine = outcomes.filter(
          (o) =>
            o.destination.service === g.service && o.destination.subset === g.subset && o.destination.pod === g.pod,
        );
        expect(g.summary.statusCounts()).toEqual(byStatus(mine));
        expect(g.summary.flagCounts()).toEqual(byFlags(mine));
      }
      for (const g of agg.byService()) {
        const mine = outcomes.filter((o) => o.destination.service === g.service);
        expect(g.summary.statusCounts()).toEqual(byStatus(mine));
        expect(g.summary.flagCounts()).toEqual(byFlags(mine));
      }
      // Merging summaries built from slices gives the counts of the whole.
      const merged = new OutcomeAggregator();
      const size = Math.ceil(outcomes.length / parts);
      for (let i = 0; i < outcomes.length; i += size) {
        const part = new OutcomeAggregator();
        for (const o of outcomes.slice(i, i + size)) part.add(o);
        merged.overall.merge(part.overall);
      }
      expect(merged.overall.statusCounts()).toEqual(byStatus(outcomes));
      expect(merged.overall.flagCounts()).toEqual(byFlags(outcomes));
    },
  );
});
