/**
 * The connection manager resolves the route's cluster while decoding (`refreshCachedRoute`) and the router
 * reuses it when it decodes in the same event. A fault delay stops the chain: by the time the router runs,
 * a push may have removed the cluster, and the router must see that (Envoy's router looks the cluster up
 * again after the delay: `Router::Filter::decodeHeaders` → `getThreadLocalCluster` → 503 NC).
 */
import { describe, expect, it } from 'vitest';
import { ms } from '../../engine/time.js';
import { loadManifestsOrThrow } from '../../k8s/load/loadManifests.js';
import { reviewsMesh } from '../../mesh/world/testMeshes.js';
import { runFromSleep } from '../../mesh/world/testRuns.js';

const c = (value: number) => ({ kind: 'constant' as const, value });
const FIXED = {
  network: { links: { loopback: { latency: c(10) }, sameNode: { latency: c(50) }, crossNode: { latency: c(100) } } },
  proxyLatency: { request: c(300), response: c(200) },
  dynamics: { pushDelay: c(ms(5)) },
};

describe('route cluster across a fault delay', () => {
  it('a push during the delay that removes the cluster gives 503 NC after it, not the old cluster', () => {
    const model = reviewsMesh({
      versions: [{ name: 'v1' }, { name: 'v2' }],
      virtualService: {
        http: [
          {
            fault: { delay: { percentage: { value: 100 }, fixedDelay: '200ms' } },
            route: [{ destination: { host: 'reviews', subset: 'v1' } }],
          },
        ],
      },
    });
    // Subset v1 goes: its cluster leaves every sidecar at the push; the route still names it.
    const onlyV2 = loadManifestsOrThrow([
      {
        file: 'dr.yaml',
        text: JSON.stringify({
          apiVersion: 'networking.istio.io/v1',
          kind: 'DestinationRule',
          metadata: { name: 'reviews', namespace: 'default' },
          spec: { host: 'reviews', subsets: [{ name: 'v2', labels: { version: 'v2' } }] },
        }),
      },
    ]);
    const { outcomes } = runFromSleep(
      model,
      { rate: 100, requests: 100, arrivals: 'constant' },
      { ...FIXED, events: [{ at: ms(300), change: { kind: 'apply', objects: onlyV2 } }] },
    );
    // The push reaches the client sidecar after istiod's 100 ms debounce and the 5 ms push delay.
    const pushAt = ms(300) + ms(100) + ms(5);
    // A request is decided by the fault filter one loopback trip and one request pass after it starts (310 µs).
    const faultAt = (startTime: number) => startTime + 310;
    const routedBefore = outcomes.filter((o) => faultAt(o.startTime) + ms(200) < pushAt - ms(1));
    const delayedAcross = outcomes.filter(
      (o) => faultAt(o.startTime) < pushAt - ms(1) && faultAt(o.startTime) + ms(200) > pushAt + ms(1),
    );
    expect(routedBefore.length).toBeGreaterThan(10);
    expect(delayedAcross.length).toBeGreaterThan(10);
    for (const o of routedBefore) {
      expect(o.status).toBe(200);
      expect(o.destination.subset).toBe('v1');
    }
    for (const o of delayedAcross) {
      expect(o.status).toBe(503);
      expect(o.responseFlags).toBe('DI,NC');
    }
  });
});
