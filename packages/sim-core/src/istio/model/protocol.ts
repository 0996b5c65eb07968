/**
 * Protocol selection (`pkg/config/protocol/instance.go`, `pkg/config/kube/conversion.go` `ConvertProtocol`,
 * docs: istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/). For a Kubernetes
 * Service port: UDP if `protocol: UDP`; else `appProtocol` (with `kubernetes.io/h2c` → HTTP2,
 * `kubernetes.io/ws` → HTTP, `kubernetes.io/wss` → HTTPS); else the port name's prefix before the first `-`
 * (`grpc-web` checked first); unknown → `UnsupportedProtocol` (Envoy sniffs: "auto"), except the well-known
 * server-first ports 25, 53, 3306, 27017, which are TCP. ServiceEntry/Gateway/Sidecar ports name the protocol
 * directly (`protocol.Parse`; empty → sniffed).
 */

/** `protocol.Instance`. */
export type Protocol =
  | 'GRPC'
  | 'GRPC-Web'
  | 'HTTP'
  | 'HTTP_PROXY'
  | 'HTTP2'
  | 'HTTPS'
  | 'TCP'
  | 'TLS'
  | 'UDP'
  | 'Mongo'
  | 'Redis'
  | 'MySQL'
  | 'UnsupportedProtocol';

/** `protocol.Parse` (case-insensitive). */
export function parseProtocol(s: string): Protocol {
  switch (s.toLowerCase()) {
    case 'tcp':
      return 'TCP';
    case 'udp':
      return 'UDP';
    case 'grpc':
      return 'GRPC';
    case 'grpc-web':
      return 'GRPC-Web';
    case 'http':
      return 'HTTP';
    case 'http_proxy':
      return 'HTTP_PROXY';
    case 'http2':
      return 'HTTP2';
    case 'https':
      return 'HTTPS';
    case 'tls':
      return 'TLS';
    case 'mongo':
      return 'Mongo';
    case 'redis':
      return 'Redis';
    case 'mysql':
      return 'MySQL';
    default:
      return 'UnsupportedProtocol';
  }
}

const WELL_KNOWN_PORTS = new Set([25, 53, 3306, 27017]);

/** `kube.ConvertProtocol(port, name, protocol, appProtocol)`. */
export function convertKubeProtocol(
  port: number,
  portName: string | undefined,
  proto: string,
  appProtocol?: string,
): Protocol {
  if (proto === 'UDP') return 'UDP';
  let name = portName ?? '';
  if (appProtocol !== undefined) {
    name = appProtocol;
    if (name === 'kubernetes.io/h2c') return 'HTTP2';
    if (name === 'kubernetes.io/ws') return 'HTTP';
    if (name === 'kubernetes.io/wss') return 'HTTPS';
  }
  if (name.length >= 8 && name.slice(0, 8).toLowerCase() === 'grpc-web') return 'GRPC-Web';
  const dash = name.indexOf('-');
  const p = parseProtocol(dash >= 0 ? name.slice(0, dash) : name);
  if (p === 'UnsupportedProtocol' && WELL_KNOWN_PORTS.has(port)) return 'TCP';
  return p;
}

/** HTTP/2 transports (`IsHTTP2`). */
export function isHTTP2(p: Protocol): boolean {
  return p === 'HTTP2' || p === 'GRPC' || p === 'GRPC-Web';
}

/** HTTP-based (`IsHTTP`). */
export function isHTTP(p: Protocol): boolean {
  return p === 'HTTP' || p === 'HTTP2' || p === 'HTTP_PROXY' || p === 'GRPC' || p === 'GRPC-Web';
}

/** TCP-based opaque or TLS protocols (`IsTCP`). */
export function isTCP(p: Protocol): boolean {
  return p === 'TCP' || p === 'HTTPS' || p === 'TLS' || p === 'Mongo' || p === 'Redis' || p === 'MySQL';
}

/** Unknown: Envoy will sniff (`IsUnsupported`, shown as "auto" in docs). */
export function isSniffed(p: Protocol): boolean {
  return p === 'UnsupportedProtocol';
}
