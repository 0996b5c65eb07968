/**
 * What the router filter needs from the rest of its Envoy: the thread-local cluster of its worker (load
 * balancer, connection pools, shared circuit breakers and outlier detector), and the upstream connection a
 * pool hands out. Mirrors the contracts of `Upstream::ThreadLocalCluster`, `Http::ConnectionPool::Instance`
 * / `Callbacks` and `Http::StreamDecoder` (envoyproxy/envoy envoy/upstream/thread_local_cluster.h,
 * envoy/http/conn_pool.h) restricted to what the simulation exercises. meshsim's sidecar runtime
 * (mesh/sidecar) implements them.
 */
import type { Duration } from '../../engine/time.js';
import type { LoadBalancerContext } from '../lb/loadBalancer.js';
import type { ClusterTrafficStats } from '../upstream/clusterStats.js';
import type { Host } from '../upstream/host.js';
import type { OutlierDetector } from '../upstream/outlierDetector.js';
import type { ResourceManager } from '../upstream/resourceManager.js';
import type { StreamResetReason } from './retryState.js';

/** A request as it goes on the wire to an upstream (lower-case header names, pseudo-headers included). */
export interface UpstreamHttpRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyBytes: number;
}

/** A response as it comes back from an upstream. */
export interface UpstreamHttpResponse {
  readonly status: number;
  readonly bodyBytes: number;
  /** Response headers that matter to Envoy (`x-envoy-overloaded`, `grpc-status`, …), lower-case. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What an upstream stream reports back (`Http::ResponseDecoder` + `Http::StreamCallbacks`). */
export interface UpstreamStreamCallbacks {
  /** The whole response arrived (headers and body; meshsim does not split them). */
  onResponse(response: UpstreamHttpResponse): void;
  /** The stream was reset before a response arrived. */
  onReset(reason: StreamResetReason, transportFailureReason: string): void;
}

/** A stream on an upstream connection. */
export interface UpstreamStreamHandle {
  /** Envoy resets the stream (timeout, downstream gone). HTTP/1.1 closes the connection with it. */
  reset(): void;
}

/** A ready upstream connection, handed out by a pool (`Http::RequestEncoder` side). */
export interface PoolConnection {
  /** The local address of the connection (`%UPSTREAM_LOCAL_ADDRESS%`), `ip:port`. */
  readonly localAddress: string;
  /** Sends a request on this connection. Callbacks come from later events, never inside this call. */
  sendRequest(request: UpstreamHttpRequest, callbacks: UpstreamStreamCallbacks): UpstreamStreamHandle;
}

/** `Http::ConnectionPool::Callbacks`. */
export interface PoolCallbacks {
  /** A connection is ready for this stream (may be called inside `newStream`). */
  onPoolReady(connection: PoolConnection): void;
  /** The stream could not get a connection (may be called inside `newStream` for an overflow). */
  onPoolFailure(reason: StreamResetReason, transportFailureReason: string): void;
}

/** `Http::ConnectionPool::Cancellable`: a stream waiting in a pool. */
export interface PoolStreamHandle {
  cancel(): void;
}

/** The cluster-wide state every worker shares (`ClusterInfo`). */
export interface UpstreamClusterInfo {
  readonly name: string;
  readonly trafficStats: ClusterTrafficStats;
  /** The DEFAULT-priority circuit breakers. */
  readonly resources: ResourceManager;
  readonly outlierDetector: OutlierDetector | undefined;
  /** Istio service host of the cluster (`filter_metadata.istio.services[0].host`), when it has one. */
  readonly serviceHost: string | undefined;
  /** Charges a response code to the cluster's stats (`upstream_rq_<code>`…; under `retry.` for a retried try). */
  chargeResponseCode(code: number, retried: boolean): void;
  /** Records `upstream_rq_time` (µs, truncated to ms). */
  chargeResponseTime(time: Duration): void;
  /** Counts `upstream_rq_timeout` (global timeout) and `upstream_cx_none_healthy` (no host). */
  countGlobalTimeout(): void;
  countNoHealthyUpstream(): void;
}

/** One worker's view of a cluster (`ThreadLocalCluster`). */
export interface ThreadLocalCluster {
  readonly info: UpstreamClusterInfo;
  /**
   * The host for a try: the load balancer's pick, or for ORIGINAL_DST clusters the connection's original
   * destination. Null when there is none (503 UH).
   */
  chooseHost(context: LoadBalancerContext | undefined, originalDestination: string | undefined): Host | null;
  /**
   * `newStream`: a connection from this worker's pool for `host`. Calls `onPoolReady`/`onPoolFailure`
   * synchronously when it can (a ready connection, an overflow); otherwise later. Returns a handle to cancel
   * a waiting stream, or undefined when the callback already ran.
   */
  newStream(host: Host, callbacks: PoolCallbacks): PoolStreamHandle | undefined;
}

/** The clusters one worker can route to (`ClusterManager::getThreadLocalCluster`). */
export interface ClusterProvider {
  /** The cluster called `name` for `worker`, or undefined when the proxy has no such cluster (503 NC). */
  threadLocalCluster(name: string, worker: number): ThreadLocalCluster | undefined;
}
