/**
 * The HTTP fault-injection filter (`envoy.filters.http.fault`), Istio's VirtualService `fault`. Per request:
 * if it qualifies, draw the delay percentage (one `random()`); a delay stops the request and sets DI; when
 * the delay timer fires the abort is evaluated with a *fresh* draw, so a request can be delayed and then
 * aborted ("DI,FI"); without a delay the abort is drawn at once. An abort is a local reply that never
 * reaches the router: no upstream attempt, no retry, no outlier report. `max_active_faults` caps concurrent
 * faults (`faults_overflow`). Mirrors `FaultFilter` (envoyproxy/envoy
 * source/extensions/filters/http/fault/fault_filter.cc).
 */
import type { RandomSource } from '../../../../engine/rng.js';
import { firstHeaderValue, type HeaderMap } from '../../../common.js';
import type { HTTPFault } from '../../../config/fault.js';
import { ResponseFlags } from '../../../observability/responseFlags.js';
import { FaultSettings, type ResolvedPercent } from './faultConfig.js';

/** `ALL_FAULT_FILTER_STATS`, under `http.<stat_prefix>.fault.`. */
export interface FaultFilterStats {
  delays_injected: number;
  aborts_injected: number;
  faults_overflow: number;
  response_rl_injected: number;
  /** Gauge: faults in progress. */
  active_faults: number;
}

/** Config shared by all requests through one filter instance (a listener's filter chain): settings and stats. */
export class FaultFilterConfig {
  readonly settings: FaultSettings;
  readonly stats: FaultFilterStats;
  /** `fault.<downstream_cluster>.delays_injected` / `aborts_injected`, by `x-envoy-downstream-service-cluster`. */
  readonly downstreamClusterStats: Map<string, { delays_injected: number; aborts_injected: number }>;

  /**
   * `shared` lets several settings (Istio's per-route faults, `typed_per_filter_config`) count in one
   * filter's stats, as Envoy keeps them on the filter config of the connection manager.
   */
  constructor(fault: HTTPFault | FaultSettings, shared?: Pick<FaultFilterConfig, 'stats' | 'downstreamClusterStats'>) {
    this.settings = fault instanceof FaultSettings ? fault : new FaultSettings(fault);
    this.stats = shared?.stats ?? {
      delays_injected: 0,
      aborts_injected: 0,
      faults_overflow: 0,
      response_rl_injected: 0,
      active_faults: 0,
    };
    this.downstreamClusterStats = shared?.downstreamClusterStats ?? new Map();
  }
}

/** What the filter tells the chain to do. */
export type FaultDecision =
  /** Carry on to the next filter (the router). */
  | { readonly action: 'continue' }
  /** Stop the request; call {@link FaultFilter.onDelayTimer} after `delayMs`. */
  | { readonly action: 'delay'; readonly delayMs: number }
  /**
   * Answer locally. HTTP: `status` with body `fault filter abort` (`content-type: text/plain`). gRPC:
   * `:status 200` with `grpc-status` and `grpc-message: fault filter abort`.
   */
  | {
      readonly action: 'abort';
      readonly status: number;
      readonly grpcStatus?: number;
      readonly body: 'fault filter abort';
      readonly responseCodeDetails: 'fault_filter_abort';
    };

/** What the filter knows about the request besides its headers. */
export interface FaultRequestInfo {
  /** The route's cluster, for `upstream_cluster`. */
  readonly routeClusterName?: string;
}

/** The fault filter of one request (`FaultFilter`). */
export class FaultFilter {
  private readonly config: FaultFilterConfig;
  private readonly random: RandomSource;
  // Made when the filter sets a flag: most requests get no fault.
  private flagSet: ResponseFlags | undefined;
  private faultActive = false;
  private headers: HeaderMap = NO_HEADERS;
  private downstreamCluster: string | undefined;
  private delayPending = false;

  constructor(config: FaultFilterConfig, random: RandomSource) {
    this.config = config;
    this.random = random;
  }

  /** Response flags this filter set (DI, FI). */
  get flags(): ResponseFlags {
    return (this.flagSet ??= new ResponseFlags());
  }

  /** Whether the filter set any response flag. */
  get hasFlags(): boolean {
    return this.flagSet !== undefined && !this.flagSet.empty;
  }

  /** `decodeHeaders`: qualification, then delay (one draw), else abort (one draw). */
  decodeHeaders(headers: HeaderMap, info: FaultRequestInfo = {}): FaultDecision {
    return this.decodeRequest(headers, info.routeClusterName);
  }

