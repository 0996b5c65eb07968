/**
 * One upstream cluster assembled from its Envoy config: the priority set of hosts, circuit-breaker
 * resources, optional active health checking and outlier detection, and the load balancer — wired as Envoy
 * wires them (`ClusterImplBase`, envoyproxy/envoy source/common/upstream/upstream_impl.cc): any health
 * change (ejection, un-ejection, health-check or EDS transition) rebuilds every priority's host set, which
 * the load balancer hears through its priority-update callback.
 */
import type { RandomSource } from '../../engine/rng.js';
import type { Clock, Dispatcher } from '../common.js';
import type { Cluster } from '../config/cluster.js';
import { createLoadBalancer } from '../lb/createLoadBalancer.js';
import type { LoadBalancer } from '../lb/loadBalancer.js';
import {
  createClusterLbStats,
  createClusterTrafficStats,
  type ClusterLbStats,
  type ClusterTrafficStats,
} from './clusterStats.js';
import { HealthChecker, type HealthCheckThresholds } from './healthChecker.js';
import { HealthFlag, withEdsHealthStatus, type EdsHealthStatus } from './healthFlags.js';
import type { Host } from './host.js';
import type { HostSetMembership, LocalityHosts } from './hostSet.js';
import { OutlierDetector, type OutlierEvent } from './outlierDetector.js';
import type { MaxEjectionPercentRule } from './outlierDetectorConfig.js';
import { PrioritySet } from './prioritySet.js';
import { ClusterResourceManagers } from './resourceManager.js';

/** Named random streams, as `RngStreams` provides them. */
export interface RandomStreams {
  stream(name: string): RandomSource;
}

/** What an {@link UpstreamCluster} is built from. */
export interface UpstreamClusterOptions {
  /** The cluster as istiod would push it. */
  readonly config: Cluster;
  /** Endpoints as a flat list (grouped by each host's priority and locality)… */
  readonly hosts?: readonly Host[];
  /** …or as EDS localities with weights, each with a priority. */
  readonly localities?: readonly (LocalityHosts & { readonly priority?: number })[];
  /**
   * Random streams: `lb/<cluster>` (the LB's seed and picks), `cluster/<cluster>` (locality scheduler seeds,
   * one per host-set rebuild) and `outlier/<cluster>` (ejection jitter and enforcement).
   */
  readonly streams: RandomStreams;
  /** Arms the outlier-detection interval; without it (and with a `clock`) call `onIntervalTimer()` yourself. */
  readonly dispatcher?: Dispatcher;
  readonly clock?: Clock;
  /** Active health checking, when the cluster has a health check. */
  readonly healthCheck?: HealthCheckThresholds;
  /** @defaultValue `'current'` */
  readonly maxEjectionPercentRule?: MaxEjectionPercentRule;
  readonly outlierEventLogger?: (e: OutlierEvent) => void;
}

/** A cluster's runtime state. */
export class UpstreamCluster {
  readonly name: string;
  readonly config: Cluster;
  readonly prioritySet = new PrioritySet();
  readonly trafficStats: ClusterTrafficStats = createClusterTrafficStats();
  readonly lbStats: ClusterLbStats = createClusterLbStats();
  readonly resourceManagers: ClusterResourceManagers;
  readonly healthChecker: HealthChecker | undefined;
  readonly outlierDetector: OutlierDetector | undefined;
  readonly loadBalancer: LoadBalancer;
  private readonly clusterRandom: RandomSource;

