/**
 * The app's view of the world: the requests it receives, the answers it gives, and the one port through
 * which it calls other services. The world implements {@link OutboundPort} — the call goes through the
 * pod's netfilter OUTPUT chain to its own sidecar (or, without a sidecar, to kube-proxy's DNAT) — and tells
 * the app the outcome later, as an app would learn it from its HTTP client.
 */

/** A request as the application container receives it. */
export interface InboundRequest {
  readonly method: string;
  readonly path: string;
  /** `:authority` / `Host`. */
  readonly authority: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Request body size in bytes. */
  readonly bodyBytes: number;
}

/** What the application does with the request in the end. */
export type AppResponse =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly bodyBytes: number;
    }
  /** The app closes the connection with a TCP RST instead of answering. */
  | { readonly kind: 'reset' };

/** A request the app sends to another service. */
export interface OutboundRequest {
  readonly method: string;
  readonly authority: string;
  readonly path: string;
  /** Lower-case names: the call's own headers over the propagated ones. */
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyBytes: number;
  /** The call's name in the app spec, for traces. */
  readonly callName: string;
  /** `https` opens a TLS connection (SNI: the authority's host; ALPN http/1.1). @defaultValue `'http'` */
  readonly scheme?: 'http' | 'https';
}

/**
 * What the app's HTTP client reports for one outbound attempt. Through a sidecar an app nearly always gets
 * a `response` (Envoy turns upstream failures into 503/504 answers); `reset` and `connectFailure` are what
 * it sees without a sidecar, or when its own sidecar resets the stream.
 */
export type OutboundResult =
  | { readonly kind: 'response'; readonly status: number; readonly bodyBytes: number }
  | { readonly kind: 'reset' }
  | { readonly kind: 'connectFailure' };

/** Cancels an outbound attempt (the app's client gave up and closed the stream). */
export interface OutboundHandle {
  cancel(): void;
}

/**
 * Where an app sends its outbound calls. `send` must call `done` exactly once, later (never synchronously
 * inside `send`), unless the handle is cancelled first — then it must not call it.
 */
export interface OutboundPort {
  send(request: OutboundRequest, done: (result: OutboundResult) => void): OutboundHandle;
}

/** Handle on a request being served; `cancel()` means the client went away. */
export interface InboundHandle {
  cancel(): void;
}
