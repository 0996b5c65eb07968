/**
 * One cluster of one proxy at run time. Cluster-wide state is shared by the workers, as in Envoy: the
 * priority set (hosts and their health), outlier detection, circuit-breaker resources and stats
 * (`ClusterInfo`, `PrioritySet` on the main thread). Per worker (`ThreadLocalCluster`): a load balancer — its
 * own instance with its own random stream, so round robin cursors and least-request samples are per worker —
 * and connection pools per host and protocol. EDS updates keep hosts that stay (their outlier state with
 * them). ORIGINAL_DST clusters (Istio's `PassthroughCluster`, `inbound|<port>||`) make a host per original
 * destination (`OriginalDstCluster`, envoyproxy/envoy source/extensions/clusters/original_dst).
 */
import type { RandomSource } from '../../engine/rng.js';
import type { Duration } from '../../engine/time.js';
import { InvariantError } from '../../errors.js';
import type { Dispatcher } from '../../envoy/common.js';
import { parseDuration } from '../../engine/time.js';
import type { Cluster } from '../../envoy/config/cluster.js';
import type { Locality } from '../../envoy/config/core.js';
import type { ClusterLoadAssignment, LbEndpoint } from '../../envoy/config/endpoint.js';
import { createLoadBalancer } from '../../envoy/lb/createLoadBalancer.js';
import type { LoadBalancer, LoadBalancerContext } from '../../envoy/lb/loadBalancer.js';
import type {
  PoolCallbacks,
  PoolStreamHandle,
  ThreadLocalCluster,
  UpstreamClusterInfo,
} from '../../envoy/router/routerContext.js';
import {
  createClusterLbStats,
  createClusterTrafficStats,
  type ClusterTrafficStats,
} from '../../envoy/upstream/clusterStats.js';
import { withEdsHealthStatus } from '../../envoy/upstream/healthFlags.js';
import { Host } from '../../envoy/upstream/host.js';
import type { LocalityHosts } from '../../envoy/upstream/hostSet.js';
import type { OutlierDetector, OutlierEvent } from '../../envoy/upstream/outlierDetector.js';
import type { MaxEjectionPercentRule } from '../../envoy/upstream/outlierDetectorConfig.js';
import { ClusterResourceManagers, type ResourceManager } from '../../envoy/upstream/resourceManager.js';
import { UpstreamCluster } from '../../envoy/upstream/upstreamCluster.js';
import type { ClusterStatsBlock } from './clusterStatsBlock.js';
import {
  ConnPool,
  createClusterConnectionStats,
  type ClusterConnectionStats,
  type ConnPoolOwner,
  type UpstreamTls,
  type WireConnector,
} from './connPool.js';

/** What a host's endpoint metadata says. */
export interface HostInfo {
  /** `envoy.transport_socket_match.tlsMode` (`istio` for a sidecar endpoint under auto mTLS). */
  readonly tlsMode: string | undefined;
  /** `istio.workload`: `<workload>;<namespace>;<canonical name>;<revision>;<cluster>`. */
  readonly workload: string | undefined;
}

/** How a cluster is built for a proxy. */
export interface ClusterEntryOptions {
  readonly config: Cluster;
  /** EDS endpoints (or the cluster's inline load assignment). */
  readonly endpoints: ClusterLoadAssignment | undefined;
  readonly workers: number;
  /** Random streams of this proxy (names are prefixed with the proxy). */
  readonly stream: (name: string) => RandomSource;
  readonly dispatcher: Dispatcher;
  readonly connector: WireConnector;
  readonly stats: ClusterStatsBlock;
  readonly maxEjectionPercentRule?: MaxEjectionPercentRule;
  readonly outlierEventLogger?: (e: OutlierEvent) => void;
}

const HTTP_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
const ENVOY_DEFAULT_H2_STREAMS = 2147483647;

interface ProtocolOptions {
  readonly protocol: 'HTTP/1.1' | 'HTTP/2' | 'downstream';
  readonly maxRequestsPerConnection: number;
  readonly maxConcurrentStreams: number;
}

function protocolOptions(c: Cluster): ProtocolOptions {
  const o = c.typedExtensionProtocolOptions?.[HTTP_OPTIONS] as
    | {
        commonHttpProtocolOptions?: { maxRequestsPerConnection?: number };
        explicitHttpConfig?: { http2ProtocolOptions?: { maxConcurrentStreams?: number } };
        useDownstreamProtocolConfig?: unknown;
      }
    | undefined;
  const h2 = o?.explicitHttpConfig?.http2ProtocolOptions;
  return {
    protocol: o?.useDownstreamProtocolConfig !== undefined ? 'downstream' : h2 !== undefined ? 'HTTP/2' : 'HTTP/1.1',
    maxRequestsPerConnection: o?.commonHttpProtocolOptions?.maxRequestsPerConnection ?? 0,
    maxConcurrentStreams: h2?.maxConcurrentStreams ?? ENVOY_DEFAULT_H2_STREAMS,
  };
}

