/**
 * An Envoy HTTP connection pool: one per worker, cluster, host and protocol. HTTP/1.1 carries one stream
 * per connection at a time (a ready connection is an idle one); HTTP/2 multiplexes up to
 * `max_concurrent_streams`. A new stream attaches to a ready connection (subject to `max_requests`), or
 * waits as pending (subject to `max_pending_requests`) while connections are opened — only as many as the
 * pending streams need, each subject to `max_connections` except that a host with no connection at all
 * always gets one. A connection that served `max_requests_per_connection` streams is closed. A failed
 * connect fails every stream pending at that moment with the failure's reason. Mirrors
 * `ConnPoolImplBase` (`newStreamImpl`, `tryCreateNewConnections`, `onUpstreamReady`, `onConnectionEvent`,
 * `purgePendingStreams`) in envoyproxy/envoy source/common/conn_pool/conn_pool_base.cc, with the circuit
 * breaker steps of envoy/upstream/connPoolAdmission.ts.
 */
import type { Duration } from '../../engine/time.js';
import type { StreamResetReason } from '../../envoy/router/retryState.js';
import type {
  PoolCallbacks,
  PoolConnection,
  PoolStreamHandle,
  UpstreamHttpRequest,
  UpstreamHttpResponse,
  UpstreamStreamCallbacks,
  UpstreamStreamHandle,
} from '../../envoy/router/routerContext.js';
import type { ClusterTrafficStats } from '../../envoy/upstream/clusterStats.js';
import {
  attachPending,
  newStream,
  releaseConnection,
  releasePending,
  releaseRequest,
  tryCreateConnection,
} from '../../envoy/upstream/connPoolAdmission.js';
import type { Host } from '../../envoy/upstream/host.js';
import type { ResourceManager } from '../../envoy/upstream/resourceManager.js';

/** TLS on an upstream connection: Istio mutual TLS, simple TLS, or none. */
export type UpstreamTls = 'mtls' | 'tls' | 'plaintext';

/** Why a connect failed, as the pool reports it (`PoolFailureReason`). */
export type ConnectFailure = 'remote' | 'local' | 'timeout';

/** What the transport reports about one connection. */
export interface WireEvents {
  /** The TCP (and TLS) handshake completed; `localAddress` is `ip:port`. */
  onConnected(localAddress: string): void;
  onConnectFailed(failure: ConnectFailure, transportFailureReason: string): void;
  /** The connection was closed by the peer or the network after it was established. */
  onRemoteClose(): void;
}

/** The simulated world's side of one upstream connection. */
export interface WireConnection {
  /** Sends a request; its callbacks run from later events. */
  sendRequest(request: UpstreamHttpRequest, callbacks: UpstreamStreamCallbacks): UpstreamStreamHandle;
  /** Envoy closes the connection. */
  close(): void;
}

/** How a pool connects (from its cluster). */
export interface ConnectSettings {
  readonly protocol: 'HTTP/1.1' | 'HTTP/2';
  readonly tls: UpstreamTls;
  /** SNI of the upstream TLS context (`outbound_.9080_._.reviews.default.svc.cluster.local`). */
  readonly sni: string | undefined;
  readonly connectTimeout: Duration;
  /** Source address the cluster binds (`upstream_bind_config`: 127.0.0.6 for inbound clusters). */
  readonly bindAddress: string | undefined;
}

/** Opens connections (implemented by the world's transport). */
export interface WireConnector {
  connect(host: Host, settings: ConnectSettings, events: WireEvents): WireConnection;
}

/** Per-cluster connection counters not in `ClusterTrafficStats` (`ALL_CLUSTER_TRAFFIC_STATS`). */
export interface ClusterConnectionStats {
  upstream_cx_total: number;
  upstream_cx_http1_total: number;
  upstream_cx_http2_total: number;
  upstream_cx_connect_fail: number;
  upstream_cx_connect_timeout: number;
  upstream_cx_destroy: number;
  upstream_cx_destroy_local: number;
  upstream_cx_destroy_remote: number;
  upstream_cx_max_requests: number;
  upstream_cx_none_healthy: number;
  upstream_rq_timeout: number;
  upstream_rq_tx_reset: number;
  upstream_rq_rx_reset: number;
  upstream_rq_cancelled: number;
}

