/**
 * Calls the application abandons on its own timeout (Bookinfo's `requests.get(..., timeout=3.0)`): the app
 * closes its connection, and its sidecar sees a downstream disconnect — Envoy ends the stream with response
 * code 0, flag `DC` and `downstream_remote_disconnect` (envoyproxy/envoy source/common/http/
 * conn_manager_impl.cc `ActiveStream::onResetStream` → `DownstreamConnectionTermination`), having already
 * picked the route's cluster and, once the router started a try, the upstream host. The outcome keeps that
 * destination (service, subset, pod, upstream host) as the sidecar's access log and metrics do.
 *
 * Istio's labels for such a request on the client sidecar (`reporter="source"`): no response came back, so
 * the peer-metadata filter never saw the upstream's `x-istio-peer-metadata` (it reads it in `encodeHeaders`,
 * istio/proxy source/extensions/filters/http/peer_metadata/filter.cc); `istio_stats.cc` `populatePeerInfo`
 * falls back to the endpoint's `istio.workload` metadata (`extractEndpointMetadata`), which istiod writes as
 * `<workload>;<namespace>;<canonical name>;<canonical revision>;<cluster>` (istio/istio
 * pilot/pkg/networking/util/util.go `AppendLbEndpointMetadata`) — workload, namespace, canonical service and
 * revision, cluster; app and version are not encoded, so they read `unknown`.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ms } from '../../engine/time.js';
import type { RequestOutcome } from '../../envoy/observability/outcome.js';
import type { IstioRequestLabels } from '../../envoy/observability/istioLabels.js';
import { bookinfoMesh, reviewsMesh } from './testMeshes.js';
import { simulate } from './simulate.js';
import type { WorkloadSpec } from './workloads.js';

const constant = (value: number) => ({ kind: 'constant' as const, value });

// Constant latencies: every time in a run is a sum that can be redone by hand, and well under 1 ms per hop.
const NETWORK = {
  links: {
    loopback: { latency: constant(10) },
    sameNode: { latency: constant(50) },
    crossNode: { latency: constant(100) },
  },
};
const PROXY = { request: constant(300), response: constant(200) };

const BOOKINFO = bookinfoMesh({
  reviewsVirtualService: { http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] },
});

/** productpage calls reviews (v1 only) once per request with `timeout`; reviews works `serviceTime`. */
function productpageToReviews(timeout: number, serviceTime: number, requests: number, model = BOOKINFO) {
  const workloads: WorkloadSpec[] = [
    {
      selector: { matchLabels: { app: 'productpage' } },
      behaviour: {
        serviceTime: constant(ms(1)),
        calls: [
          { kind: 'call', call: { authority: 'reviews:9080', path: '/reviews/0', timeout, onFailure: 'ignore' } },
        ],
      },
    },
    { selector: { matchLabels: { app: 'reviews' } }, behaviour: { serviceTime: constant(serviceTime) } },
  ];
  const sleep = model.cluster.pods.find((p) => p.labels['app'] === 'sleep')?.name ?? '';
  const calls: RequestOutcome[] = [];
  const logs: string[] = [];
  const result = simulate({
    model,
    seed: 7,
    network: NETWORK,
    proxyLatency: PROXY,
    workloads,
    traffic: [
      {
        name: 'users',
        source: { kind: 'pod', namespace: 'default', pod: sleep },
        connections: 1,
        qps: 0,
        requests,
        mix: [{ url: 'http://productpage:9080/productpage' }],
      },
    ],
    accessLog: { write: (proxy, line) => logs.push(`${proxy} ${line.trimEnd()}`) },
    onOutcome: (o) => {
      if (o.source.startsWith('pod default/productpage')) calls.push(o);
    },
  });
  return { result, calls, logs, model };
}