// Whether a TLS transport socket is Istio's mutual TLS (a workload certificate from SDS) or simple TLS.
function socketTls(socket: { readonly name: string; readonly typedConfig?: unknown } | undefined): UpstreamTls {
  if (socket === undefined || socket.name !== 'envoy.transport_sockets.tls') return 'plaintext';
  const ctx = socket.typedConfig as { commonTlsContext?: { tlsCertificateSdsSecretConfigs?: readonly unknown[] } };
  return (ctx?.commonTlsContext?.tlsCertificateSdsSecretConfigs?.length ?? 0) > 0 ? 'mtls' : 'tls';
}

function socketSni(socket: { readonly typedConfig?: unknown } | undefined): string | undefined {
  return (socket?.typedConfig as { sni?: string } | undefined)?.sni;
}

interface WorkerState {
  readonly lb: LoadBalancer | undefined;
  readonly pools: Map<Host, ConnPool>;
  readonly h2Pools: Map<Host, ConnPool>;
  readonly tlc: ThreadLocalCluster;
}

/** A cluster of one proxy. */
export class ClusterEntry implements UpstreamClusterInfo, ConnPoolOwner {
  readonly name: string;
  readonly config: Cluster;
  readonly originalDst: boolean;
  readonly resources: ResourceManager;
  readonly trafficStats: ClusterTrafficStats;
  readonly connectionStats: ClusterConnectionStats = createClusterConnectionStats();
  readonly outlierDetector: OutlierDetector | undefined;
  readonly serviceHost: string | undefined;
  /** `filter_metadata.istio.services[0]`: the Istio service behind the cluster (for Istio's metric labels). */
  readonly service: { readonly host: string; readonly name?: string; readonly namespace?: string } | undefined;
  readonly connector: WireConnector;
  readonly connectTimeout: Duration;
  readonly hostInfo = new Map<Host, HostInfo>();
  private readonly upstream: UpstreamCluster | undefined;
  private readonly statsBlock: ClusterStatsBlock;
  private readonly protocol: ProtocolOptions;
  private readonly workers: WorkerState[] = [];
  private readonly hostsByAddress = new Map<string, Host>();
  private readonly clusterTls: UpstreamTls;
  private readonly matchTls: UpstreamTls | undefined;
  private readonly clusterSni: string | undefined;
  private readonly matchSni: string | undefined;
  private lastDestination: string | undefined;
  private lastDestinationHost: Host | null = null;

  constructor(o: ClusterEntryOptions) {
    const c = o.config;
    this.name = c.name;
    this.config = c;
    this.connector = o.connector;
    this.statsBlock = o.stats;
    this.protocol = protocolOptions(c);
    this.connectTimeout = c.connectTimeout === undefined ? 5_000_000 : parseDuration(c.connectTimeout);
    this.originalDst = c.type === 'ORIGINAL_DST' || c.lbPolicy === 'CLUSTER_PROVIDED';
    const svc = (
      c.metadata?.filterMetadata?.['istio'] as
        { services?: readonly { host?: string; name?: string; namespace?: string }[] } | undefined
    )?.services?.[0];
    this.serviceHost = svc?.host;
    this.service =
      svc?.host === undefined
        ? undefined
        : {
            host: svc.host,
            ...(svc.name !== undefined ? { name: svc.name } : {}),
            ...(svc.namespace !== undefined ? { namespace: svc.namespace } : {}),
          };
    this.clusterTls = socketTls(c.transportSocket);
    const istioMatch = c.transportSocketMatches?.find((m) => m.match?.['tlsMode'] === 'istio');
    this.matchTls = istioMatch === undefined ? undefined : socketTls(istioMatch.transportSocket);
    this.clusterSni = socketSni(c.transportSocket);
    this.matchSni = istioMatch === undefined ? undefined : socketSni(istioMatch.transportSocket);
    if (this.originalDst) {
      this.resources = new ClusterResourceManagers(c.circuitBreakers).default;
      this.trafficStats = createClusterTrafficStats();
      this.outlierDetector = undefined;
      this.upstream = undefined;
      this.statsBlock.bind({
        traffic: this.trafficStats,
        lb: createClusterLbStats(),
        connection: this.connectionStats,
        outlier: undefined,
        resources: this.resources,
      });
      for (let w = 0; w < o.workers; w++) this.workers.push(this.workerState(undefined));
      return;
    }
    const localities = this.localitiesOf(o.endpoints);
    const up = new UpstreamCluster({
      config: c,
      localities,
      streams: { stream: o.stream },
      dispatcher: o.dispatcher,
      ...(o.maxEjectionPercentRule !== undefined ? { maxEjectionPercentRule: o.maxEjectionPercentRule } : {}),
      ...(o.outlierEventLogger !== undefined ? { outlierEventLogger: o.outlierEventLogger } : {}),
    });
    this.upstream = up;
    this.resources = up.resourceManagers.default;
    this.trafficStats = up.trafficStats;
    this.outlierDetector = up.outlierDetector;
    this.statsBlock.bind({
      traffic: up.trafficStats,
      lb: up.lbStats,
      connection: this.connectionStats,
      outlier: up.outlierDetector?.stats,
      resources: this.resources,
    });
    // Consistent-hash tables are built once and shared (thread-aware LBs); other policies get one LB per worker.
    const shared = c.lbPolicy === 'RING_HASH' || c.lbPolicy === 'MAGLEV';
    for (let w = 0; w < o.workers; w++) {
      const lb =
        w === 0 || shared
          ? up.loadBalancer
          : createLoadBalancer(c, up.prioritySet, o.stream(`lb/${c.name}/worker/${w}`), up.lbStats);
      this.workers.push(this.workerState(lb));
    }
  }

