/**
 * The seed walkthrough 000 (../shared/seeds/000_*, fixtures in packages/sim-core/testdata/seeds): the two
 * data paths of its "Sidecar" section — with sidecars (iptables → 15001 → Envoy → mTLS → 15006 → Envoy →
 * app) and without (CoreDNS → ClusterIP → kube-proxy DNAT → pod) — and its fault-injection section (a fixed
 * 5 s delay on the tester's route, an 80 % abort on the default route). With constant latencies every
 * duration is computable by hand from the hops, so the checks are exact.
 */
import { describe, expect, it } from 'vitest';
import { seedInputs } from '../../../test/seeds.js';
import { ms, s } from '../../engine/time.js';
import { loadManifests } from '../../k8s/load/loadManifests.js';
import { buildMeshModel, type MeshModel } from '../../istio/model/meshModel.js';
import { withChanges } from '../../istio/model/withChanges.js';
import type { RequestOutcome } from '../../envoy/observability/outcome.js';
import { binomialAcceptance } from '../../testing/stats.js';
import { simulate } from './simulate.js';

const c = (value: number) => ({ kind: 'constant' as const, value });
const LOOP = 10;
const SAME = 50;
const CROSS = 100;
const REQ = 300;
const RESP = 200;
const network = {
  links: { loopback: { latency: c(LOOP) }, sameNode: { latency: c(SAME) }, crossNode: { latency: c(CROSS) } },
};
const proxyLatency = { request: c(REQ), response: c(RESP) };

function seed(name: 'sidecar' | 'fault-injection'): MeshModel {
  const loaded = loadManifests(seedInputs(name));
  expect(loaded.errors).toEqual([]);
  return buildMeshModel(loaded.objects);
}

function withoutInjection(model: MeshModel): MeshModel {
  return withChanges(model, (d) => {
    const ns = d.objects.find((o) => o.kind === 'Namespace');
    if (ns !== undefined) (ns.metadata as { labels?: Record<string, string> }).labels = {};
  });
}

function run(model: MeshModel, namespace: string, url: string, requests: number, headers: Record<string, string> = {}) {
  const client = model.cluster.pods.find((p) => p.name.startsWith('toolbox'));
  if (client === undefined) throw new Error('no toolbox pod');
  const outcomes: RequestOutcome[] = [];
  const lines: string[] = [];
  const result = simulate({
    model,
    seed: 7,
    network,
    proxyLatency,
    traffic: [
      {
        name: 'toolbox',
        source: { kind: 'pod', namespace, pod: client.name },
        connections: 1,
        qps: 0,
        requests,
        mix: [{ url, headers }],
      },
    ],
    onOutcome: (o) => outcomes.push(o),
    accessLog: { write: (proxy, line) => lines.push(`${proxy} ${line.trimEnd()}`) },
  });
  return { result, outcomes, lines, client };
}

describe('seed 000, section Sidecar: the two data paths', () => {
  const model = seed('sidecar');
  const nginx = model.cluster.pods.find((p) => p.name.startsWith('nginx'));
  const toolbox = model.cluster.pods.find((p) => p.name.startsWith('toolbox'));
  // The pods' nodes decide the hop between them.
  const T = nginx?.nodeName === toolbox?.nodeName ? SAME : CROSS;

  it('with sidecars: warm requests cost both hops plus 4 loopbacks and 4 proxy passes, exactly', () => {
    const { outcomes, lines, result } = run(model, 'sidecar', 'http://nginx/', 4);
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, 200]);
    const warm = 2 * LOOP + REQ + T + REQ + 2 * LOOP + RESP + T + RESP;
    expect(outcomes.slice(1).map((o) => o.duration)).toEqual([warm, warm, warm]);
    // The first request also resolves nginx (one kube-dns round trip), opens app → Envoy (loopback),
    // Envoy → Envoy (TCP + TLS 1.3: two round trips) and Envoy → app (loopback).
    expect(outcomes[0]?.duration).toBe(warm + 2 * CROSS + 2 * LOOP + 4 * T + 2 * LOOP);
    expect(outcomes[0]).toMatchObject({
      destination: { service: 'nginx.sidecar.svc.cluster.local', pod: `sidecar/${nginx?.name}` },
      responseFlags: '-',
      responseCodeDetails: 'via_upstream',
      attempts: 1,
      upstreamHost: `${nginx?.podIP}:80`,
    });
    // Each request is logged by both sidecars: the client's outbound side and the server's inbound side.
    expect(lines).toHaveLength(8);
    const client = lines.filter((l) => l.startsWith(`sidecar/${toolbox?.name} `));
    const server = lines.filter((l) => l.startsWith(`sidecar/${nginx?.name} `));
    expect(client).toHaveLength(4);
    expect(server).toHaveLength(4);
    const svc = model.cluster.services.find((x) => x.name === 'nginx');
    expect(client[1]).toMatch(
      new RegExp(
        `"GET / HTTP/1\\.1" 200 - via_upstream - "-" 0 0 1 0 "-" "-" "[0-9a-f-]{36}" "nginx" "${nginx?.podIP}:80" ` +
          `outbound\\|80\\|\\|nginx\\.sidecar\\.svc\\.cluster\\.local ${toolbox?.podIP}:\\d+ ${svc?.clusterIP}:80 ${toolbox?.podIP}:\\d+ - default$`,
      ),
    );
    expect(server[1]).toMatch(
      new RegExp(
        `"GET / HTTP/1\\.1" 200 - via_upstream - "-" 0 0 0 0 "-" "-" "[0-9a-f-]{36}" "nginx" "${nginx?.podIP}:80" ` +
          `inbound\\|80\\|\\| 127\\.0\\.0\\.6:\\d+ ${nginx?.podIP}:80 ${toolbox?.podIP}:\\d+ outbound_\\.80_\\._\\.nginx\\.sidecar\\.svc\\.cluster\\.local default$`,
      ),
    );
    // Same x-request-id on both hops.
    const id = (l: string) => /"([0-9a-f-]{36})"/.exec(l)?.[1];
    expect(id(client[2] as string)).toBe(id(server[2] as string));
    // Istio's metrics count each request twice: once per reporter.
    expect(result.metrics.requestsTotal((l) => l.reporter === 'source')).toBe(4);
    expect(
      result.metrics.requestsTotal(
        (l) => l.reporter === 'destination' && l.connection_security_policy === 'mutual_tls',
      ),
    ).toBe(4);
  });

  it('without sidecars: kube-proxy DNATs the connection, and the paths differ by exactly the modelled proxy hops', () => {
    const plain = withoutInjection(model);
    expect(plain.proxies.filter((p) => p.type === 'sidecar')).toEqual([]);
    const { outcomes, lines, result } = run(plain, 'sidecar', 'http://nginx/', 4);
    expect(lines).toEqual([]);
    expect(result.metrics.seriesCount).toBe(0);
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, 200]);
    expect(outcomes.slice(1).map((o) => o.duration)).toEqual([2 * T, 2 * T, 2 * T]);
    // DNS, then a plain TCP handshake to the pod kube-proxy chose.
    expect(outcomes[0]?.duration).toBe(2 * CROSS + 2 * T + 2 * T);
    expect(outcomes[0]?.destination).toEqual({ service: 'nginx', pod: `sidecar/${nginx?.name}` });
    const withSidecars = run(model, 'sidecar', 'http://nginx/', 2).outcomes[1]?.duration as number;
    expect(withSidecars - (outcomes[1]?.duration as number)).toBe(4 * LOOP + 2 * REQ + 2 * RESP);
  });
});

