/**
 * What the world's `records` trace says about each request, for readers that rebuild a request's path from
 * it (the HTML report, the classroom page): the connection manager's decode names the request line and the
 * resource behind the route, and every leg on the wire after the first sidecar carries Envoy's
 * `x-request-id`, so a request's records can be joined across proxies.
 */
import { describe, expect, it } from 'vitest';
import { reviewsMesh } from './testMeshes.js';
import { runFromSleep } from './testRuns.js';

type Detail = Record<string, unknown>;

describe('the records trace of a request', () => {
  const model = reviewsMesh({
    versions: [{ name: 'v1' }, { name: 'v2' }],
    virtualService: {
      http: [
        {
          route: [
            { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
            { destination: { host: 'reviews', subset: 'v2' }, weight: 50 },
          ],
        },
      ],
    },
  });
  const { result, outcomes } = runFromSleep(
    model,
    { rate: 50, requests: 40 },
    { seed: 11, trace: 'records', mix: [{ url: 'http://reviews:9080/ratings?x=1', method: 'GET' }] },
  );
  const records = (result.trace?.records ?? [])
    .filter((r) => r.kind !== 'event')
    .map((r) => ({ ...r, d: JSON.parse(r.detail) as Detail }));
  const decodes = records.filter((r) => r.kind === 'hcm.decode');
  const outbound = decodes.filter((r) => r.d['listener'] !== 'virtualInbound');
  const vs = model.istio.virtualServices[0];

  it('hcm.decode names the request line and, for an outbound route, the VirtualService http route behind it', () => {
    expect(outbound).toHaveLength(outcomes.length);
    for (const r of decodes)
      expect([r.d['method'], r.d['authority'], r.d['path']]).toEqual(['GET', 'reviews:9080', '/ratings?x=1']);
    for (const r of outbound) {
      expect(r.d['source']).toEqual({
        kind: 'VirtualService',
        namespace: 'default',
        name: 'reviews',
        file: vs?.source.file,
        line: vs?.source.lineOf(['spec', 'http', 0]),
        field: 'spec.http[0]',
        httpRouteIndex: 0,
      });
    }
  });

  it('every leg between proxies and to the app carries the request id, and arrives when its decode happens', () => {
    const legs = records.filter((r) => r.kind === 'net.request');
    for (const d of decodes.filter((r) => r.d['listener'] === 'virtualInbound')) {
      const id = d.d['requestId'];
      const leg = legs.find((l) => l.d['requestId'] === id && l.d['to'] === d.d['proxy']);
      expect(leg, String(id)).toBeDefined();
      expect((leg?.time ?? 0) + Number(leg?.d['networkUs']) + Number(leg?.d['serverPassUs'])).toBe(d.time);
      // The server sidecar's leg to its app, and the app's answer, carry it too.
      expect(
        legs.some((l) => l.d['requestId'] === id && l.d['from'] === d.d['proxy'] && l.d['to'] === d.d['proxy']),
      ).toBe(true);
      expect(
        records.some((r) => r.kind === 'net.response' && r.d['requestId'] === id && r.d['from'] === d.d['proxy']),
      ).toBe(true);
    }
    // Only the app's first leg, to its own sidecar, has no id yet (the sidecar assigns it).
    const anonymous = legs.filter((l) => l.d['requestId'] === undefined);
    expect(anonymous.length).toBe(outcomes.length);
    for (const l of anonymous) expect(l.d['from']).toBe(l.d['to']);
  });
});
