/**
 * The flow of a request from real sim-core explanations of the seed's canary (client sidecar outbound,
 * server sidecar inbound) and real netfilter traversals; plus the data-plane happenings (fault, retries,
 * connect failures) on a small hand-written explanation, checked against Envoy's behaviour.
 */
import { readFileSync } from 'node:fs';
import { loadMeshModel, route } from '@meshsim/sim-core';
import { describe, expect, it } from 'vitest';
import { canaryExplanation, canaryInputs, clientTraversal, serverTraversal } from '../testdata/canaryFixture.js';
import type { RouteExplanationLike } from './explanationLike.js';
import { requestFlowFromExplanation } from './flowFromExplanation.js';

const model = loadMeshModel(canaryInputs());
const e = canaryExplanation(model);
const ep = e.endpoints[0] as NonNullable<(typeof e.endpoints)[number]>;
const inbound = route(model, {
  to: model.proxies.find((p) => p.ip === ep.address)?.id ?? '',
  inbound: true,
  url: 'http://canary/',
  tls: 'mtls',
});

/** 1-based line of the `nth` line matching `re` after the first line matching `after`, in istio-specs.yaml. */
function lineOf(re: RegExp, nth = 1, after = /^/): number {
  const lines = readFileSync(new URL('../testdata/canary/istio-specs.yaml', import.meta.url), 'utf8').split('\n');
  const start = lines.findIndex((l) => after.test(l));
  let seen = 0;
  for (let i = start + 1; i < lines.length; i++) if (re.test(lines[i] as string) && ++seen === nth) return i + 1;
  throw new Error(`no line ${re}`);
}

describe('requestFlowFromExplanation() on the canary seed', () => {
  const flow = requestFlowFromExplanation({
    client: 'canary/toolbox',
    explanation: e,
    clientCapture: clientTraversal(model, e.call.destinationAddress, 80),
    attempts: [
      {
        host: `${ep.address}:80`,
        pod: ep.workload ?? '',
        lbPolicy: 'RANDOM',
        status: 200,
        serverCapture: serverTraversal(model, ep.address, 80),
        inbound,
      },
    ],
  });

  it('has the hops of the path, in order: client side, one try through the server sidecar, and back', () => {
    expect(flow.hops.map((h) => `${h.lane}:${h.stage}`)).toEqual([
      'client-app:app',
      'client-app:dns',
      'client-netfilter:netfilter', // nat OUTPUT
      'client-netfilter:netfilter', // ISTIO_OUTPUT
      'client-netfilter:netfilter', // ISTIO_REDIRECT → 15001
      'client-envoy:listener', // virtualOutbound hands off to 0.0.0.0_80 (use_original_dst)
      'client-envoy:listener_filters',
      'client-envoy:filter_chain',
      'client-envoy:network_filter',
      'client-envoy:virtual_host',
      'client-envoy:route',
      'client-envoy:cluster',
      'client-envoy:endpoint',
      'client-envoy:lb',
      'network:network',
      'server-netfilter:netfilter', // PREROUTING
      'server-netfilter:netfilter', // ISTIO_INBOUND
      'server-netfilter:netfilter', // ISTIO_IN_REDIRECT → 15006
      'server-envoy:listener', // virtualInbound
      'server-envoy:listener_filters',
      'server-envoy:filter_chain',
      'server-envoy:transport', // Istio mutual TLS terminated
      'server-envoy:network_filter',
      'server-envoy:virtual_host',
      'server-envoy:route',
      'server-envoy:inbound_cluster',
      'server-envoy:endpoint',
      'server-app:app',
      'server-envoy:response',
      'network:network',
      'client-envoy:router',
      'client-envoy:response',
      'client-app:app',
    ]);
  });

  it('labels hops in Envoy and Istio words', () => {
    const labels = flow.hops.map((h) => h.label);
    expect(labels).toContain('listener 0.0.0.0_80');
    expect(labels).toContain('listener virtualInbound');
    expect(labels).toContain('virtual host canary.canary.svc.cluster.local:80');
    expect(labels).toContain('cluster outbound|80|v1|canary.canary.svc.cluster.local');
    expect(labels).toContain('inbound cluster inbound|80||');
    expect(labels).toContain('load balancer RANDOM');
  });

  it('names the manifest lines that decided the route and the cluster', () => {
    const routeHop = flow.hops.find((h) => h.stage === 'route' && h.lane === 'client-envoy');
    // spec.http[1] is the second `- ` item under `http:` (the first is the tester's header route).
    expect(routeHop?.decidedBy).toContainEqual(
      expect.objectContaining({
        file: 'canary/istio-specs.yaml',
        line: lineOf(/^ {4}- /, 2, /^ {2}http:$/),
        kind: 'VirtualService',
        field: 'spec.http[1]',
      }),
    );
    expect(routeHop?.detail).toMatch(/^VirtualService canary\/canary http\[1\]/);
    const clusterHop = flow.hops.find((h) => h.stage === 'cluster');
    expect(clusterHop?.decidedBy).toContainEqual(
      expect.objectContaining({ kind: 'DestinationRule', field: 'spec.subsets[0]', line: lineOf(/^ {4}- name: v1$/) }),
    );
  });

  it('puts every hop of the try in try 1, and the outcome is 200 after one try', () => {
    expect(flow.outcome).toMatchObject({ status: 200, attempts: 1 });
    const first = flow.hops.findIndex((h) => h.attempt === 1);
    const last = flow.hops.map((h) => h.attempt).lastIndexOf(1);
    expect(flow.hops[first]?.stage).toBe('lb');
    expect(flow.hops.slice(first, last + 1).every((h) => h.attempt === 1)).toBe(true);
  });

  it('shows the possible path of one try when the world did not run the request', () => {
    const possible = requestFlowFromExplanation({ client: 'canary/toolbox', explanation: e });
    expect(possible.hops.find((h) => h.stage === 'lb')?.detail).toBe('picks one of 1 endpoint');
    expect(possible.outcome.attempts).toBe(1);
  });
});

