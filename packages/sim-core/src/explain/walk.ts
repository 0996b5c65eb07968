/**
 * Walks one connection (and, for HTTP, one request) through a proxy's Envoy configuration the way Envoy
 * processes it: listener (with iptables capture and original-destination hand-off) → listener filters →
 * filter chain → transport socket → network filter (HTTP connection manager or TCP proxy) → route
 * configuration → virtual host → first matching route → cluster(s) → endpoints. Pure and deterministic:
 * weighted clusters are reported with their probabilities, never sampled. Never throws for any input.
 */
import type { HeaderMap } from '../envoy/common.js';
import { firstHeaderValue } from '../envoy/common.js';
import type { DownstreamConnection } from '../envoy/listener/connection.js';
import { findFilterChain, type FilterChainSelection } from '../envoy/listener/filterChainMatch.js';
import { inspectConnection } from '../envoy/listener/listenerFilters.js';
import { selectListener } from '../envoy/listener/listenerSelect.js';
import {
  FilterNames,
  type DownstreamTlsContext,
  type FilterChain,
  type HttpConnectionManager,
  type Listener,
  type TcpProxy,
} from '../envoy/listener/types.js';
import { normalizePath } from '../envoy/router/pathNormalization.js';
import { checkRouteConditions, routeDistribution } from '../envoy/router/routeMatch.js';
import { redirectLocation, routeOutcome } from '../envoy/router/routeOutcome.js';
import type { Route, RouteConfiguration, VirtualHost } from '../envoy/router/types.js';
import { findVirtualHost, type VirtualHostMatch } from '../envoy/router/virtualHost.js';
import { weightedCandidates } from '../envoy/router/weightedClusters.js';
import { describeRoute, describeSteps, listenerAddress } from './describe.js';
import { candidatesOf, clusterEndpoints } from './clusters.js';
import type { ClusterCandidate, EndpointInfo, EnvoyOutcome, ExplainStep, RouteErrorKind } from './explanation.js';
import type { ProxyConfigView } from './proxyConfigView.js';

/** What the client sends, after DNS and defaults. */
export interface WalkInput {
  readonly connection: DownstreamConnection;
  /** The iptables capture port the connection is REDIRECTed to (15001, 15006); none for a gateway. */
  readonly capturePort?: number;
  readonly protocol: 'http' | 'http2' | 'tcp';
  readonly tls: 'plaintext' | 'tls' | 'mtls';
  /** The HTTP request (pseudo-headers `:authority`, `:path`, `:method`, `:scheme` included). */
  readonly request?: HeaderMap;
}

/** The Envoy objects the walk matched, for provenance lookups. */
export interface WalkMatches {
  readonly listener?: Listener;
  readonly filterChain?: FilterChain;
  readonly routeConfig?: RouteConfiguration;
  readonly virtualHost?: VirtualHostMatch;
  readonly route?: Route;
  readonly routeIndex?: number;
}

/** The walk's result: the explanation without the call, plus the matched objects. */
export interface WalkResult {
  readonly listener?: string;
  readonly filterChain?: string;
  readonly routeConfig?: string;
  readonly virtualHost?: string;
  readonly routeIndex?: number;
  readonly routeName?: string;
  readonly routeMatch?: string;
  readonly cluster?: string;
  readonly clusters: readonly ClusterCandidate[];
  readonly endpoints: readonly EndpointInfo[];
  readonly error?: RouteErrorKind;
  readonly outcome: EnvoyOutcome;
  readonly steps: readonly ExplainStep[];
  readonly matches: WalkMatches;
}

function networkFilter(
  chain: FilterChain,
): { kind: 'hcm'; hcm: HttpConnectionManager } | { kind: 'tcp'; tcp: TcpProxy } | undefined {
  const filters = chain.filters ?? [];
  for (let i = filters.length - 1; i >= 0; i--) {
    const f = filters[i];
    if (f === undefined) continue;
    if (f.name === FilterNames.httpConnectionManager)
      return { kind: 'hcm', hcm: (f.typedConfig ?? {}) as HttpConnectionManager };
    if (f.name === FilterNames.tcpProxy) return { kind: 'tcp', tcp: (f.typedConfig ?? {}) as TcpProxy };
  }
  return undefined;
}

