/**
 * What the client sees when things go wrong, end to end: status, `%RESPONSE_FLAGS%`,
 * `%RESPONSE_CODE_DETAILS%` and tries, as Envoy's router and connection manager set them
 * (envoyproxy/envoy source/common/router/router.cc: `onUpstreamReset`, `onResponseTimeout`,
 * `onPerTryTimeout`, `maybeRetryReset`; source/common/http/conn_manager_impl.cc for no route;
 * response flags in Envoy's order, ResponseFlagUtils). Each case is a small mesh where the cause is
 * certain, so the expected values come from Envoy's code, not from a run.
 */
import { describe, expect, it } from 'vitest';
import { ms, s } from '../../engine/time.js';
import { reviewsMesh } from './testMeshes.js';
import { runFromSleep } from './testRuns.js';

const slow = (t: number) => [
  {
    selector: { matchLabels: { app: 'reviews' } },
    behaviour: { serviceTime: { kind: 'constant' as const, value: t } },
  },
];

describe('response flags and details, end to end', () => {
  it('no route: 404 NR route_not_found, never sent upstream', () => {
    const model = reviewsMesh({
      virtualService: {
        http: [
          { match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews' } }] },
        ],
      },
    });
    const { outcomes } = runFromSleep(model, { connections: 1, requests: 3 });
    for (const o of outcomes)
      expect(o).toMatchObject({
        status: 404,
        responseFlags: 'NR',
        responseCodeDetails: 'route_not_found',
        attempts: 0,
      });
  });

  it('no endpoints: 503 UH no_healthy_upstream', () => {
    const model = reviewsMesh({ versions: [{ name: 'v1', replicas: 0 }] });
    const { outcomes, result } = runFromSleep(model, { connections: 1, requests: 3 });
    for (const o of outcomes)
      expect(o).toMatchObject({ status: 503, responseFlags: 'UH', responseCodeDetails: 'no_healthy_upstream' });
    const sleep = result.world.instances.find((i) => i.labels['app'] === 'sleep')?.key ?? '';
    expect(
      result.proxyStats
        .get(sleep)
        ?.value('cluster.outbound|9080||reviews.default.svc.cluster.local.upstream_cx_none_healthy'),
    ).toBe(3);
  });

  it('route timeout: 504 UT response_timeout after exactly the timeout', () => {
    const c = (value: number) => ({ kind: 'constant' as const, value });
    const model = reviewsMesh({
      virtualService: { http: [{ route: [{ destination: { host: 'reviews' } }], timeout: '10ms' }] },
    });
    const { outcomes } = runFromSleep(
      model,
      { connections: 1, requests: 3 },
      {
        workloads: slow(ms(50)),
        network: {
          links: { loopback: { latency: c(10) }, sameNode: { latency: c(50) }, crossNode: { latency: c(100) } },
        },
        proxyLatency: { request: c(300), response: c(200) },
      },
    );
    for (const o of outcomes)
      expect(o).toMatchObject({
        status: 504,
        responseFlags: 'UT',
        responseCodeDetails: 'response_timeout',
        attempts: 1,
      });
    // The timer starts when the client sidecar has the whole request (after its request pass) and the
    // local reply takes the response pass, so the client waits: loopback + pass + 10 ms + pass + loopback.
    expect(outcomes[2]?.duration).toBe(10 + 300 + ms(10) + 200 + 10);
  });

  it('per-try timeouts on every try: 504 UT,URX upstream_per_try_timeout after attempts + 1 tries', () => {
    const model = reviewsMesh({
      virtualService: {
        http: [
          {
            route: [{ destination: { host: 'reviews' } }],
            retries: { attempts: 2, perTryTimeout: '5ms', retryOn: '5xx' },
          },
        ],
      },
    });
    const { outcomes, result } = runFromSleep(model, { connections: 1, requests: 3 }, { workloads: slow(ms(50)) });
    for (const o of outcomes) {
      expect(o).toMatchObject({
        status: 504,
        responseFlags: 'UT,URX',
        responseCodeDetails: 'upstream_per_try_timeout',
        attempts: 3,
      });
    }
    const sleep = result.world.instances.find((i) => i.labels['app'] === 'sleep')?.key ?? '';
    const stats = result.proxyStats.get(sleep);
    expect(stats?.value('cluster.outbound|9080||reviews.default.svc.cluster.local.upstream_rq_per_try_timeout')).toBe(
      9,
    );
    expect(stats?.value('cluster.outbound|9080||reviews.default.svc.cluster.local.upstream_rq_retry')).toBe(6);
  });

  it('a crashed pod refuses connections: Istio retries connect failures, then 503 UF,URX with the transport failure', () => {
    const model = reviewsMesh({ versions: [{ name: 'v1', replicas: 1 }] });
    const { outcomes } = runFromSleep(
      model,
      { rate: 1000, requests: 40, arrivals: 'constant' },
      {
        events: [{ at: ms(5), change: { kind: 'kill', target: { selector: { matchLabels: { app: 'reviews' } } } } }],
        // The endpoint leaves with the push that follows the crash; make it late so requests meet the dead pod.
        dynamics: { debounce: s(1) },
      },
    );
    const refused = outcomes.filter((o) => o.startTime > ms(10) && o.startTime < ms(30));
    expect(refused.length).toBeGreaterThan(0);
    for (const o of refused) {
      expect(o).toMatchObject({
        status: 503,
        responseFlags: 'UF,URX',
        responseCodeDetails:
          'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused}',
        // Istio's default policy: 2 retries on connect-failure (retry.go DefaultPolicy).
        attempts: 3,
      });
    }
  });

  it('an app that resets: the server sidecar answers 503 UC, the client sidecar passes it on (503 is not retried by default)', () => {
    const model = reviewsMesh({ versions: [{ name: 'v1', replicas: 1 }] });
    const lines: string[] = [];
    const { outcomes } = runFromSleep(
      model,
      { connections: 1, requests: 3 },
      {
        workloads: [{ selector: { matchLabels: { app: 'reviews' } }, behaviour: { resetProbability: 1 } }],
        accessLog: { write: (proxy, line) => lines.push(`${proxy} ${line}`) },
      },
    );
    for (const o of outcomes)
      expect(o).toMatchObject({ status: 503, responseFlags: '-', responseCodeDetails: 'via_upstream', attempts: 1 });
    const server = lines.filter((l) => l.startsWith('default/reviews-'));
    expect(server).toHaveLength(3);
    for (const l of server)
      expect(l).toContain('" 503 UC upstream_reset_before_response_started{connection_termination} - "-"');
  });
});
