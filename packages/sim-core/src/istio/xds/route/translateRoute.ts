/**
 * `BuildHTTPRoutesForVirtualService` and `TranslateRoute` (istio/istio@1.29.3
 * `pilot/pkg/networking/core/route/route.go`): a VirtualService's http routes, in order, as Envoy routes
 * for one listener port and proxy. A match with another `port`, or whose `sourceLabels` /
 * `sourceNamespace` / `gateways` exclude the proxy, produces nothing; routes after the first catch-all
 * are dropped. Each route carries its match, action (weighted clusters without zero weights, redirect,
 * direct response), rewrite, timeout (`0s` when unset), retries, mirrors, header operations, fault and
 * CORS policies, a decorator, and metadata naming the VirtualService and the `spec.http[i].match[j]` it came
 * from.
 */
import type { Metadata, Provenance } from '../../../envoy/config/core.js';
import { istioConfigPath } from '../../../envoy/config/core.js';
import type {
  HashPolicy,
  RedirectAction,
  Route,
  RouteAction,
  TypedPerFilterConfig,
} from '../../../envoy/config/route.js';
import type { Labels } from '../../../k8s/labels.js';
import { labelsMatch } from '../../../k8s/labels.js';
import type { MeshService } from '../../model/registry/types.js';
import type { Destination, HTTPMatchRequest, HTTPRoute, HTTPRouteDestination } from '../api.js';
import { buildSubsetKey, isValidSubsetKey, parseSubsetKey } from '../names.js';
import { buildRetryPolicy } from '../trafficPolicy/buildRetryPolicy.js';
import type { IstioConsistentHash, IstioHTTPRetry } from '../trafficPolicy/types.js';
import type { VsConfig } from '../virtualServices.js';
import { isCatchAllMatch, translateRouteMatch } from './routeMatch.js';
import {
  safeProtoDuration,
  translateCorsPolicy,
  translateFaultConfig,
  translateHeadersOperations,
  translateMirrorPolicies,
} from './routeExtras.js';

/** `RouteOptions`: what translating a route looks up. */
export interface RouteOptions {
  /** `LookupService(host)`: the service a destination host means for this proxy and port. */
  readonly lookupService: (host: string) => MeshService | undefined;
  /** `LookupHash(destination)`: the DestinationRule's consistent hash for a destination. */
  readonly lookupHash: (destination: Destination) => IstioConsistentHash | undefined;
  /** MeshConfig `defaultHttpRetryPolicy`. */
  readonly meshDefaultRetry?: IstioHTTPRetry;
  /** The server terminates TLS (gateway HTTPS): redirects default to https. */
  readonly isTLS?: boolean;
}

/** The proxy a route is built for. */
export interface RouteProxy {
  readonly labels: Labels;
  readonly namespace: string;
}

/** `GetDestinationCluster(destination, service, listenerPort)`. */
export function destinationCluster(d: Destination, service: MeshService | undefined, listenerPort: number): string {
  if (d.host === '') return 'UnknownService';
  const host = service?.externalName !== undefined && service.externalName !== '' ? service.externalName : d.host;
  let port = listenerPort;
  if (d.port?.number !== undefined) port = d.port.number;
  else if (service !== undefined && service.ports.length === 1) port = (service.ports[0] as { port: number }).port;
  return buildSubsetKey('outbound', d.subset ?? '', host, port);
}

/** `sourceMatchHTTP`. */
function sourceMatches(m: HTTPMatchRequest | undefined, proxy: RouteProxy, gatewayNames: ReadonlySet<string>): boolean {
  if (m === undefined) return true;
  if ((m.gateways ?? []).length > 0) return (m.gateways ?? []).some((g) => gatewayNames.has(g));
  if (!labelsMatch(m.sourceLabels, proxy.labels)) return false;
  return m.sourceNamespace === undefined || m.sourceNamespace === '' || m.sourceNamespace === proxy.namespace;
}

