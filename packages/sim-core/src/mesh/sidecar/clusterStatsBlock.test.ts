/**
 * A cluster's stats in its proxy's store (`cluster.<name>.*`): they outlive the cluster object a CDS update
 * replaces (Envoy keeps stats in the cluster's scope), counters carry over and gauges follow the live
 * object; response codes are charged as `CodeStatsImpl::chargeBasicResponseStat` does (envoyproxy/envoy
 * source/common/http/codes.cc): `upstream_rq_completed`, `upstream_rq_<N>xx`, `upstream_rq_<code>` (or
 * `upstream_rq_unknown` outside 100–599), under the cluster prefix and `external.` for a first try, under
 * `retry.` only for a retried one.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ms } from '../../engine/time.js';
import { StatsStore } from '../../envoy/observability/statsStore.js';
import { createClusterLbStats, createClusterTrafficStats } from '../../envoy/upstream/clusterStats.js';
import type { OutlierDetectionStats } from '../../envoy/upstream/outlierDetector.js';
import { ResourceManager } from '../../envoy/upstream/resourceManager.js';
import { ClusterStatsBlock, type ClusterStatObjects } from './clusterStatsBlock.js';
import { createClusterConnectionStats } from './connPool.js';

const CLUSTER = 'outbound|9080|v1|reviews.default.svc.cluster.local';
const P = `cluster.${CLUSTER}.`;

function objects(outlier?: Partial<Record<keyof OutlierDetectionStats, number>>): ClusterStatObjects {
  return {
    traffic: createClusterTrafficStats(),
    lb: createClusterLbStats(),
    connection: createClusterConnectionStats(),
    outlier: outlier as OutlierDetectionStats | undefined,
    resources: new ResourceManager('DEFAULT', { maxRequests: 10 }),
  };
}

describe('ClusterStatsBlock across CDS updates', () => {
  it('reads the current cluster object: counters carry over, gauges and circuit breakers are the new object’s', () => {
    const store = new StatsStore();
    const block = new ClusterStatsBlock(store, CLUSTER);
    const first = objects();
    block.bind(first);
    first.traffic.upstream_rq_total = 5;
    first.traffic.upstream_rq_active = 2;
    first.connection.upstream_cx_total = 3;
    first.resources.requests.inc();
    expect(store.value(`${P}upstream_rq_total`)).toBe(5);
    expect(store.value(`${P}circuit_breakers.default.remaining_rq`)).toBe(9);

    const second = objects();
    block.bind(second);
    second.traffic.upstream_rq_total++;
    first.traffic.upstream_rq_total = 100; // the replaced object no longer counts
    expect(store.value(`${P}upstream_rq_total`)).toBe(6);
    expect(store.value(`${P}upstream_cx_total`)).toBe(3);
    expect(store.value(`${P}upstream_rq_active`)).toBe(0);
    expect(store.value(`${P}circuit_breakers.default.remaining_rq`)).toBe(10);
    expect(store.value(`${P}no_such_stat`)).toBeUndefined();

    const stats = new Map(store.numericStats().map(([name, value, kind]) => [name, { value, kind }]));
    expect(stats.get(`${P}upstream_rq_total`)).toEqual({ value: 6, kind: 'counter' });
    expect(stats.get(`${P}upstream_rq_active`)).toEqual({ value: 0, kind: 'gauge' });
    expect(stats.get(`${P}circuit_breakers.default.rq_open`)).toEqual({ value: 0, kind: 'gauge' });
    expect(store.render()).toContain(`${P}upstream_rq_total: 6\n`);
  });

  it('shows outlier detection from the first cluster object that has it on; ejections_active is a gauge', () => {
    const store = new StatsStore();
    const block = new ClusterStatsBlock(store, CLUSTER);
    block.bind(objects());
    expect(store.value(`${P}outlier_detection.ejections_active`)).toBeUndefined();
    const withOutlier = objects({ ejections_active: 1, ejections_enforced_total: 4 });
    block.bind(withOutlier);
    const next = objects({ ejections_active: 0, ejections_enforced_total: 1 });
    block.bind(next);
    expect(store.value(`${P}outlier_detection.ejections_enforced_total`)).toBe(5);
    expect(store.value(`${P}outlier_detection.ejections_active`)).toBe(0);
    const kinds = new Map(store.numericStats().map(([name, , kind]) => [name, kind]));
    expect(kinds.get(`${P}outlier_detection.ejections_active`)).toBe('gauge');
    expect(kinds.get(`${P}outlier_detection.ejections_enforced_total`)).toBe('counter');
  });
});

describe('ClusterStatsBlock response stats', () => {
  const charge = fc.tuple(fc.constantFrom(200, 200, 200, 503, 404, 0, 99, 600, 204), fc.boolean());

  // The block keeps the last first-try code's counters at hand; any sequence must count exactly.
  test.prop([fc.array(charge, { maxLength: 60 })])(
    'every charge counts completed, its class and its code, under the prefixes of its try',
    (charges) => {
      const store = new StatsStore();
      const block = new ClusterStatsBlock(store, CLUSTER);
      const expected = new Map<string, number>();
      const count = (name: string) => expected.set(name, (expected.get(name) ?? 0) + 1);
      for (const [code, retried] of charges) {
        block.chargeResponseCode(code, retried);
        const group = code >= 100 && code < 600 ? `${Math.floor(code / 100)}xx` : undefined;
        for (const p of retried ? [`${P}retry.`] : [P, `${P}external.`]) {
          count(`${p}upstream_rq_completed`);
          if (group !== undefined) count(`${p}upstream_rq_${group}`);
          count(`${p}upstream_rq_${code >= 100 && code < 600 ? code : 'unknown'}`);
        }
      }
      const counters = store
        .numericStats()
        .filter(([name, , kind]) => kind === 'counter' && /upstream_rq_(completed|\dxx|\d+|unknown)$/.test(name))
        .map(([name, value]) => [name, value]);
      expect(counters).toEqual([...expected].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
    },
  );

  it('records upstream_rq_time and external.upstream_rq_time in whole milliseconds', () => {
    const store = new StatsStore();
    const block = new ClusterStatsBlock(store, CLUSTER);
    block.chargeResponseTime(ms(12.9));
    block.chargeResponseTime(ms(0.4));
    for (const name of [`${P}upstream_rq_time`, `${P}external.upstream_rq_time`]) {
      expect(store.histogram(name).cumulative.sortedBins()).toEqual([
        [-1, 1],
        [112, 1],
      ]);
    }
  });
});
