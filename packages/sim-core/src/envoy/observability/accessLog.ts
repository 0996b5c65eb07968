/**
 * Envoy access-log lines in Istio's default text format — the line `kubectl logs <pod> -c istio-proxy`
 * shows for every request through a proxy. Istio 1.29's format (istio/istio pilot/pkg/model/
 * telemetry_logging.go, `EnvoyTextLogFormat`; `%UPSTREAM_CLUSTER_RAW%` since 1.24, commit 125370099c8;
 * older proxies get the same line with `%UPSTREAM_CLUSTER%`):
 *
 * ```
 * [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS%
 * %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED%
 * %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
 * "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS%
 * %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n
 * ```
 * (one line; wrapped here). Envoy prints `-` for a missing value; `%START_TIME%` is UTC with millisecond
 * precision (`2020-11-25T21:26:18.409Z`); `%DURATION%` and the upstream service time are whole
 * milliseconds, truncated.
 */
import type { Duration, SimTime } from '../../engine/time.js';
import type { ActiveStream } from '../http/activeStream.js';

/** One proxy hop of one request: everything Istio's default access-log line shows, structured. */
export interface AccessLogEntry {
  /** When the proxy received the first byte of the request (simulated µs). */
  readonly startTime: SimTime;
  readonly method: string;
  /** `:path` as received. */
  readonly path: string;
  /** The path before a rewrite (`x-envoy-original-path`), when one happened. */
  readonly originalPath?: string;
  /** `HTTP/1.1`, `HTTP/2`, `HTTP/1.0`. */
  readonly protocol: string;
  /** Status sent downstream; 0 when none was (e.g. the client went away). */
  readonly responseCode: number;
  /** `%RESPONSE_FLAGS%`: `-` or e.g. `UO,URX` (see responseFlags.ts). */
  readonly responseFlags: string;
  /** `%RESPONSE_CODE_DETAILS%`, e.g. `via_upstream`, `fault_filter_abort`, `upstream_reset_before_response_started{overflow}`. */
  readonly responseCodeDetails?: string;
  readonly connectionTerminationDetails?: string;
  readonly upstreamTransportFailureReason?: string;
  /** Request body bytes received from downstream. */
  readonly bytesReceived: number;
  /** Response body bytes sent downstream. */
  readonly bytesSent: number;
  /** From the first request byte to the last response byte (µs). */
  readonly duration: Duration;
  /** The `x-envoy-upstream-service-time` response header: µs from the upstream request's start to its response headers; `undefined` for local replies. */
  readonly upstreamServiceTime?: Duration;
  readonly xForwardedFor?: string;
  readonly userAgent?: string;
  readonly requestId?: string;
  readonly authority?: string;
  /** `ip:port` of the chosen upstream host. */
  readonly upstreamHost?: string;
  /** The cluster's configured name, e.g. `outbound|9080||reviews.default.svc.cluster.local` or `inbound|9080||`. */
  readonly upstreamCluster?: string;
  readonly upstreamLocalAddress?: string;
  readonly downstreamLocalAddress?: string;
  readonly downstreamRemoteAddress?: string;
  /** SNI of the downstream TLS connection, e.g. `outbound_.9080_._.reviews.default.svc.cluster.local`. */
  readonly requestedServerName?: string;
  /** Route name, e.g. `default` or a VirtualService route's `name`. */
  readonly routeName?: string;
}

const DEFAULT_EPOCH_MS = Date.UTC(2026, 0, 1);

/** How simulated time maps to wall-clock timestamps. */
export interface AccessLogClock {
  /**
   * Unix time (ms) of simulated time 0.
   * @defaultValue 2026-01-01T00:00:00Z
   */
  readonly epochMs?: number;
}

const dash = (v: string | undefined): string => (v === undefined || v === '' ? '-' : v);
const quoted = (v: string | undefined): string => `"${dash(v)}"`;

/** `%START_TIME%`: ISO-8601 UTC with milliseconds, truncated (`%Y-%m-%dT%H:%M:%E3SZ`). */
export function formatStartTime(t: SimTime, clock: AccessLogClock = {}): string {
  return new Date((clock.epochMs ?? DEFAULT_EPOCH_MS) + Math.floor(t / 1000)).toISOString();
}