/** Istio's heuristic (traffic.go `requiresMTLS`): a chain demanding a client certificate is Istio mTLS. */
function requiresClientCertificate(chain: FilterChain): boolean {
  if (chain.transportSocket === undefined) return false;
  const ctx = (chain.transportSocket.typedConfig ?? {}) as DownstreamTlsContext;
  return ctx.requireClientCertificate === true;
}

const chainName = (sel: FilterChainSelection, listener: Listener): string =>
  sel.chain?.name ?? (sel.usedDefaultChain ? `${listener.name} default chain` : `#${sel.index}`);

/** Walks `input` through `config`. */
export function walkProxyConfig(config: ProxyConfigView, input: WalkInput): WalkResult {
  const steps: ExplainStep[] = [];
  const conn = input.connection;
  const fail = (error: RouteErrorKind, outcome: EnvoyOutcome, extra: Partial<WalkResult> = {}): WalkResult => {
    steps.push({ step: 'outcome', summary: outcome.text });
    return { clusters: [], endpoints: [], error, outcome, steps, matches: {}, ...extra };
  };

  // Listener.
  const sel = selectListener(config.listeners, conn.destinationAddress, conn.destinationPort, input.capturePort);
  if (sel.listener === undefined) {
    steps.push({
      step: 'listener',
      summary:
        input.capturePort === undefined
          ? `no listener is bound to ${conn.destinationAddress}:${conn.destinationPort}`
          : `no listener on the capture port ${input.capturePort}`,
    });
    return fail('no_listener', { action: 'connection_refused', text: 'connection refused (no listener)' });
  }
  const listener = sel.listener;
  steps.push({
    step: 'listener',
    summary: `${listener.name} (${listenerAddress(listener)})`,
    details: describeSteps.listener(sel, conn),
  });
  const matches: { -readonly [K in keyof WalkMatches]: WalkMatches[K] } = { listener };

  // Listener filters, then the filter chain.
  const inspected = inspectConnection(sel.acceptedBy !== undefined ? [sel.acceptedBy, listener] : [listener], conn);
  steps.push({ step: 'listener_filters', summary: describeSteps.inspection(inspected) });
  const fc = findFilterChain(listener, inspected.socket);
  if (fc.error === 'multiple_filter_chains') {
    steps.push({ step: 'filter_chain', summary: fc.conflict ?? 'overlapping filter chains' });
    return fail(
      'multiple_filter_chains',
      { action: 'listener_rejected', text: `Envoy rejects listener ${listener.name}: ${fc.conflict ?? ''}` },
      { listener: listener.name, matches },
    );
  }
  if (fc.chain === undefined) {
    steps.push({
      step: 'filter_chain',
      summary: 'no filter chain matches',
      details: describeSteps.filterChain(fc, listener.filterChains?.length ?? 0),
    });
    return fail(
      'no_filter_chain',
      {
        action: 'connection_closed',
        responseFlags: 'NR',
        text: 'connection closed (no matching filter chain; flag NR)',
      },
      { listener: listener.name, matches },
    );
  }
  const chain = fc.chain;
  matches.filterChain = chain;
  const fcName = chainName(fc, listener);
  steps.push({
    step: 'filter_chain',
    summary: `${fcName}${fc.usedDefaultChain ? ' (the default chain: no chain matched)' : ''}`,
    details: describeSteps.filterChain(fc, listener.filterChains?.length ?? 0),
  });
  const base = { listener: listener.name, filterChain: fcName };

  // Transport socket.
  const terminatesTls = chain.transportSocket !== undefined;
  if (terminatesTls && input.tls === 'plaintext') {
    steps.push({ step: 'transport', summary: 'the chain terminates TLS but the client sent plaintext' });
    return fail(
      'tls_error',
      { action: 'connection_closed', text: 'TLS handshake fails: connection closed' },
      { ...base, matches },
    );
  }
  if (terminatesTls && requiresClientCertificate(chain) !== (input.tls === 'mtls')) {
    steps.push({
      step: 'transport',
      summary: requiresClientCertificate(chain)
        ? 'the chain requires Istio mutual TLS (a client certificate) but the client did not present one'
        : 'the chain terminates simple TLS but the client speaks Istio mutual TLS',
    });
    return fail(
      'mtls_error',
      { action: 'connection_closed', text: 'TLS handshake fails: connection closed' },
      { ...base, matches },
    );
  }
  if (terminatesTls)
    steps.push({
      step: 'transport',
      summary: `TLS terminated${requiresClientCertificate(chain) ? ' (mutual TLS)' : ''}`,
    });

  const nf = networkFilter(chain);
  if (nf === undefined) {
    steps.push({ step: 'network_filter', summary: 'the chain has no HTTP connection manager or TCP proxy' });
    return fail(
      'no_route',
      { action: 'connection_closed', text: 'connection closed (no terminal network filter)' },
      { ...base, matches },
    );
  }
  if (nf.kind === 'tcp') return tcpProxy(config, nf.tcp, conn, steps, base, matches);

  // HTTP connection manager.
  if ((input.tls !== 'plaintext' && !terminatesTls) || input.protocol === 'tcp' || input.request === undefined) {
    steps.push({
      step: 'network_filter',
      summary:
        input.protocol === 'tcp'
          ? 'HTTP connection manager, but the client does not speak HTTP'
          : 'HTTP connection manager, but the bytes are TLS that this chain does not terminate',
    });
    return fail(
      'protocol_error',
      {
        action: 'local_reply',
        status: 400,
        responseFlags: 'DPE',
        responseCodeDetails: 'http1.codec_error',
        text: '400 DPE (codec error), connection closed',
      },
      { ...base, matches },
    );
  }
  let routeConfig: RouteConfiguration | undefined = nf.hcm.routeConfig;
  const rcName = routeConfig?.name ?? nf.hcm.rds?.routeConfigName ?? '';
  if (routeConfig === undefined) routeConfig = config.routes.find((r) => r.name === rcName);
  steps.push({
    step: 'network_filter',
    summary: `HTTP connection manager, route configuration ${JSON.stringify(rcName)}${nf.hcm.routeConfig !== undefined ? ' (inline)' : ' (RDS)'}`,
  });
  if (routeConfig === undefined) {
    return fail(
      'no_route',
      {
        action: 'local_reply',
        status: 404,
        responseFlags: 'NR',
        responseCodeDetails: 'route_not_found',
        text: `404 NR (route configuration ${rcName} was never sent)`,
      },
      { ...base, routeConfig: rcName, matches },
    );
  }
  matches.routeConfig = routeConfig;
  // The connection manager normalises :path before routing (istiod: normalize_path true by default).
  const sentPath = firstHeaderValue(input.request, ':path') ?? '/';
  const path =
    nf.hcm.normalizePath === true ? normalizePath(sentPath, { mergeSlashes: nf.hcm.mergeSlashes === true }) : sentPath;
  if (path !== sentPath) steps.push({ step: 'network_filter', summary: `normalize_path: ${sentPath} → ${path}` });
  const headers: HeaderMap = {
    ...input.request,
    ':path': path,
    'x-forwarded-proto': firstHeaderValue(input.request, 'x-forwarded-proto') ?? (terminatesTls ? 'https' : 'http'),
  };
  const vh = findVirtualHost(routeConfig, headers);
  if (vh === undefined) {
    steps.push({
      step: 'virtual_host',
      summary: `no virtual host of ${rcName} matches Host ${JSON.stringify(firstHeaderValue(headers, ':authority') ?? '')}`,
    });
    return fail(
      'no_virtual_host',
      {
        action: 'local_reply',
        status: 404,
        responseFlags: 'NR',
        responseCodeDetails: 'route_not_found',
        text: '404 NR (route_not_found: no virtual host)',
      },
      { ...base, routeConfig: rcName, matches },
    );
  }
  matches.virtualHost = vh;
  steps.push({ step: 'virtual_host', summary: describeSteps.virtualHost(vh) });
  const withVh = { ...base, routeConfig: rcName, virtualHost: vh.virtualHost.name };
  // VirtualHostImpl::getRouteFromEntries: require_tls ALL redirects any non-https request, EXTERNAL_ONLY
  // those not marked `x-envoy-internal: true` — before any route is matched.
  const requireTls = vh.virtualHost.requireTls;
  const insecure = firstHeaderValue(headers, 'x-forwarded-proto') !== 'https';
  const internal = firstHeaderValue(headers, 'x-envoy-internal') === 'true';
  if (insecure && (requireTls === 'ALL' || (requireTls === 'EXTERNAL_ONLY' && !internal))) {
    const location = redirectLocation({ httpsRedirect: true }, { match: { prefix: '/' } }, headers);
    return fail(
      'tls_redirect',
      {
        action: 'redirect',
        status: 301,
        location,
        text: `301 redirect to ${location} (the virtual host requires TLS)`,
      },
      { ...withVh, matches },
    );
  }
  return httpRoute(config, vh.virtualHost, headers, conn, steps, withVh, matches);
}

