import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ms } from '../../engine/time.js';
import { formatIstioAccessLog, formatStartTime, TailSink, type AccessLogEntry } from './accessLog.js';

interface Case {
  proxy: string;
  line: string;
  fields: Record<string, string | number>;
}
const fixture = JSON.parse(readFileSync(new URL('./testdata/istio-access-log.json', import.meta.url), 'utf8')) as {
  epoch: string;
  cases: Case[];
};
const epochMs = Date.parse(fixture.epoch);

function entryOf(f: Record<string, string | number>, extraUs = 0): AccessLogEntry {
  const { durationMs, upstreamServiceTimeMs, ...rest } = f;
  return {
    ...(rest as unknown as AccessLogEntry),
    startTime: 0,
    // sub-millisecond parts must be truncated away, as Envoy's duration_cast does
    duration: ms(durationMs as number) + extraUs,
    upstreamServiceTime: ms(upstreamServiceTimeMs as number) + extraUs,
  };
}

// Istio's default format, field by field (pilot/pkg/model/telemetry_logging.go, EnvoyTextLogFormat).
const FIELDS =
  /^\[(\S+)\] "(\S+) (\S+) (\S+)" (\d+) (\S+) (\S+) (\S+) "([^"]*)" (\d+) (\d+) (\d+) (\S+) "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)" (\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\n$/;

describe('formatIstioAccessLog()', () => {
  it.each(fixture.cases.map((c) => [c.proxy, c] as const))(
    'reproduces the istio.io example line of %s byte for byte',
    (_, c) => {
      expect(formatIstioAccessLog(entryOf(c.fields, 999), { epochMs })).toBe(c.line);
    },
  );

  it('matches the format field by field', () => {
    const c = fixture.cases[1]!;
    const m = FIELDS.exec(formatIstioAccessLog(entryOf(c.fields), { epochMs }));
    expect(m).not.toBeNull();
    expect(m!.slice(1)).toEqual([
      '2020-11-25T21:26:18.409Z',
      'GET',
      '/status/418',
      'HTTP/1.1',
      '418',
      '-',
      'via_upstream',
      '-',
      '-',
      '0',
      '135',
      '3',
      '1',
      '-',
      'curl/7.73.0-DEV',
      '84961386-6d84-929d-98bd-c5aee93b5c88',
      'httpbin:8000',
      '127.0.0.1:80',
      'inbound|8000||',
      '127.0.0.1:41854',
      '10.44.1.27:80',
      '10.44.1.23:37652',
      'outbound_.8000_._.httpbin.foo.svc.cluster.local',
      'default',
    ]);
  });

  test.prop([
    fc.record({
      startTime: fc.integer({ min: 0, max: 1e12 }),
      method: fc.constantFrom('GET', 'POST'),
      path: fc.constantFrom('/', '/productpage', '/reviews/0?x=1'),
      protocol: fc.constantFrom('HTTP/1.1', 'HTTP/2'),
      responseCode: fc.constantFrom(0, 200, 503, 504),
      responseFlags: fc.constantFrom('-', 'UO', 'DI,FI', 'UF,URX'),
      bytesReceived: fc.nat(),
      bytesSent: fc.nat(),
      duration: fc.nat(),
    }),
  ])('every line has the format’s 24 fields, with "-" for missing values and truncated milliseconds', (e) => {
    const m = FIELDS.exec(formatIstioAccessLog(e));
    expect(m).not.toBeNull();
    expect(m![12]).toBe(String(Math.floor(e.duration / 1000)));
    expect(m![13]).toBe('-'); // no upstream service time for a local reply
    expect(m![19]).toBe('-'); // no upstream cluster
    expect(m![1]).toBe(formatStartTime(e.startTime));
  });

  it('START_TIME is UTC with milliseconds, truncated, from a configurable epoch', () => {
    expect(formatStartTime(1_999)).toBe('2026-01-01T00:00:00.001Z');
    expect(formatStartTime(ms(1500), { epochMs: Date.UTC(2020, 10, 25, 21, 26, 18, 409) })).toBe(
      '2020-11-25T21:26:19.909Z',
    );
  });
});

describe('TailSink', () => {
  test.prop([fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 50 })])(
    'keeps the last `capacity` lines, oldest first',
    (cap, n) => {
      const sink = new TailSink(cap);
      for (let i = 0; i < n; i++) sink.write('p', `line ${i}`);
      expect(sink.written).toBe(n);
      expect(sink.lines().map((l) => l.line)).toEqual(
        Array.from({ length: Math.min(cap, n) }, (_, i) => `line ${n - Math.min(cap, n) + i}`),
      );
    },
  );
});
