/**
 * The world's telemetry keeps per-target lookups at hand (the Istio series of a proxy's upstream host, an
 * upstream host's destination, the `%RESPONSE_FLAGS%` text of a flag mask) and builds an outcome object only
 * for a listener. These tests pin down that none of it goes stale or changes a number:
 * - a push that turns mTLS off for a cluster moves the very same (proxy, host) pairs to series without
 *   principals (istio/proxy istio_stats.cc fills `source_principal`/`destination_principal` from the peer
 *   and local certificates of the connection, so a plaintext connection reports `unknown`);
 * - the aggregates and the digest are the same whether or not a listener takes every outcome, and the
 *   outcomes it takes add up to them;
 * - an upstream host reached through two clusters keeps each cluster's destination.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ms, s } from '../../engine/time.js';
import type { ActiveStream } from '../../envoy/http/activeStream.js';
import { StreamInfo } from '../../envoy/http/streamInfo.js';
import type { RequestOutcome } from '../../envoy/observability/outcome.js';
import { Host } from '../../envoy/upstream/host.js';
import { loadManifestsOrThrow } from '../../k8s/load/loadManifests.js';
import type { CallRecord } from './httpClient.js';
import { simulate } from './simulate.js';
import { WorldTelemetry } from './telemetry.js';
import { reviewsMesh } from './testMeshes.js';
import { runFromSleep, sleepPod } from './testRuns.js';

const c = (value: number) => ({ kind: 'constant' as const, value });
// Constant latencies (as in dynamics.test.ts): a request is decided by the client sidecar one loopback trip
// and one request pass after it starts.
const FIXED = {
  network: { links: { loopback: { latency: c(10) }, sameNode: { latency: c(50) }, crossNode: { latency: c(100) } } },
  proxyLatency: { request: c(300), response: c(200) },
};
const DECIDED = 10 + 300;

describe('Istio series across a push that turns mTLS off', () => {
  it('the same client proxy and upstream hosts report with principals before the push and without after', () => {
    const model = reviewsMesh({ versions: [{ name: 'v1', replicas: 2 }] });
    const plaintext = loadManifestsOrThrow([
      {
        file: 'dr.yaml',
        text: JSON.stringify({
          apiVersion: 'networking.istio.io/v1',
          kind: 'DestinationRule',
          metadata: { name: 'reviews', namespace: 'default' },
          spec: {
            host: 'reviews',
            subsets: [{ name: 'v1', labels: { version: 'v1' } }],
            trafficPolicy: { tls: { mode: 'DISABLE' } },
          },
        }),
      },
    ]);
    const n = 600;
    const { result, outcomes } = runFromSleep(
      model,
      { rate: 300, requests: n, arrivals: 'constant' },
      {
        ...FIXED,
        dynamics: { pushDelay: c(ms(5)) },
        events: [{ at: s(1), change: { kind: 'apply', objects: plaintext } }],
      },
    );
    expect(outcomes.filter((o) => o.status === 200)).toHaveLength(n);
    // The client sidecar has the new cluster after istiod's 100 ms debounce and the 5 ms push delay.
    const switchAt = s(1) + ms(100) + ms(5);
    const before = outcomes.filter((o) => o.startTime + DECIDED < switchAt);
    const after = outcomes.filter((o) => o.startTime + DECIDED >= switchAt);
    const pods = (list: readonly RequestOutcome[]) => [...new Set(list.map((o) => o.destination.pod))].sort();
    expect(pods(before)).toHaveLength(2);
    expect(pods(after)).toEqual(pods(before));

    const source = result.metrics.allSeries().filter((x) => x.labels.reporter === 'source');
    const total = (list: typeof source) => list.reduce((a, x) => a + x.requests, 0);
    const spiffe = 'spiffe://cluster.local/ns/default/sa/default';
    const mtls = source.filter((x) => x.labels.destination_principal === spiffe);
    const plain = source.filter((x) => x.labels.destination_principal === 'unknown');
    expect(total(source)).toBe(n);
    expect(total(mtls) + total(plain)).toBe(n);
    expect(mtls.every((x) => x.labels.source_principal === spiffe)).toBe(true);
    expect(plain.every((x) => x.labels.source_principal === 'unknown')).toBe(true);
    // The same client proxy and pods moved from one to the other at the push: a stream's TLS is read when it
    // ends, from the cluster then in force, so a request still in flight at the push (at most one at this
    // rate: each takes well under 3.3 ms) is the only one that may count on the other side.
    expect(total(mtls)).toBeGreaterThanOrEqual(before.length - 1);
    expect(total(mtls)).toBeLessThanOrEqual(before.length);
    // The server sidecar saw mTLS exactly on the connections opened before the push.
    const server = result.metrics.allSeries().filter((x) => x.labels.reporter === 'destination');
    const policy = (p: string) => total(server.filter((x) => x.labels.connection_security_policy === p));
    expect(policy('mutual_tls')).toBe(before.length);
    expect(policy('none')).toBe(after.length);
  });
});

describe('outcomes with and without a listener', () => {
  test.prop([fc.integer({ min: 1, max: 1000 })], { numRuns: 4 })(
    'the aggregates and the digest are the same, and the outcomes the listener got add up to them',
    (seed) => {
      const model = reviewsMesh({
        versions: [{ name: 'v1' }, { name: 'v2' }],
        virtualService: {
          http: [
            {
              fault: { abort: { percentage: { value: 10 }, httpStatus: 503 } },
              route: [
                { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
                { destination: { host: 'reviews', subset: 'v2' }, weight: 50 },
              ],
              retries: { attempts: 2, retryOn: '5xx' },
            },
          ],
        },
      });
      const options = {
        model,
        seed,
        workloads: [
          { selector: { matchLabels: { version: 'v2' } }, behaviour: { errors: [{ status: 500, probability: 0.3 }] } },
        ],
        traffic: [
          {
            name: 'sleep',
            source: { kind: 'pod' as const, namespace: 'default', pod: sleepPod(model) },
            rate: 400,
            requests: 400,
            mix: [{ url: 'http://reviews:9080/' }],
          },
        ],
      };
      const seen: RequestOutcome[] = [];
      const heard = simulate({ ...options, onOutcome: (o) => seen.push(o) });
      const quiet = simulate(options);
      expect(quiet.digest).toBe(heard.digest);
      const view = (r: typeof quiet) =>
        [r.outcomes, ...r.byGenerator.values()].map((agg) =>
          [{ service: '*', summary: agg.overall }, ...agg.byPod()].map((g) => [
            g.service,
            g.subset,
            g.pod,
            g.summary.count,
            g.summary.retried,
            g.summary.attempts,
            g.summary.statusCounts(),
            g.summary.flagCounts(),
            g.summary.latency.mean,
            g.summary.latency.percentile(99),
          ]),
        );
      expect(view(quiet)).toEqual(view(heard));
      // The listener's outcomes are the aggregated ones.
      const overall = quiet.outcomes.overall;
      expect(seen).toHaveLength(overall.count);
      const tally = (key: (o: RequestOutcome) => string | number) => {
        const m = new Map<string | number, number>();
        for (const o of seen) m.set(key(o), (m.get(key(o)) ?? 0) + 1);
        return m;
      };
      expect(new Map(overall.statusCounts())).toEqual(tally((o) => o.status));
      expect(new Map(overall.flagCounts())).toEqual(tally((o) => o.responseFlags));
      expect(seen.some((o) => o.responseFlags === 'FI')).toBe(true);
      expect(seen.some((o) => o.responseFlags === 'URX')).toBe(true);
      expect(overall.attempts).toBe(seen.reduce((a, o) => a + o.attempts, 0));
    },
  );
});

describe('WorldTelemetry.onCall', () => {
  // A call through an Envoy as the client's sidecar logged it.
  function call(host: Host, cluster: string, flags: readonly ('UO' | 'URX')[] = []): CallRecord {
    const info = new StreamInfo();
    info.upstreamHost = host;
    info.upstreamCluster = cluster;
    info.responseCode = flags.length === 0 ? 200 : 503;
    info.responseCodeDetails = 'via_upstream';
    info.attemptCount = 1;
    for (const f of flags) info.flags.set(f);
    const stream = { info, headers: { ':authority': 'reviews:9080' } } as unknown as ActiveStream;
    return {
      source: undefined,
      sourceLabel: 'pod default/sleep-0',
      generator: 'sleep',
      request: { authority: 'reviews:9080' } as CallRecord['request'],
      startTime: 0,
      endTime: ms(2),
      status: info.responseCode,
      stream,
    };
  }

  it('a host reached through two clusters keeps each cluster’s subset; flags print in Envoy’s order', () => {
    const outcomes: RequestOutcome[] = [];
    const telemetry = new WorldTelemetry(
      { instanceByIp: () => undefined, instanceOfProxy: () => undefined },
      { onOutcome: (o) => outcomes.push(o) },
    );
    const host = new Host({ address: '10.0.0.7', port: 9080 });
    const v1 = 'outbound|9080|v1|reviews.default.svc.cluster.local';
    const all = 'outbound|9080||reviews.default.svc.cluster.local';
    for (const [cluster, flags] of [
      [v1, []],
      [all, ['URX', 'UO']],
      [v1, ['UO']],
      [all, []],
      [v1, []],
    ] as const)
      telemetry.onCall(call(host, cluster, flags));
    expect(outcomes.map((o) => [o.destination.subset, o.responseFlags, o.upstreamHost])).toEqual([
      ['v1', '-', '10.0.0.7:9080'],
      [undefined, 'UO,URX', '10.0.0.7:9080'],
      ['v1', 'UO', '10.0.0.7:9080'],
      [undefined, '-', '10.0.0.7:9080'],
      ['v1', '-', '10.0.0.7:9080'],
    ]);
    expect(telemetry.outcomes.bySubset().map((g) => [g.subset, g.summary.count, g.summary.flagCounts()])).toEqual([
      [
        undefined,
        2,
        [
          ['-', 1],
          ['UO,URX', 1],
        ],
      ],
      [
        'v1',
        3,
        [
          ['-', 2],
          ['UO', 1],
        ],
      ],
    ]);
  });
});
