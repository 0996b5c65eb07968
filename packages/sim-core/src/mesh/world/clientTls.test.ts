/**
 * Clients that speak TLS (`https://` URLs): an outside client reaches the ingress gateway's Service port
 * 443, sends the URL's host as SNI and ALPN http/1.1, and the gateway picks the filter chain — the
 * certificate — by that name (seed 000, section HTTPS: two servers on 443, one certificate each). A name no
 * server lists matches no filter chain: the handshake fails and the client gets no response.
 */
import { describe, expect, it } from 'vitest';
import { seedInputs } from '../../../test/seeds.js';
import type { RequestOutcome } from '../../envoy/observability/outcome.js';
import { loadManifests } from '../../k8s/load/loadManifests.js';
import { buildMeshModel } from '../../istio/model/meshModel.js';
import { simulate } from './simulate.js';

function run(url: string): RequestOutcome[] {
  const loaded = loadManifests(seedInputs('https-ingress'));
  expect(loaded.errors).toEqual([]);
  const outcomes: RequestOutcome[] = [];
  simulate({
    model: buildMeshModel(loaded.objects),
    seed: 3,
    traffic: [
      {
        name: 'curl',
        source: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' },
        connections: 1,
        qps: 0,
        requests: 3,
        mix: [{ url }],
      },
    ],
    onOutcome: (o) => outcomes.push(o),
  });
  return outcomes;
}

describe('https:// from an outside client to the ingress gateway', () => {
  it.each(['httpsserver.zhongmingmao.io', 'api.zhongmingmao.io'])(
    'SNI %s selects its server on 443 and reaches httpserver',
    (host) => {
      const outcomes = run(`https://${host}/`);
      expect(outcomes.map((o) => [o.status, o.destination.service])).toEqual(
        Array(3).fill([200, 'httpserver.securesvc.svc.cluster.local']),
      );
    },
  );

  it('a server name no Gateway server lists gets no response (no filter chain: the handshake fails)', () => {
    expect(run('https://other.zhongmingmao.io/').map((o) => o.status)).toEqual([0, 0, 0]);
  });

  it('http:// to the same host is refused: no Gateway server opens port 80', () => {
    expect(run('http://httpsserver.zhongmingmao.io/').map((o) => o.status)).toEqual([0, 0, 0]);
  });
});