/** A minimal explanation that forwards to `outbound|80||web.default.svc.cluster.local`. */
const forward: RouteExplanationLike = {
  call: {
    mode: 'outbound',
    proxy: 'default/client-0',
    destinationAddress: '10.96.0.10',
    destinationPort: 80,
    protocol: 'http',
    tls: 'plaintext',
    method: 'GET',
    authority: 'web',
    path: '/',
  },
  listener: '0.0.0.0_80',
  route: { index: 0, match: 'prefix "/"' },
  cluster: 'outbound|80||web.default.svc.cluster.local',
  clusters: [{ name: 'outbound|80||web.default.svc.cluster.local', probability: 1 }],
  endpoints: [
    {
      cluster: 'outbound|80||web.default.svc.cluster.local',
      address: '10.0.0.1',
      port: 80,
      health: 'HEALTHY',
      workload: 'default/web-a',
    },
    {
      cluster: 'outbound|80||web.default.svc.cluster.local',
      address: '10.0.0.2',
      port: 80,
      health: 'HEALTHY',
      workload: 'default/web-b',
    },
  ],
  outcome: { action: 'forward', text: 'forward' },
  steps: [
    { step: 'listener', summary: '0.0.0.0_80' },
    { step: 'route', summary: '#0' },
    { step: 'cluster', summary: 'outbound|80||web.default.svc.cluster.local' },
    { step: 'outcome', summary: 'forward' },
  ],
};

