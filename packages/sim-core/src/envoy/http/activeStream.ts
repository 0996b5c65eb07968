/**
 * One HTTP stream through a connection manager (`ConnectionManagerImpl::ActiveStream` with its filter
 * manager, envoyproxy/envoy source/common/http/conn_manager_impl.cc, filter_manager.cc). Decoding: the
 * stream id (one `random()`), `x-request-id` when missing, the route (virtual host by `:authority`, first
 * matching route), then the HTTP filters Istio installs that change behaviour — the fault filter (only when
 * the route carries fault settings) and the router. Encoding: the response (from the upstream or a local
 * reply) leaves after the proxy's response pass; the stream then ends and is logged. A downstream that goes
 * away first ends the stream with code 0, flag DC and `downstream_remote_disconnect`.
 */
import type { SimTime } from '../../engine/time.js';
import type { TimerHandle } from '../common.js';
import { FaultFilter, type FaultDecision } from '../filters/http/fault/faultFilter.js';
import { RouterFilter, type RouterStream, type RouterTraceFn } from '../router/routerFilter.js';
import type { ThreadLocalCluster, UpstreamHttpResponse } from '../router/routerContext.js';
import { pickCompiledCluster } from '../router/compiledRoute.js';
import type { ConnectionManager } from './connectionManager.js';
import type { RouteSelection } from './routeTable.js';
import { ResponseCodeDetails, StreamInfo } from './streamInfo.js';

/** The downstream connection a stream arrived on, as the proxy sees it. */
export interface DownstreamConnectionInfo {
  /** `%DOWNSTREAM_LOCAL_ADDRESS%`: the address the client dialled (the original destination), `ip:port`. */
  readonly localAddress: string;
  /** `%DOWNSTREAM_REMOTE_ADDRESS%`, `ip:port`. */
  readonly remoteAddress: string;
  readonly remoteIp: string;
  /** `%REQUESTED_SERVER_NAME%` (SNI), when TLS. */
  readonly requestedServerName: string | undefined;
  /** Whether the connection is TLS (mTLS between sidecars). */
  readonly tls: boolean;
  /** `HTTP/1.1` or `HTTP/2`. */
  readonly protocol: 'HTTP/1.1' | 'HTTP/2';
  /** The Envoy worker that owns the connection. */
  readonly worker: number;
}

/** Who receives a stream's response. */
export interface DownstreamPeer {
  /** The response leaves the proxy at `sentAt` (after the response pass); schedule its arrival. */
  sendResponse(
    stream: ActiveStream,
    status: number,
    bodyBytes: number,
    headers: Readonly<Record<string, string>>,
    sentAt: SimTime,
  ): void;
}

/** One stream. */
export class ActiveStream implements RouterStream {
  readonly hcm: ConnectionManager;
  readonly info = new StreamInfo();
  readonly connection: DownstreamConnectionInfo;
  readonly headers: Record<string, string>;
  readonly bodyBytes: number;
  readonly streamId: number;
  selection: RouteSelection | undefined;
  /**
   * The thread-local cluster of `info.upstreamCluster` as decoding resolved it (`refreshCachedRoute`), for
   * the router when it runs in the same event; cleared when a fault delay stops the chain, since a push may
   * replace or remove the cluster before the router runs.
   */
  routeCluster: ThreadLocalCluster | undefined;
  /** Response headers sent downstream. */
  responseHeaders: Readonly<Record<string, string>> = EMPTY;
  /** The request path as received, before any rewrite (`%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%`). */
  readonly originalPath: string;
  /** Free for the owner (the sidecar runtime keeps per-stream context here). */
  context: unknown;
  /** Trace hook with the stream's request id, or undefined when tracing is off (the proxy's hook never changes). */
  readonly trace: RouterTraceFn | undefined;
  private readonly peer: DownstreamPeer;
  private fault: FaultFilter | undefined;
  private router: RouterFilter | undefined;
  private delayTimer: TimerHandle | undefined;
  private ended = false;

