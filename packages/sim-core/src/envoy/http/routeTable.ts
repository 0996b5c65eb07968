/**
 * One route configuration as the connection manager uses it on every request: the virtual host for a
 * `:authority` (Envoy's `RouteMatcher::findVirtualHost`, cached per authority — a mesh sees a handful of
 * Host values), then the first matching route of that virtual host (`VirtualHostImpl::getRouteFromEntries`
 * with the stream id as the runtime-fraction random value), compiled once per configuration push.
 */
import type { HeaderMap } from '../common.js';
import type { RouteConfiguration, VirtualHost } from '../config/route.js';
import { compileRoute, type CompiledRoute } from '../router/compiledRoute.js';
import { matchRoute } from '../router/routeMatch.js';
import { findVirtualHost } from '../router/virtualHost.js';

/** The route a request got. */
export interface RouteSelection {
  readonly virtualHost: VirtualHost;
  readonly route: CompiledRoute;
  /** Index of the route in its virtual host. */
  readonly index: number;
}

const MAX_AUTHORITIES = 4096;

/** A route configuration compiled for the data path. */
export class RouteTable {
  readonly config: RouteConfiguration;
  private readonly vhostByAuthority = new Map<string, VirtualHost | null>();
  private readonly compiled = new Map<VirtualHost, CompiledRoute[]>();
  // One immutable selection per (virtual host, route), made once: a stream gets a shared handle, not a new object.
  private readonly selections = new Map<VirtualHost, readonly RouteSelection[]>();

  constructor(config: RouteConfiguration) {
    this.config = config;
  }

  /** The virtual host for this request (cached by `:authority`), or undefined (404 NR). */
  virtualHost(headers: HeaderMap): VirtualHost | undefined {
    if (this.config.vhostHeader !== undefined && this.config.vhostHeader !== '') {
      return findVirtualHost(this.config, headers)?.virtualHost;
    }
    const authority = headers[':authority'];
    const key = typeof authority === 'string' ? authority : '';
    let vh = this.vhostByAuthority.get(key);
    if (vh === undefined) {
      vh = findVirtualHost(this.config, headers)?.virtualHost ?? null;
      if (this.vhostByAuthority.size >= MAX_AUTHORITIES) this.vhostByAuthority.clear();
      this.vhostByAuthority.set(key, vh);
    }
    return vh ?? undefined;
  }

  /** The compiled routes of a virtual host, in order. */
  routesOf(vh: VirtualHost): readonly CompiledRoute[] {
    let list = this.compiled.get(vh);
    if (list === undefined) {
      list = (vh.routes ?? []).map(compileRoute);
      this.compiled.set(vh, list);
    }
    return list;
  }

  /** The first route of the virtual host that matches, given the stream's random value; undefined: 404 NR. */
  select(headers: HeaderMap, streamId: number): RouteSelection | undefined {
    const vh = this.virtualHost(headers);
    if (vh === undefined) return undefined;
    let list = this.selections.get(vh);
    if (list === undefined) {
      list = this.routesOf(vh).map((route, index): RouteSelection => Object.freeze({ virtualHost: vh, route, index }));
      this.selections.set(vh, list);
    }
    for (let i = 0; i < list.length; i++) {
      const s = list[i] as RouteSelection;
      if (matchRoute(s.route.route, headers, streamId)) return s;
    }
    return undefined;
  }
}
