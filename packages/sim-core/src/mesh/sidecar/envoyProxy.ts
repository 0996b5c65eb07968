/**
 * One running Envoy — a sidecar or a gateway — in the simulated world: its xDS configuration (replaced by
 * pushes), its workers (`concurrency`), its clusters (shared state plus per-worker load balancers and
 * pools), its connection managers and stats store. It accepts downstream connections (deciding listener,
 * filter chain, TLS and network filter once per connection class), runs their HTTP streams, and opens
 * upstream connections through the world's transport. Random streams are the proxy's own:
 * `<proxy>/hcm` (stream ids), `<proxy>/fault`, `<proxy>/retry`, `<proxy>/lb/<cluster>[/worker/<n>]`,
 * `<proxy>/cluster/<cluster>`, `<proxy>/outlier/<cluster>`, `reuseport/<proxy>/<in|out>`.
 */
import type { RandomSource } from '../../engine/rng.js';
import type { Simulation } from '../../engine/simulation.js';
import type { Duration } from '../../engine/time.js';
import type { Cluster } from '../../envoy/config/cluster.js';
import type { ClusterLoadAssignment } from '../../envoy/config/endpoint.js';
import type { HttpConnectionManager } from '../../envoy/config/listener.js';
import type { ProxyConfig } from '../../envoy/config/proxyConfig.js';
import type { RouteConfiguration } from '../../envoy/config/route.js';
import { FaultFilterConfig } from '../../envoy/filters/http/fault/faultFilter.js';
import type { FaultSettings } from '../../envoy/filters/http/fault/faultConfig.js';
import type { ActiveStream } from '../../envoy/http/activeStream.js';
import {
  ConnectionManager,
  createDownstreamStats,
  type DownstreamStats,
  type HttpProxyContext,
} from '../../envoy/http/connectionManager.js';
import { RequestIdGenerator } from '../../envoy/http/requestId.js';
import { RouteTable } from '../../envoy/http/routeTable.js';
import type { DownstreamConnection } from '../../envoy/listener/connection.js';
import { httpStatPrefix } from '../../envoy/observability/codeStats.js';
import { StatsStore } from '../../envoy/observability/statsStore.js';
import {
  createRouterStats,
  type RouterDeps,
  type RouterStats,
  type RouterTraceFn,
  type ShadowWriter,
} from '../../envoy/router/routerFilter.js';
import type { ClusterProvider, ThreadLocalCluster } from '../../envoy/router/routerContext.js';
import type { OutlierEvent } from '../../envoy/upstream/outlierDetector.js';
import type { MaxEjectionPercentRule } from '../../envoy/upstream/outlierDetectorConfig.js';
import type { MeshProxy } from '../../istio/model/proxy.js';
import type { ProxyLatency } from '../network/proxyLatency.js';
import { ClusterEntry } from './clusterEntry.js';
import { ClusterStatsBlock } from './clusterStatsBlock.js';
import type { WireConnector } from './connPool.js';
import { listenerPath, type ClientTransport, type ListenerPath } from './listenerPath.js';
import { WorkerAssignment } from './workerAssignment.js';

/** What the world gives a proxy. */
export interface ProxyServices {
  readonly sim: Simulation;
  /** Opens this proxy's upstream connections. */
  readonly connector: WireConnector;
  readonly latency: ProxyLatency;
  /** Telemetry of a finished stream. */
  onStreamComplete(proxy: EnvoyProxy, stream: ActiveStream): void;
  /** Hop-level trace records, or undefined when tracing is off. */
  readonly trace: ((proxy: EnvoyProxy, kind: string, detail: Readonly<Record<string, unknown>>) => void) | undefined;
  /** The mirror writer (shadow requests), when the world supports them. */
  readonly shadow?: (proxy: EnvoyProxy) => ShadowWriter;
  /** @defaultValue `'current'` */
  readonly maxEjectionPercentRule?: MaxEjectionPercentRule;
  /** @defaultValue `'current'` */
  readonly retryBackoff?: 'current' | 'legacy';
}

/** A connection manager and what it serves, for a connection class. */
export type AcceptedPath = ListenerPath & { readonly manager?: ConnectionManager };

const CLUSTER_KEY = new WeakMap<Cluster, string>();
function clusterKey(c: Cluster): string {
  let k = CLUSTER_KEY.get(c);
  if (k === undefined) {
    const { loadAssignment: _la, ...rest } = c;
    k = JSON.stringify(rest);
    CLUSTER_KEY.set(c, k);
  }
  return k;
}