describe('a call the application abandons on its own timeout', () => {
  it('keeps the destination Envoy had chosen: service, subset, pod and upstream host, with DC and code 0', () => {
    const { calls, result } = productpageToReviews(ms(20), ms(50), 3);
    const reviews = result.world.instances.find((i) => i.labels['app'] === 'reviews' && i.labels['version'] === 'v1');
    expect(reviews).toBeDefined();
    expect(calls).toHaveLength(3);
    for (const o of calls) {
      expect(o).toMatchObject({
        status: 0,
        responseFlags: 'DC',
        responseCodeDetails: 'downstream_remote_disconnect',
        attempts: 1,
        upstreamHost: `${reviews?.ip}:9080`,
        destination: { service: 'reviews.default.svc.cluster.local', subset: 'v1', pod: reviews?.key },
        // The client's latency is its own timeout, to the microsecond.
        duration: ms(20),
      });
    }
    // Every call ended (no call left in flight), and the run did not stop before the last one.
    expect(result.inFlight).toBe(0);
  });

  it('is logged by the client sidecar as 0 DC with the upstream cluster and host, and by the server sidecar too', () => {
    const { logs, result } = productpageToReviews(ms(20), ms(50), 1);
    const reviews = result.world.instances.find((i) => i.labels['app'] === 'reviews' && i.labels['version'] === 'v1');
    const client = logs.filter((l) => l.startsWith('default/productpage') && l.includes('/reviews/0'));
    expect(client).toHaveLength(1);
    expect(client[0]).toContain('"GET /reviews/0 HTTP/1.1" 0 DC downstream_remote_disconnect');
    expect(client[0]).toContain(`"${reviews?.ip}:9080" outbound|9080|v1|reviews.default.svc.cluster.local`);
    // The reset reaches the server sidecar, which logs its own downstream disconnect.
    const server = logs.filter((l) => l.startsWith(`${reviews?.key} `));
    expect(server).toHaveLength(1);
    expect(server[0]).toContain('" 0 DC downstream_remote_disconnect');
  });

  it('given up during a fault delay: the cluster is known, no host was picked yet (DI,DC, no try)', () => {
    const delayed = bookinfoMesh({
      reviewsVirtualService: {
        http: [
          {
            fault: { delay: { percentage: { value: 100 }, fixedDelay: '50ms' } },
            route: [{ destination: { host: 'reviews', subset: 'v1' } }],
          },
        ],
      },
    });
    const { calls, logs } = productpageToReviews(ms(20), ms(1), 2, delayed);
    for (const o of calls) {
      expect(o).toMatchObject({
        status: 0,
        // Envoy's flag order (ResponseFlagUtils): DI before DC.
        responseFlags: 'DI,DC',
        responseCodeDetails: 'downstream_remote_disconnect',
        attempts: 0,
        destination: { service: 'reviews.default.svc.cluster.local', subset: 'v1' },
        duration: ms(20),
      });
      expect(o.destination.pod).toBeUndefined();
      expect(o.upstreamHost).toBeUndefined();
    }
    // Nothing reached reviews: only the client sidecar logs the calls.
    expect(logs.filter((l) => l.includes('/reviews/0')).every((l) => l.startsWith('default/productpage'))).toBe(true);
  });

  it("counts it in Istio's metrics with the endpoint's workload metadata (app and version unknown)", () => {
    const { result } = productpageToReviews(ms(20), ms(50), 4);
    const dc = result.metrics
      .allSeries()
      .filter((s) => s.labels.reporter === 'source' && s.labels.response_code === '0');
    expect(dc).toHaveLength(1);
    expect(dc[0]?.requests).toBe(4);
    expect(dc[0]?.labels).toMatchObject<Partial<IstioRequestLabels>>({
      source_workload: 'productpage-v1',
      destination_workload: 'reviews-v1',
      destination_workload_namespace: 'default',
      destination_principal: 'spiffe://cluster.local/ns/default/sa/default',
      destination_app: 'unknown',
      destination_version: 'unknown',
      destination_service: 'reviews.default.svc.cluster.local',
      destination_canonical_service: 'reviews',
      destination_canonical_revision: 'v1',
      destination_service_name: 'reviews',
      destination_service_namespace: 'default',
      destination_cluster: 'Kubernetes',
      response_flags: 'DC',
    });
    // The server sidecar got the request (metadata exchange in the request headers): it knows its client.
    const server = result.metrics
      .allSeries()
      .filter((s) => s.labels.reporter === 'destination' && s.labels.response_code === '0');
    expect(server.map((s) => [s.requests, s.labels.source_workload, s.labels.source_app])).toEqual([
      [4, 'productpage-v1', 'productpage'],
    ]);
  });

  it('answered calls keep the labels metadata exchange gives (app and version known)', () => {
    const { result } = productpageToReviews(ms(80), ms(5), 2);
    const ok = result.metrics
      .allSeries()
      .filter((s) => s.labels.reporter === 'source' && s.labels.source_workload === 'productpage-v1');
    expect(ok.map((s) => [s.labels.response_code, s.labels.destination_app, s.labels.destination_version])).toEqual([
      ['200', 'reviews', 'v1'],
    ]);
  });

  // A rule-semantics claim: giving up early changes what the client saw (no status, DC), not where Envoy
  // sent the request — the same service, subset, pod and host as when the answer arrives in time.
  test.prop(
    [fc.integer({ min: 2, max: 40 }).map(ms), fc.integer({ min: 1, max: 60 }).map(ms), fc.integer({ min: 1, max: 4 })],
    { numRuns: 10 },
  )('abandoned or answered, the outcome names the same destination', (serviceTime, timeout, requests) => {
    // Every hop here is well under 3 ms in total, so a margin of 3 ms decides who wins.
    fc.pre(Math.abs(timeout - serviceTime) >= ms(3));
    const { calls, result } = productpageToReviews(timeout, serviceTime, requests);
    const answered = productpageToReviews(ms(1000), serviceTime, requests).calls; // answered in time
    expect(calls).toHaveLength(requests);
    // Conservation: productpage's sidecar counts each of its calls once, with the outcome's code and flags.
    const counted = result.metrics.requestsTotal(
      (l) =>
        l.reporter === 'source' &&
        l.source_workload === 'productpage-v1' &&
        l.response_code === String(calls[0]?.status) &&
        l.response_flags === calls[0]?.responseFlags,
    );
    expect(counted).toBe(requests);
    calls.forEach((o, k) => {
      expect(o.destination).toEqual(answered[k]?.destination);
      expect(o.upstreamHost).toBe(answered[k]?.upstreamHost);
      if (timeout < serviceTime) {
        expect([o.status, o.responseFlags, o.duration]).toEqual([0, 'DC', timeout]);
      } else {
        expect([o.status, o.responseFlags]).toEqual([200, '-']);
      }
    });
  });
});

