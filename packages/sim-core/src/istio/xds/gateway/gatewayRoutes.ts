/**
 * A gateway's route configurations (istio/istio@1.29.3 `pilot/pkg/networking/core/gateway.go`
 * `buildGatewayHTTPRouteConfig`, `buildNameToServiceMapForHTTPRoutes`, `collapseDuplicateRoutes`). For each
 * server behind the route name, every VirtualService bound to its Gateway whose hosts intersect the
 * server's hosts contributes its routes to one virtual host per intersecting host (`<host>:<port>`): hosts
 * shared by several VirtualServices merge their routes (catch-all routes moved last); `httpsRedirect`
 * requires TLS; virtual hosts with the very same route lists collapse into one; nothing bound gives
 * `blackhole:<port>` with no routes (404).
 */
import type { Route, RouteConfiguration, VirtualHost } from '../../../envoy/config/route.js';
import { hostSubsetOf } from '../../model/host.js';
import type { MeshService } from '../../model/registry/types.js';
import { domainName } from '../names.js';
import type { ProxyNode } from '../proxyNode.js';
import type { PushContext } from '../pushContext.js';
import { isCatchAllMatch } from '../route/routeMatch.js';
import { buildHTTPRoutesForVirtualService, type RouteOptions } from '../route/translateRoute.js';
import type { SidecarScope } from '../sidecarScope.js';
import type { IstioHTTPRetry } from '../trafficPolicy/types.js';
import type { MergedGateway } from './mergeGateways.js';

/** What gateway routes are built from. */
export interface GatewayRouteContext {
  readonly ps: PushContext;
  readonly proxy: ProxyNode;
  readonly scope: SidecarScope;
  readonly merged: MergedGateway;
  readonly meshDefaultRetry?: IstioHTTPRetry;
  readonly hashFor: RouteOptions['lookupHash'];
}

/** `host.NamesForNamespace`: server hosts usable by a VirtualService in `namespace`, namespaces stripped. */
function namesForNamespace(hosts: readonly string[], namespace: string): string[] {
  const out: string[] = [];
  for (const h of hosts) {
    const slash = h.indexOf('/');
    if (slash < 0) out.push(h);
    else if (h.slice(0, slash) === namespace || h.slice(0, slash) === '*') out.push(h.slice(slash + 1));
  }
  return out;
}

/** `Names.Intersection`: for each matching pair, the narrower name. */
export function hostIntersection(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  for (const x of a) {
    for (const y of b) {
      const pick = hostSubsetOf(x, y) ? x : hostSubsetOf(y, x) ? y : undefined;
      if (pick !== undefined && !out.includes(pick)) out.push(pick);
    }
  }
  return out;
}

interface VhostDraft {
  name: string;
  domains: string[];
  routes: Route[];
  /** Identity of the route lists appended, for `collapseDuplicateRoutes`. */
  routeIds: string[];
  requireTls?: 'ALL';
}