/** A running Envoy. */
export class EnvoyProxy implements HttpProxyContext, ClusterProvider {
  /** `<pod>.<namespace>` (istioctl's proxy id). */
  readonly id: string;
  /** `namespace/pod`, as access logs name the proxy. */
  readonly name: string;
  readonly meshProxy: MeshProxy;
  readonly workers: number;
  readonly stats = new StatsStore();
  readonly inboundWorkers: WorkerAssignment;
  readonly outboundWorkers: WorkerAssignment;
  readonly streamIdRandom: RandomSource;
  readonly faultRandom: RandomSource;
  readonly trace: RouterTraceFn | undefined;
  readonly services: ProxyServices;
  private configuration: ProxyConfig;
  private routeTables = new Map<string, RouteTable>();
  private readonly clusters = new Map<string, ClusterEntry>();
  private readonly clusterStats = new Map<string, ClusterStatsBlock>();
  private readonly downstreamStats = new Map<string, DownstreamStats>();
  private readonly routerStats = new Map<string, RouterStats>();
  private readonly faultConfigs = new Map<string, FaultFilterConfig>();
  private readonly faultBySettings = new WeakMap<FaultSettings, Map<string, FaultFilterConfig>>();
  private managers = new Map<HttpConnectionManager, ConnectionManager>();
  private paths = new Map<string, ListenerPath>();
  private readonly requestIds: RequestIdGenerator;
  private readonly retryRandom: RandomSource;
  private readonly routerDepsByPrefix = new Map<string, RouterDeps>();
  private readonly latency: ProxyLatency;
  // Bumped by every push that replaces the route tables: connection managers re-resolve their RDS table
  // only then, not per stream.
  private routesVersion = 0;
  // The cluster looked up last: a stream looks its route's cluster up twice in a row (the connection
  // manager when it picks the route, the router when it forwards), and a Map lookup per stream adds up.
  private lastClusterName: string | undefined;
  private lastCluster: ClusterEntry | undefined;
  // The fault filter configuration handed out last (settings and stat prefix), for the same reason.
  private lastFaultSettings: FaultSettings | undefined;
  private lastFaultPrefix = '';
  private lastFaultConfig: FaultFilterConfig | undefined;

  constructor(meshProxy: MeshProxy, config: ProxyConfig, services: ProxyServices) {
    this.meshProxy = meshProxy;
    this.id = meshProxy.id;
    this.name = `${meshProxy.namespace}/${meshProxy.name}`;
    this.services = services;
    this.latency = services.latency;
    this.workers = Math.max(1, meshProxy.concurrency || 2);
    const rng = services.sim.rng;
    const meta = meshProxy.metadata;
    this.inboundWorkers = new WorkerAssignment(
      this.workers,
      rng.stream(`reuseport/${this.name}/in`),
      meta['ISTIO_META_INBOUND_LISTENER_EXACT_BALANCE'] === 'true' ? 'exact' : 'kernel',
    );
    this.outboundWorkers = new WorkerAssignment(
      this.workers,
      rng.stream(`reuseport/${this.name}/out`),
      meta['ISTIO_META_OUTBOUND_LISTENER_EXACT_BALANCE'] === 'true' ? 'exact' : 'kernel',
    );
    this.streamIdRandom = rng.stream(`${this.name}/hcm`);
    this.faultRandom = rng.stream(`${this.name}/fault`);
    this.retryRandom = rng.stream(`${this.name}/retry`);
    this.requestIds = new RequestIdGenerator(`${rng.seed}/${this.name}`);
    const trace = services.trace;
    this.trace = trace === undefined ? undefined : (kind, detail) => trace(this, kind, detail);
    this.configuration = config;
    this.applyConfig(config);
  }

  /** The configuration in force. */
  get config(): ProxyConfig {
    return this.configuration;
  }

  get dispatcher(): Simulation {
    return this.services.sim;
  }

  /** Envoy's `x-request-id` for a request that has none. */
  newRequestId(): string {
    return this.requestIds.next();
  }

  responsePassTime(): Duration {
    return this.latency.response();
  }

  /** The proxy's processing time for one request pass. */
  requestPassTime(): Duration {
    return this.latency.request();
  }

