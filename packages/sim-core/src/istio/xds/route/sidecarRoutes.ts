/**
 * A sidecar's outbound route configurations (istio/istio@1.29.3 `pilot/pkg/networking/core/httproute.go`
 * `buildSidecarOutboundHTTPRouteConfig`, `BuildSidecarOutboundVirtualHosts`, `selectVirtualServices`,
 * `buildCatchAllVirtualHost`; `route/route.go` `BuildSidecarVirtualHostWrapper`,
 * `separateVSHostsAndServices`, `buildSidecarVirtualHostForService`). The route configuration named after a
 * port (`"80"`) has one virtual host per service with an HTTP (or sniffed) port there: the VirtualService's
 * routes when one owns the host — the oldest VirtualService wins a host, and a wildcard host only takes the
 * services for which it is the most specific match — else a default route to `outbound|port||host`. Virtual
 * hosts are sorted by name and followed by `allow_any` (PassthroughCluster) or `block_all` (502).
 */
import type { Provenance } from '../../../envoy/config/core.js';
import type { Route, RouteConfiguration, VirtualHost } from '../../../envoy/config/route.js';
import { hostMatches, isWildcarded } from '../../model/host.js';
import { isHTTP, isSniffed } from '../../model/protocol.js';
import type { MeshService } from '../../model/registry/types.js';
import {
  ALLOW_ANY,
  BLOCK_ALL,
  buildSubsetKey,
  DEFAULT_ROUTE_NAME,
  domainName,
  MESH_GATEWAY,
  PASSTHROUGH_CLUSTER,
} from '../names.js';
import type { ProxyNode } from '../proxyNode.js';
import { addressForProxy } from '../serviceAddress.js';
import { egressListenerForRDS, type SidecarScope } from '../sidecarScope.js';
import type { VsConfig } from '../virtualServices.js';
import { generateVirtualHostDomains } from './domains.js';
import { buildHTTPRoutesForVirtualService, hashPolicyOf, type RouteOptions } from './translateRoute.js';
import { buildRetryPolicy } from '../trafficPolicy/buildRetryPolicy.js';
import type { IstioHTTPRetry } from '../trafficPolicy/types.js';

/** What building sidecar routes needs besides the proxy and its scope. */
export interface SidecarRouteContext {
  readonly proxy: ProxyNode;
  readonly scope: SidecarScope;
  readonly meshDefaultRetry?: IstioHTTPRetry;
  /** The DestinationRule consistent hash for a destination host/subset/port (`HashForHTTPDestination`). */
  readonly hashFor: RouteOptions['lookupHash'];
  /** The DestinationRule consistent hash for a service port (`hashForService`). */
  readonly serviceHashFor: (service: MeshService, port: number) => ReturnType<RouteOptions['lookupHash']>;
}

interface VirtualHostWrapper {
  readonly port: number;
  readonly services: readonly MeshService[];
  readonly virtualServiceHosts: readonly string[];
  readonly routes: readonly Route[];
  readonly source?: Provenance;
}

/** `BuildDefaultHTTPOutboundRoute`: prefix `/` to `cluster`, no timeout, Istio's default retries. */
export function defaultOutboundRoute(
  cluster: string,
  operation: string,
  meshDefaultRetry: IstioHTTPRetry | undefined,
  hash?: ReturnType<typeof hashPolicyOf>,
): Route {
  const retryPolicy = buildRetryPolicy(
    undefined,
    meshDefaultRetry !== undefined ? { meshDefaultHttpRetryPolicy: meshDefaultRetry } : {},
  );
  return {
    name: DEFAULT_ROUTE_NAME,
    match: { prefix: '/' },
    route: {
      cluster,
      timeout: '0s',
      ...(retryPolicy !== undefined ? { retryPolicy } : {}),
      ...(hash !== undefined ? { hashPolicy: [hash] } : {}),
      maxGrpcTimeout: '0s',
    },
    decorator: { operation },
  };
}

/** `buildSidecarOutboundHTTPRouteConfig` for the route named after `port` (a number). */
export function buildSidecarOutboundRouteConfig(ctx: SidecarRouteContext, routeName: string): RouteConfiguration {
  const listenerPort = Number(routeName);
  const vhosts = sidecarVirtualHosts(ctx, listenerPort).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  vhosts.push(catchAllVirtualHost(ctx.scope));
  return {
    name: routeName,
    virtualHosts: vhosts,
    validateClusters: false,
    maxDirectResponseBodySizeBytes: 1048576,
    ignorePortInHostMatching: true,
  };
}