  /** The worker's view of this cluster. */
  threadLocal(worker: number): ThreadLocalCluster {
    const w = this.workers[worker];
    if (w === undefined) throw new InvariantError(`cluster ${this.name} has no worker ${worker}`);
    return w.tlc;
  }

  /** Every host (all priorities). */
  get hosts(): readonly Host[] {
    return this.upstream?.hosts ?? [...this.hostsByAddress.values()];
  }

  // --- UpstreamClusterInfo ---

  chargeResponseCode(code: number, retried: boolean): void {
    this.statsBlock.chargeResponseCode(code, retried);
  }

  chargeResponseTime(time: Duration): void {
    this.statsBlock.chargeResponseTime(time);
  }

  countGlobalTimeout(): void {
    this.connectionStats.upstream_rq_timeout++;
  }

  countNoHealthyUpstream(): void {
    this.connectionStats.upstream_cx_none_healthy++;
  }

  /** The TLS a connection to `host` uses (`transport_socket_matches` on the endpoint's metadata). */
  tlsFor(host: Host): UpstreamTls {
    if (this.matchTls !== undefined) return this.hostInfo.get(host)?.tlsMode === 'istio' ? this.matchTls : 'plaintext';
    return this.clusterTls;
  }

  /** An EDS update: hosts that stay keep their state; health and weight follow the new endpoints. */
  updateEndpoints(cla: ClusterLoadAssignment | undefined): void {
    const up = this.upstream;
    if (up === undefined) return;
    const before = new Set(up.hosts);
    const localities = this.localitiesOf(cla);
    const byPriority = new Map<number, LocalityHosts[]>();
    for (const l of localities) {
      const list = byPriority.get(l.priority) ?? [];
      list.push(l);
      byPriority.set(l.priority, list);
    }
    const after = new Set(localities.flatMap((l) => l.hosts));
    const removed = [...before].filter((h) => !after.has(h));
    const added = [...after].filter((h) => !before.has(h));
    // Priority 0 always exists, even empty (`ClusterImplBase` creates it: `getOrCreateHostSet(0)`).
    const priorities = Math.max(
      1,
      up.prioritySet.hostSetsPerPriority.length,
      ...[...byPriority.keys()].map((p) => p + 1),
    );
    for (let p = 0; p < priorities; p++) {
      const list = byPriority.get(p) ?? [];
      const inP = new Set(list.flatMap((l) => l.hosts));
      up.updateHosts(
        p,
        { localities: list },
        added.filter((h) => inP.has(h)),
        removed.filter((h) => h.priority === p),
      );
    }
    for (const h of removed) {
      this.hostsByAddress.delete(h.addressString);
      this.hostInfo.delete(h);
      for (const w of this.workers) {
        w.pools.get(h)?.drain();
        w.h2Pools.get(h)?.drain();
        w.pools.delete(h);
        w.h2Pools.delete(h);
      }
    }
  }

  /** Stops timers and callbacks (the cluster was removed or replaced). */
  dispose(): void {
    this.upstream?.dispose();
    for (const w of this.workers) {
      if (w.lb !== undefined && w.lb !== this.upstream?.loadBalancer) w.lb.dispose();
      for (const p of w.pools.values()) p.drain();
      for (const p of w.h2Pools.values()) p.drain();
    }
  }