/** Fresh zeroed connection stats. */
export function createClusterConnectionStats(): ClusterConnectionStats {
  return {
    upstream_cx_total: 0,
    upstream_cx_http1_total: 0,
    upstream_cx_http2_total: 0,
    upstream_cx_connect_fail: 0,
    upstream_cx_connect_timeout: 0,
    upstream_cx_destroy: 0,
    upstream_cx_destroy_local: 0,
    upstream_cx_destroy_remote: 0,
    upstream_cx_max_requests: 0,
    upstream_cx_none_healthy: 0,
    upstream_rq_timeout: 0,
    upstream_rq_tx_reset: 0,
    upstream_rq_rx_reset: 0,
    upstream_rq_cancelled: 0,
  };
}

/** A pool's settings, from the cluster. */
export interface ConnPoolSettings extends ConnectSettings {
  /** `max_requests_per_connection`; 0 = unlimited. */
  readonly maxRequestsPerConnection: number;
  /** HTTP/2 `max_concurrent_streams`. @defaultValue 2147483647 (Envoy's default) */
  readonly maxConcurrentStreams: number;
}

/** The cluster-wide state a pool charges. */
export interface ConnPoolOwner {
  readonly resources: ResourceManager;
  readonly trafficStats: ClusterTrafficStats;
  readonly connectionStats: ClusterConnectionStats;
  readonly connector: WireConnector;
}

// A stream waiting for a connection; its handle cancels it.
class PendingStream implements PoolStreamHandle {
  cancelled = false;
  constructor(
    private readonly pool: ConnPool,
    readonly callbacks: PoolCallbacks,
  ) {}

  cancel(): void {
    this.pool.cancelPending(this);
  }
}

const CONNECTING = 0;
const READY = 1;
const CLOSED = 2;

/** One upstream connection of a pool. */
class PoolConn implements PoolConnection {
  state = CONNECTING;
  streams = 0;
  served = 0;
  localAddress = '';
  wire: WireConnection | undefined;
  draining = false;

  constructor(readonly pool: ConnPool) {}

  sendRequest(request: UpstreamHttpRequest, callbacks: UpstreamStreamCallbacks): UpstreamStreamHandle {
    const stream = new PoolStream(this, callbacks);
    stream.inner = (this.wire as WireConnection).sendRequest(request, stream);
    return stream;
  }
}

// A stream on a pool connection: releases its slot when it ends, then tells the router.
class PoolStream implements UpstreamStreamCallbacks, UpstreamStreamHandle {
  inner: UpstreamStreamHandle | undefined;
  private open = true;

  constructor(
    private readonly conn: PoolConn,
    private readonly callbacks: UpstreamStreamCallbacks,
  ) {}

  onResponse(r: UpstreamHttpResponse): void {
    if (!this.open) return;
    this.open = false;
    this.conn.pool.streamDone(this.conn, false);
    this.callbacks.onResponse(r);
  }

  onReset(reason: StreamResetReason, tfr: string): void {
    if (!this.open) return;
    this.open = false;
    this.conn.pool.owner.connectionStats.upstream_rq_rx_reset++;
    this.conn.pool.streamDone(this.conn, true);
    this.callbacks.onReset(reason, tfr);
  }

  reset(): void {
    if (!this.open) return;
    this.open = false;
    this.conn.pool.owner.connectionStats.upstream_rq_tx_reset++;
    this.inner?.reset();
    this.conn.pool.streamDone(this.conn, true);
  }
}

