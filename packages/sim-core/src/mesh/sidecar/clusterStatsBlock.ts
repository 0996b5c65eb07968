/**
 * A proxy's `cluster.<name>.*` stats, as Envoy keeps them: in the proxy's stats store for as long as the
 * proxy runs, across CDS updates that replace the cluster object (Envoy's stats live in the cluster's
 * scope, not in the cluster). The live counters belong to the current cluster object; this block exposes
 * them under stable names, folds a replaced cluster's counters into its successor, and charges the
 * response-code stats (`upstream_rq_<code>`, `upstream_rq_<N>xx`, `upstream_rq_completed`, their `external.`
 * twins, and `retry.` for a retried try — `CodeStatsImpl::chargeBasicResponseStat`/`chargeResponseStat` in
 * envoyproxy/envoy source/common/http/codes.cc) and `upstream_rq_time` with cached counters.
 */
import type { Duration } from '../../engine/time.js';
import type { ClusterLbStats, ClusterTrafficStats } from '../../envoy/upstream/clusterStats.js';
import type { OutlierDetectionStats } from '../../envoy/upstream/outlierDetector.js';
import type { ResourceManager } from '../../envoy/upstream/resourceManager.js';
import { clusterStatPrefix, responseCodeClass } from '../../envoy/observability/codeStats.js';
import type { Counter, Histogram, StatsStore } from '../../envoy/observability/statsStore.js';
import type { ClusterConnectionStats } from './connPool.js';

/** The live stat objects of one cluster object. */
export interface ClusterStatObjects {
  readonly traffic: ClusterTrafficStats;
  readonly lb: ClusterLbStats;
  readonly connection: ClusterConnectionStats;
  readonly outlier: OutlierDetectionStats | undefined;
  readonly resources: ResourceManager;
}

const TRAFFIC_GAUGES = new Set(['upstream_rq_active', 'upstream_rq_pending_active', 'upstream_cx_active']);

/** One cluster name's stats in one proxy's store. */
export class ClusterStatsBlock {
  readonly prefix: string;
  private current: ClusterStatObjects | undefined;
  private readonly store: StatsStore;
  private readonly codes = new Map<number, Counter[]>();
  private readonly retryCodes = new Map<number, Counter[]>();
  private readonly time: Histogram;
  private readonly externalTime: Histogram;
  private outlierAttached = false;
  // The last code charged on a first try (nearly always the same one) and its counters; NaN matches none.
  private lastCode = NaN;
  private lastCounters: readonly Counter[] = [];

  constructor(store: StatsStore, clusterName: string) {
    this.store = store;
    this.prefix = clusterStatPrefix(clusterName);
    this.time = store.histogram(`${this.prefix}upstream_rq_time`, 'Milliseconds');
    this.externalTime = store.histogram(`${this.prefix}external.upstream_rq_time`, 'Milliseconds');
  }

  /** Makes `objects` the live stats; a previous cluster object's counters carry over (gauges do not). */
  bind(objects: ClusterStatObjects): void {
    const prev = this.current;
    if (prev !== undefined) {
      carry(prev.traffic, objects.traffic, TRAFFIC_GAUGES);
      carry(prev.lb, objects.lb, new Set());
      carry(prev.connection, objects.connection, new Set());
      if (prev.outlier !== undefined && objects.outlier !== undefined) {
        carry(prev.outlier, objects.outlier, new Set(['ejections_active']));
      }
    }
    const first = prev === undefined;
    this.current = objects;
    if (first) {
      // Live sources, read when printing: the stats follow the cluster object across CDS updates.
      this.store.attachLive(this.prefix, Object.keys(objects.traffic), () => this.current?.traffic, TRAFFIC_GAUGES);
      this.store.attachLive(this.prefix, Object.keys(objects.lb), () => this.current?.lb);
      this.store.attachLive(this.prefix, Object.keys(objects.connection), () => this.current?.connection);
      this.store.attachLive(
        `${this.prefix}circuit_breakers.default.`,
        CB_GAUGES,
        () => this.current?.resources.gauges(),
        CB_GAUGES,
      );
    }
    if (!this.outlierAttached && objects.outlier !== undefined) {
      this.outlierAttached = true;
      this.store.attachLive(
        `${this.prefix}outlier_detection.`,
        Object.keys(objects.outlier),
        () => this.current?.outlier,
        ['ejections_active'],
      );
    }
  }

  /** Charges one response code (a retried try's code counts under `retry.` only). */
  chargeResponseCode(code: number, retried: boolean): void {
    let counters: readonly Counter[];
    if (code === this.lastCode && !retried) counters = this.lastCounters;
    else {
      counters = this.countersOf(code, retried);
      if (!retried) {
        this.lastCode = code;
        this.lastCounters = counters;
      }
    }
    for (let i = 0; i < counters.length; i++) (counters[i] as Counter).inc();
  }

  // The counters one code charges, made on its first charge.
  private countersOf(code: number, retried: boolean): readonly Counter[] {
    const cache = retried ? this.retryCodes : this.codes;
    let counters = cache.get(code);
    if (counters === undefined) {
      counters = [];
      const group = responseCodeClass(code);
      const name = code >= 100 && code < 600 ? `upstream_rq_${code}` : 'upstream_rq_unknown';
      const prefixes = retried ? [`${this.prefix}retry.`] : [this.prefix, `${this.prefix}external.`];
      for (const p of prefixes) {
        counters.push(this.store.counter(`${p}upstream_rq_completed`));
        if (group !== undefined) counters.push(this.store.counter(`${p}upstream_rq_${group}`));
        counters.push(this.store.counter(`${p}${name}`));
      }
      cache.set(code, counters);
    }
    return counters;
  }

  /** Records `upstream_rq_time` (and `external.upstream_rq_time`), truncated to whole ms. */
  chargeResponseTime(time: Duration): void {
    const v = Math.floor(time / 1000);
    this.time.record(v);
    this.externalTime.record(v);
  }
}

const CB_GAUGES = [
  'cx_open',
  'rq_pending_open',
  'rq_open',
  'rq_retry_open',
  'cx_pool_open',
  'remaining_cx',
  'remaining_pending',
  'remaining_rq',
  'remaining_retries',
  'remaining_cx_pools',
];

// Counters of a replaced cluster object continue in its successor's.
function carry<T extends object>(from: T, to: T, gauges: ReadonlySet<string>): void {
  const f = from as Record<string, number>;
  const t = to as Record<string, number>;
  for (const k of Object.keys(f)) if (!gauges.has(k) && typeof f[k] === 'number') t[k] = (t[k] ?? 0) + (f[k] as number);
}
