/**
 * Listener filters that inspect a new connection before a filter chain is chosen, and what they learn:
 * - `envoy.filters.listener.tls_inspector` (source/extensions/filters/listener/tls_inspector): on a TLS
 *   ClientHello it sets the transport protocol `tls`, the requested server name (SNI, lower-cased) and
 *   the ALPN list; on plaintext it learns nothing.
 * - `envoy.filters.listener.http_inspector` (source/extensions/filters/listener/http_inspector): on
 *   plaintext that parses as HTTP/1.x it sets ALPN `http/1.1`, on the HTTP/2 preface `h2c`; it does
 *   nothing once a transport protocol other than `raw_buffer` was detected.
 * - when no filter detected a transport protocol, Envoy sets `raw_buffer`
 *   (`ActiveTcpSocket::newConnection`).
 * A filter whose `filter_disabled` predicate matches the connection does not run
 * (`ListenerFilterMatcher`, source/common/network/filter_matcher.cc; Istio disables the HTTP inspector
 * on ports it knows are not HTTP).
 */
import type { DownstreamConnection, SocketProperties } from './connection.js';
import { FilterNames, type Listener, type ListenerFilterChainMatchPredicate } from './types.js';

/** Whether a `filter_disabled` predicate matches a connection to `port`. */
export function evaluatePredicate(p: ListenerFilterChainMatchPredicate, port: number): boolean {
  if (p.anyMatch === true) return true;
  if (p.orMatch !== undefined) return p.orMatch.rules.some((r) => evaluatePredicate(r, port));
  if (p.andMatch !== undefined) return p.andMatch.rules.every((r) => evaluatePredicate(r, port));
  if (p.notMatch !== undefined) return !evaluatePredicate(p.notMatch, port);
  if (p.destinationPortRange !== undefined) {
    const { start = 0, end = 0 } = p.destinationPortRange;
    return port >= start && port < end;
  }
  return false;
}

/** Whether listener filter `name` runs for a connection to `port` on this listener. */
export function listenerFilterRuns(listener: Listener, name: string, port: number): boolean {
  const f = listener.listenerFilters?.find((lf) => lf.name === name);
  if (f === undefined) return false;
  return f.filterDisabled === undefined || !evaluatePredicate(f.filterDisabled, port);
}

/** What the listener filters learned, and which of them ran. */
export interface InspectionResult {
  readonly socket: SocketProperties;
  readonly tlsInspector: boolean;
  readonly httpInspector: boolean;
}

/**
 * Runs the inspectors of the listeners a connection passes through (the accepting listener, then the one
 * it is handed off to: both run their listener filters on the same socket) and returns the socket as the
 * filter-chain matcher sees it.
 */
export function inspectConnection(listeners: readonly Listener[], conn: DownstreamConnection): InspectionResult {
  const port = conn.destinationPort;
  const tls = listeners.some((l) => listenerFilterRuns(l, FilterNames.tlsInspector, port));
  const http = listeners.some((l) => listenerFilterRuns(l, FilterNames.httpInspector, port));
  let transportProtocol = '';
  let serverName = '';
  let applicationProtocols: readonly string[] = [];
  if (tls && conn.transport === 'tls') {
    transportProtocol = 'tls';
    serverName = (conn.serverName ?? '').toLowerCase();
    applicationProtocols = conn.applicationProtocols ?? [];
  }
  if (http && transportProtocol === '' && conn.transport === 'plaintext') {
    if (conn.plaintextProtocol === 'http/1.1') applicationProtocols = ['http/1.1'];
    else if (conn.plaintextProtocol === 'h2c') applicationProtocols = ['h2c'];
  }
  if (transportProtocol === '') transportProtocol = 'raw_buffer';
  return {
    socket: {
      localAddress: conn.destinationAddress,
      localPort: port,
      remoteAddress: conn.sourceAddress,
      remotePort: conn.sourcePort,
      directRemoteAddress: conn.sourceAddress,
      transportProtocol,
      serverName,
      applicationProtocols,
    },
    tlsInspector: tls,
    httpInspector: http,
  };
}
