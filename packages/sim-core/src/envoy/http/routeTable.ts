/**
 * One route configuration as the connection manager uses it on every request: the virtual host for a
 * `:authority` (Envoy's `RouteMatcher::findVirtualHost`, cached per authority — a mesh sees a handful of
 * Host values), then the first matching route of that virtual host (`VirtualHostImpl::getRouteFromEntries`
 * with the stream id as the runtime-fraction random value), compiled once per configuration push.
 */
import type { HeaderMap } from '../common.js';
import type { RouteConfiguration, VirtualHost } from '../config/route.js';
import { compileRoute, type CompiledRoute } from '../router/compiledRoute.js';
import { matchPlainPrefix, matchRoute } from '../router/routeMatch.js';
import { findVirtualHost } from '../router/virtualHost.js';

/** The route a request got. */
export interface RouteSelection {
  readonly virtualHost: VirtualHost;
  readonly route: CompiledRoute;
  /** Index of the route in its virtual host. */
  readonly index: number;
}

const MAX_AUTHORITIES = 4096;

// A virtual host with its route selections: one immutable selection per route, made once, so a stream gets
// a shared handle, not a new object.
interface VirtualHostEntry {
  readonly virtualHost: VirtualHost;
  readonly selections: readonly RouteSelection[];
}

/** A route configuration compiled for the data path. */
export class RouteTable {
  readonly config: RouteConfiguration;
  // Whether `vhost_header` names the header to pick the virtual host by (not `:authority`: no cache).
  private readonly byVhostHeader: boolean;
  // Per `:authority`, its virtual host's entry (null: none, 404 NR): one map lookup per stream.
  private readonly byAuthority = new Map<string, VirtualHostEntry | null>();
  private readonly entries = new Map<VirtualHost, VirtualHostEntry>();
  private readonly compiled = new Map<VirtualHost, CompiledRoute[]>();

  constructor(config: RouteConfiguration) {
    this.config = config;
    this.byVhostHeader = config.vhostHeader !== undefined && config.vhostHeader !== '';
  }

  /** The virtual host for this request (cached by `:authority`), or undefined (404 NR). */
  virtualHost(headers: HeaderMap): VirtualHost | undefined {
    return this.entryFor(headers)?.virtualHost;
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
    const entry = this.entryFor(headers);
    if (entry === undefined) return undefined;
    const list = entry.selections;
    for (let i = 0; i < list.length; i++) {
      const s = list[i] as RouteSelection;
      const prefix = s.route.plainPrefix;
      if (prefix !== undefined ? matchPlainPrefix(prefix, headers) : matchRoute(s.route.route, headers, streamId))
        return s;
    }
    return undefined;
  }

  private entryFor(headers: HeaderMap): VirtualHostEntry | undefined {
    if (this.byVhostHeader) return this.entryOf(findVirtualHost(this.config, headers)?.virtualHost);
    const authority = headers[':authority'];
    const key = typeof authority === 'string' ? authority : '';
    let entry = this.byAuthority.get(key);
    if (entry === undefined) {
      entry = this.entryOf(findVirtualHost(this.config, headers)?.virtualHost) ?? null;
      if (this.byAuthority.size >= MAX_AUTHORITIES) this.byAuthority.clear();
      this.byAuthority.set(key, entry);
    }
    return entry ?? undefined;
  }

  private entryOf(vh: VirtualHost | undefined): VirtualHostEntry | undefined {
    if (vh === undefined) return undefined;
    let entry = this.entries.get(vh);
    if (entry === undefined) {
      const selections = this.routesOf(vh).map((route, index): RouteSelection =>
        Object.freeze({ virtualHost: vh, route, index }),
      );
      entry = { virtualHost: vh, selections };
      this.entries.set(vh, entry);
    }
    return entry;
  }
}