function httpRoute(
  config: ProxyConfigView,
  vhost: VirtualHost,
  headers: HeaderMap,
  conn: DownstreamConnection,
  steps: ExplainStep[],
  base: Pick<WalkResult, 'listener' | 'filterChain' | 'routeConfig' | 'virtualHost'>,
  matches: { -readonly [K in keyof WalkMatches]: WalkMatches[K] },
): WalkResult {
  const routes = vhost.routes ?? [];
  const shares = routeDistribution(vhost, headers);
  const primary = shares.reduce((a, b) => (b.probability > a.probability ? b : a));
  const skipped: string[] = [];
  const upTo = primary.index < 0 ? routes.length : primary.index;
  for (let i = 0; i < upTo; i++) {
    const r = routes[i] as Route;
    const check = checkRouteConditions(r.match, headers);
    skipped.push(
      `route ${i}${r.name !== undefined ? ` ${JSON.stringify(r.name)}` : ''} skipped: ${check.failed ?? 'runtime fraction not selected'} does not hold`,
    );
  }
  if (shares.length > 1) {
    for (const s of shares)
      skipped.push(
        `runtime fraction: ${s.index < 0 ? 'no route' : `route ${s.index}`} for ${(s.probability * 100).toFixed(4)}% of requests`,
      );
  }
  const done = (outcome: EnvoyOutcome, error: RouteErrorKind | undefined, extra: Partial<WalkResult>): WalkResult => {
    steps.push({ step: 'outcome', summary: outcome.text });
    return {
      ...base,
      clusters: [],
      endpoints: [],
      ...(error !== undefined ? { error } : {}),
      outcome,
      steps,
      matches,
      ...extra,
    };
  };
  if (primary.index < 0) {
    steps.push({ step: 'route', summary: `no route of virtual host ${vhost.name} matches`, details: skipped });
    return done(
      {
        action: 'local_reply',
        status: 404,
        responseFlags: 'NR',
        responseCodeDetails: 'route_not_found',
        text: '404 NR (route_not_found)',
      },
      'no_route',
      {},
    );
  }
  const route = routes[primary.index] as Route;
  matches.route = route;
  matches.routeIndex = primary.index;
  const routeMatch = describeRoute(route);
  steps.push({
    step: 'route',
    summary: `#${primary.index}${route.name !== undefined ? ` ${JSON.stringify(route.name)}` : ''}: ${routeMatch}`,
    details: skipped,
  });
  const routeFields = {
    routeIndex: primary.index,
    routeMatch,
    ...(route.name !== undefined ? { routeName: route.name } : {}),
  };
  const outcome = routeOutcome(route, headers);
  switch (outcome.kind) {
    case 'redirect':
      return done(
        {
          action: 'redirect',
          status: outcome.status,
          location: outcome.location,
          text: `${outcome.status} redirect to ${outcome.location}`,
        },
        undefined,
        routeFields,
      );
    case 'direct_response':
      return done(
        {
          action: 'direct_response',
          status: outcome.status,
          responseCodeDetails: 'direct_response',
          text: `${outcome.status} direct response${route.name === 'block_all' ? ' (block_all: REGISTRY_ONLY blocks unknown destinations)' : ''}`,
        },
        undefined,
        routeFields,
      );
    case 'invalid_route':
      return done(
        { action: 'local_reply', status: 404, responseFlags: 'NR', text: `invalid route: ${outcome.reason}` },
        'no_route',
        routeFields,
      );
    case 'no_route':
      return done(
        {
          action: 'local_reply',
          status: 404,
          responseFlags: 'NR',
          responseCodeDetails: 'route_not_found',
          text: '404 NR (route_not_found)',
        },
        'no_route',
        routeFields,
      );
    case 'cluster_header':
      if (outcome.cluster === undefined) {
        return done(
          {
            action: 'local_reply',
            status: outcome.status ?? 503,
            responseFlags: 'NC',
            responseCodeDetails: 'cluster_not_found',
            text: `${outcome.status ?? 503} NC (no ${outcome.header} header)`,
          },
          undefined,
          routeFields,
        );
      }
      return forward(
        config,
        [{ name: outcome.cluster, probability: 1 }],
        conn,
        steps,
        { ...base, ...routeFields },
        matches,
        'forward',
      );
    case 'cluster':
      return forward(
        config,
        [{ name: outcome.cluster, probability: 1 }],
        conn,
        steps,
        { ...base, ...routeFields },
        matches,
        'forward',
      );
    case 'weighted_clusters':
      return forward(
        config,
        outcome.candidates.map((c) => ({ name: c.name, weight: c.weight, probability: c.probability })),
        conn,
        steps,
        { ...base, ...routeFields },
        matches,
        'forward',
      );
  }
}

