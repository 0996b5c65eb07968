/**
 * Turning an outbound listener entry into an Envoy listener (istio/istio@1.29.3
 * `pilot/pkg/networking/core/listener.go` `buildListenerFromEntry`, `listener_builder.go`
 * `buildOutboundCatchAllNetworkFiltersOnly`, `blackholeFilterChain`, `buildVirtualOutboundListener`):
 * TLS / HTTP inspectors when a chain needs SNI or ALPN, HTTP chains with their connection manager, a
 * match-all chain as the default chain, and otherwise `PassthroughFilterChain` → PassthroughCluster
 * (ALLOW_ANY) or BlackHoleCluster (REGISTRY_ONLY) as the default. `virtualOutbound` (15001) hands
 * connections to these listeners by original destination and black-holes direct connections to 15001.
 */
import type { Metadata, Provenance } from '../../../envoy/config/core.js';
import type { FilterChain, Listener, ListenerFilter, NetworkFilter } from '../../../envoy/config/listener.js';
import { WellKnownFilters } from '../../../envoy/config/listener.js';
import type { Protocol } from '../../model/protocol.js';
import {
  BLACKHOLE_CLUSTER,
  delimitedStatsPrefix,
  listenerName,
  PASSTHROUGH_CLUSTER,
  PASSTHROUGH_FILTER_CHAIN,
  VIRTUAL_OUTBOUND,
  VIRTUAL_OUTBOUND_BLACKHOLE,
  VIRTUAL_OUTBOUND_CATCH_ALL_TCP,
} from '../names.js';
import { hcmFilter } from './hcm.js';
import { isMatchAll, TCP_STATS, tcpProxyFilter, toFilterChainMatch, type FilterChainOpts } from './filterChainOpts.js';

/** `outboundListenerEntry`. */
export interface OutboundListenerEntry {
  readonly port: number;
  readonly bind: string;
  readonly bindToPort: boolean;
  locked: boolean;
  chains: FilterChainOpts[];
  protocol: Protocol;
  /** The services (or Sidecar egress entry) that produced the listener. */
  readonly sources: Provenance[];
}

/** The TLS inspector as istiod configures it. */
export const TLS_INSPECTOR: ListenerFilter = {
  name: WellKnownFilters.tlsInspector,
  typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector' },
};
/** The HTTP inspector. */
export const HTTP_INSPECTOR: ListenerFilter = {
  name: WellKnownFilters.httpInspector,
  typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.listener.http_inspector.v3.HttpInspector' },
};
/** The original destination listener filter. */
export const ORIGINAL_DST: ListenerFilter = {
  name: WellKnownFilters.originalDst,
  typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst' },
};

/** `buildOutboundCatchAllNetworkFiltersOnly`: stats + TCP proxy to PassthroughCluster or BlackHoleCluster. */
export function catchAllNetworkFilters(mode: 'ALLOW_ANY' | 'REGISTRY_ONLY'): NetworkFilter[] {
  const cluster = mode === 'ALLOW_ANY' ? PASSTHROUGH_CLUSTER : BLACKHOLE_CLUSTER;
  return [TCP_STATS, tcpProxyFilter({ statPrefix: cluster, cluster })];
}

function sourcesMetadata(sources: readonly Provenance[]): Metadata | undefined {
  return sources.length > 0 ? { filterMetadata: { meshsim: { sources } } } : undefined;
}

/** `buildListenerFromEntry`. */
export function buildListenerFromEntry(
  entry: OutboundListenerEntry,
  mode: 'ALLOW_ANY' | 'REGISTRY_ONLY',
  protocolDetectionTimeout: string,
  modeSource: Provenance,
): Listener {
  const name = listenerName(entry.bind, entry.port);
  const needTls = entry.chains.some(
    (c) =>
      (c.sniHosts ?? []).length > 0 ||
      (c.tlsContext !== undefined &&
        Array.isArray((c.tlsContext['commonTlsContext'] as { alpnProtocols?: unknown } | undefined)?.alpnProtocols)),
  );
  const needHttp = entry.chains.some((c) => (c.applicationProtocols ?? []).length > 0);
  const listenerFilters = [...(needTls ? [TLS_INSPECTOR] : []), ...(needHttp ? [HTTP_INSPECTOR] : [])];
  const chains: FilterChain[] = [];
  let defaultChain: FilterChain | undefined;
  for (const opt of entry.chains) {
    const filters: NetworkFilter[] =
      opt.http === undefined
        ? [...(opt.networkFilters ?? [])]
        : [
            ...(opt.networkFilters ?? []),
            hcmFilter({ ...opt.http, statPrefix: delimitedStatsPrefix(`outbound_${name}`) }),
          ];
    const chain: FilterChain = { filters, ...(opt.metadata !== undefined ? { metadata: opt.metadata } : {}) };
    if (isMatchAll(opt)) defaultChain = chain;
    else {
      const m = toFilterChainMatch(opt);
      chains.push({ ...(m !== undefined ? { filterChainMatch: m } : {}), ...chain });
    }
  }
  let filterChains: FilterChain[] = chains;
  if (defaultChain !== undefined && chains.length === 0) {
    filterChains = [defaultChain];
    defaultChain = undefined;
  } else if (defaultChain === undefined) {
    defaultChain = {
      filterChainMatch: {},
      name: PASSTHROUGH_FILTER_CHAIN,
      filters: catchAllNetworkFilters(mode),
      metadata: { filterMetadata: { meshsim: { sources: [modeSource] } } },
    };
  }
  const metadata = sourcesMetadata(entry.sources);
  return {
    name,
    address: { socketAddress: { address: entry.bind, portValue: entry.port } },
    filterChains,
    ...(defaultChain !== undefined ? { defaultFilterChain: defaultChain } : {}),
    ...(listenerFilters.length > 0 ? { listenerFilters } : {}),
    listenerFiltersTimeout: needHttp ? protocolDetectionTimeout : '0s',
    continueOnListenerFiltersTimeout: true,
    ...(entry.bindToPort ? {} : { bindToPort: false }),
    trafficDirection: 'OUTBOUND',
    ...(metadata !== undefined ? { metadata } : {}),
  };
}

/** `buildVirtualOutboundListener`: 0.0.0.0:15001, `use_original_dst`, loop protection, catch-all. */
export function buildVirtualOutboundListener(
  port: number,
  mode: 'ALLOW_ANY' | 'REGISTRY_ONLY',
  tproxy: boolean,
  modeSource: Provenance,
): Listener {
  return {
    name: VIRTUAL_OUTBOUND,
    address: { socketAddress: { address: '0.0.0.0', portValue: port } },
    ...(tproxy ? { transparent: true } : {}),
    useOriginalDst: true,
    filterChains: [
      {
        name: VIRTUAL_OUTBOUND_BLACKHOLE,
        filterChainMatch: { destinationPort: port },
        filters: [TCP_STATS, tcpProxyFilter({ statPrefix: BLACKHOLE_CLUSTER, cluster: BLACKHOLE_CLUSTER })],
      },
      {
        name: VIRTUAL_OUTBOUND_CATCH_ALL_TCP,
        filters: catchAllNetworkFilters(mode),
        metadata: { filterMetadata: { meshsim: { sources: [modeSource] } } },
      },
    ],
    trafficDirection: 'OUTBOUND',
  };
}