  /** {@link decodeHeaders} with the route's cluster as an argument (the connection manager's call: no info object). */
  decodeRequest(headers: HeaderMap, routeClusterName: string | undefined): FaultDecision {
    const s = this.config.settings;
    this.headers = headers;
    if (s.upstreamCluster !== undefined && routeClusterName !== s.upstreamCluster) return CONTINUE;
    if (s.downstreamNodes.size > 0) {
      const node = firstHeaderValue(headers, 'x-envoy-downstream-service-node');
      if (node === undefined || !s.downstreamNodes.has(node)) return CONTINUE;
    }
    if (!s.matchesHeaders(headers)) return CONTINUE;
    // A named read (not firstHeaderValue's keyed one): the header is absent on almost every request.
    const dcValue = headers['x-envoy-downstream-service-cluster'];
    const dc = typeof dcValue === 'string' ? dcValue : dcValue?.[0];
    if (dc !== undefined && dc !== '') this.downstreamCluster = dc;
    const delayMs = this.delayDuration();
    if (delayMs !== undefined && this.tryIncActiveFaults()) {
      this.config.stats.delays_injected++;
      this.perCluster('delays_injected');
      this.flags.set('DI');
      this.delayPending = true;
      return { action: 'delay', delayMs };
    }
    return this.maybeAbort() ?? CONTINUE;
  }

  /** `postDelayInjection`: the abort gets its own, fresh percentage draw; otherwise the request goes on. */
  onDelayTimer(): FaultDecision {
    this.delayPending = false;
    const abort = this.abortStatus();
    if (abort !== undefined) return this.abortWith(abort.http, abort.grpc);
    // A finished delay stops counting as an active fault.
    if (this.faultActive) {
      this.config.stats.active_faults--;
      this.faultActive = false;
    }
    return CONTINUE;
  }

  /** True while the request waits on the delay timer. */
  get delaying(): boolean {
    return this.delayPending;
  }

  /** `onDestroy`: the stream ended; an active fault stops counting. */
  onDestroy(): void {
    this.delayPending = false;
    if (this.faultActive) {
      this.config.stats.active_faults--;
      this.faultActive = false;
    }
  }

  // `FaultFilter::delayDuration`: enabled check first (draws), then the duration; 0 ms means no delay.
  private delayDuration(): number | undefined {
    const s = this.config.settings;
    const pct = s.delayPercentage(this.headers);
    if (pct === undefined || !this.enabled(pct)) return undefined;
    const ms = s.delayDurationMs(this.headers);
    return ms !== undefined && ms > 0 ? ms : undefined;
  }

  private abortStatus(): { http: number; grpc: number | undefined } | undefined {
    const s = this.config.settings;
    const pct = s.abortPercentage(this.headers);
    if (pct === undefined || !this.enabled(pct)) return undefined;
    const http = s.abortHttpStatus(this.headers);
    if (http !== undefined) return { http, grpc: undefined };
    const grpc = s.abortGrpcStatus(this.headers);
    if (grpc !== undefined) return { http: 200, grpc };
    return undefined;
  }

  private maybeAbort(): FaultDecision | undefined {
    const abort = this.abortStatus();
    if (abort === undefined || !this.tryIncActiveFaults()) return undefined;
    return this.abortWith(abort.http, abort.grpc);
  }

  private abortWith(status: number, grpcStatus: number | undefined): FaultDecision {
    this.config.stats.aborts_injected++;
    this.perCluster('aborts_injected');
    this.flags.set('FI');
    return {
      action: 'abort',
      status,
      ...(grpcStatus !== undefined ? { grpcStatus } : {}),
      body: 'fault filter abort',
      responseCodeDetails: 'fault_filter_abort',
    };
  }

  /** `featureEnabled(key, FractionalPercent)`: always one `random()`, `r % denominator < numerator`. */
  private enabled(p: ResolvedPercent): boolean {
    return this.random.random() % p.denominator < p.numerator;
  }

  /** `tryIncActiveFaults`: one active fault per filter; over `max_active_faults` counts `faults_overflow`. */
  private tryIncActiveFaults(): boolean {
    if (this.faultActive) return true;
    const max = this.config.settings.maxActiveFaults;
    if (max !== undefined && this.config.stats.active_faults >= max) {
      this.config.stats.faults_overflow++;
      return false;
    }
    this.config.stats.active_faults++;
    this.faultActive = true;
    return true;
  }

  private perCluster(stat: 'delays_injected' | 'aborts_injected'): void {
    if (this.downstreamCluster === undefined) return;
    let c = this.config.downstreamClusterStats.get(this.downstreamCluster);
    if (c === undefined) {
      c = { delays_injected: 0, aborts_injected: 0 };
      this.config.downstreamClusterStats.set(this.downstreamCluster, c);
    }
    c[stat]++;
  }
}

const CONTINUE: FaultDecision = Object.freeze({ action: 'continue' });
const NO_HEADERS: HeaderMap = Object.freeze({});
