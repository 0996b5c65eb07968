import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ms } from '../../engine/time.js';
import {
  chargeDownstreamRequest,
  chargeDownstreamResponse,
  chargeResponseStat,
  chargeResponseTiming,
  clusterStatPrefix,
  httpStatPrefix,
  listenerHttpStatPrefix,
} from './codeStats.js';
import { StatsStore } from './statsStore.js';

const fixtures = JSON.parse(readFileSync(new URL('./testdata/envoy-histograms.json', import.meta.url), 'utf8')) as {
  quantileSummary: { values: number[]; line: string };
};

const REVIEWS = 'outbound|9080||reviews.default.svc.cluster.local';

describe('StatsStore.render() (/stats)', () => {
  it('prints a histogram exactly as Envoy’s TextHistogramNoBuckets test expects', () => {
    const store = new StatsStore();
    for (const v of fixtures.quantileSummary.values) store.histogram('h1').record(v);
    expect(store.render()).toBe(`${fixtures.quantileSummary.line}\n`);
  });

  it('prints counters and gauges together in name order, then histograms; attached blocks are read live', () => {
    const store = new StatsStore();
    const block = { upstream_rq_total: 0, upstream_rq_active: 0 };
    store.attach(clusterStatPrefix(REVIEWS), block, ['upstream_rq_active']);
    store.counter('cluster.zzz.upstream_cx_total').inc(2);
    store.gauge('cluster.aaa.membership_healthy').set(3);
    store.histogram(`cluster.${REVIEWS}.upstream_rq_time`);
    block.upstream_rq_total = 7;
    block.upstream_rq_active = 1;
    expect(store.render()).toBe(
      [
        'cluster.aaa.membership_healthy: 3',
        `cluster.${REVIEWS}.upstream_rq_active: 1`,
        `cluster.${REVIEWS}.upstream_rq_total: 7`,
        'cluster.zzz.upstream_cx_total: 2',
        `cluster.${REVIEWS}.upstream_rq_time: No recorded values`,
        '',
      ].join('\n'),
    );
    expect(store.value(`cluster.${REVIEWS}.upstream_rq_total`)).toBe(7);
    expect(store.numericStats().find(([n]) => n.endsWith('upstream_rq_active'))?.[2]).toBe('gauge');
  });

  it('a live source is read when printing: its keys, 0 for a key it lacks or when there is no object', () => {
    const store = new StatsStore();
    let current: { rq_total?: number; cx_active?: number } | undefined = { rq_total: 3, cx_active: 1 };
    store.attachLive('cluster.c.', ['rq_total', 'cx_active'], () => current, ['cx_active']);
    expect(store.value('cluster.c.rq_total')).toBe(3);
    current = { rq_total: 9 };
    expect(store.value('cluster.c.rq_total')).toBe(9);
    expect(store.value('cluster.c.cx_active')).toBe(0);
    expect(store.value('cluster.c.other')).toBeUndefined();
    expect(store.numericStats()).toEqual([
      ['cluster.c.cx_active', 0, 'gauge'],
      ['cluster.c.rq_total', 9, 'counter'],
    ]);
    current = undefined;
    expect(store.render()).toBe('cluster.c.cx_active: 0\ncluster.c.rq_total: 0\n');
  });

  it('usedOnly and filter, as ?usedonly&filter= do', () => {
    const store = new StatsStore();
    store.counter('a.zero');
    store.counter('a.one').inc();
    store.counter('b.one').inc();
    expect(store.render({ usedOnly: true, filter: /^a\./ })).toBe('a.one: 1\n');
  });

  it('after a flush the interval column is nan until new values arrive; cumulative keeps everything', () => {
    const store = new StatsStore();
    store.histogram('h').record(7);
    store.flush();
    expect(store.render()).toBe(
      'h: P0(nan,7) P25(nan,7.025) P50(nan,7.05) P75(nan,7.075) P90(nan,7.09) P95(nan,7.095) P99(nan,7.099) P99.5(nan,7.0995) P99.9(nan,7.0999) P100(nan,7.1)\n',
    );
  });
});

describe('chargeResponseStat() / chargeResponseTiming() (CodeStatsImpl)', () => {
  it('charges completed, the class and the code, plain and under external. for a sidecar request', () => {
    const store = new StatsStore();
    const prefix = clusterStatPrefix(REVIEWS);
    chargeResponseStat(store, prefix, 503);
    chargeResponseStat(store, prefix, 200);
    chargeResponseStat(store, prefix, 200, { internal: true });
    chargeResponseTiming(store, prefix, ms(12.9));
    const names = Object.fromEntries(store.numericStats().map(([n, v]) => [n.slice(prefix.length), v]));
    expect(names).toEqual({
      'external.upstream_rq_200': 1,
      'external.upstream_rq_2xx': 1,
      'external.upstream_rq_503': 1,
      'external.upstream_rq_5xx': 1,
      'external.upstream_rq_completed': 2,
      'internal.upstream_rq_200': 1,
      'internal.upstream_rq_2xx': 1,
      'internal.upstream_rq_completed': 1,
      upstream_rq_200: 2,
      upstream_rq_2xx: 2,
      upstream_rq_503: 1,
      upstream_rq_5xx: 1,
      upstream_rq_completed: 3,
    });
    expect(store.render({ filter: /upstream_rq_time/ })).toContain(`cluster.${REVIEWS}.upstream_rq_time: P0(12,12)`);
  });

  it('a code outside 100–599 has no class and counts as upstream_rq_unknown', () => {
    const store = new StatsStore();
    chargeResponseStat(store, 'cluster.c.', 0);
    expect(store.value('cluster.c.upstream_rq_unknown')).toBe(1);
    expect(store.value('cluster.c.upstream_rq_completed')).toBe(1);
  });
});

describe('chargeDownstreamRequest() / chargeDownstreamResponse() (HTTP connection manager)', () => {
  it('counts requests by protocol and responses by class, on the connection manager and its listener', () => {
    const store = new StatsStore();
    const http = httpStatPrefix('inbound_0.0.0.0_9080');
    const listener = listenerHttpStatPrefix('0.0.0.0_15006', 'inbound_0.0.0.0_9080');
    chargeDownstreamRequest(store, http, 'HTTP/1.1');
    chargeDownstreamRequest(store, http, 'HTTP/2');
    chargeDownstreamResponse(store, 200, http, listener);
    chargeDownstreamResponse(store, 503, http, listener);
    expect(store.render()).toBe(
      [
        'http.inbound_0.0.0.0_9080.downstream_rq_2xx: 1',
        'http.inbound_0.0.0.0_9080.downstream_rq_5xx: 1',
        'http.inbound_0.0.0.0_9080.downstream_rq_completed: 2',
        'http.inbound_0.0.0.0_9080.downstream_rq_http1_total: 1',
        'http.inbound_0.0.0.0_9080.downstream_rq_http2_total: 1',
        'http.inbound_0.0.0.0_9080.downstream_rq_total: 2',
        'listener.0.0.0.0_15006.http.inbound_0.0.0.0_9080.downstream_rq_2xx: 1',
        'listener.0.0.0.0_15006.http.inbound_0.0.0.0_9080.downstream_rq_5xx: 1',
        'listener.0.0.0.0_15006.http.inbound_0.0.0.0_9080.downstream_rq_completed: 2',
        '',
      ].join('\n'),
    );
  });
});