/** One pool. */
export class ConnPool {
  readonly host: Host;
  readonly owner: ConnPoolOwner;
  readonly settings: ConnPoolSettings;
  private readonly conns: PoolConn[] = [];
  private pending: PendingStream[] = [];
  private connectingCapacity = 0;
  private readonly capacity: number;

  constructor(owner: ConnPoolOwner, host: Host, settings: ConnPoolSettings) {
    this.owner = owner;
    this.host = host;
    this.settings = settings;
    this.capacity = settings.protocol === 'HTTP/2' ? settings.maxConcurrentStreams : 1;
  }

  /** Open connections (connecting or ready). */
  get connections(): number {
    return this.conns.length;
  }

  /** Streams waiting for a connection. */
  get pendingStreams(): number {
    return this.pending.length;
  }

  /** `newStreamImpl`. */
  newStream(callbacks: PoolCallbacks): PoolStreamHandle | undefined {
    const o = this.owner;
    const ready = this.readyConnection();
    const decision = newStream(o.resources, o.trafficStats, ready !== undefined);
    if (decision === 'overflow') {
      callbacks.onPoolFailure('Overflow', '');
      return undefined;
    }
    if (decision === 'attached') {
      this.attach(ready as PoolConn, callbacks);
      return undefined;
    }
    const p = new PendingStream(this, callbacks);
    this.pending.push(p);
    this.tryCreateNewConnections();
    return p;
  }

  /** @internal a waiting stream gave up (its try timed out, or the downstream left). */
  cancelPending(p: PendingStream): void {
    if (p.cancelled) return;
    const i = this.pending.indexOf(p);
    if (i < 0) return;
    p.cancelled = true;
    this.pending.splice(i, 1);
    const o = this.owner;
    releasePending(o.resources, o.trafficStats);
    o.connectionStats.upstream_rq_cancelled++;
  }

  /** Closes idle connections and refuses nothing: used when the host left the cluster. */
  drain(): void {
    for (const c of this.conns.slice()) {
      if (c.state === READY && c.streams === 0) this.destroy(c, 'local');
      else c.draining = true;
    }
  }

  private readyConnection(): PoolConn | undefined {
    for (const c of this.conns) if (c.state === READY && !c.draining && c.streams < this.capacity) return c;
    return undefined;
  }

  private attach(c: PoolConn, callbacks: PoolCallbacks): void {
    c.streams++;
    c.served++;
    this.host.stats.rq_active++;
    this.host.stats.rq_total++;
    // max_requests_per_connection: the connection takes no more streams once it reached the limit.
    const max = this.settings.maxRequestsPerConnection;
    if (max > 0 && c.served >= max) {
      c.draining = true;
      this.owner.connectionStats.upstream_cx_max_requests++;
    }
    callbacks.onPoolReady(c);
  }

  // `tryCreateNewConnections`: enough connecting capacity for the pending streams, breakers permitting.
  private tryCreateNewConnections(): void {
    const o = this.owner;
    while (this.pending.length > this.connectingCapacity) {
      if (!tryCreateConnection(o.resources, o.trafficStats, this.conns.length > 0)) return;
      this.open();
    }
  }

  private open(): void {
    const c = new PoolConn(this);
    this.conns.push(c);
    this.connectingCapacity += this.capacity;
    c.wire = this.owner.connector.connect(this.host, this.settings, {
      onConnected: (localAddress) => this.onConnected(c, localAddress),
      onConnectFailed: (failure, tfr) => this.onConnectFailed(c, failure, tfr),
      onRemoteClose: () => this.onRemoteClose(c),
    });
  }

  private onConnected(c: PoolConn, localAddress: string): void {
    if (c.state !== CONNECTING) return;
    const o = this.owner;
    c.state = READY;
    c.localAddress = localAddress;
    this.connectingCapacity -= this.capacity;
    o.connectionStats.upstream_cx_total++;
    if (this.settings.protocol === 'HTTP/2') o.connectionStats.upstream_cx_http2_total++;
    else o.connectionStats.upstream_cx_http1_total++;
    this.host.stats.cx_total++;
    this.host.stats.cx_active++;
    this.onUpstreamReady(c);
  }

