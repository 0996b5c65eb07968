/**
 * istiod's `filterChainOpts` and the helpers around it (istio/istio@1.29.3
 * `pilot/pkg/networking/core/listener.go` `toFilterChainMatch`, `isMatchAll`, `conflictsWith`;
 * `networkfilter.go` `buildOutboundNetworkFiltersWithSingleDestination`,
 * `buildOutboundNetworkFiltersWithWeightedClusters`, `buildNetworkFiltersStack`): a chain's match
 * criteria (SNI hosts, destination CIDRs, ALPN, transport protocol), and the TCP proxy to one cluster or
 * to weighted clusters.
 */
import type { Metadata } from '../../../envoy/config/core.js';
import type { CidrRange, FilterChainMatch, NetworkFilter, TcpProxy } from '../../../envoy/config/listener.js';
import { TCP_PROXY_TYPE, WellKnownFilters } from '../../../envoy/config/listener.js';
import type { HttpListenerOpts } from './hcm.js';

/** `filterChainOpts`. */
export interface FilterChainOpts {
  readonly sniHosts?: readonly string[];
  readonly destinationCIDRs?: readonly string[];
  readonly applicationProtocols?: readonly string[];
  readonly transportProtocol?: string;
  readonly metadata?: Metadata;
  /** A `DownstreamTlsContext` when the chain terminates TLS. */
  readonly tlsContext?: Readonly<Record<string, unknown>>;
  /** Set for an HTTP chain (the HCM is built when the listener is). */
  readonly http?: Omit<HttpListenerOpts, 'statPrefix'> & { readonly statPrefix?: string };
  /** Set for a TCP chain. */
  readonly networkFilters?: readonly NetworkFilter[];
}

/** `isMatchAll`: no SNI (or `*`), ALPN, transport or CIDR criteria. */
export function isMatchAll(c: FilterChainOpts): boolean {
  return (
    ((c.sniHosts ?? []).length === 0 || (c.sniHosts ?? []).includes('*')) &&
    (c.applicationProtocols ?? []).length === 0 &&
    (c.transportProtocol ?? '') === '' &&
    (c.destinationCIDRs ?? []).length === 0
  );
}

/** `util.ConvertAddressToCidr`: `10.0.0.1` → /32, `10.0.0.0/8` → /8. */
export function toCidr(addr: string): CidrRange {
  const [prefix = '', len] = addr.split('/');
  return { addressPrefix: prefix, prefixLen: len !== undefined ? Number(len) : prefix.includes(':') ? 128 : 32 };
}

/** `toFilterChainMatch`; undefined for a match-all chain. */
export function toFilterChainMatch(c: FilterChainOpts): FilterChainMatch | undefined {
  if (isMatchAll(c)) return undefined;
  const sni = c.sniHosts ?? [];
  const cidrs = [...(c.destinationCIDRs ?? [])]
    .sort()
    .map(toCidr)
    .filter((r) => r.addressPrefix !== '0.0.0.0');
  return {
    ...(sni.length > 0 && !sni.includes('*') ? { serverNames: [...sni].sort() } : {}),
    ...(cidrs.length > 0 ? { prefixRanges: cidrs } : {}),
    ...((c.transportProtocol ?? '') !== '' ? { transportProtocol: c.transportProtocol as string } : {}),
    ...((c.applicationProtocols ?? []).length > 0 ? { applicationProtocols: c.applicationProtocols as string[] } : {}),
  };
}

function maskedCidr(s: string): string | undefined {
  const r = toCidr(s);
  const parts = r.addressPrefix.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p)))
    return r.addressPrefix === '0.0.0.0' ? undefined : `${r.addressPrefix}/${r.prefixLen}`;
  const n =
    (((parts[0] as number) << 24) |
      ((parts[1] as number) << 16) |
      ((parts[2] as number) << 8) |
      (parts[3] as number)) >>>
    0;
  const len = r.prefixLen ?? 32;
  const masked = len === 0 ? 0 : (n & (~0 << (32 - len))) >>> 0;
  if (r.addressPrefix === '0.0.0.0') return undefined;
  return `${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}/${len}`;
}

/** `conflictsWith`: same transport, ALPN, SNI set (ignoring `*`) and masked CIDR set (ignoring 0.0.0.0). */
export function conflictsWith(a: FilterChainOpts, b: FilterChainOpts): boolean {
  if ((a.transportProtocol ?? '') !== (b.transportProtocol ?? '')) return false;
  const ap = a.applicationProtocols ?? [];
  const bp = b.applicationProtocols ?? [];
  if (ap.length !== bp.length || ap.some((x, i) => x !== bp[i])) return false;
  const set = (xs: readonly (string | undefined)[]): string =>
    [...new Set(xs.filter((x): x is string => x !== undefined && x !== '*'))].sort().join(',');
  if (set(a.sniHosts ?? []) !== set(b.sniHosts ?? [])) return false;
  return set((a.destinationCIDRs ?? []).map(maskedCidr)) === set((b.destinationCIDRs ?? []).map(maskedCidr));
}

/** A TCP proxy network filter. */
export function tcpProxyFilter(proxy: Omit<TcpProxy, '@type'>): NetworkFilter {
  return { name: WellKnownFilters.tcpProxy, typedConfig: { '@type': TCP_PROXY_TYPE, ...proxy } };
}

/** Istio's TCP metadata exchange network filter (inbound chains, and outbound ISTIO_MUTUAL gateways). */
export const TCP_METADATA_EXCHANGE: NetworkFilter = {
  name: 'istio.metadata_exchange',
  typedConfig: { '@type': 'type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange' },
};

/** Istio's TCP stats filter (`push.Telemetry.TCPFilters`). */
export const TCP_STATS: NetworkFilter = {
  name: 'istio.stats',
  typedConfig: { '@type': 'type.googleapis.com/stats.PluginConfig' },
};

/**
 * `buildCompleteNetworkFilters` + `buildNetworkFiltersStack`: metadata exchange (when asked), Istio stats,
 * then the TCP proxy (Mongo/Redis/MySQL protocol filters are off by default in istiod).
 */
export function completeNetworkFilters(tcp: NetworkFilter, includeMx: boolean): NetworkFilter[] {
  return includeMx ? [TCP_METADATA_EXCHANGE, TCP_STATS, tcp] : [TCP_STATS, tcp];
}