/** One line in Istio's default text format, with its trailing `\n`. */
export function formatIstioAccessLog(e: AccessLogEntry, clock: AccessLogClock = {}): string {
  return (
    `[${formatStartTime(e.startTime, clock)}] "${e.method} ${e.originalPath ?? e.path} ${e.protocol}" ` +
    `${e.responseCode} ${dash(e.responseFlags)} ${dash(e.responseCodeDetails)} ${dash(e.connectionTerminationDetails)} ` +
    `${quoted(e.upstreamTransportFailureReason)} ${e.bytesReceived} ${e.bytesSent} ${Math.floor(e.duration / 1000)} ` +
    `${e.upstreamServiceTime === undefined ? '-' : Math.floor(e.upstreamServiceTime / 1000)} ` +
    `${quoted(e.xForwardedFor)} ${quoted(e.userAgent)} ${quoted(e.requestId)} ${quoted(e.authority)} ${quoted(e.upstreamHost)} ` +
    `${dash(e.upstreamCluster)} ${dash(e.upstreamLocalAddress)} ${dash(e.downstreamLocalAddress)} ` +
    `${dash(e.downstreamRemoteAddress)} ${dash(e.requestedServerName)} ${dash(e.routeName)}\n`
  );
}

/** Where access-log lines go, one at a time as they happen (a proxy's stdout). */
export interface AccessLogSink {
  /** `proxy` names the pod or gateway whose istio-proxy wrote the line (`namespace/pod`). */
  write(proxy: string, line: string, entry: AccessLogEntry): void;
}

/** A sink that passes each line to `fn` (e.g. to stream it to a file) and keeps nothing. */
export function callbackSink(fn: (proxy: string, line: string, entry: AccessLogEntry) => void): AccessLogSink {
  return { write: fn };
}

/** A sink that keeps only the last `capacity` lines (bounded memory), e.g. for a report's "recent lines". */
export class TailSink implements AccessLogSink {
  private readonly ring: { proxy: string; line: string }[] = [];
  private next = 0;
  /** Lines written in total. */
  written = 0;

  constructor(readonly capacity: number) {}

  write(proxy: string, line: string): void {
    this.written++;
    if (this.ring.length < this.capacity) this.ring.push({ proxy, line });
    else if (this.capacity > 0) {
      this.ring[this.next] = { proxy, line };
      this.next = (this.next + 1) % this.capacity;
    }
  }

  /** The kept lines, oldest first. */
  lines(): { proxy: string; line: string }[] {
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
}

/** A sink that drops every line (access logging off, Istio's default for new installs). */
export const NULL_SINK: AccessLogSink = { write: () => undefined };

/** The access-log entry of an Envoy stream that ended, with its `%RESPONSE_FLAGS%` already formatted. */
export function accessLogEntry(stream: ActiveStream, flags: string): AccessLogEntry {
  const info = stream.info;
  const h = stream.headers;
  const c = stream.connection;
  const original = h['x-envoy-original-path'];
  return {
    startTime: info.startTime,
    method: h[':method'] ?? '-',
    path: h[':path'] ?? stream.originalPath,
    ...(original !== undefined ? { originalPath: original } : {}),
    protocol: c.protocol,
    responseCode: info.responseCode,
    responseFlags: flags,
    responseCodeDetails: info.responseCodeDetails,
    ...(info.connectionTerminationDetails !== undefined
      ? { connectionTerminationDetails: info.connectionTerminationDetails }
      : {}),
    ...(info.upstreamTransportFailureReason !== undefined
      ? { upstreamTransportFailureReason: info.upstreamTransportFailureReason }
      : {}),
    bytesReceived: info.bytesReceived,
    bytesSent: info.bytesSent,
    duration: info.duration,
    ...(info.upstreamServiceTime !== undefined && info.responseCodeDetails === 'via_upstream'
      ? { upstreamServiceTime: info.upstreamServiceTime }
      : {}),
    ...(h['x-forwarded-for'] !== undefined ? { xForwardedFor: h['x-forwarded-for'] } : {}),
    ...(h['user-agent'] !== undefined ? { userAgent: h['user-agent'] } : {}),
    ...(h['x-request-id'] !== undefined ? { requestId: h['x-request-id'] } : {}),
    ...(h[':authority'] !== undefined ? { authority: h[':authority'] } : {}),
    ...(info.upstreamHost !== undefined ? { upstreamHost: info.upstreamHost.addressString } : {}),
    ...(info.upstreamCluster !== undefined ? { upstreamCluster: info.upstreamCluster } : {}),
    ...(info.upstreamLocalAddress !== undefined ? { upstreamLocalAddress: info.upstreamLocalAddress } : {}),
    downstreamLocalAddress: c.localAddress,
    downstreamRemoteAddress: c.remoteAddress,
    ...(c.requestedServerName !== undefined ? { requestedServerName: c.requestedServerName } : {}),
    ...(info.routeName !== undefined ? { routeName: info.routeName } : {}),
  };
}