  // `onUpstreamReady`: pending streams (oldest first) take the connection's free capacity.
  private onUpstreamReady(c: PoolConn): void {
    const o = this.owner;
    while (this.pending.length > 0 && c.state === READY && !c.draining && c.streams < this.capacity) {
      const p = this.pending.shift() as PendingStream;
      if (attachPending(o.resources, o.trafficStats) === 'overflow') {
        p.callbacks.onPoolFailure('Overflow', '');
        continue;
      }
      this.attach(c, p.callbacks);
    }
    if (c.state === READY && c.draining && c.streams === 0) this.destroy(c, 'local');
  }

  private onConnectFailed(c: PoolConn, failure: ConnectFailure, tfr: string): void {
    if (c.state !== CONNECTING) return;
    const o = this.owner;
    c.state = CLOSED;
    this.connectingCapacity -= this.capacity;
    this.remove(c);
    releaseConnection(o.resources, o.trafficStats);
    o.connectionStats.upstream_cx_connect_fail++;
    if (failure === 'timeout') o.connectionStats.upstream_cx_connect_timeout++;
    this.host.stats.cx_connect_fail++;
    const reason: StreamResetReason =
      failure === 'timeout'
        ? 'ConnectionTimeout'
        : failure === 'remote'
          ? 'RemoteConnectionFailure'
          : 'LocalConnectionFailure';
    // purgePendingStreams: every stream pending now fails (retries submitted meanwhile are not purged).
    const purged = this.pending;
    this.pending = [];
    for (const p of purged) {
      releasePending(o.resources, o.trafficStats);
      p.callbacks.onPoolFailure(reason, tfr);
    }
    this.tryCreateNewConnections();
  }

  private onRemoteClose(c: PoolConn): void {
    if (c.state === CLOSED) return;
    if (c.state === CONNECTING) {
      this.onConnectFailed(c, 'remote', '');
      return;
    }
    // Streams on it learn through their own resets (the transport resets them); close the connection.
    this.destroy(c, 'remote');
    // "If we have pending streams and we just lost a connection we should make a new one"
    // (conn_pool_base.cc `onConnectionEvent`).
    if (this.pending.length > 0) this.tryCreateNewConnections();
  }

  /** @internal A stream on `c` ended (response complete, or reset). */
  streamDone(c: PoolConn, reset: boolean): void {
    const o = this.owner;
    releaseRequest(o.resources, o.trafficStats);
    this.host.stats.rq_active--;
    c.streams--;
    if (c.state !== READY) return;
    // An HTTP/1.1 stream reset closes its connection; an HTTP/2 one only the stream.
    if (reset && this.settings.protocol !== 'HTTP/2') {
      this.destroy(c, 'local');
      this.tryCreateNewConnections();
      return;
    }
    this.onUpstreamReady(c);
    if (c.state === READY && c.draining && c.streams === 0) this.destroy(c, 'local');
    this.tryCreateNewConnections();
  }

  private destroy(c: PoolConn, by: 'local' | 'remote'): void {
    if (c.state === CLOSED) return;
    const o = this.owner;
    const wasReady = c.state === READY;
    if (c.state === CONNECTING) this.connectingCapacity -= this.capacity;
    c.state = CLOSED;
    this.remove(c);
    releaseConnection(o.resources, o.trafficStats);
    if (wasReady) {
      this.host.stats.cx_active--;
      o.connectionStats.upstream_cx_destroy++;
      if (by === 'local') o.connectionStats.upstream_cx_destroy_local++;
      else o.connectionStats.upstream_cx_destroy_remote++;
    }
    if (by === 'local') c.wire?.close();
  }

  private remove(c: PoolConn): void {
    const i = this.conns.indexOf(c);
    if (i >= 0) this.conns.splice(i, 1);
  }
}