describe('seed 000, section 故障注入 (fault injection)', () => {
  const model = seed('fault-injection');

  it("a fixed 5 s delay on 100 % of the tester's requests: the tester sees 5 s plus the modelled hops", () => {
    const { outcomes, lines } = run(model, 'canary', 'http://canary/hello', 3, { user: 'jesse' });
    const v2 = model.cluster.pods.find((p) => p.labels['version'] === 'v2');
    const toolbox = model.cluster.pods.find((p) => p.name.startsWith('toolbox'));
    const T = v2?.nodeName === toolbox?.nodeName ? SAME : CROSS;
    const hops = 2 * LOOP + REQ + T + REQ + 2 * LOOP + RESP + T + RESP;
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200]);
    expect(outcomes.slice(1).map((o) => o.duration)).toEqual([s(5) + hops, s(5) + hops]);
    expect(outcomes.map((o) => o.responseFlags)).toEqual(['DI', 'DI', 'DI']);
    expect(outcomes.every((o) => o.destination.subset === 'v2')).toBe(true);
    const clientLine = lines.find((l) => l.startsWith(`canary/${toolbox?.name} `)) as string;
    expect(clientLine).toMatch(/" 200 DI via_upstream - "-" 0 0 50\d\d \d "/);
    // The delay is the client sidecar's: the server sees a normal, fast request.
    expect(lines.find((l) => l.startsWith(`canary/${v2?.name} `))).toMatch(/" 200 - via_upstream - "-" 0 0 0 0 "/);
  });

  it('the default route aborts 80 % with 500 FI (exact binomial, alpha = 1e-3); aborts never leave the client sidecar', () => {
    const n = 2000;
    const { outcomes, result, client } = run(model, 'canary', 'http://canary/hello', n);
    const aborted = outcomes.filter((o) => o.status === 500);
    const band = binomialAcceptance(n, 0.8, 1e-3);
    expect(aborted.length).toBeGreaterThanOrEqual(band.lower);
    expect(aborted.length).toBeLessThanOrEqual(band.upper);
    for (const o of aborted) {
      expect(o).toMatchObject({ responseFlags: 'FI', responseCodeDetails: 'fault_filter_abort', attempts: 0 });
      expect(o.upstreamHost).toBeUndefined();
    }
    expect(outcomes.filter((o) => o.status === 200)).toHaveLength(n - aborted.length);
    const stats = result.proxyStats.get(`canary/${client.name}`);
    const v1 = 'cluster.outbound|80|v1|canary.canary.svc.cluster.local.';
    expect(stats?.value(`${v1}upstream_rq_total`)).toBe(n - aborted.length);
    expect(stats?.value(`${v1}upstream_rq_retry`)).toBe(0);
    expect(stats?.value('http.outbound_0.0.0.0_80;.fault.aborts_injected')).toBe(aborted.length);
    // Only the requests that were not aborted reach v1's sidecar.
    expect(result.metrics.requestsTotal((l) => l.reporter === 'destination')).toBe(n - aborted.length);
  });
});

describe('determinism', () => {
  it('the same seed gives the same outcome digest; another seed another one', () => {
    const model = seed('fault-injection');
    const client = model.cluster.pods.find((p) => p.name.startsWith('toolbox'))?.name as string;
    const go = (seedValue: number) =>
      simulate({
        model,
        seed: seedValue,
        traffic: [
          {
            name: 'users',
            source: { kind: 'pod', namespace: 'canary', pod: client },
            rate: 200,
            duration: ms(500),
            mix: [{ url: 'http://canary/hello' }, { url: 'http://canary/hello', headers: { user: 'jesse' } }],
          },
        ],
      }).digest;
    expect(go(1)).toBe(go(1));
    expect(go(1)).not.toBe(go(2));
  });
});