  constructor(
    hcm: ConnectionManager,
    peer: DownstreamPeer,
    connection: DownstreamConnectionInfo,
    headers: Record<string, string>,
    bodyBytes: number,
    startTime: SimTime,
  ) {
    this.hcm = hcm;
    this.peer = peer;
    this.connection = connection;
    this.headers = headers;
    this.bodyBytes = bodyBytes;
    this.info.startTime = startTime;
    this.info.bytesReceived = bodyBytes;
    this.originalPath = headers[':path'] ?? '/';
    this.streamId = hcm.proxy.streamIdRandom.random();
    const t = hcm.proxy.trace;
    // The request id is read when a record is made: the connection manager may set it after this.
    this.trace =
      t === undefined
        ? undefined
        : (kind, detail) => t(kind, { requestId: headers['x-request-id'] ?? null, ...detail });
    const ds = hcm.downstreamStats;
    ds.downstream_rq_total++;
    if (connection.protocol === 'HTTP/2') ds.downstream_rq_http2_total++;
    else ds.downstream_rq_http1_total++;
    ds.downstream_rq_active++;
  }

  get worker(): number {
    return this.connection.worker;
  }

  get sourceIp(): string {
    return this.connection.remoteIp;
  }

  get originalDestination(): string {
    return this.connection.localAddress;
  }

  get trustEnvoyHeaders(): boolean {
    return this.hcm.trustEnvoyHeaders;
  }

  /** Whether the stream has ended (responded or reset). */
  get done(): boolean {
    return this.ended;
  }

  /** Decodes the (complete) request: request id, route, fault filter, router. */
  decodeHeaders(): void {
    const h = this.headers;
    const proxy = this.hcm.proxy;
    if (h['x-request-id'] === undefined) h['x-request-id'] = proxy.newRequestId();
    if (h['x-forwarded-proto'] === undefined) h['x-forwarded-proto'] = this.connection.tls ? 'https' : 'http';
    const table = this.hcm.routeTable();
    this.selection = table?.select(h, this.streamId);
    const sel = this.selection;
    this.trace?.('hcm.decode', {
      worker: this.worker,
      listener: this.hcm.listenerName,
      filterChain: this.hcm.filterChainName,
      routeConfig: table?.config.name ?? null,
      virtualHost: sel?.virtualHost.name ?? null,
      routeIndex: sel?.index ?? null,
      route: sel?.route.name ?? null,
      method: h[':method'] ?? null,
      authority: h[':authority'] ?? null,
      path: h[':path'] ?? null,
      // The resource behind the route (VirtualService http[i], file:line), also for requests that never
      // reach the router (a fault abort).
      ...(sel?.route.source !== undefined ? { source: sel.route.source } : {}),
    });
    // refreshCachedRoute: the route's cluster (a weighted pick is made with the stream id) is known from
    // here on, so even a local reply (a fault abort) logs %UPSTREAM_CLUSTER% and Istio's service labels.
    const action = sel?.route.action;
    const cluster =
      action?.kind === 'cluster'
        ? action.cluster
        : action?.kind === 'weighted_clusters'
          ? pickCompiledCluster(action, this.streamId)?.name
          : undefined;
    const tlc = cluster === undefined ? undefined : this.hcm.router.clusters.threadLocalCluster(cluster, this.worker);
    if (tlc !== undefined) {
      this.info.upstreamCluster = cluster;
      this.routeCluster = tlc;
    }
    const settings = sel?.route.fault;
    if (this.hcm.faultFilter && settings !== undefined) {
      const filter = new FaultFilter(this.hcm.faultFilterConfig(settings), proxy.faultRandom);
      this.fault = filter;
      if (this.onFaultDecision(filter.decodeRequest(h, cluster))) return;
    }
    this.decodeRouter();
  }

  // Returns true when the fault filter stopped the chain (delay or abort).
  private onFaultDecision(d: FaultDecision): boolean {
    const proxy = this.hcm.proxy;
    if (d.action === 'continue') return false;
    if (d.action === 'delay') {
      this.trace?.('fault.delay', { delayMs: d.delayMs });
      this.routeCluster = undefined;
      this.delayTimer = proxy.dispatcher.schedule(d.delayMs * 1000, () => {
        this.delayTimer = undefined;
        if (this.ended) return;
        const next = (this.fault as FaultFilter).onDelayTimer();
        if (!this.onFaultDecision(next)) this.decodeRouter();
      });
      return true;
    }
    this.trace?.('fault.abort', { status: d.status });
    this.sendLocalReply(
      d.status,
      d.body,
      d.responseCodeDetails,
      d.grpcStatus !== undefined ? { 'grpc-status': String(d.grpcStatus), 'grpc-message': d.body } : undefined,
    );
    return true;
  }