describe('a call abandoned by an app without a sidecar', () => {
  it("names the service it asked for and the pod kube-proxy's DNAT chose", () => {
    const frontend = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'frontend', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'frontend' } },
        template: {
          metadata: { labels: { app: 'frontend' } },
          spec: { containers: [{ name: 'frontend', image: 'example/frontend', ports: [{ containerPort: 8080 }] }] },
        },
      },
    };
    const frontendSvc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'frontend', namespace: 'default' },
      spec: { selector: { app: 'frontend' }, ports: [{ name: 'http', port: 8080 }] },
    };
    const model = reviewsMesh({
      versions: [{ name: 'v1', replicas: 1 }],
      sidecars: false,
      extra: [frontend, frontendSvc],
    });
    const sleep = model.cluster.pods.find((p) => p.labels['app'] === 'sleep')?.name ?? '';
    const calls: RequestOutcome[] = [];
    const result = simulate({
      model,
      network: NETWORK,
      workloads: [
        {
          selector: { matchLabels: { app: 'frontend' } },
          behaviour: {
            calls: [
              { kind: 'call', call: { authority: 'reviews:9080', path: '/', timeout: ms(10), onFailure: 'ignore' } },
            ],
          },
        },
        { selector: { matchLabels: { app: 'reviews' } }, behaviour: { serviceTime: constant(ms(40)) } },
      ],
      traffic: [
        {
          name: 'users',
          source: { kind: 'pod', namespace: 'default', pod: sleep },
          connections: 1,
          qps: 0,
          requests: 2,
          mix: [{ url: 'http://frontend:8080/' }],
        },
      ],
      onOutcome: (o) => {
        if (o.source.startsWith('pod default/frontend')) calls.push(o);
      },
    });
    const reviews = result.world.instances.find((i) => i.labels['app'] === 'reviews');
    expect(calls).toHaveLength(2);
    for (const o of calls) {
      expect(o).toMatchObject({
        status: 0,
        responseFlags: '-',
        responseCodeDetails: 'client_timeout',
        destination: { service: 'reviews', pod: reviews?.key },
        duration: ms(10),
      });
    }
  });
});