/** `BuildHTTPRoutesForVirtualService`. */
export function buildHTTPRoutesForVirtualService(
  proxy: RouteProxy,
  vs: VsConfig,
  listenPort: number,
  gatewayNames: ReadonlySet<string>,
  opts: RouteOptions,
): Route[] {
  const out: Route[] = [];
  const http = vs.spec.http ?? [];
  for (let i = 0; i < http.length; i++) {
    const h = http[i] as HTTPRoute;
    const origin = vs.httpOrigins[i];
    let catchAll = false;
    if ((h.match ?? []).length === 0) {
      const r = translateRoute(proxy, h, undefined, listenPort, vs, gatewayNames, opts, origin);
      if (r !== undefined) out.push(r);
      catchAll = true;
    } else {
      const matchOrigins = vs.httpMatchOrigins?.[i];
      for (const [j, m] of (h.match ?? []).entries()) {
        // One Envoy route per match block: its provenance says which block (of the delegate, when merged).
        const matchIndex = matchOrigins === undefined ? j : matchOrigins[j];
        const from =
          origin !== undefined && matchIndex !== undefined ? { ...origin, httpMatchIndex: matchIndex } : origin;
        const r = translateRoute(proxy, h, m, listenPort, vs, gatewayNames, opts, from);
        if (r === undefined) continue;
        out.push(r);
        if (isCatchAllMatch(r.match)) {
          catchAll = true;
          break;
        }
      }
    }
    if (catchAll) break;
  }
  return out;
}

/** Route metadata: istiod's `istio.config` path plus meshsim's provenance. */
export function routeMetadata(vs: Pick<VsConfig, 'namespace' | 'name'>, origin: Provenance | undefined): Metadata {
  return {
    filterMetadata: {
      istio: { config: istioConfigPath('VirtualService', vs.namespace, vs.name) },
      ...(origin !== undefined ? { meshsim: { sources: [origin] } } : {}),
    },
  };
}

/** `TranslateRoute`: one http route and one of its matches; undefined when the match excludes this proxy/port. */
export function translateRoute(
  proxy: RouteProxy,
  h: HTTPRoute,
  m: HTTPMatchRequest | undefined,
  listenPort: number,
  vs: VsConfig,
  gatewayNames: ReadonlySet<string>,
  opts: RouteOptions,
  origin?: Provenance,
): Route | undefined {
  if (m !== undefined && m.port !== undefined && m.port !== 0 && m.port !== listenPort) return undefined;
  if (!sourceMatches(m, proxy, gatewayNames)) return undefined;
  let name = h.name;
  if (m?.name !== undefined && m.name !== '') name = `${name ?? ''}.${m.name}`;
  const match = translateRouteMatch(m);
  const ops = h.headers !== undefined ? translateHeadersOperations(h.headers) : undefined;
  let action: Pick<Route, 'route' | 'redirect' | 'directResponse'> = {};
  let extraHeaders: ReturnType<typeof translateHeadersOperations> | undefined;
  if (h.redirect !== undefined) {
    const redirect = applyRedirect(h.redirect, listenPort, opts.isTLS ?? false);
    if (redirect !== undefined) action = { redirect };
  } else if (h.directResponse !== undefined) {
    const body = h.directResponse.body;
    action = {
      directResponse: {
        status: h.directResponse.status,
        ...(body?.string !== undefined
          ? { body: { inlineString: body.string } }
          : body?.bytes !== undefined
            ? { body: { inlineBytes: body.bytes } }
            : {}),
      },
    };
  } else {
    const dest = applyHTTPRouteDestination(h, listenPort, opts, ops?.authority);
    action = { route: dest.action };
    extraHeaders = dest.headers;
  }
  const reqAdd = [...(ops?.requestHeadersToAdd ?? []), ...(extraHeaders?.requestHeadersToAdd ?? [])];
  const reqRemove = [...(ops?.requestHeadersToRemove ?? []), ...(extraHeaders?.requestHeadersToRemove ?? [])];
  const respAdd = [...(ops?.responseHeadersToAdd ?? []), ...(extraHeaders?.responseHeadersToAdd ?? [])];
  const respRemove = [...(ops?.responseHeadersToRemove ?? []), ...(extraHeaders?.responseHeadersToRemove ?? [])];
  const perFilter: Record<string, unknown> = {};
  const fault = h.fault !== undefined ? translateFaultConfig(h.fault) : undefined;
  if (fault !== undefined) perFilter['envoy.filters.http.fault'] = fault;
  if (h.corsPolicy !== undefined) perFilter['envoy.filters.http.cors'] = translateCorsPolicy(h.corsPolicy);
  const route: Route = {
    ...(name !== undefined ? { name } : {}),
    match,
    ...action,
    decorator: { operation: routeOperation(match, action.route, vs.name, listenPort) },
    ...(Object.keys(perFilter).length > 0 ? { typedPerFilterConfig: perFilter as TypedPerFilterConfig } : {}),
    ...(reqAdd.length > 0 ? { requestHeadersToAdd: reqAdd } : {}),
    ...(reqRemove.length > 0 ? { requestHeadersToRemove: reqRemove } : {}),
    ...(respAdd.length > 0 ? { responseHeadersToAdd: respAdd } : {}),
    ...(respRemove.length > 0 ? { responseHeadersToRemove: respRemove } : {}),
    metadata: routeMetadata(vs, origin),
  };
  return route;
}

