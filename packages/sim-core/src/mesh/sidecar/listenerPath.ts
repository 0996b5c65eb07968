/**
 * What Envoy does with a new downstream connection, decided once per connection class and cached by the
 * proxy: the listener (the bound one, or the capture listener's original-destination hand-off), the
 * listener filters' view (TLS inspector, HTTP inspector), the filter chain, the TLS handshake (a chain
 * requiring a client certificate accepts only Istio mTLS), and the terminal network filter — the HTTP
 * connection manager or the TCP proxy. Uses envoy/listener (`selectListener`, `inspectConnection`,
 * `findFilterChain`), the same functions `meshsim route` explains with.
 */
import type { DownstreamConnection } from '../../envoy/listener/connection.js';
import { findFilterChain } from '../../envoy/listener/filterChainMatch.js';
import { inspectConnection } from '../../envoy/listener/listenerFilters.js';
import { selectListener } from '../../envoy/listener/listenerSelect.js';
import type {
  DownstreamTlsContext,
  FilterChain,
  HttpConnectionManager,
  Listener,
  TcpProxy,
} from '../../envoy/listener/types.js';

/** The outcome for a connection. */
export type ListenerPath =
  | {
      readonly kind: 'http';
      readonly listener: Listener;
      readonly chain: FilterChain;
      readonly chainName: string;
      readonly hcm: HttpConnectionManager;
      /** The chain terminates TLS (mTLS between sidecars, or a gateway's HTTPS). */
      readonly tls: boolean;
    }
  | {
      readonly kind: 'tcp';
      readonly listener: Listener;
      readonly chain: FilterChain;
      readonly chainName: string;
      readonly tcp: TcpProxy;
      readonly tls: boolean;
    }
  /** No listener takes it: the kernel answers the SYN with a RST. */
  | { readonly kind: 'refused' }
  /** Accepted, then closed by Envoy (no filter chain, or a handshake the chain refuses). */
  | {
      readonly kind: 'closed';
      readonly listener: Listener;
      readonly reason: 'no_filter_chain' | 'tls_required' | 'mtls_required' | 'not_tls' | 'no_network_filter';
    };

/** How a client speaks on the connection. */
export type ClientTransport = 'plaintext' | 'tls' | 'mtls';

function networkFilter(chain: FilterChain): { hcm: HttpConnectionManager } | { tcp: TcpProxy } | undefined {
  const filters = chain.filters;
  for (let i = filters.length - 1; i >= 0; i--) {
    const f = filters[i];
    if (f === undefined) continue;
    if (f.name === 'envoy.filters.network.http_connection_manager')
      return { hcm: f.typedConfig as HttpConnectionManager };
    if (f.name === 'envoy.filters.network.tcp_proxy') return { tcp: f.typedConfig as TcpProxy };
  }
  return undefined;
}

/**
 * The path of a connection through `listeners`. `capturePort` is the port iptables redirected the
 * connection to (15001/15006), absent for a gateway's bound listeners.
 */
export function listenerPath(
  listeners: readonly Listener[],
  conn: DownstreamConnection,
  transport: ClientTransport,
  capturePort: number | undefined,
): ListenerPath {
  const sel = selectListener(listeners, conn.destinationAddress, conn.destinationPort, capturePort);
  if (sel.listener === undefined) return { kind: 'refused' };
  const listener = sel.listener;
  const inspected = inspectConnection(sel.acceptedBy !== undefined ? [sel.acceptedBy, listener] : [listener], conn);
  const fc = findFilterChain(listener, inspected.socket);
  if (fc.chain === undefined) return { kind: 'closed', listener, reason: 'no_filter_chain' };
  const chain = fc.chain;
  const chainName = chain.name ?? (fc.usedDefaultChain ? `${listener.name} default chain` : `#${fc.index}`);
  const terminatesTls = chain.transportSocket !== undefined;
  if (terminatesTls) {
    if (transport === 'plaintext') return { kind: 'closed', listener, reason: 'tls_required' };
    const ctx = (chain.transportSocket?.typedConfig ?? {}) as DownstreamTlsContext;
    if ((ctx.requireClientCertificate === true) !== (transport === 'mtls')) {
      return { kind: 'closed', listener, reason: 'mtls_required' };
    }
  } else if (transport !== 'plaintext') {
    // TLS bytes reach a plaintext chain: a TCP proxy passes them through, an HTTP codec fails on them.
    const nf = networkFilter(chain);
    if (nf === undefined || 'hcm' in nf) return { kind: 'closed', listener, reason: 'not_tls' };
  }
  const nf = networkFilter(chain);
  if (nf === undefined) return { kind: 'closed', listener, reason: 'no_network_filter' };
  if ('hcm' in nf) return { kind: 'http', listener, chain, chainName, hcm: nf.hcm, tls: terminatesTls };
  return { kind: 'tcp', listener, chain, chainName, tcp: nf.tcp, tls: terminatesTls };
}