/** `buildGatewayHTTPRouteConfig(node, push, routeName)`. */
export function buildGatewayRouteConfig(ctx: GatewayRouteContext, routeName: string): RouteConfiguration {
  const servers = ctx.merged.serversByRouteName.get(routeName);
  if (servers === undefined || servers.length === 0)
    return { name: routeName, virtualHosts: [], validateClusters: false };
  const cache = new Map<string, Route[] | null>();
  const dedup = new Map<string, VhostDraft>();
  for (const gs of servers) {
    const port = gs.server.port.number;
    const redirect = gs.server.tls?.httpsRedirect === true;
    for (const vs of ctx.ps.virtualServicesForGateway(ctx.proxy.namespace, gs.gatewayName)) {
      const intersecting = hostIntersection(namesForNamespace(gs.server.hosts, vs.namespace), vs.spec.hosts ?? []);
      if (intersecting.length === 0) continue;
      const key = `${gs.gatewayName}|${vs.namespace}/${vs.name}`;
      let routes = cache.get(key);
      if (routes === undefined) {
        const services = nameToServiceMap(ctx, vs.namespace, vs.spec);
        const opts: RouteOptions = {
          lookupService: (h) => services.get(h),
          lookupHash: ctx.hashFor,
          isTLS: gs.server.tls !== undefined,
          ...(ctx.meshDefaultRetry !== undefined ? { meshDefaultRetry: ctx.meshDefaultRetry } : {}),
        };
        const built = buildHTTPRoutesForVirtualService(ctx.proxy, vs, port, new Set([gs.gatewayName]), opts);
        routes = built.length === 0 ? null : built;
        cache.set(key, routes);
      }
      if (routes === null) continue; // "omitting routes for virtual service": no route matched
      for (const raw of intersecting) {
        const h = raw.toLowerCase();
        const existing = dedup.get(h);
        if (existing !== undefined) {
          existing.routes.push(...routes);
          existing.routeIds.push(key);
          if (redirect) existing.requireTls = 'ALL';
        } else {
          dedup.set(h, {
            name: domainName(h, port),
            domains: [h],
            routes: [...routes],
            routeIds: [key],
            ...(redirect ? { requireTls: 'ALL' as const } : {}),
          });
        }
      }
    }
    if (redirect) {
      for (const raw of gs.server.hosts) {
        const h = raw.toLowerCase();
        const existing = dedup.get(h);
        if (existing !== undefined) existing.requireTls = 'ALL';
        else dedup.set(h, { name: domainName(h, port), domains: [h], routes: [], routeIds: [], requireTls: 'ALL' });
      }
    }
  }
  let vhosts: VirtualHost[];
  if (dedup.size === 0) {
    vhosts = [{ name: domainName('blackhole', servers[0]?.server.port.number ?? 0), domains: ['*'], routes: [] }];
  } else {
    vhosts = collapse(dedup).map((v) => ({
      name: v.name,
      domains: v.domains,
      routes: sortVHostRoutes(v.routes),
      includeRequestAttemptCount: true,
      ...(v.requireTls !== undefined ? { requireTls: v.requireTls } : {}),
    }));
  }
  vhosts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    name: routeName,
    virtualHosts: vhosts,
    validateClusters: false,
    ignorePortInHostMatching: true,
    maxDirectResponseBodySizeBytes: 1048576,
  };
}

/** `collapseDuplicateRoutes`: hostnames in order; a vhost with the same route lists joins the first. */
function collapse(input: ReadonlyMap<string, VhostDraft>): VhostDraft[] {
  const out: VhostDraft[] = [];
  const known = new Map<string, VhostDraft>();
  for (const h of [...input.keys()].sort()) {
    const vh = input.get(h) as VhostDraft;
    const id = vh.routeIds.join('\u0000');
    const first = known.get(id);
    if (first !== undefined && first.requireTls === vh.requireTls) first.domains.push(...vh.domains);
    else {
      known.set(id, vh);
      out.push(vh);
    }
  }
  return out;
}

/** `SortVHostRoutes`: catch-all routes after the others, each group in order. */
export function sortVHostRoutes(routes: readonly Route[]): Route[] {
  return [...routes.filter((r) => !isCatchAllMatch(r.match)), ...routes.filter((r) => isCatchAllMatch(r.match))];
}

/** `buildNameToServiceMapForHTTPRoutes`: the VirtualService's namespace first, else the gateway's scope. */
function nameToServiceMap(
  ctx: GatewayRouteContext,
  vsNamespace: string,
  spec: {
    readonly http?: readonly {
      readonly route?: readonly { readonly destination: { readonly host: string } }[];
      readonly mirror?: { readonly host: string };
      readonly mirrors?: readonly { readonly destination?: { readonly host: string } }[];
    }[];
  },
): Map<string, MeshService | undefined> {
  const out = new Map<string, MeshService | undefined>();
  const add = (host: string): void => {
    if (out.has(host)) return;
    const s = ctx.ps.hostnameAndNamespace.get(host)?.get(vsNamespace);
    out.set(
      host,
      s !== undefined && ctx.ps.isServiceVisible(s, ctx.proxy.namespace) ? s : ctx.scope.servicesByHostname.get(host),
    );
  };
  for (const h of spec.http ?? []) {
    if (h.mirror !== undefined) add(h.mirror.host);
    for (const m of h.mirrors ?? []) if (m.destination !== undefined) add(m.destination.host);
    for (const r of h.route ?? []) add(r.destination.host);
  }
  return out;
}