/** `applyHTTPRouteDestination`: the route action and per-destination header operations (single destination). */
function applyHTTPRouteDestination(
  h: HTTPRoute,
  listenPort: number,
  opts: RouteOptions,
  authority: string | undefined,
): { action: RouteAction; headers?: ReturnType<typeof translateHeadersOperations> } {
  const timeout = (h.timeout !== undefined ? safeProtoDuration(h.timeout) : undefined) ?? '0s';
  let hostRewrite = authority;
  const rw = h.rewrite;
  if (rw?.authority !== undefined && rw.authority !== '') hostRewrite = rw.authority;
  const base: Record<string, unknown> = {};
  if (rw?.uriRegexRewrite !== undefined) {
    base['regexRewrite'] = {
      pattern: { regex: rw.uriRegexRewrite.match ?? '' },
      substitution: rw.uriRegexRewrite.rewrite ?? '',
    };
  } else if (rw?.uri !== undefined && rw.uri !== '') base['prefixRewrite'] = rw.uri;
  const mirrors = translateMirrorPolicies(h, (d) => destinationCluster(d, opts.lookupService(d.host), listenPort));
  const routes = h.route ?? [];
  let clusterSpec: Pick<RouteAction, 'cluster' | 'weightedClusters'>;
  let headers: ReturnType<typeof translateHeadersOperations> | undefined;
  const hashPolicy: HashPolicy[] = [];
  let consistentHash = false;
  if (routes.length === 1) {
    const dst = routes[0] as HTTPRouteDestination;
    clusterSpec = {
      cluster: destinationCluster(dst.destination, opts.lookupService(dst.destination.host), listenPort),
    };
    if (dst.headers !== undefined) {
      headers = translateHeadersOperations(dst.headers);
      if (headers.authority !== undefined && hostRewrite === undefined) hostRewrite = headers.authority;
    }
    const hash = opts.lookupHash(dst.destination);
    consistentHash = hash !== undefined;
    const hp = hashPolicyOf(hash);
    if (hp !== undefined) hashPolicy.push(hp);
  } else {
    const clusters = [];
    for (const dst of routes) {
      if ((dst.weight ?? 0) === 0) continue; // a zero (or unset) weight never receives traffic: dropped
      const ops = dst.headers !== undefined ? translateHeadersOperations(dst.headers) : undefined;
      clusters.push({
        name: destinationCluster(dst.destination, opts.lookupService(dst.destination.host), listenPort),
        weight: dst.weight as number,
        ...(ops !== undefined && ops.requestHeadersToAdd.length > 0
          ? { requestHeadersToAdd: ops.requestHeadersToAdd }
          : {}),
        ...(ops !== undefined && ops.requestHeadersToRemove.length > 0
          ? { requestHeadersToRemove: ops.requestHeadersToRemove }
          : {}),
        ...(ops !== undefined && ops.responseHeadersToAdd.length > 0
          ? { responseHeadersToAdd: ops.responseHeadersToAdd }
          : {}),
        ...(ops !== undefined && ops.responseHeadersToRemove.length > 0
          ? { responseHeadersToRemove: ops.responseHeadersToRemove }
          : {}),
        ...(ops?.authority !== undefined ? { hostRewriteLiteral: ops.authority } : {}),
      });
      const hp = hashPolicyOf(opts.lookupHash(dst.destination));
      if (hp !== undefined) hashPolicy.push(hp);
    }
    clusterSpec = { weightedClusters: { clusters } };
  }
  const retryPolicy = buildRetryPolicy(h.retries, {
    consistentHash,
    ...(opts.meshDefaultRetry !== undefined ? { meshDefaultHttpRetryPolicy: opts.meshDefaultRetry } : {}),
  });
  const action: RouteAction = {
    ...clusterSpec,
    timeout,
    maxGrpcTimeout: timeout,
    ...base,
    ...(hostRewrite !== undefined && hostRewrite !== '' ? { hostRewriteLiteral: hostRewrite } : {}),
    ...(mirrors.length > 0 ? { requestMirrorPolicies: mirrors } : {}),
    ...(hashPolicy.length > 0 ? { hashPolicy } : {}),
    ...(retryPolicy !== undefined ? { retryPolicy } : {}),
  };
  return { action, ...(headers !== undefined ? { headers } : {}) };
}

