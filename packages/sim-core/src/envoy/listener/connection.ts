/**
 * A downstream connection as a listener sees it. The client decides what it sends (plaintext or a TLS
 * ClientHello with SNI and ALPN, HTTP or other bytes); the listener filters decide what Envoy *learns*
 * from it (`listenerFilters.ts`), and only what Envoy learned can select a filter chain.
 */

/** What a client puts on a new connection. */
export interface DownstreamConnection {
  /** The destination the client dialled (the original destination, before any iptables REDIRECT). */
  readonly destinationAddress: string;
  readonly destinationPort: number;
  /** The client's address and port. @defaultValue `'10.0.0.1'` and 40000 in explanations */
  readonly sourceAddress: string;
  readonly sourcePort: number;
  /** Plaintext bytes, or a TLS ClientHello. */
  readonly transport: 'plaintext' | 'tls';
  /** For plaintext: what the first bytes look like to Envoy's HTTP inspector. */
  readonly plaintextProtocol?: 'http/1.1' | 'h2c' | 'other';
  /** SNI in the ClientHello, if any. */
  readonly serverName?: string;
  /** ALPN in the ClientHello, in the client's preference order. */
  readonly applicationProtocols?: readonly string[];
  /** Whether the client presents a certificate (an Istio sidecar's mTLS does; a plain TLS client does not). */
  readonly clientCertificate?: boolean;
}

/**
 * What the socket carries when Envoy selects a filter chain (`Network::ConnectionSocket`):
 * `localAddress()` (the restored original destination), `remoteAddress()`, `detectedTransportProtocol()`,
 * `requestedServerName()` and `requestedApplicationProtocols()`.
 */
export interface SocketProperties {
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** The peer's address before any proxy protocol (meshsim: always the remote address). */
  readonly directRemoteAddress: string;
  /** `tls` when the TLS inspector saw a ClientHello, else `raw_buffer` (Envoy's default). */
  readonly transportProtocol: string;
  /** Lower-cased SNI, or `''`. */
  readonly serverName: string;
  readonly applicationProtocols: readonly string[];
}