/**
 * The route of a sniffed (unnamed-port) service listening on its own VIP, named `<host>:<port>`
 * (`getVirtualHostsForSniffedServicePort`): that service's virtual host only, answering every domain, and
 * no catch-all.
 */
export function sniffedServiceRouteConfig(ctx: SidecarRouteContext, routeName: string): RouteConfiguration {
  const colon = routeName.lastIndexOf(':');
  const host = routeName.slice(0, colon);
  let vhosts = sidecarVirtualHosts(ctx, Number(routeName.slice(colon + 1))).filter((vh) =>
    vh.domains.some((d) => d === routeName || d === host),
  );
  if (vhosts.length === 1) vhosts = [{ ...(vhosts[0] as VirtualHost), domains: ['*'] }];
  return {
    name: routeName,
    virtualHosts: vhosts,
    validateClusters: false,
    maxDirectResponseBodySizeBytes: 1048576,
    ignorePortInHostMatching: true,
  };
}

/** `buildCatchAllVirtualHost`: `allow_any` → PassthroughCluster, or `block_all` → direct 502. */
export function catchAllVirtualHost(scope: SidecarScope): VirtualHost {
  const source = { filterMetadata: { meshsim: { sources: [scope.outboundTrafficPolicySource] } } };
  if (scope.outboundTrafficPolicy === 'ALLOW_ANY') {
    return {
      name: ALLOW_ANY,
      domains: ['*'],
      routes: [
        {
          name: ALLOW_ANY,
          match: { prefix: '/' },
          route: { cluster: PASSTHROUGH_CLUSTER, timeout: '0s', maxGrpcTimeout: '0s' },
          metadata: source,
        },
      ],
      includeRequestAttemptCount: true,
    };
  }
  return {
    name: BLOCK_ALL,
    domains: ['*'],
    routes: [{ name: BLOCK_ALL, match: { prefix: '/' }, directResponse: { status: 502 }, metadata: source }],
    includeRequestAttemptCount: true,
  };
}

/** `BuildSidecarOutboundVirtualHosts` for one listener port (unsorted, without the catch-all). */
function sidecarVirtualHosts(ctx: SidecarRouteContext, listenerPort: number): VirtualHost[] {
  const egress = egressListenerForRDS(ctx.scope, listenerPort);
  if (egress === undefined) return [];
  const servicesByName = new Map<string, MeshService>();
  for (const svc of egress.services) {
    const p = svc.ports.find((x) => x.port === listenerPort);
    if (p === undefined) continue;
    const h = svc.hostname.toLowerCase();
    servicesByName.set(h, { ...svc, hostname: h, defaultAddress: addressForProxy(svc, ctx.proxy), ports: [p] });
  }
  let virtualServices: readonly VsConfig[] = egress.virtualServices;
  if (listenerPort !== 80) virtualServices = selectVirtualServices(virtualServices, servicesByName);
  const wrappers = virtualHostWrappers(
    ctx,
    servicesByName,
    virtualServices,
    listenerPort,
    egress.mostSpecificWildcardVsIndex,
  );

  const taken = new Set<string>();
  const takenDomains = new Set<string>();
  const knownFQDN = new Set<string>();
  for (const w of wrappers) for (const s of w.services) knownFQDN.add(domainName(s.hostname, w.port)).add(s.hostname);
  const out: VirtualHost[] = [];
  const build = (hostname: string, w: VirtualHostWrapper, svc: MeshService | undefined): void => {
    const name = domainName(hostname, w.port);
    if (taken.has(name)) return; // "duplicate domain": the first (oldest) owner keeps it
    taken.add(name);
    let domains: string[];
    let alt: string[] = [];
    if (svc === undefined) domains = [hostname.includes(':') ? `[${hostname}]` : hostname];
    else ({ domains, altHosts: alt } = generateVirtualHostDomains(svc, listenerPort, w.port, ctx.proxy));
    domains = domains.filter((d) => {
      if (takenDomains.has(d.toLowerCase())) return false;
      if (alt.includes(d) && knownFQDN.has(d)) return false;
      takenDomains.add(d.toLowerCase());
      return true;
    });
    if (domains.length === 0) return;
    out.push({
      name,
      domains,
      routes: [...w.routes],
      includeRequestAttemptCount: true,
      ...(w.source !== undefined ? { metadata: { filterMetadata: { meshsim: { sources: [w.source] } } } } : {}),
    });
  };
  for (const w of wrappers) {
    if (w.routes.length === 0 || w.port !== listenerPort) continue;
    for (const h of w.virtualServiceHosts) build(h.toLowerCase(), w, undefined);
    for (const s of w.services) build(s.hostname, w, s);
  }
  return out;
}

