/**
 * `route(model, call)`: where a request goes and why. Resolves the call (proxy, DNS, gateway port,
 * iptables capture), builds the proxy's configuration as istiod would, walks it as Envoy would, and ties
 * each decision back to the manifest field behind it. Deterministic; for any well-formed call it never
 * throws — failures a real mesh produces are the explanation's `error` and `outcome`.
 */
import { buildProxyConfig } from '../istio/xds/buildProxyConfig.js';
import type { MeshModel } from '../istio/model/meshModel.js';
import { hostSubsetOf } from '../istio/model/host.js';
import type { MeshProxy } from '../istio/model/proxy.js';
import { labelsMatch } from '../k8s/labels.js';
import type { RouteCall } from './call.js';
import type { ExplainStep, RouteExplanation, SourceRef } from './explanation.js';
import { describeRouteOrigin, refTo, serviceSource, subsetSource } from './provenance.js';
import type { ProxyConfigView } from './proxyConfigView.js';
import { resolveCall } from './resolve.js';
import { walkProxyConfig, type WalkResult } from './walk.js';

/** Builds the Envoy configuration istiod pushes to `proxy`. */
export type ProxyConfigBuilder = (model: MeshModel, proxy: MeshProxy) => ProxyConfigView;

function splitHostPort(vhostName: string): { host: string; port?: number } {
  const i = vhostName.lastIndexOf(':');
  if (i < 0 || !/^\d+$/.test(vhostName.slice(i + 1))) return { host: vhostName };
  return { host: vhostName.slice(0, i), port: Number(vhostName.slice(i + 1)) };
}

/** Whether a Gateway server host (`ns/host`, `*`, `*.suffix`, `host`) covers `host` (`host.Name.SubsetOf`). */
function serverHostCovers(serverHost: string, host: string): boolean {
  return hostSubsetOf(host, serverHost.includes('/') ? serverHost.slice(serverHost.indexOf('/') + 1) : serverHost);
}

/** The servers of Gateways selecting `proxy` on `port` (and covering `host`, when given). */
function gatewayServers(model: MeshModel, proxy: MeshProxy, port: number | undefined, host?: string): SourceRef[] {
  const out: SourceRef[] = [];
  for (const gw of model.istio.gateways) {
    const spec = gw.spec as {
      selector?: Record<string, string>;
      servers?: readonly { port?: { number?: number }; hosts?: readonly string[] }[];
    };
    if (spec.selector !== undefined && !labelsMatch(spec.selector, proxy.labels)) continue;
    (spec.servers ?? []).forEach((s, i) => {
      if (port !== undefined && s.port?.number !== port) return;
      if (host !== undefined && !(s.hosts ?? []).some((h) => serverHostCovers(h, host))) return;
      out.push(refTo(gw, 'Gateway', ['spec', 'servers', i]));
    });
  }
  return out;
}

function annotate(
  model: MeshModel,
  proxy: MeshProxy,
  mode: RouteExplanation['call']['mode'],
  servicePort: number | undefined,
  w: WalkResult,
): { steps: ExplainStep[]; route?: RouteExplanation['route'] } {
  const m = w.matches;
  const routeRef =
    m.route !== undefined && m.routeIndex !== undefined
      ? describeRouteOrigin(model, m.route, m.routeIndex, w.routeMatch ?? '')
      : undefined;
  const steps = w.steps.map((s): ExplainStep => {
    const refs: SourceRef[] = [];
    const notes: string[] = [];
    if (s.step === 'virtual_host' && m.virtualHost !== undefined) {
      const { host, port } = splitHostPort(m.virtualHost.virtualHost.name);
      if (mode === 'gateway') refs.push(...gatewayServers(model, proxy, port, host));
      else {
        const src = serviceSource(model, host, port);
        if (src !== undefined) refs.push(src);
      }
    }
    if (s.step === 'route' && routeRef?.source !== undefined) refs.push(routeRef.source);
    if (s.step === 'cluster') {
      for (const c of w.clusters) {
        const sub = subsetSource(model, c);
        if (sub !== undefined) refs.push(sub);
        else if (c.host !== undefined && c.direction === 'outbound') {
          const src = serviceSource(model, c.host, c.port);
          if (src !== undefined) refs.push(src);
          // Why istiod built no such cluster (the router then answers 503 NC).
          if (src === undefined) notes.push(`no Service or ServiceEntry has host ${c.host}`);
          else if (c.subset !== undefined) notes.push(`no DestinationRule for ${c.host} defines subset ${c.subset}`);
        }
      }
    }
    if (s.step === 'listener' && mode === 'gateway' && servicePort !== undefined)
      refs.push(...gatewayServers(model, proxy, servicePort));
    if (refs.length === 0 && notes.length === 0) return s;
    return {
      ...s,
      ...(notes.length > 0 ? { details: [...(s.details ?? []), ...notes] } : {}),
      ...(refs.length > 0 ? { decidedBy: [...(s.decidedBy ?? []), ...refs] } : {}),
    };
  });
  return { steps, ...(routeRef !== undefined ? { route: routeRef } : {}) };
}

