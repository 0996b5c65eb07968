/**
 * A canary report input built from the seed walkthrough's manifests with sim-core's own pieces (see
 * README.md here): real route explanations, netfilter traversals, weighted clusters, HDR histograms and
 * Istio metrics; synthetic request outcomes drawn from named seeded streams with the route's cluster
 * probabilities. Deterministic: the same call returns the same data.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { envoy, loadMeshModel, netfilter, RngStreams, route, type MeshModel } from '@meshsim/sim-core';
import { binomialAcceptance } from '@meshsim/sim-core/testing';
import {
  applyBadges,
  badgesFromIstioConfig,
  buildServiceGraph,
  buildTimeline,
  buildTrafficSplit,
  graphFromIstioRequests,
  latencySeriesByDestination,
  requestFlowFromExplanation,
  splitFlowsFromDestinations,
  splitRouteFromVirtualService,
  summaryRows,
  type PacketTraceLike,
  type ReportInput,
  type ReportVariant,
  type RouteExplanationLike,
} from '../model/index.js';

const dir = new URL('./canary/', import.meta.url);

/** The manifests, with the weighted route's weights replaced by `v1`/`v2` when given. */
export function canaryInputs(weights?: { v1: number; v2: number }): { file: string; text: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      let text = readFileSync(new URL(f, dir), 'utf8');
      if (weights !== undefined && f === 'istio-specs.yaml') {
        text = text.replace('weight: 100', `weight: ${weights.v1}`).replace('weight: 0', `weight: ${weights.v2}`);
      }
      return { file: `canary/${f}`, text };
    });
}

/** The client sidecar's explanation of `GET http://canary/` from the toolbox. */
export function canaryExplanation(model: MeshModel): RouteExplanationLike {
  return route(model, { from: 'toolbox.canary', url: 'http://canary/' });
}

function proxyNamed(model: MeshModel, prefix: string) {
  const p = model.proxies.find((x) => x.namespace === 'canary' && x.name.startsWith(prefix));
  if (p === undefined || p.iptables === undefined) throw new Error(`fixture: no injected pod ${prefix}-… in namespace canary`);
  return p as typeof p & { iptables: NonNullable<typeof p.iptables> };
}

function rulesOf(args: readonly string[]) {
  return netfilter.buildIstioRules(netfilter.parseIstioIptablesArgs(args));
}

/** The first packet of the toolbox's connection to `dst:port` through its pod's real istio-iptables rules. */
export function clientTraversal(model: MeshModel, dst: string, port: number): PacketTraceLike {
  const p = proxyNamed(model, 'toolbox');
  const ns = netfilter.istioPodNamespace(rulesOf(p.iptables.args), p.ip);
  const ip = netfilter.parseIp(dst);
  if (ip === undefined) throw new Error(`fixture: bad address ${dst}`);
  return ns.output({ protocol: netfilter.IPPROTO.TCP, dst: ip, dport: port, owner: { uid: 0, gid: 0 } }, { trace: true, track: false });
}

/** The first packet of a connection from the toolbox arriving at `podIp:port`. */
export function serverTraversal(model: MeshModel, podIp: string, port: number): PacketTraceLike {
  const server = model.proxies.find((x) => x.ip === podIp);
  if (server?.iptables === undefined) throw new Error(`fixture: no injected pod at ${podIp}`);
  const client = proxyNamed(model, 'toolbox');
  const ns = netfilter.istioPodNamespace(rulesOf(server.iptables.args), podIp);
  return ns.input(
    { protocol: netfilter.IPPROTO.TCP, src: netfilter.parseIp(client.ip) as netfilter.IpAddress, sport: 40000, dst: netfilter.parseIp(podIp) as netfilter.IpAddress, dport: port },
    { trace: true, track: false },
  );
}

const SERVICE_TIME = { v1: { median: 8_000, p99: 30_000 }, v2: { median: 14_000, p99: 60_000 } } as const;
const HOPS = 1_300; // two sidecars, two network legs: µs added to every request