  faultFilterConfig(settings: FaultSettings, statPrefix: string): FaultFilterConfig {
    // Entries are never replaced, so the last answer stays right for the same settings and prefix.
    if (settings === this.lastFaultSettings && statPrefix === this.lastFaultPrefix) {
      return this.lastFaultConfig as FaultFilterConfig;
    }
    const config = this.faultFilterConfigOf(settings, statPrefix);
    this.lastFaultSettings = settings;
    this.lastFaultPrefix = statPrefix;
    this.lastFaultConfig = config;
    return config;
  }

  private faultFilterConfigOf(settings: FaultSettings, statPrefix: string): FaultFilterConfig {
    let byPrefix = this.faultBySettings.get(settings);
    if (byPrefix === undefined) {
      byPrefix = new Map();
      this.faultBySettings.set(settings, byPrefix);
    }
    let config = byPrefix.get(statPrefix);
    if (config === undefined) {
      let shared = this.faultConfigs.get(statPrefix);
      if (shared === undefined) {
        shared = new FaultFilterConfig(settings);
        this.faultConfigs.set(statPrefix, shared);
        this.stats.attach(`${httpStatPrefix(statPrefix)}fault.`, shared.stats as unknown as Record<string, number>, [
          'active_faults',
        ]);
        config = shared;
      } else {
        config = new FaultFilterConfig(settings, shared);
      }
      byPrefix.set(statPrefix, config);
    }
    return config;
  }

  onStreamComplete(stream: ActiveStream): void {
    this.services.onStreamComplete(this, stream);
  }

  threadLocalCluster(name: string, worker: number): ThreadLocalCluster | undefined {
    if (name === this.lastClusterName) return this.lastCluster?.threadLocal(worker);
    const entry = this.clusters.get(name);
    this.lastClusterName = name;
    this.lastCluster = entry;
    return entry?.threadLocal(worker);
  }

  /** A cluster by name (for telemetry and inspection). */
  cluster(name: string): ClusterEntry | undefined {
    return this.clusters.get(name);
  }