/** Explains `call` with proxy configurations from `build`. */
export function explainRoute(model: MeshModel, call: RouteCall, build: ProxyConfigBuilder): RouteExplanation {
  const r = resolveCall(model, call);
  const head: ExplainStep = {
    step: 'call',
    summary: `${r.call.mode === 'outbound' ? 'the sidecar of' : r.call.mode === 'gateway' ? 'the gateway' : 'the sidecar receiving for'} ${r.proxy.id}`,
  };
  if (r.stop !== undefined || r.input === undefined) {
    const outcome = r.stop?.outcome ?? { action: 'connection_refused' as const, text: 'no connection' };
    return {
      call: r.call,
      clusters: [],
      endpoints: [],
      ...(r.stop?.error !== undefined ? { error: r.stop.error } : {}),
      outcome,
      steps: [head, ...r.steps, { step: 'outcome', summary: outcome.text }],
    };
  }
  const config = build(model, r.proxy);
  const w = walkProxyConfig(config, r.input);
  const { steps, route } = annotate(model, r.proxy, r.call.mode, r.servicePort, w);
  return {
    call: r.call,
    ...(w.listener !== undefined ? { listener: w.listener } : {}),
    ...(w.filterChain !== undefined ? { filterChain: w.filterChain } : {}),
    ...(w.routeConfig !== undefined ? { routeConfig: w.routeConfig } : {}),
    ...(w.virtualHost !== undefined ? { virtualHost: w.virtualHost } : {}),
    ...(route !== undefined ? { route } : {}),
    ...(w.cluster !== undefined ? { cluster: w.cluster } : {}),
    clusters: w.clusters,
    endpoints: w.endpoints.map((e) => {
      const pod = model.cluster.pods.find((p) => p.podIP === e.address && !p.hostNetwork);
      return pod === undefined ? e : { ...e, workload: `${pod.namespace}/${pod.name}` };
    }),
    ...(w.error !== undefined ? { error: w.error } : {}),
    outcome: w.outcome,
    ...(w.outcomes !== undefined ? { outcomes: w.outcomes } : {}),
    steps: [head, ...r.steps, ...steps],
  };
}

// Models are frozen, so a proxy's configuration can be cached per model and proxy.
const configCache = new WeakMap<MeshModel, Map<string, ProxyConfigView>>();

/** istiod's translation, cached per (frozen) model and proxy. */
export const defaultProxyConfigBuilder: ProxyConfigBuilder = (model, proxy) => {
  let byProxy = configCache.get(model);
  if (byProxy === undefined) {
    byProxy = new Map();
    configCache.set(model, byProxy);
  }
  let config = byProxy.get(proxy.id);
  if (config === undefined) {
    config = buildProxyConfig(model, proxy);
    byProxy.set(proxy.id, config);
  }
  return config;
};

/**
 * Where `call` goes and why, with the configuration istiod 1.29 would push to the proxy that handles it.
 * Throws `ConfigError` only for a malformed call (no such pod, bad URL); never for a request.
 */
export function route(
  model: MeshModel,
  call: RouteCall,
  options: { readonly build?: ProxyConfigBuilder } = {},
): RouteExplanation {
  return explainRoute(model, call, options.build ?? defaultProxyConfigBuilder);
}