/** One variant: `requests` GETs from the toolbox over `seconds`, v2 answering 503 to 2 % of requests. */
export function canaryVariant(name: string, weights: { v1: number; v2: number } | undefined, requests = 4000, seconds = 20): ReportVariant {
  const model = loadMeshModel(canaryInputs(weights));
  const e = canaryExplanation(model);
  const rng = new RngStreams(20_261_122);
  const pick = rng.stream('fixture/route');
  const time = rng.stream('fixture/service-time');
  const errors = rng.stream('fixture/errors');
  const agg = new envoy.OutcomeAggregator();
  const metrics = new envoy.IstioMetrics();
  const toolbox = proxyNamed(model, 'toolbox');
  const candidates = e.clusters.filter((c) => c.probability > 0);
  for (let id = 0; id < requests; id++) {
    const c = candidates[pick.weightedIndex(candidates.map((x) => x.probability))] ?? candidates[0];
    if (c === undefined) throw new Error('fixture: the route has no cluster');
    const ep = e.endpoints.find((x) => x.cluster === c.name);
    const subset = (c.subset ?? 'v1') as 'v1' | 'v2';
    const server = model.proxies.find((p) => p.ip === ep?.address);
    const status = subset === 'v2' && errors.bernoulli(0.02) ? 503 : 200;
    const duration = Math.round(time.lognormal(SERVICE_TIME[subset].median, SERVICE_TIME[subset].p99)) + HOPS;
    agg.add({
      id,
      source: `pod canary/${toolbox.name}`,
      destination: { service: c.host ?? '', subset, ...(ep?.workload !== undefined ? { pod: ep.workload } : {}) },
      status,
      responseFlags: '-',
      responseCodeDetails: 'via_upstream',
      attempts: 1,
      ...(ep !== undefined ? { upstreamHost: `${ep.address}:${ep.port ?? 80}` } : {}),
      startTime: Math.floor((id * seconds * 1_000_000) / requests),
      duration,
    });
    const labels = envoy.istioRequestLabels({
      reporter: 'source',
      local: { workload: toolbox.workloadName, namespace: 'canary', labels: toolbox.labels },
      ...(server !== undefined ? { peer: { workload: server.workloadName, namespace: 'canary', labels: server.labels } } : {}),
      service: { host: c.host ?? '', name: 'canary', namespace: 'canary' },
      clusterName: c.name,
      responseCode: status,
      responseFlags: '-',
    });
    metrics.record(labels, duration, 0, 120);
  }
  const vs = model.istio.virtualServices.find((v) => v.metadata.name === 'canary');
  if (vs === undefined) throw new Error('fixture: VirtualService canary missing');
  const declared = splitRouteFromVirtualService(vs, 1);
  const ep = e.endpoints[0];
  if (ep === undefined) throw new Error('fixture: no endpoint');
  const inbound = route(model, { to: model.proxies.find((p) => p.ip === ep.address)?.id ?? '', inbound: true, url: 'http://canary/', tls: 'mtls' });
  const samples = envoy.parsePrometheusText(metrics.renderPrometheus()).flatMap((f) => f.samples);
  const istioObjects = [...model.istio.virtualServices, ...model.istio.destinationRules];
  const graph = applyBadges(graphFromIstioRequests(samples), badgesFromIstioConfig(istioObjects));
  const push = { time: 0, kind: 'config_push' as const, subject: 'VirtualService canary/canary', detail: `weights v1 ${weights?.v1 ?? 100} / v2 ${weights?.v2 ?? 0}`, ...(declared.decidedBy !== undefined ? { decidedBy: declared.decidedBy } : {}) };
  return {
    name,
    description: `GET http://canary/ from the toolbox, ${requests} requests over ${seconds} s; weighted route v1 ${weights?.v1 ?? 100} / v2 ${weights?.v2 ?? 0}.`,
    duration: seconds * 1_000_000,
    summary: summaryRows(agg.byPod()),
    trafficSplit: buildTrafficSplit({ routes: [declared], flows: splitFlowsFromDestinations(agg.byPod(), declared.id, 'canary/toolbox') }),
    latency: latencySeriesByDestination(agg.bySubset(), name),
    timeline: buildTimeline([push], { start: 0, end: seconds * 1_000_000 }),
    serviceGraph: buildServiceGraph({ ...graph, duration: seconds * 1_000_000 }),
    flows: [
      requestFlowFromExplanation({
        client: 'canary/toolbox',
        explanation: e,
        clientCapture: clientTraversal(model, e.call.destinationAddress, e.call.destinationPort),
        attempts: [
          {
            host: `${ep.address}:${ep.port ?? 80}`,
            ...(ep.workload !== undefined ? { pod: ep.workload } : {}),
            cluster: ep.cluster,
            lbPolicy: 'RANDOM',
            status: 200,
            serverCapture: serverTraversal(model, ep.address, ep.port ?? 80),
            inbound,
            networkLatency: 200,
            serviceTime: SERVICE_TIME.v1.median,
          },
        ],
        outcome: { status: 200, responseFlags: '-', duration: SERVICE_TIME.v1.median + HOPS },
      }),
    ],
    expectations:
      weights === undefined
        ? [{ name: 'the weight-0 subset v2 gets no request', passed: agg.bySubset().every((g) => g.subset !== 'v2') }]
        : [{ name: `v2 gets ${weights.v2}% of requests (exact binomial test, alpha 0.05)`, passed: v2Consistent(agg, weights) }],
  };
}

function v2Consistent(agg: envoy.OutcomeAggregator, weights: { v1: number; v2: number }): boolean {
  const n = agg.overall.count;
  const k = agg.bySubset().find((g) => g.subset === 'v2')?.summary.count ?? 0;
  const acc = binomialAcceptance(n, weights.v2 / (weights.v1 + weights.v2), 0.05);
  return k >= acc.lower && k <= acc.upper;
}

/** The canary report: the seed as written (v1 100 / v2 0), then what-if variants 80/20 and 50/50. */
export function canaryReportInput(): ReportInput {
  return {
    title: 'canary: shifting traffic from v1 to v2',
    description: 'The seed walkthrough’s canary: a header route sends the tester (user: jesse) to v2, a weighted route sends everyone else to v1 and v2 by weight. Outcomes in this fixture are synthetic.',
    scenario: 'canary',
    seed: 20_261_122,
    generator: 'meshsim viz test fixture',
    variants: [canaryVariant('baseline', undefined), canaryVariant('v2-at-20', { v1: 80, v2: 20 }), canaryVariant('v2-at-50', { v1: 50, v2: 50 })],
  };
}
