import { fc, test } from '@fast-check/vitest';
import { envoy } from '@meshsim/sim-core';
import { describe, expect, it } from 'vitest';
import {
  destinationId,
  destinationLabel,
  latencySeriesByDestination,
  splitFlowsFromDestinations,
  summaryRows,
} from './outcomeAdapters.js';

const arbOutcome = fc.record({
  subset: fc.constantFrom('v1', 'v2'),
  pod: fc.constantFrom('a', 'b'),
  status: fc.constantFrom(200, 200, 200, 503, 0),
  flags: fc.constantFrom('-', '-', 'UO', 'UF'),
  attempts: fc.integer({ min: 1, max: 3 }),
  duration: fc.integer({ min: 100, max: 5_000_000 }),
});

function aggregate(
  list: { subset: string; pod: string; status: number; flags: string; attempts: number; duration: number }[],
) {
  const agg = new envoy.OutcomeAggregator();
  list.forEach((o, id) =>
    agg.add({
      id,
      source: 'pod ns/client',
      destination: { service: 'web.ns.svc.cluster.local', subset: o.subset, pod: `ns/web-${o.subset}-${o.pod}` },
      status: o.status,
      responseFlags: o.flags,
      responseCodeDetails: 'via_upstream',
      attempts: o.attempts,
      startTime: 0,
      duration: o.duration,
    }),
  );
  return agg;
}

describe('summaryRows()', () => {
  test.prop([fc.array(arbOutcome, { minLength: 1, maxLength: 200 })])(
    'one row per destination; counts, shares and codes add up',
    (list) => {
      const agg = aggregate(list);
      const rows = summaryRows(agg.byPod());
      expect(rows.reduce((a, r) => a + r.requests, 0)).toBe(list.length);
      expect(rows.reduce((a, r) => a + r.share, 0)).toBeCloseTo(1, 12);
      for (const r of rows) {
        const mine = list.filter((o) => `ns/web-${o.subset}-${o.pod}` === r.pod);
        expect(r.requests).toBe(mine.length);
        expect(r.statusCodes.reduce((a, [, n]) => a + n, 0)).toBe(mine.length);
        expect(r.retried).toBe(mine.filter((o) => o.attempts > 1).length);
        expect(r.attempts).toBe(mine.reduce((a, o) => a + o.attempts, 0));
        expect(r.max).toBe(Math.max(...mine.map((o) => o.duration)));
        expect(r.p50).toBeLessThanOrEqual(r.p99 as number);
      }
    },
  );
});

describe('destination ids and labels', () => {
  it('strips the cluster domain from labels and keeps the subset', () => {
    expect(destinationId('web.ns.svc.cluster.local', 'v2')).toBe('web.ns.svc.cluster.local|v2');
    expect(destinationLabel('web.ns.svc.cluster.local', 'v2')).toBe('web.ns v2');
    expect(destinationLabel('nginx.example.com')).toBe('nginx.example.com');
    expect(destinationLabel('')).toBe('(no destination)');
  });
});

describe('latencySeriesByDestination() and splitFlowsFromDestinations()', () => {
  test.prop([fc.array(arbOutcome, { minLength: 1, maxLength: 100 })])(
    'one series and one flow per group, counts kept',
    (list) => {
      const agg = aggregate(list);
      const series = latencySeriesByDestination(agg.bySubset(), 'base');
      expect(series.map((s) => s.id)).toEqual(agg.bySubset().map((g) => `base/web.ns.svc.cluster.local|${g.subset}`));
      expect(series.reduce((a, s) => a + s.count, 0)).toBe(list.length);
      const flows = splitFlowsFromDestinations(agg.byPod(), 'ns/vs#0', 'ns/client');
      expect(flows.reduce((a, f) => a + f.count, 0)).toBe(list.length);
      expect(new Set(flows.map((f) => f.pod)).size).toBe(agg.byPod().length);
    },
  );
});
