import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { binKey, binMidpoint } from './circllhist.js';
import { istioRequestLabels, type IstioRequestLabels, type WorkloadMetadata } from './istioLabels.js';
import { ENVOY_DEFAULT_BUCKETS, IstioMetrics } from './istioMetrics.js';
import { parsePrometheusText } from './prometheusText.js';

const W = (name: string, version: string): WorkloadMetadata => ({
  workload: name,
  namespace: 'default',
  labels: { app: name.split('-')[0]!, version },
});
const productpage = W('productpage-v1', 'v1');
const reviews = [W('reviews-v1', 'v1'), W('reviews-v2', 'v2'), W('reviews-v3', 'v3')];

const labelsFor = (dest: number, code: number, flags: string, reporter: 'source' | 'destination'): IstioRequestLabels =>
  istioRequestLabels({
    reporter,
    local: reporter === 'source' ? productpage : reviews[dest]!,
    peer: reporter === 'source' ? reviews[dest]! : productpage,
    service: { host: 'reviews.default.svc.cluster.local', name: 'reviews', namespace: 'default' },
    responseCode: code,
    responseFlags: flags,
  });

const sample = fc.record({
  dest: fc.integer({ min: 0, max: 2 }),
  code: fc.constantFrom(200, 503, 504, 0),
  flags: fc.constantFrom('-', 'UO', 'URX', 'UT'),
  reporter: fc.constantFrom('source' as const, 'destination' as const),
  duration: fc.integer({ min: 0, max: 20_000_000 }),
  reqBytes: fc.integer({ min: 0, max: 10_000 }),
  respBytes: fc.integer({ min: 0, max: 1_000_000 }),
});

describe('IstioMetrics', () => {
  test.prop([fc.array(sample, { maxLength: 300 })])(
    'the text parses strictly; counters equal the requests recorded; +Inf equals _count; _sum is Σ bin midpoints of whole ms',
    (samples) => {
      const m = new IstioMetrics();
      for (const s of samples)
        m.record(labelsFor(s.dest, s.code, s.flags, s.reporter), s.duration, s.reqBytes, s.respBytes);
      const families = parsePrometheusText(m.renderPrometheus() || '\n');
      const total = families.find((f) => f.name === 'istio_requests_total');
      expect(total?.samples.reduce((a, x) => a + x.value, 0) ?? 0).toBe(samples.length);
      expect(m.requestsTotal()).toBe(samples.length);
      const dur = families.find((f) => f.name === 'istio_request_duration_milliseconds');
      const count = dur?.samples.filter((x) => x.name.endsWith('_count')).reduce((a, x) => a + x.value, 0) ?? 0;
      expect(count).toBe(samples.length);
      const sum = dur?.samples.filter((x) => x.name.endsWith('_sum')).reduce((a, x) => a + x.value, 0) ?? 0;
      const expectedSum = samples.reduce((a, s) => a + binMidpoint(binKey(Math.floor(s.duration / 1000))), 0);
      expect(sum).toBeCloseTo(expectedSum, 6);
      if (samples.length > 0)
        expect(families.map((f) => f.name)).toEqual([
          'istio_requests_total',
          'istio_request_bytes',
          'istio_request_duration_milliseconds',
          'istio_response_bytes',
        ]);
    },
  );

  test.prop([fc.array(sample, { minLength: 1, maxLength: 100 }), fc.integer({ min: 1, max: 20 })])(
    'cardinality: series = distinct label combinations, whatever the number of requests',
    (samples, repeat) => {
      const m = new IstioMetrics();
      const distinct = new Set<string>();
      for (let r = 0; r < repeat; r++) {
        for (const s of samples) {
          m.record(labelsFor(s.dest, s.code, s.flags, s.reporter), s.duration, s.reqBytes, s.respBytes);
          distinct.add(`${s.dest}/${s.code}/${s.flags}/${s.reporter}`);
        }
      }
      expect(m.seriesCount).toBe(distinct.size);
    },
  );

  it('maxSeries caps the series; the requests of new combinations are counted as dropped', () => {
    const m = new IstioMetrics({ maxSeries: 2 });
    m.record(labelsFor(0, 200, '-', 'source'), 1000, 0, 0);
    m.record(labelsFor(1, 200, '-', 'source'), 1000, 0, 0);
    m.record(labelsFor(2, 200, '-', 'source'), 1000, 0, 0);
    m.record(labelsFor(0, 200, '-', 'source'), 1000, 0, 0);
    expect(m.seriesCount).toBe(2);
    expect(m.droppedRequests).toBe(1);
    expect(m.requestsTotal()).toBe(3);
  });

  it('prints labels in Istio’s order, 0.9 ms as 0 (whole ms), Envoy’s default buckets, and streams when asked', () => {
    const m = new IstioMetrics();
    m.record(labelsFor(1, 200, '-', 'source'), 900, 100, 2000);
    const text = m.renderPrometheus();
    const lines = text.split('\n');
    expect(lines[0]).toBe('# TYPE istio_requests_total counter');
    expect(lines[1]).toMatch(
      /^istio_requests_total\{reporter="source",source_workload="productpage-v1",source_canonical_service="productpage",/,
    );
    expect(lines[1]).toMatch(
      /,response_code="200",grpc_response_status="",response_flags="-",connection_security_policy="unknown"\} 1$/,
    );
    const les = lines
      .filter((l) => l.startsWith('istio_request_duration_milliseconds_bucket'))
      .map((l) => /le="([^"]+)"/.exec(l)![1]);
    expect(les).toEqual([...ENVOY_DEFAULT_BUCKETS.map(String), '+Inf']);
    expect(
      lines.find((l) => l.startsWith('istio_request_duration_milliseconds_bucket') && l.includes('le="0.5"')),
    ).toMatch(/ 1$/);
    const chunks: string[] = [];
    expect(m.renderPrometheus((c) => chunks.push(c))).toBe('');
    expect(chunks.join('')).toBe(text);
  });
});