describe('requestFlowFromExplanation(): faults, retries and failures', () => {
  it('a fault abort answers without any upstream try (flag FI)', () => {
    const flow = requestFlowFromExplanation({ client: 'default/client', explanation: forward, fault: { abort: 500 } });
    expect(flow.outcome).toMatchObject({ status: 500, responseFlags: 'FI', attempts: 0 });
    expect(flow.hops.some((h) => h.stage === 'lb' || h.lane === 'server-app')).toBe(false);
    expect(flow.hops.find((h) => h.stage === 'fault')).toMatchObject({
      status: 'abort',
      label: 'fault: abort 500 (FI)',
    });
  });

  it('a fault delay is a hop of its own that lasts the delay, before the try', () => {
    const flow = requestFlowFromExplanation({
      client: 'default/client',
      explanation: forward,
      fault: { delay: 5_000_000 },
      attempts: [{ host: '10.0.0.1:80', status: 200 }],
    });
    const delay = flow.hops.findIndex((h) => h.stage === 'fault');
    expect(flow.hops[delay]).toMatchObject({ status: 'delay', duration: 5_000_000 });
    expect(delay).toBeLessThan(flow.hops.findIndex((h) => h.stage === 'lb'));
  });

  it('refuses tries that a faulted route cannot have: retries after a delay, any try after an abort', () => {
    const two = [
      { host: '10.0.0.1:80', status: 0, responseFlags: 'UF', retry: { reason: 'connect-failure' } },
      { host: '10.0.0.2:80', status: 200 },
    ];
    expect(() =>
      requestFlowFromExplanation({ client: 'c', explanation: forward, fault: { delay: 1 }, attempts: two }),
    ).toThrow(/at most one upstream try/);
    expect(() =>
      requestFlowFromExplanation({ client: 'c', explanation: forward, fault: { abort: 503 }, attempts: two.slice(1) }),
    ).toThrow(/at most no upstream try/);
  });

  it('a retry sits between the failed try and the next one, which may pick another host', () => {
    const flow = requestFlowFromExplanation({
      client: 'default/client',
      explanation: forward,
      attempts: [
        {
          host: '10.0.0.1:80',
          pod: 'default/web-a',
          status: 0,
          responseFlags: 'UF',
          retry: { reason: 'connect-failure', backoff: 17_000 },
        },
        { host: '10.0.0.2:80', pod: 'default/web-b', status: 200 },
      ],
    });
    expect(flow.outcome).toMatchObject({ status: 200, attempts: 2 });
    const retry = flow.hops.findIndex((h) => h.status === 'retry');
    expect(flow.hops[retry]).toMatchObject({
      attempt: 1,
      duration: 17_000,
      label: 'router: retry (upstream_rq_retry)',
    });
    expect(flow.hops[retry + 1]).toMatchObject({ stage: 'lb', attempt: 2 });
    // The connect failure never reached the server: try 1 has no server-side hop.
    expect(flow.hops.filter((h) => h.attempt === 1).some((h) => h.lane.startsWith('server'))).toBe(false);
    expect(flow.hops.filter((h) => h.attempt === 2).some((h) => h.lane === 'server-app')).toBe(true);
  });

  it('a local reply (404 NR) ends on the client sidecar', () => {
    const nr: RouteExplanationLike = {
      ...forward,
      error: 'no_route',
      cluster: undefined,
      clusters: [],
      endpoints: [],
      outcome: { action: 'local_reply', status: 404, responseFlags: 'NR', text: '404 NR (route_not_found)' },
      steps: [
        { step: 'listener', summary: '0.0.0.0_80' },
        { step: 'outcome', summary: '404 NR' },
      ],
    };
    const flow = requestFlowFromExplanation({ client: 'default/client', explanation: nr });
    expect(flow.outcome).toMatchObject({ status: 404, responseFlags: 'NR', attempts: 0 });
    expect(flow.hops.find((h) => h.stage === 'router')).toMatchObject({
      label: 'local reply 404 NR',
      status: 'error',
      lane: 'client-envoy',
    });
    expect(flow.hops.at(-1)).toMatchObject({ lane: 'client-app', detail: 'receives 404 NR' });
  });
});
