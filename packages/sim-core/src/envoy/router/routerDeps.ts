/**
 * What the router filter needs from its proxy (clusters, timers, randomness, stats, the shadow writer) and
 * from its stream (headers, stream info, the chosen route, local replies), as Envoy's
 * `StreamDecoderFilterCallbacks` and cluster manager give them (envoyproxy/envoy source/common/router/router.h).
 */
import type { RandomSource } from '../../engine/rng.js';
import type { Duration } from '../../engine/time.js';
import type { Dispatcher } from '../common.js';
import type { RouteSelection } from '../http/routeTable.js';
import type { StreamInfo } from '../http/streamInfo.js';
import type { ClusterProvider, ThreadLocalCluster, UpstreamHttpResponse } from './routerContext.js';
import type { RouterStats } from './routerStats.js';

/** A mirror request (`ShadowWriter::shadow`): fire and forget, the response is discarded. */
export interface ShadowWriter {
  shadow(cluster: string, headers: Record<string, string>, bodyBytes: number, timeout: Duration, worker: number): void;
}

/** Trace hook: `kind` and a JSON detail, recorded at the current time. */
export type RouterTraceFn = (kind: string, detail: Readonly<Record<string, unknown>>) => void;

/** What a router needs from its proxy. */
export interface RouterDeps {
  readonly dispatcher: Dispatcher;
  readonly clusters: ClusterProvider;
  /** Backoff jitter (one `random()` per retry). */
  readonly retryRandom: RandomSource;
  /** @defaultValue `'current'` */
  readonly backoff?: 'current' | 'legacy';
  readonly stats: RouterStats;
  readonly shadow?: ShadowWriter;
}

/** What a router needs from its stream (implemented by the connection manager's active stream). */
export interface RouterStream {
  /** Request headers, mutable: the router consumes `x-envoy-*` overrides and applies rewrites. */
  readonly headers: Record<string, string>;
  readonly bodyBytes: number;
  readonly info: StreamInfo;
  /** The stream id: the random value of runtime fractions, weighted clusters and mirrors. */
  readonly streamId: number;
  readonly worker: number;
  /** The route the connection manager chose (undefined: none matched). */
  readonly selection: RouteSelection | undefined;
  /**
   * The thread-local cluster of `info.upstreamCluster`, when the connection manager resolved it in the event
   * the router decodes in (the router then skips its own lookup of that name).
   */
  readonly routeCluster?: ThreadLocalCluster | undefined;
  /** The downstream's IP, for `connection_properties.source_ip` hashing. */
  readonly sourceIp: string;
  /** `ip:port` the downstream dialled (ORIGINAL_DST clusters forward there). */
  readonly originalDestination: string;
  /** Whether `x-envoy-*` request headers are honoured (internal requests). */
  readonly trustEnvoyHeaders: boolean;
  /** A local reply (flags already set on `info`). */
  sendLocalReply(code: number, body: string, details: string, headers?: Readonly<Record<string, string>>): void;
  /** The upstream's response, passed downstream. */
  encodeUpstreamResponse(response: UpstreamHttpResponse): void;
  /** Trace hook (no-op when tracing is off). */
  readonly trace: RouterTraceFn | undefined;
}
