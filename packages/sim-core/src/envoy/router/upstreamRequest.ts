/**
 * One try of a request (`Router::UpstreamRequest`, envoyproxy/envoy source/common/router/upstream_request.cc):
 * asks its worker's pool for a connection to the chosen host, sends the request when one is ready, arms the
 * per-try timer then (`onPoolReady` → `setupPerTryTimeout`, the downstream request being complete), and
 * reports the response, a reset or a pool failure to its router. A pool failure becomes a reset whose reason
 * follows the failure: overflow, remote or local connection failure, or connection timeout.
 */
import type { TimerHandle } from '../common.js';
import type { Host } from '../upstream/host.js';
import type { StreamResetReason } from './retryState.js';
import type {
  PoolCallbacks,
  PoolConnection,
  PoolStreamHandle,
  ThreadLocalCluster,
  UpstreamHttpRequest,
  UpstreamHttpResponse,
  UpstreamStreamCallbacks,
  UpstreamStreamHandle,
} from './routerContext.js';

/** The router side of an upstream request (implemented by {@link RouterFilter}). */
export interface UpstreamRequestOwner {
  onUpstreamHostSelected(request: UpstreamRequest): void;
  onUpstreamSent(request: UpstreamRequest, connection: PoolConnection): void;
  onUpstreamHeaders(request: UpstreamRequest, response: UpstreamHttpResponse): void;
  onUpstreamReset(request: UpstreamRequest, reason: StreamResetReason, transportFailureReason: string): void;
  onPerTryTimeout(request: UpstreamRequest): void;
  /** Arms a timer (the proxy's dispatcher). */
  armTimer(delay: number, callback: () => void): TimerHandle;
}

/** One try. */
export class UpstreamRequest implements PoolCallbacks, UpstreamStreamCallbacks {
  readonly host: Host;
  readonly cluster: ThreadLocalCluster;
  /** Try number, 1-based. */
  readonly attempt: number;
  /** Waiting for response headers (`awaiting_headers_`). */
  awaitingHeaders = true;
  /** A per-try timeout already told outlier detection (`outlierDetectionTimeoutRecorded`). */
  outlierTimeoutRecorded = false;
  /** The connection's local address once a connection was ready. */
  localAddress: string | undefined;
  /** When the request went on the wire. */
  sentAt = -1;
  private readonly owner: UpstreamRequestOwner;
  private readonly perTryTimeout: number;
  private poolHandle: PoolStreamHandle | undefined;
  private stream: UpstreamStreamHandle | undefined;
  private perTryTimer: TimerHandle | undefined;
  private done = false;
  private connection: PoolConnection | undefined;
  // Read when the try is sent, not copied: a try waiting for a connection sends the headers as they are then.
  private readonly request: UpstreamHttpRequest;

  constructor(
    owner: UpstreamRequestOwner,
    cluster: ThreadLocalCluster,
    host: Host,
    attempt: number,
    perTryTimeout: number,
    request: UpstreamHttpRequest,
  ) {
    this.owner = owner;
    this.cluster = cluster;
    this.host = host;
    this.attempt = attempt;
    this.perTryTimeout = perTryTimeout;
    this.request = request;
  }

  /** `acceptHeadersFromRouter`: ask the pool for a stream (callbacks may run inside this call). */
  start(): void {
    const handle = this.cluster.newStream(this.host, this);
    if (!this.done && this.connection === undefined) this.poolHandle = handle;
  }

  /** `onPoolReady`: send the request now and arm the per-try timer. */
  onPoolReady(connection: PoolConnection): void {
    this.poolHandle = undefined;
    if (this.done) return;
    this.connection = connection;
    this.localAddress = connection.localAddress;
    this.owner.onUpstreamHostSelected(this);
    this.stream = connection.sendRequest(this.request, this);
    this.owner.onUpstreamSent(this, connection);
    if (this.perTryTimeout > 0 && !this.done) {
      this.perTryTimer = this.owner.armTimer(this.perTryTimeout, () => {
        this.perTryTimer = undefined;
        if (!this.done) this.owner.onPerTryTimeout(this);
      });
    }
  }

  /** `onPoolFailure`: a pool failure is handled as a reset before anything was sent. */
  onPoolFailure(reason: StreamResetReason, transportFailureReason: string): void {
    this.poolHandle = undefined;
    if (this.done) return;
    this.owner.onUpstreamHostSelected(this);
    this.awaitingHeaders = false;
    this.finish();
    this.owner.onUpstreamReset(this, reason, transportFailureReason);
  }

  onResponse(response: UpstreamHttpResponse): void {
    if (this.done) return;
    this.awaitingHeaders = false;
    this.finish();
    this.owner.onUpstreamHeaders(this, response);
  }

  onReset(reason: StreamResetReason, transportFailureReason: string): void {
    if (this.done) return;
    this.awaitingHeaders = false;
    this.finish();
    this.owner.onUpstreamReset(this, reason, transportFailureReason);
  }

  /** Whether the request reached a connection (`hadUpstream`). */
  get sent(): boolean {
    return this.connection !== undefined;
  }

  /** `resetStream`: cancel a waiting pool request or reset the stream on its connection. */
  resetStream(): void {
    if (this.done) return;
    this.finish();
    if (this.poolHandle !== undefined) {
      this.poolHandle.cancel();
      this.poolHandle = undefined;
    }
    if (this.stream !== undefined) {
      this.stream.reset();
      this.stream = undefined;
    }
  }

  private finish(): void {
    this.done = true;
    if (this.perTryTimer !== undefined) {
      this.perTryTimer.cancel();
      this.perTryTimer = undefined;
    }
  }
}
