/**
 * The HTTP connection manager of one filter chain (`envoy.filters.network.http_connection_manager`,
 * `Http::ConnectionManagerImpl`): its route configuration (inline, or by RDS name through the proxy's current
 * configuration), whether the fault filter is in its HTTP filter chain, its stats under `http.<stat_prefix>.`
 * (`ALL_HTTP_CONN_MAN_STATS` and the router's `ALL_ROUTER_STATS`), and the proxy services its streams use.
 * One instance per filter chain per configuration; streams are {@link ActiveStream}s.
 */
import type { RandomSource } from '../../engine/rng.js';
import type { Duration } from '../../engine/time.js';
import type { Dispatcher } from '../common.js';
import type { HttpConnectionManager as HcmConfig } from '../config/listener.js';
import type { FaultFilterConfig } from '../filters/http/fault/faultFilter.js';
import type { FaultSettings } from '../filters/http/fault/faultConfig.js';
import type { RouterDeps, RouterStats, RouterTraceFn } from '../router/routerFilter.js';
import type { ActiveStream } from './activeStream.js';
import type { RouteTable } from './routeTable.js';

/** `ALL_HTTP_CONN_MAN_STATS` the simulation moves, as a block attached to the proxy's stats store. */
export type DownstreamStats = {
  downstream_rq_total: number;
  downstream_rq_http1_total: number;
  downstream_rq_http2_total: number;
  downstream_rq_completed: number;
  downstream_rq_1xx: number;
  downstream_rq_2xx: number;
  downstream_rq_3xx: number;
  downstream_rq_4xx: number;
  downstream_rq_5xx: number;
  downstream_rq_rx_reset: number;
  downstream_rq_tx_reset: number;
  /** Gauge. */
  downstream_rq_active: number;
};

/** Fresh zeroed downstream stats. */
export function createDownstreamStats(): DownstreamStats {
  return {
    downstream_rq_total: 0,
    downstream_rq_http1_total: 0,
    downstream_rq_http2_total: 0,
    downstream_rq_completed: 0,
    downstream_rq_1xx: 0,
    downstream_rq_2xx: 0,
    downstream_rq_3xx: 0,
    downstream_rq_4xx: 0,
    downstream_rq_5xx: 0,
    downstream_rq_rx_reset: 0,
    downstream_rq_tx_reset: 0,
    downstream_rq_active: 0,
  };
}

/** What the connection manager's streams need from their proxy. */
export interface HttpProxyContext {
  readonly dispatcher: Dispatcher;
  /** Stream ids (`random_generator_.random()` per stream). */
  readonly streamIdRandom: RandomSource;
  /** The fault filter's percentages. */
  readonly faultRandom: RandomSource;
  /** A new `x-request-id` (Envoy's UUID4), for requests that arrive without one. */
  newRequestId(): string;
  /** The proxy's processing time for one response pass (downstream send happens after it). */
  responsePassTime(): Duration;
  /**
   * The fault filter config (with its stats) for a route's fault settings on this proxy: the same object
   * for the same arguments (connection managers remember it).
   */
  faultFilterConfig(settings: FaultSettings, statPrefix: string): FaultFilterConfig;
  /** Telemetry when a stream ends (access log, Istio metrics, outcomes). */
  onStreamComplete(stream: ActiveStream): void;
  /** Trace hook, or undefined when tracing is off. */
  readonly trace: RouterTraceFn | undefined;
}

/** One HTTP connection manager. */
export class ConnectionManager {
  readonly config: HcmConfig;
  readonly statPrefix: string;
  /** Whether `envoy.filters.http.fault` is in the HTTP filter chain. */
  readonly faultFilter: boolean;
  /** Whether `x-envoy-*` request headers are trusted (`use_remote_address: false`: sidecars). */
  readonly trustEnvoyHeaders: boolean;
  readonly downstreamStats: DownstreamStats;
  readonly routerStats: RouterStats;
  readonly proxy: HttpProxyContext;
  readonly router: RouterDeps;
  /** The name of the listener and filter chain, for traces. */
  readonly listenerName: string;
  readonly filterChainName: string;
  private readonly resolveRoutes: () => RouteTable | undefined;
  // The last fault settings asked for and their config: a connection manager's streams mostly hit the same
  // faulted route, and this spares the proxy's two-map lookup per stream.
  private lastFaultSettings: FaultSettings | undefined;
  private lastFaultConfig: FaultFilterConfig | undefined;

  constructor(options: {
    readonly config: HcmConfig;
    readonly proxy: HttpProxyContext;
    readonly router: RouterDeps;
    readonly downstreamStats: DownstreamStats;
    /** The route table: inline, or the proxy's current RDS resource of that name. */
    readonly routes: () => RouteTable | undefined;
    readonly listenerName: string;
    readonly filterChainName: string;
  }) {
    const c = options.config;
    this.config = c;
    this.statPrefix = c.statPrefix;
    this.faultFilter = c.httpFilters.some((f) => f.name === 'envoy.filters.http.fault');
    // Istio's sidecars set use_remote_address false (app requests are internal); gateways true, and
    // Envoy then strips x-envoy-* headers from external clients (ConnectionManagerUtility).
    this.trustEnvoyHeaders = c.useRemoteAddress !== true;
    this.downstreamStats = options.downstreamStats;
    this.routerStats = options.router.stats;
    this.proxy = options.proxy;
    this.router = options.router;
    this.resolveRoutes = options.routes;
    this.listenerName = options.listenerName;
    this.filterChainName = options.filterChainName;
  }

  /** The route table in force now (RDS may have been updated since the connection was accepted). */
  routeTable(): RouteTable | undefined {
    return this.resolveRoutes();
  }

  /** The fault filter config for a route's fault settings, under this connection manager's stat prefix. */
  faultFilterConfig(settings: FaultSettings): FaultFilterConfig {
    if (settings !== this.lastFaultSettings || this.lastFaultConfig === undefined) {
      this.lastFaultConfig = this.proxy.faultFilterConfig(settings, this.statPrefix);
      this.lastFaultSettings = settings;
    }
    return this.lastFaultConfig;
  }
}