  // Hosts of a load assignment, reusing the Host objects of addresses already known.
  private localitiesOf(cla: ClusterLoadAssignment | undefined): (LocalityHosts & { priority: number })[] {
    const source = cla ?? this.config.loadAssignment;
    if (source === undefined) return [];
    return source.endpoints.map((lle) => {
      const priority = lle.priority ?? 0;
      const hosts: Host[] = [];
      for (const e of lle.lbEndpoints) {
        const h = this.hostFor(e, priority, lle.locality ?? {});
        if (h !== undefined) hosts.push(h);
      }
      return {
        locality: lle.locality ?? {},
        priority,
        hosts,
        ...(lle.loadBalancingWeight !== undefined ? { weight: lle.loadBalancingWeight } : {}),
      };
    });
  }

  private hostFor(e: LbEndpoint, priority: number, locality: Locality): Host | undefined {
    const sa = e.endpoint.address.socketAddress;
    if (sa === undefined) return undefined;
    const key = `${sa.address}:${sa.portValue ?? 0}`;
    let h = this.hostsByAddress.get(key);
    const status = e.healthStatus ?? 'UNKNOWN';
    if (h === undefined || h.priority !== priority) {
      h = new Host({
        address: sa.address,
        port: sa.portValue ?? 0,
        ...(e.endpoint.hostname !== undefined ? { hostname: e.endpoint.hostname } : {}),
        weight: e.loadBalancingWeight ?? 1,
        locality,
        priority,
        healthFlags: withEdsHealthStatus(0, status),
      });
      this.hostsByAddress.set(key, h);
    } else {
      h.weight = e.loadBalancingWeight ?? 1;
      h.setHealthFlags(withEdsHealthStatus(h.healthFlags, status));
    }
    const fm = e.metadata?.filterMetadata as Record<string, Record<string, unknown> | undefined> | undefined;
    this.hostInfo.set(h, {
      tlsMode: fm?.['envoy.transport_socket_match']?.['tlsMode'] as string | undefined,
      workload: fm?.['istio']?.['workload'] as string | undefined,
    });
    return h;
  }

  private originalDstHost(destination: string): Host | null {
    // Streams of one connection share its destination: skip the Map for a repeat (hosts made here stay).
    if (destination === this.lastDestination) return this.lastDestinationHost;
    const h = this.makeOriginalDstHost(destination);
    this.lastDestination = destination;
    this.lastDestinationHost = h;
    return h;
  }

  private makeOriginalDstHost(destination: string): Host | null {
    let h = this.hostsByAddress.get(destination);
    if (h === undefined) {
      const colon = destination.lastIndexOf(':');
      if (colon <= 0) return null;
      const address = destination.slice(0, colon).replace(/^\[|\]$/g, '');
      const port = Number(destination.slice(colon + 1));
      h = new Host({ address, port });
      this.hostsByAddress.set(destination, h);
      this.hostInfo.set(h, { tlsMode: undefined, workload: undefined });
    }
    return h;
  }

  private workerState(lb: LoadBalancer | undefined): WorkerState {
    const pools = new Map<Host, ConnPool>();
    const h2Pools = new Map<Host, ConnPool>();
    const state: WorkerState = {
      lb,
      pools,
      h2Pools,
      tlc: {
        info: this,
        chooseHost: (
          context: LoadBalancerContext | undefined,
          originalDestination: string | undefined,
        ): Host | null => {
          if (this.originalDst)
            return originalDestination === undefined ? null : this.originalDstHost(originalDestination);
          return lb === undefined ? null : lb.chooseHost(context);
        },
        newStream: (host: Host, callbacks: PoolCallbacks): PoolStreamHandle | undefined =>
          this.poolFor(state, host, 'HTTP/1.1').newStream(callbacks),
      },
    };
    return state;
  }

  /** The pool of `worker` for `host` and the downstream's protocol (used when the cluster follows it). */
  poolFor(state: WorkerState, host: Host, downstream: 'HTTP/1.1' | 'HTTP/2'): ConnPool {
    const protocol = this.protocol.protocol === 'downstream' ? downstream : this.protocol.protocol;
    const map = protocol === 'HTTP/2' ? state.h2Pools : state.pools;
    let pool = map.get(host);
    if (pool === undefined) {
      const tls = this.tlsFor(host);
      pool = new ConnPool(this, host, {
        protocol,
        tls,
        sni:
          tls === 'plaintext'
            ? undefined
            : tls === 'mtls' && this.matchSni !== undefined
              ? this.matchSni
              : this.clusterSni,
        connectTimeout: this.connectTimeout,
        bindAddress: this.config.upstreamBindConfig?.sourceAddress.address,
        maxRequestsPerConnection: this.protocol.maxRequestsPerConnection,
        maxConcurrentStreams: this.protocol.maxConcurrentStreams,
      });
      map.set(host, pool);
    }
    return pool;
  }
}