/** `selectVirtualServices`: those with a host that is, or matches, a service on this port. */
function selectVirtualServices(
  vses: readonly VsConfig[],
  servicesByName: ReadonlyMap<string, MeshService>,
): VsConfig[] {
  const wcSvc = [...servicesByName.keys()].filter(isWildcarded);
  return vses.filter((vs) =>
    (vs.spec.hosts ?? []).some((h) => {
      const lch = h.toLowerCase();
      if (servicesByName.has(lch)) return true;
      if (isWildcarded(lch)) return [...servicesByName.keys()].some((s) => hostMatches(lch, s));
      return wcSvc.some((s) => hostMatches(lch, s));
    }),
  );
}

/** `BuildSidecarVirtualHostWrapper`. */
function virtualHostWrappers(
  ctx: SidecarRouteContext,
  registry: Map<string, MeshService>,
  virtualServices: readonly VsConfig[],
  listenPort: number,
  wildcardIndex: ReadonlyMap<string, string>,
): VirtualHostWrapper[] {
  const out: VirtualHostWrapper[] = [];
  const mesh = new Set([MESH_GATEWAY]);
  for (const vs of virtualServices) {
    const opts: RouteOptions = {
      lookupService: (h) => registry.get(h),
      lookupHash: ctx.hashFor,
      ...(ctx.meshDefaultRetry !== undefined ? { meshDefaultRetry: ctx.meshDefaultRetry } : {}),
    };
    const routes = buildHTTPRoutesForVirtualService(ctx.proxy, vs, listenPort, mesh, opts);
    if (routes.length === 0) continue;
    const { hosts, services } = separateVSHostsAndServices(vs, registry, wildcardIndex);
    const byPort = new Map<number, MeshService[]>();
    for (const s of services) {
      for (const p of s.ports) {
        if (!isHTTP(p.protocol) && !isSniffed(p.protocol)) continue;
        const l = byPort.get(p.port);
        if (l === undefined) byPort.set(p.port, [s]);
        else l.push(s);
      }
    }
    if (byPort.size === 0 && listenPort === 80) byPort.set(80, []);
    const source = {
      kind: 'VirtualService',
      namespace: vs.namespace,
      name: vs.name,
      file: vs.object.source.file,
      line: vs.object.source.lineOf(['spec', 'hosts']),
      field: 'spec.hosts',
    };
    for (const [port, svcs] of byPort) out.push({ port, services: svcs, virtualServiceHosts: hosts, routes, source });
  }
  for (const w of out) for (const s of w.services) registry.delete(s.hostname);
  for (const svc of registry.values()) {
    if (svc.resolution === 'Alias') continue;
    for (const p of svc.ports) {
      if (!isHTTP(p.protocol) && !isSniffed(p.protocol)) continue;
      const cluster = buildSubsetKey('outbound', '', svc.hostname, p.port);
      const route = defaultOutboundRoute(
        cluster,
        `${svc.hostname}:${p.port}/*`,
        ctx.meshDefaultRetry,
        hashPolicyOf(ctx.serviceHashFor(svc, p.port)),
      );
      const source: Provenance = {
        kind: svc.kind,
        namespace: svc.namespace,
        name: svc.name,
        file: svc.source.file,
        line: svc.source.line,
      };
      out.push({
        port: p.port,
        services: [svc],
        virtualServiceHosts: [],
        routes: [{ ...route, metadata: { filterMetadata: { meshsim: { sources: [source] } } } }],
        source,
      });
    }
  }
  return out;
}

/** `separateVSHostsAndServices`: hosts without a service stay names; others map to services. */
function separateVSHostsAndServices(
  vs: VsConfig,
  registry: ReadonlyMap<string, MeshService>,
  wildcardIndex: ReadonlyMap<string, string>,
): { hosts: string[]; services: MeshService[] } {
  const hosts: string[] = [];
  const services: MeshService[] = [];
  const key = `${vs.namespace}/${vs.name}`;
  const wc: string[] = [];
  for (const h of vs.spec.hosts ?? []) {
    const lh = h.toLowerCase();
    if (isWildcarded(lh)) {
      wc.push(lh);
      continue;
    }
    const s = registry.get(lh);
    if (s !== undefined) services.push(s);
    else hosts.push(h);
  }
  for (const h of wc) {
    let found = false;
    for (const [svcHost, s] of registry) {
      if (!hostMatches(svcHost, h)) continue;
      found = true;
      if (wildcardIndex.get(svcHost) === key) services.push(s);
    }
    if (!found) hosts.push(h);
  }
  return { hosts, services };
}
