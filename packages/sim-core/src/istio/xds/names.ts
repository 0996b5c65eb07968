/**
 * The names istiod gives Envoy objects (istio/istio@1.29.3 `pilot/pkg/model/service.go` `BuildSubsetKey`,
 * `ParseSubsetKey`, `BuildInboundSubsetKey`, `BuildDNSSrvSubsetKey`; `pilot/pkg/networking/util/util.go`
 * constants; `pilot/pkg/model/sidecar.go` listener names; `core/gateway.go` `getListenerName`).
 */

/** Envoy's passthrough cluster for unknown outbound destinations (ALLOW_ANY). */
export const PASSTHROUGH_CLUSTER = 'PassthroughCluster';
/** The cluster that drops everything (REGISTRY_ONLY, loop protection). */
export const BLACKHOLE_CLUSTER = 'BlackHoleCluster';
/** The cluster for inbound traffic to ports no Service declares. */
export const INBOUND_PASSTHROUGH_CLUSTER = 'InboundPassthroughCluster';
/** The catch-all outbound virtual host / route name with ALLOW_ANY (`util.Passthrough`). */
export const ALLOW_ANY = 'allow_any';
/** The catch-all outbound virtual host / route name with REGISTRY_ONLY (`util.BlackHole`). */
export const BLOCK_ALL = 'block_all';
/** `model.VirtualOutboundListenerName`. */
export const VIRTUAL_OUTBOUND = 'virtualOutbound';
/** `model.VirtualInboundListenerName`. */
export const VIRTUAL_INBOUND = 'virtualInbound';
/** `model.VirtualOutboundCatchAllTCPFilterChainName`. */
export const VIRTUAL_OUTBOUND_CATCH_ALL_TCP = 'virtualOutbound-catchall-tcp';
/** `model.VirtualOutboundBlackholeFilterChainName`. */
export const VIRTUAL_OUTBOUND_BLACKHOLE = 'virtualOutbound-blackhole';
/** `model.VirtualInboundBlackholeFilterChainName`. */
export const VIRTUAL_INBOUND_BLACKHOLE = 'virtualInbound-blackhole';
/** `model.VirtualInboundCatchAllHTTPFilterChainName`. */
export const VIRTUAL_INBOUND_CATCH_ALL_HTTP = 'virtualInbound-catchall-http';
/** `util.PassthroughFilterChain`: the default chain of outbound listeners. */
export const PASSTHROUGH_FILTER_CHAIN = 'PassthroughFilterChain';
/** `route.DefaultRouteName`. */
export const DEFAULT_ROUTE_NAME = 'default';
/** `constants.IstioMeshGateway`. */
export const MESH_GATEWAY = 'mesh';

/** `model.TrafficDirection`. */
export type TrafficDirection = 'inbound' | 'outbound';

/** `BuildSubsetKey`: `direction|port|subset|hostname`, e.g. `outbound|80||nginx.sidecar.svc.cluster.local`. */
export function buildSubsetKey(direction: TrafficDirection, subset: string, hostname: string, port: number): string {
  return `${direction}|${port}|${subset}|${hostname}`;
}

/** `BuildInboundSubsetKey`: `inbound|<port>||`. */
export function buildInboundSubsetKey(port: number): string {
  return buildSubsetKey('inbound', '', '', port);
}

/** `BuildDNSSrvSubsetKey`: the SNI form `outbound_.80_.v1_.reviews.default.svc.cluster.local`. */
export function buildDNSSrvSubsetKey(
  direction: TrafficDirection,
  subset: string,
  hostname: string,
  port: number,
): string {
  return `${direction}_.${port}_.${subset}_.${hostname}`;
}

/** A parsed `direction|port|subset|host` cluster name. */
export interface SubsetKey {
  readonly direction: string;
  readonly port: number;
  readonly subset: string;
  readonly hostname: string;
}

/** `ParseSubsetKey` (also the `_.`-separated SNI form); undefined for names with fewer than 4 parts. */
export function parseSubsetKey(name: string): SubsetKey | undefined {
  const parts = name.includes('|') ? name.split('|') : name.split('_.');
  if (parts.length < 4) return undefined;
  const [direction = '', port = '', subset = '', ...rest] = parts;
  const n = Number(port);
  return { direction, port: Number.isInteger(n) ? n : 0, subset, hostname: rest.join('|') };
}

/** `model.IsValidSubsetKey`: a `|`-separated name with 4 parts. */
export function isValidSubsetKey(name: string): boolean {
  return name.split('|').length === 4;
}

/** `getListenerName(bind, port, TCP)`: `0.0.0.0_80`, `10.96.0.10_53`. */
export function listenerName(bind: string, port: number): string {
  return `${bind}_${port}`;
}

/** `util.DomainName`: `host:port` (`net.JoinHostPort`, so IPv6 gets brackets). */
export function domainName(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `util.DelimitedStatsPrefix`: istiod ends stat prefixes with `;` so Envoy does not need to split them. */
export function delimitedStatsPrefix(prefix: string): string {
  return `${prefix};`;
}