  constructor(options: UpstreamClusterOptions) {
    const c = options.config;
    this.name = c.name;
    this.config = c;
    this.resourceManagers = new ClusterResourceManagers(c.circuitBreakers);
    this.clusterRandom = options.streams.stream(`cluster/${c.name}`);
    const byPriority = new Map<number, LocalityHosts[] | Host[]>();
    if (options.localities !== undefined) {
      for (const l of options.localities) {
        const p = l.priority ?? 0;
        const list = (byPriority.get(p) as LocalityHosts[] | undefined) ?? [];
        list.push(l);
        byPriority.set(p, list);
      }
    } else {
      for (const h of options.hosts ?? []) {
        const list = (byPriority.get(h.priority) as Host[] | undefined) ?? [];
        list.push(h);
        byPriority.set(h.priority, list);
      }
    }
    if (options.healthCheck !== undefined) {
      this.healthChecker = new HealthChecker(this.prioritySet, options.healthCheck);
      // Hosts of a health-checked cluster start failed and pending, before the first partition.
      for (const list of byPriority.values()) {
        for (const item of list) {
          for (const h of 'hosts' in item ? item.hosts : [item]) {
            h.healthFlagSet(HealthFlag.FAILED_ACTIVE_HC);
            h.healthFlagSet(HealthFlag.PENDING_ACTIVE_HC);
          }
        }
      }
    }
    // Priority 0 exists even with no endpoints at all (`ClusterImplBase`: `priority_set_.getOrCreateHostSet(0)`),
    // so a pick on an empty cluster finds no host instead of no host set.
    this.prioritySet.getOrCreateHostSet(0);
    for (const p of [...byPriority.keys()].sort((a, b) => a - b)) {
      const list = byPriority.get(p) ?? [];
      const membership: HostSetMembership =
        options.localities !== undefined ? { localities: list as LocalityHosts[] } : { hosts: list as Host[] };
      const all =
        options.localities !== undefined ? (list as LocalityHosts[]).flatMap((l) => l.hosts) : (list as Host[]);
      this.prioritySet.updateHosts(p, membership, all, [], this.clusterRandom.random());
    }
    if (this.healthChecker !== undefined) {
      this.healthChecker.addHostCheckCompleteCb((_host, transition) => {
        if (transition === 'Changed') this.reloadHealthyHosts();
      });
    }
    if (c.outlierDetection !== undefined) {
      this.outlierDetector = new OutlierDetector({
        prioritySet: this.prioritySet,
        config: c.outlierDetection,
        random: options.streams.stream(`outlier/${c.name}`),
        ...(options.dispatcher !== undefined ? { dispatcher: options.dispatcher } : {}),
        ...(options.clock !== undefined ? { clock: options.clock } : {}),
        ...(options.maxEjectionPercentRule !== undefined
          ? { maxEjectionPercentRule: options.maxEjectionPercentRule }
          : {}),
        ...(options.outlierEventLogger !== undefined ? { eventLogger: options.outlierEventLogger } : {}),
      });
      this.outlierDetector.addChangedStateCb(() => this.reloadHealthyHosts());
      const detector = this.outlierDetector;
      this.healthChecker?.addHostCheckCompleteCb((host, _t, healthy) => detector.onHealthCheckComplete(host, healthy));
    }
    this.loadBalancer = createLoadBalancer(c, this.prioritySet, options.streams.stream(`lb/${c.name}`), this.lbStats);
  }

  /** `ClusterImplBase::reloadHealthyHosts`: repartitions every priority from the hosts' current flags. */
  reloadHealthyHosts(): void {
    const sets = this.prioritySet.hostSetsPerPriority;
    for (let p = 0; p < sets.length; p++) {
      const hs = this.prioritySet.getOrCreateHostSet(p);
      this.prioritySet.updateHosts(p, hs.membership(), [], [], this.clusterRandom.random());
    }
  }

  /** An EDS membership update for one priority. */
  updateHosts(priority: number, membership: HostSetMembership, added: readonly Host[], removed: readonly Host[]): void {
    this.prioritySet.updateHosts(priority, membership, added, removed, this.clusterRandom.random());
  }

  /**
   * An EDS health change for one endpoint — Kubernetes readiness (with `PILOT_SEND_UNHEALTHY_ENDPOINTS`) or
   * WorkloadEntry health — applied to the host's flags, then the host sets are rebuilt.
   */
  setEdsHealthStatus(host: Host, status: EdsHealthStatus): void {
    host.setHealthFlags(withEdsHealthStatus(host.healthFlags, status));
    this.reloadHealthyHosts();
  }

  /** Every host of every priority. */
  get hosts(): Host[] {
    return this.prioritySet.allHosts();
  }

  /** Stops timers and unregisters callbacks. */
  dispose(): void {
    this.loadBalancer.dispose();
    this.outlierDetector?.dispose();
    this.healthChecker?.dispose();
  }
}
