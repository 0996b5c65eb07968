/**
 * The listener shapes the connection matcher reads: Envoy's v3 API in proto3 JSON spelling
 * (`envoy.config.listener.v3`, `envoy.config.core.v3`), as typed in `envoy/config/listener.ts`, plus the
 * part of the downstream TLS context that decides whether a handshake succeeds.
 */
import { WellKnownFilters } from '../config/listener.js';

export type {
  Address,
  CidrRange as CidrRangeConfig,
  FilterChain,
  FilterChainMatch,
  HttpConnectionManager,
  Listener,
  ListenerFilter,
  ListenerFilterChainMatchPredicate,
  NetworkFilter,
  Rds,
  SocketAddress,
  TcpProxy,
  TransportSocket,
} from '../config/listener.js';

/** `FilterChainMatch.ConnectionSourceType`. @defaultValue `'ANY'` */
export type ConnectionSourceType = 'ANY' | 'SAME_IP_OR_LOOPBACK' | 'EXTERNAL';

/**
 * The part of `envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext` that decides acceptance:
 * a chain with `requireClientCertificate` only completes handshakes with clients that present one.
 */
export interface DownstreamTlsContext {
  readonly '@type'?: string;
  readonly commonTlsContext?: {
    readonly tlsCertificateSdsSecretConfigs?: readonly { readonly name: string }[];
    readonly alpnProtocols?: readonly string[];
  };
  /** @defaultValue false */
  readonly requireClientCertificate?: boolean;
}

/** Envoy's registered filter names (re-exported from `envoy/config/listener.ts`). */
export const FilterNames = WellKnownFilters;