  private decodeRouter(): void {
    const router = new RouterFilter(this.hcm.router, this);
    this.router = router;
    router.decodeHeaders();
  }

  /** A local reply: `code` with a text body, and `details` for `%RESPONSE_CODE_DETAILS%`. */
  sendLocalReply(code: number, body: string, details: string, headers?: Readonly<Record<string, string>>): void {
    if (this.ended) return;
    this.info.responseCodeDetails = details;
    const h: Record<string, string> = {};
    if (body !== '') {
      h['content-type'] = 'text/plain';
      h['content-length'] = String(body.length);
    }
    if (headers !== undefined) Object.assign(h, headers);
    this.encode(code, body.length, h);
  }

  /** The upstream's response, with `x-envoy-upstream-service-time`. */
  encodeUpstreamResponse(response: UpstreamHttpResponse): void {
    if (this.ended) return;
    const rh = response.headers;
    const ust = this.info.upstreamServiceTime;
    // One literal (a spread is faster than copying key by key, and the object keeps one shape).
    const h: Record<string, string> =
      ust !== undefined
        ? { ...rh, 'x-envoy-upstream-service-time': String(Math.floor(ust / 1000)) }
        : rh !== undefined
          ? { ...rh }
          : {};
    this.encode(response.status, response.bodyBytes, h);
  }

  private encode(status: number, bodyBytes: number, headers: Record<string, string>): void {
    this.ended = true;
    const proxy = this.hcm.proxy;
    const info = this.info;
    info.responseCode = status;
    info.bytesSent = bodyBytes;
    this.responseHeaders = headers;
    this.finishFilters();
    const sentAt = proxy.dispatcher.now + proxy.responsePassTime();
    info.endTime = sentAt;
    const ds = this.hcm.downstreamStats;
    ds.downstream_rq_active--;
    ds.downstream_rq_completed++;
    const group = Math.floor(status / 100);
    if (group === 2) ds.downstream_rq_2xx++;
    else if (group === 5) ds.downstream_rq_5xx++;
    else if (group === 4) ds.downstream_rq_4xx++;
    else if (group === 3) ds.downstream_rq_3xx++;
    else if (group === 1) ds.downstream_rq_1xx++;
    this.trace?.('hcm.complete', { status, flags: info.flags.toString(), details: info.responseCodeDetails });
    proxy.onStreamComplete(this);
    this.peer.sendResponse(this, status, bodyBytes, headers, sentAt);
  }

  /**
   * The downstream went away before the response (the client timed out or closed its connection): the
   * router resets its upstream try, and the stream is logged with code 0, DC and
   * `downstream_remote_disconnect`.
   */
  onDownstreamReset(): void {
    if (this.ended) return;
    this.ended = true;
    const info = this.info;
    if (this.delayTimer !== undefined) {
      this.delayTimer.cancel();
      this.delayTimer = undefined;
    }
    this.router?.onDestroy();
    this.finishFilters();
    info.flags.set('DC');
    info.responseCode = 0;
    info.responseCodeDetails = ResponseCodeDetails.DownstreamRemoteDisconnect;
    info.endTime = this.hcm.proxy.dispatcher.now;
    const ds = this.hcm.downstreamStats;
    ds.downstream_rq_active--;
    ds.downstream_rq_rx_reset++;
    this.trace?.('hcm.complete', { status: 0, flags: info.flags.toString(), details: info.responseCodeDetails });
    this.hcm.proxy.onStreamComplete(this);
  }

  // The fault filter's flags (DI, FI) join the stream's; an active fault stops counting.
  private finishFilters(): void {
    const f = this.fault;
    if (f === undefined) return;
    if (f.hasFlags) for (const flag of f.flags.list()) this.info.flags.set(flag);
    f.onDestroy();
  }
}

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});