/** `ConsistentHashToHashPolicy`. */
export function hashPolicyOf(ch: IstioConsistentHash | undefined): HashPolicy | undefined {
  if (ch === undefined) return undefined;
  if (ch.httpHeaderName !== undefined) return { header: { headerName: ch.httpHeaderName } };
  if (ch.httpCookie !== undefined) {
    const ttl = ch.httpCookie.ttl !== undefined ? safeProtoDuration(ch.httpCookie.ttl) : undefined;
    return {
      cookie: {
        name: ch.httpCookie.name,
        ...(ttl !== undefined ? { ttl } : {}),
        ...(ch.httpCookie.path !== undefined ? { path: ch.httpCookie.path } : {}),
      },
    };
  }
  if (ch.useSourceIp !== undefined) return { connectionProperties: { sourceIp: ch.useSourceIp } };
  if (ch.httpQueryParameterName !== undefined) return { queryParameter: { name: ch.httpQueryParameterName } };
  return undefined;
}

/** `ApplyRedirect`; undefined for an unsupported `redirectCode` (istiod leaves the route without action). */
export function applyRedirect(
  r: NonNullable<HTTPRoute['redirect']>,
  port: number,
  isTLS: boolean,
): RedirectAction | undefined {
  const codes: Readonly<Record<number, RedirectAction['responseCode']>> = {
    0: 'MOVED_PERMANENTLY',
    301: 'MOVED_PERMANENTLY',
    302: 'FOUND',
    303: 'SEE_OTHER',
    307: 'TEMPORARY_REDIRECT',
    308: 'PERMANENT_REDIRECT',
  };
  const responseCode = codes[r.redirectCode ?? 0];
  if (responseCode === undefined) return undefined;
  let portRedirect: number | undefined;
  if (r.port !== undefined || r.derivePort !== undefined) {
    portRedirect = r.port !== undefined ? r.port : r.derivePort === 'FROM_REQUEST_PORT' ? port : undefined;
    const scheme = r.scheme !== undefined && r.scheme !== '' ? r.scheme : isTLS ? 'https' : 'http';
    if ((portRedirect === 80 && scheme === 'http') || (portRedirect === 443 && scheme === 'https'))
      portRedirect = undefined;
  }
  return {
    ...(r.authority !== undefined && r.authority !== '' ? { hostRedirect: r.authority } : {}),
    ...(r.uri !== undefined && r.uri !== '' ? { pathRedirect: r.uri } : {}),
    ...(r.scheme !== undefined && r.scheme !== '' ? { schemeRedirect: r.scheme } : {}),
    ...(portRedirect !== undefined && portRedirect !== 0 ? { portRedirect } : {}),
    responseCode,
  };
}

/** `GetRouteOperation`: `<host>:<port><path>` of the route's cluster, else `<vs name>:<port><path>`. */
export function routeOperation(
  match: Route['match'],
  action: RouteAction | undefined,
  vsName: string,
  port: number,
): string {
  const path =
    match.prefix !== undefined
      ? `${match.prefix}*`
      : match.path !== undefined
        ? match.path
        : match.safeRegex !== undefined
          ? match.safeRegex.regex
          : '/*';
  const c = action?.cluster;
  if (c !== undefined && isValidSubsetKey(c)) {
    const k = parseSubsetKey(c);
    if (k !== undefined) return `${k.hostname}:${k.port}${path}`;
  }
  return `${vsName}:${port}${path}`;
}
