/**
 * The typed subset of `envoy.config.listener.v3` and of the network filters istiod puts in filter chains
 * (HTTP connection manager, TCP proxy), in the proto3 JSON spelling Envoy's `config_dump` uses. The
 * connection matcher (`envoy/listener`) reads a structural subset of these shapes.
 */
import type { ProtoDuration } from '../common.js';
import type { Address, Metadata, TransportSocket } from './core.js';
import type { RouteConfiguration } from './route.js';

export type { Address, SocketAddress, TransportSocket } from './core.js';

/** `envoy.config.core.v3.CidrRange`. */
export interface CidrRange {
  readonly addressPrefix: string;
  readonly prefixLen?: number;
}

/**
 * `envoy.config.listener.v3.FilterChainMatch`. Envoy narrows the chains in this order: destination port,
 * destination IP (longest prefix), server name, transport protocol, application protocols, source…
 */
export interface FilterChainMatch {
  readonly destinationPort?: number;
  readonly prefixRanges?: readonly CidrRange[];
  readonly serverNames?: readonly string[];
  /** `raw_buffer` or `tls` (set by the TLS inspector). */
  readonly transportProtocol?: string;
  readonly applicationProtocols?: readonly string[];
  readonly sourcePrefixRanges?: readonly CidrRange[];
  readonly directSourcePrefixRanges?: readonly CidrRange[];
  readonly sourceType?: 'ANY' | 'SAME_IP_OR_LOOPBACK' | 'EXTERNAL';
  readonly sourcePorts?: readonly number[];
}

/** `envoy.config.core.v3.ConfigSource` as istiod writes it for RDS: ADS, no initial fetch timeout. */
export interface ConfigSource {
  readonly ads?: Readonly<Record<string, never>>;
  readonly initialFetchTimeout?: ProtoDuration;
  readonly resourceApiVersion?: 'V3';
}

/** `envoy.extensions.filters.network.http_connection_manager.v3.Rds`. */
export interface Rds {
  readonly configSource?: ConfigSource;
  readonly routeConfigName: string;
}

/** `HttpConnectionManager.HttpFilter`. */
export interface HttpFilter {
  readonly name: string;
  readonly typedConfig?: Readonly<Record<string, unknown>>;
}

/** The `@type` of the HTTP connection manager's typed config. */
export const HCM_TYPE =
  'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
/** The `@type` of the TCP proxy's typed config. */
export const TCP_PROXY_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy';

/** `envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`: route by RDS or inline. */
export interface HttpConnectionManager {
  readonly '@type': typeof HCM_TYPE;
  readonly statPrefix: string;
  readonly rds?: Rds;
  readonly routeConfig?: RouteConfiguration;
  readonly httpFilters: readonly HttpFilter[];
  /** @defaultValue `'AUTO'` */
  readonly codecType?: 'AUTO' | 'HTTP1' | 'HTTP2' | 'HTTP3';
  /** Sidecars: false (trust the app's `x-envoy-*` headers); gateways: true. */
  readonly useRemoteAddress?: boolean;
  readonly normalizePath?: boolean;
  /** Collapse runs of `/` in `:path` before routing. @defaultValue false */
  readonly mergeSlashes?: boolean;
  readonly pathWithEscapedSlashesAction?:
    'KEEP_UNCHANGED' | 'UNESCAPE_AND_FORWARD' | 'REJECT_REQUEST' | 'UNESCAPE_AND_REDIRECT';
  readonly upgradeConfigs?: readonly { readonly upgradeType: string }[];
  /** istiod sets `"0s"`: streams never time out for idleness. */
  readonly streamIdleTimeout?: ProtoDuration;
  readonly forwardClientCertDetails?:
    'SANITIZE' | 'FORWARD_ONLY' | 'APPEND_FORWARD' | 'SANITIZE_SET' | 'ALWAYS_FORWARD_ONLY';
  readonly http2ProtocolOptions?: Readonly<Record<string, unknown>>;
  readonly serverName?: string;
  readonly xffNumTrustedHops?: number;
}