  /** Every cluster, in name order. */
  clusterEntries(): ClusterEntry[] {
    return [...this.clusters.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The route table of RDS resource `name`, as of now. */
  routeTable(name: string): RouteTable | undefined {
    return this.routeTables.get(name);
  }

  /**
   * What happens to a new downstream connection of this class (cached until the next push): refused,
   * closed, or served by a connection manager or a TCP proxy.
   */
  accept(conn: DownstreamConnection, transport: ClientTransport, capturePort: number | undefined): AcceptedPath {
    const key = `${conn.destinationAddress}|${conn.destinationPort}|${capturePort ?? ''}|${transport}|${conn.serverName ?? ''}|${(conn.applicationProtocols ?? []).join(',')}|${conn.plaintextProtocol ?? ''}|${conn.sourceAddress}`;
    let path = this.paths.get(key);
    if (path === undefined) {
      path = listenerPath(this.configuration.listeners, conn, transport, capturePort);
      if (this.paths.size > 50_000) this.paths.clear();
      this.paths.set(key, path);
    }
    if (path.kind !== 'http') return path;
    return { ...path, manager: this.manager(path.hcm, path.listener.name, path.chainName) };
  }

  /** The connection manager of an HCM config of the current configuration. */
  manager(hcm: HttpConnectionManager, listenerName: string, chainName: string): ConnectionManager {
    let m = this.managers.get(hcm);
    if (m === undefined) {
      const prefix = hcm.statPrefix;
      const inline = hcm.routeConfig !== undefined ? new RouteTable(hcm.routeConfig) : undefined;
      const rdsName = hcm.rds?.routeConfigName;
      m = new ConnectionManager({
        config: hcm,
        proxy: this,
        router: this.routerDeps(prefix),
        downstreamStats: this.downstreamStatsFor(prefix),
        routes: inline !== undefined ? () => inline : this.rdsRoutes(rdsName),
        listenerName,
        filterChainName: chainName,
      });
      this.managers.set(hcm, m);
    }
    return m;
  }

  // The RDS table `name` as of now, re-resolved only after a push replaced the tables.
  private rdsRoutes(name: string | undefined): () => RouteTable | undefined {
    if (name === undefined) return () => undefined;
    let version = -1;
    let table: RouteTable | undefined;
    return () => {
      if (version !== this.routesVersion) {
        version = this.routesVersion;
        table = this.routeTables.get(name);
      }
      return table;
    };
  }

  /**
   * An xDS push: listeners and routes are replaced; clusters whose configuration is unchanged keep their
   * state (hosts, outlier detection, pools) and take the new endpoints (EDS); changed clusters are rebuilt
   * (a CDS update replaces the cluster), removed ones disposed.
   */
  applyConfig(config: ProxyConfig): void {
    this.configuration = config;
    const tables = new Map<string, RouteTable>();
    for (const rc of config.routes)
      tables.set(
        rc.name,
        this.routeTables.get(rc.name)?.config === rc
          ? (this.routeTables.get(rc.name) as RouteTable)
          : new RouteTable(rc),
      );
    this.routeTables = tables;
    this.routesVersion++;
    this.lastClusterName = undefined;
    this.lastCluster = undefined;
    const eds = new Map<string, ClusterLoadAssignment>();
    for (const cla of config.endpoints) eds.set(cla.clusterName, cla);
    const seen = new Set<string>();
    for (const c of config.clusters) {
      seen.add(c.name);
      const existing = this.clusters.get(c.name);
      const endpoints = eds.get(c.name) ?? c.loadAssignment;
      if (existing !== undefined && clusterKey(existing.config) === clusterKey(c)) {
        existing.updateEndpoints(endpoints);
        continue;
      }
      existing?.dispose();
      this.clusters.set(c.name, this.buildCluster(c, endpoints));
    }
    for (const [name, entry] of [...this.clusters]) {
      if (seen.has(name)) continue;
      entry.dispose();
      this.clusters.delete(name);
    }
    this.managers = new Map();
    this.paths = new Map();
  }

  /** Replaces only the endpoints (an EDS push). */
  applyEndpoints(endpoints: readonly ClusterLoadAssignment[]): void {
    for (const cla of endpoints) this.clusters.get(cla.clusterName)?.updateEndpoints(cla);
  }

  /** Stops every timer (the proxy's pod is gone). */
  dispose(): void {
    for (const c of this.clusters.values()) c.dispose();
    this.clusters.clear();
    this.lastClusterName = undefined;
    this.lastCluster = undefined;
  }

  private buildCluster(c: Cluster, endpoints: ClusterLoadAssignment | undefined): ClusterEntry {
    let block = this.clusterStats.get(c.name);
    if (block === undefined) {
      block = new ClusterStatsBlock(this.stats, c.name);
      this.clusterStats.set(c.name, block);
    }
    const rng = this.services.sim.rng;
    const trace = this.trace;
    return new ClusterEntry({
      config: c,
      endpoints,
      workers: this.workers,
      stream: (n) => rng.stream(`${this.name}/${n}`),
      dispatcher: this.services.sim,
      connector: this.services.connector,
      stats: block,
      ...(this.services.maxEjectionPercentRule !== undefined
        ? { maxEjectionPercentRule: this.services.maxEjectionPercentRule }
        : {}),
      ...(trace !== undefined
        ? {
            outlierEventLogger: (e: OutlierEvent) =>
              trace(`outlier.${e.action.toLowerCase()}`, {
                cluster: c.name,
                host: e.host.addressString,
                type: e.type ?? null,
                enforced: e.enforced,
              }),
          }
        : {}),
    });
  }

  private routerDeps(prefix: string): RouterDeps {
    let d = this.routerDepsByPrefix.get(prefix);
    if (d === undefined) {
      let stats = this.routerStats.get(prefix);
      if (stats === undefined) {
        stats = createRouterStats();
        this.routerStats.set(prefix, stats);
        this.stats.attach(httpStatPrefix(prefix), stats);
      }
      const shadow = this.services.shadow?.(this);
      d = {
        dispatcher: this.services.sim,
        clusters: this,
        retryRandom: this.retryRandom,
        stats,
        ...(this.services.retryBackoff !== undefined ? { backoff: this.services.retryBackoff } : {}),
        ...(shadow !== undefined ? { shadow } : {}),
      };
      this.routerDepsByPrefix.set(prefix, d);
    }
    return d;
  }

  private downstreamStatsFor(prefix: string): DownstreamStats {
    let s = this.downstreamStats.get(prefix);
    if (s === undefined) {
      s = createDownstreamStats();
      this.downstreamStats.set(prefix, s);
      this.stats.attach(httpStatPrefix(prefix), s, ['downstream_rq_active']);
    }
    return s;
  }
}

export type { RouteConfiguration };
