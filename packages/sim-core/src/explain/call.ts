/**
 * The question `route()` answers, as a user asks it: who sends (a sidecar `from` a pod, a `gateway` pod, or
 * a client reaching a pod's sidecar `to` it inbound), what (a URL, or an address and port with a path),
 * and how (method, headers, protocol, TLS, SNI, ALPN). {@link parseCallTarget} turns a URL or address into
 * the parts the walk needs, as curl would send them; defaults follow Istio's simulator
 * (pilot/pkg/simulation/traffic.go `Call.FillDefaults`).
 */
import { ConfigError } from '../errors.js';

/** Who handles the call. */
export type CallMode = 'outbound' | 'gateway' | 'inbound';

/** A request to explain. Exactly one of `from`, `gateway`, `to` (with `inbound`). */
export interface RouteCall {
  /** The client pod whose sidecar routes the request: `name` or `name.namespace`. */
  readonly from?: string;
  /** The gateway pod that receives the request. */
  readonly gateway?: string;
  /** The destination pod, whose sidecar receives the request inbound (`inbound` must be true). */
  readonly to?: string;
  readonly inbound?: boolean;
  /** `http://host[:port]/path?query` (or `https://`, `tcp://`). */
  readonly url?: string;
  /** Destination IP (instead of a URL). */
  readonly address?: string;
  readonly port?: number;
  /** Path with query, for `address`/`port` calls. @defaultValue `/` */
  readonly path?: string;
  /** @defaultValue `GET` */
  readonly method?: string;
  /** Request headers, as `K: V` lines or a map. A `Host` header sets `:authority`. */
  readonly headers?: readonly string[] | Readonly<Record<string, string>>;
  /** @defaultValue `http` (`tcp` for a `tcp://` URL) */
  readonly protocol?: 'http' | 'http2' | 'tcp';
  /** What the client puts on the wire. @defaultValue `plaintext` (`tls` for `https://`) */
  readonly tls?: 'plaintext' | 'tls' | 'mtls';
  /** SNI. @defaultValue the URL host for TLS calls */
  readonly sni?: string;
  /** ALPN offered in the ClientHello. @defaultValue by protocol, as Istio's simulator */
  readonly alpn?: readonly string[];
}

/** A URL or address after parsing. */
export interface CallTarget {
  /** Host name or IP as written (lower-cased), without port. */
  readonly host: string;
  readonly port: number;
  /** Whether the port was written explicitly (curl then puts it in `Host`). */
  readonly explicitPort: boolean;
  /** Path with query, as sent in `:path`. */
  readonly path: string;
  readonly scheme: 'http' | 'https' | 'tcp';
}

const DEFAULT_PORTS = { http: 80, https: 443, tcp: 0 } as const;

function parsePort(text: string, what: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new ConfigError(`invalid ${what} ${JSON.stringify(text)}: expected a port number 1-65535`, { field: what });
  }
  return Number(text);
}

/**
 * Parses `url`, or `address` + `port` + `path`. The path is kept as written (as `curl --path-as-is`);
 * Envoy's own path normalisation is applied later, where the connection manager is configured for it.
 */
export function parseCallTarget(call: Pick<RouteCall, 'url' | 'address' | 'port' | 'path'>): CallTarget {
  if (call.url !== undefined) {
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::([^/?#]*))?([^#]*)/.exec(call.url);
    if (m === null) {
      throw new ConfigError(`invalid URL ${JSON.stringify(call.url)}: expected scheme://host[:port]/path`, {
        field: '--url',
      });
    }
    const scheme = (m[1] as string).toLowerCase();
    if (scheme !== 'http' && scheme !== 'https' && scheme !== 'tcp') {
      throw new ConfigError(`unsupported URL scheme ${JSON.stringify(scheme)} (use http, https or tcp)`, {
        field: '--url',
      });
    }
    const host = (m[2] as string).toLowerCase();
    if (host === '') throw new ConfigError(`invalid URL ${JSON.stringify(call.url)}: no host`, { field: '--url' });
    const explicitPort = m[3] !== undefined && m[3] !== '';
    const port = explicitPort ? parsePort(m[3] as string, 'URL port') : DEFAULT_PORTS[scheme];
    if (port === 0) throw new ConfigError(`a tcp:// URL needs a port (tcp://host:port)`, { field: '--url' });
    let path = m[4] as string;
    if (path === '' || path.startsWith('?')) path = `/${path}`;
    return { host, port, explicitPort, path, scheme };
  }
  if (call.address === undefined || call.port === undefined) {
    throw new ConfigError('give either --url URL, or --address IP and --port N', { field: '--url' });
  }
  const port = parsePort(String(call.port), '--port');
  const path =
    call.path === undefined || call.path === '' ? '/' : call.path.startsWith('/') ? call.path : `/${call.path}`;
  return { host: call.address.toLowerCase(), port, explicitPort: true, path, scheme: 'http' };
}

/** Parses `K: V` header lines (or a map) into lower-cased names → values, repeated headers kept. */
export function parseHeaders(headers: RouteCall['headers']): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (name: string, value: string): void => {
    const key = name.trim().toLowerCase();
    if (key === '' || /[\s:]/.test(key.replace(/^:/, ''))) {
      throw new ConfigError(`invalid header name ${JSON.stringify(name)}`, { field: '-H' });
    }
    (out[key] ??= []).push(value.trim());
  };
  if (headers === undefined) return out;
  if (Array.isArray(headers)) {
    for (const line of headers as readonly string[]) {
      const colon = line.indexOf(':', line.startsWith(':') ? 1 : 0);
      if (colon <= 0)
        throw new ConfigError(`invalid header ${JSON.stringify(line)}: expected 'Name: value'`, { field: '-H' });
      add(line.slice(0, colon), line.slice(colon + 1));
    }
  } else {
    for (const [k, v] of Object.entries(headers as Readonly<Record<string, string>>).sort((a, b) =>
      a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0,
    )) {
      add(k, v);
    }
  }
  return out;
}

/**
 * ALPN a client offers by default, as Istio's simulator assumes: an Istio sidecar's mutual TLS offers
 * `istio-http/1.1`, `istio-h2` or `istio`; plain TLS offers `http/1.1` or `h2`; nothing for TCP over TLS.
 */
export function defaultAlpn(protocol: 'http' | 'http2' | 'tcp', tls: 'plaintext' | 'tls' | 'mtls'): string[] {
  if (tls === 'mtls') return [protocol === 'http' ? 'istio-http/1.1' : protocol === 'http2' ? 'istio-h2' : 'istio'];
  if (tls === 'tls') return protocol === 'http' ? ['http/1.1'] : protocol === 'http2' ? ['h2'] : [];
  return [];
}