/** `TcpProxy.WeightedCluster`. */
export interface TcpWeightedCluster {
  readonly clusters: readonly { readonly name: string; readonly weight: number }[];
}

/** `envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy`: one cluster or weighted clusters. */
export interface TcpProxy {
  readonly '@type': typeof TCP_PROXY_TYPE;
  readonly statPrefix: string;
  readonly cluster?: string;
  readonly weightedClusters?: TcpWeightedCluster;
  readonly idleTimeout?: ProtoDuration;
  readonly maxDownstreamConnectionDuration?: ProtoDuration;
  readonly hashPolicy?: readonly { readonly sourceIp: Readonly<Record<string, never>> }[];
}

/** `envoy.config.listener.v3.Filter` (network filter). */
export interface NetworkFilter {
  readonly name: string;
  readonly typedConfig?: HttpConnectionManager | TcpProxy | Readonly<Record<string, unknown>>;
}

/** `envoy.config.listener.v3.FilterChain`. */
export interface FilterChain {
  readonly name?: string;
  readonly filterChainMatch?: FilterChainMatch;
  readonly filters: readonly NetworkFilter[];
  readonly transportSocket?: TransportSocket;
  readonly metadata?: Metadata;
}

/** `envoy.config.listener.v3.ListenerFilterChainMatchPredicate` (for `filterDisabled`). */
export interface ListenerFilterChainMatchPredicate {
  readonly orMatch?: { readonly rules: readonly ListenerFilterChainMatchPredicate[] };
  readonly andMatch?: { readonly rules: readonly ListenerFilterChainMatchPredicate[] };
  readonly notMatch?: ListenerFilterChainMatchPredicate;
  readonly anyMatch?: boolean;
  /** Half-open `[start, end)`. */
  readonly destinationPortRange?: { readonly start: number; readonly end: number };
}

/** `envoy.config.listener.v3.ListenerFilter`. */
export interface ListenerFilter {
  readonly name: string;
  readonly typedConfig?: Readonly<Record<string, unknown>>;
  readonly filterDisabled?: ListenerFilterChainMatchPredicate;
}

/** `envoy.config.listener.v3.Listener`. @defaultValue bindToPort true, useOriginalDst false */
export interface Listener {
  readonly name: string;
  readonly address: Address;
  readonly additionalAddresses?: readonly { readonly address: Address }[];
  readonly filterChains: readonly FilterChain[];
  readonly defaultFilterChain?: FilterChain;
  readonly listenerFilters?: readonly ListenerFilter[];
  readonly listenerFiltersTimeout?: ProtoDuration;
  readonly continueOnListenerFiltersTimeout?: boolean;
  readonly useOriginalDst?: boolean;
  /** istiod: false for listeners only reached through `useOriginalDst` hand-off. */
  readonly bindToPort?: boolean;
  readonly transparent?: boolean;
  readonly trafficDirection?: 'UNSPECIFIED' | 'INBOUND' | 'OUTBOUND';
  /** Bootstrap listeners (15021, 15090): not counted against the global downstream connection limit. */
  readonly ignoreGlobalConnLimit?: boolean;
  readonly bypassOverloadManager?: boolean;
  readonly metadata?: Metadata;
}

/** Envoy's registered names of the filters istiod uses. */
export const WellKnownFilters = {
  tlsInspector: 'envoy.filters.listener.tls_inspector',
  httpInspector: 'envoy.filters.listener.http_inspector',
  originalDst: 'envoy.filters.listener.original_dst',
  originalSrc: 'envoy.filters.listener.original_src',
  httpConnectionManager: 'envoy.filters.network.http_connection_manager',
  tcpProxy: 'envoy.filters.network.tcp_proxy',
  mongoProxy: 'envoy.filters.network.mongo_proxy',
  mysqlProxy: 'envoy.filters.network.mysql_proxy',
  redisProxy: 'envoy.filters.network.redis_proxy',
  tlsTransportSocket: 'envoy.transport_sockets.tls',
  fault: 'envoy.filters.http.fault',
  cors: 'envoy.filters.http.cors',
  router: 'envoy.filters.http.router',
} as const;