function tcpProxy(
  config: ProxyConfigView,
  tcp: TcpProxy,
  conn: DownstreamConnection,
  steps: ExplainStep[],
  base: Pick<WalkResult, 'listener' | 'filterChain'>,
  matches: WalkMatches,
): WalkResult {
  steps.push({ step: 'network_filter', summary: 'TCP proxy' });
  if (tcp.weightedClusters !== undefined) {
    const cands = weightedCandidates(tcp.weightedClusters).map((c) => ({
      name: c.name,
      weight: c.weight,
      probability: c.probability,
    }));
    return forward(config, cands, conn, steps, base, matches, 'tcp_proxy');
  }
  return forward(config, [{ name: tcp.cluster ?? '', probability: 1 }], conn, steps, base, matches, 'tcp_proxy');
}

function forward(
  config: ProxyConfigView,
  picks: readonly { name: string; weight?: number; probability: number }[],
  conn: DownstreamConnection,
  steps: ExplainStep[],
  base: Partial<WalkResult>,
  matches: WalkMatches,
  action: 'forward' | 'tcp_proxy',
): WalkResult {
  const clusters = candidatesOf(picks);
  const endpoints = clusters.filter((c) => c.probability > 0).flatMap((c) => clusterEndpoints(config, c.name, conn));
  const single = clusters.length === 1 ? clusters[0]?.name : undefined;
  steps.push({
    step: 'cluster',
    summary:
      single !== undefined
        ? single
        : `weighted clusters: ${clusters.map((c) => `${c.name} ${(c.probability * 100).toFixed(2).replace(/\.?0+$/, '')}%`).join(', ')}`,
  });
  steps.push({ step: 'endpoints', summary: describeSteps.endpoints(endpoints, clusters) });
  const blackhole = single === 'BlackHoleCluster';
  const outcome: EnvoyOutcome = blackhole
    ? action === 'forward'
      ? {
          action,
          status: 503,
          responseFlags: 'UH',
          responseCodeDetails: 'no_healthy_upstream',
          text: '503 UH: BlackHoleCluster has no endpoints',
        }
      : { action, responseFlags: 'UH', text: 'connection closed: BlackHoleCluster has no endpoints (flag UH)' }
    : {
        action,
        text: `${action === 'forward' ? 'forward' : 'proxy TCP'} to ${single ?? `one of ${clusters.length} weighted clusters`}`,
      };
  steps.push({ step: 'outcome', summary: outcome.text });
  return {
    ...base,
    ...(single !== undefined ? { cluster: single } : {}),
    clusters,
    endpoints,
    outcome,
    steps,
    matches,
  };
}
