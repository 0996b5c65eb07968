/**
 * The filter chain's transport socket: does the TLS handshake succeed? A chain with a transport socket
 * terminates TLS, so plaintext fails the handshake; a chain that demands a client certificate is Istio
 * mutual TLS (istio/istio pilot/pkg/simulation/traffic.go `requiresMTLS`), which only an Istio client's
 * mutual TLS satisfies — and a client offering mutual TLS to a simple-TLS chain fails as well, as Istio's
 * simulator reports it (`ErrMTLSError`).
 */
import type { DownstreamTlsContext, FilterChain } from '../envoy/listener/types.js';
import type { RouteErrorKind } from './explanation.js';
import type { WalkInput } from './walkResult.js';

/** The handshake's result. */
export type TransportCheck =
  | {
      readonly ok: true;
      /** The chain terminates TLS (the request's `x-forwarded-proto` is then `https`). */
      readonly terminatesTls: boolean;
      /** What the step says, when the chain terminates TLS. */
      readonly summary?: string;
    }
  | {
      readonly ok: false;
      readonly error: Extract<RouteErrorKind, 'tls_error' | 'mtls_error'>;
      readonly summary: string;
    };

/** Istio's heuristic (traffic.go `requiresMTLS`): a chain demanding a client certificate is Istio mTLS. */
export function requiresClientCertificate(chain: FilterChain): boolean {
  if (chain.transportSocket === undefined) return false;
  const ctx = (chain.transportSocket.typedConfig ?? {}) as DownstreamTlsContext;
  return ctx.requireClientCertificate === true;
}

/** Checks what the client sends (`tls`) against the chain's transport socket. */
export function checkTransport(chain: FilterChain, tls: WalkInput['tls']): TransportCheck {
  if (chain.transportSocket === undefined) return { ok: true, terminatesTls: false };
  if (tls === 'plaintext') {
    return { ok: false, error: 'tls_error', summary: 'the chain terminates TLS but the client sent plaintext' };
  }
  const mutual = requiresClientCertificate(chain);
  if (mutual !== (tls === 'mtls')) {
    return {
      ok: false,
      error: 'mtls_error',
      summary: mutual
        ? 'the chain requires Istio mutual TLS (a client certificate) but the client did not present one'
        : 'the chain terminates simple TLS but the client speaks Istio mutual TLS',
    };
  }
  return { ok: true, terminatesTls: true, summary: `TLS terminated${mutual ? ' (mutual TLS)' : ''}` };
}
