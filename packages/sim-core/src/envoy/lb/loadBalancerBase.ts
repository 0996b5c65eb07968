/**
 * The machinery shared by every Envoy load balancer: per-priority load and panic kept current through the
 * priority-update callback, the stashed random values of preconnect peeks, the choice of priority and hosts
 * source, and host-selection retries. Mirrors `LoadBalancerBase` and `ZoneAwareLoadBalancerBase`
 * (envoyproxy/envoy source/extensions/load_balancing_policies/common/load_balancer_impl.{h,cc}).
 *
 * Zone-aware routing (which needs the local cluster's own locality spread) is not simulated; locality
 * weighted balancing is.
 */
import type { RandomSource } from '../../engine/rng.js';
import { createClusterLbStats, type ClusterLbStats } from '../upstream/clusterStats.js';
import type { Host } from '../upstream/host.js';
import type { HostSet } from '../upstream/hostSet.js';
import { choosePriorityPacked, PriorityLoadState, type HostAvailability } from '../upstream/priorityLoad.js';
import type { PrioritySet } from '../upstream/prioritySet.js';
import {
  sourceKeyOf,
  SourceType,
  type HostsSource,
  type SourceTypeValue,
  type LoadBalancer,
  type LoadBalancerContext,
  type LoadBalancerOptions,
} from './loadBalancer.js';

/** `tooManyPreconnects`: no more stashed peeks than healthy hosts. */
export function tooManyPreconnects(stashed: number, healthyHosts: number): boolean {
  return stashed >= healthyHosts;
}

/** `LoadBalancerBase`: priority state, panic and stashed randomness. */
export abstract class LoadBalancerBase implements LoadBalancer {
  /** The cluster's LB counters (`lb_healthy_panic`…). */
  readonly stats: ClusterLbStats;
  protected readonly prioritySet: PrioritySet;
  protected readonly randomSource: RandomSource;
  protected readonly state: PriorityLoadState;
  protected readonly stashedRandom: number[] = [];
  private readonly unsubscribe: () => void;

  constructor(options: LoadBalancerOptions) {
    this.prioritySet = options.prioritySet;
    this.randomSource = options.random;
    this.stats = options.stats ?? createClusterLbStats();
    this.state = new PriorityLoadState(options.healthyPanicThreshold ?? 50);
    const sets = this.prioritySet.hostSetsPerPriority;
    for (let p = 0; p < sets.length; p++) this.state.recalculatePerPriorityState(p, this.prioritySet);
    this.state.recalculatePerPriorityPanic(this.prioritySet);
    this.unsubscribe = this.prioritySet.addPriorityUpdateCb((priority) => this.onPriorityUpdate(priority));
  }

  /** Current per-priority healthy load (percent), for inspection. */
  get healthyPriorityLoad(): readonly number[] {
    return this.state.healthyLoad;
  }

  /** Current per-priority degraded load (percent). */
  get degradedPriorityLoad(): readonly number[] {
    return this.state.degradedLoad;
  }

  /** `isInPanic(priority)`. */
  isInPanic(priority: number): boolean {
    return this.state.panic[priority] ?? false;
  }

  abstract chooseHost(context?: LoadBalancerContext): Host | null;
  abstract peekAnotherHost(context?: LoadBalancerContext): Host | null;

  dispose(): void {
    this.unsubscribe();
  }

  /** The priority-update callback: loads and panic first, as Envoy registers them first. */
  protected onPriorityUpdate(priority: number): void {
    this.state.recalculatePerPriorityState(priority, this.prioritySet);
    this.state.recalculatePerPriorityPanic(this.prioritySet);
    this.stashedRandom.length = 0;
  }

  /** `LoadBalancerBase::random(peeking)`: peeks stash their draw; picks reuse stashed draws first (FIFO). */
  protected random(peeking: boolean): number {
    if (peeking) {
      const r = this.randomSource.random();
      this.stashedRandom.push(r);
      return r;
    }
    if (this.stashedRandom.length === 0) return this.randomSource.random();
    return this.stashedRandom.shift() as number;
  }

  /** `chooseHostSet(context, hash)`: the priority and availability band for this pick. */
  protected chooseHostSet(
    context: LoadBalancerContext | undefined,
    hash: number | bigint,
  ): { hostSet: HostSet; availability: HostAvailability } {
    const packed = this.chooseHostSetPacked(context, hash);
    return {
      hostSet: this.prioritySet.hostSetsPerPriority[packed >> 1] as HostSet,
      availability: (packed & 1) === 1 ? 'degraded' : 'healthy',
    };
  }

  /** {@link chooseHostSet} as `priority × 2 + (degraded ? 1 : 0)`, without allocating. */
  protected chooseHostSetPacked(context: LoadBalancerContext | undefined, hash: number | bigint): number {
    if (context?.determinePriorityLoad !== undefined) {
      const load = context.determinePriorityLoad(this.prioritySet, {
        healthy: this.state.healthyLoad,
        degraded: this.state.degradedLoad,
      });
      return choosePriorityPacked(hash, load.healthy, load.degraded);
    }
    return choosePriorityPacked(hash, this.state.healthyLoad, this.state.degradedLoad);
  }
}

/**
 * `ZoneAwareLoadBalancerBase`: the hosts source for a pick (all hosts in panic, a locality when locality
 * weighted, else healthy or degraded hosts) and the host-selection retry loop.
 */
export abstract class ZoneAwareLoadBalancerBase extends LoadBalancerBase {
  private readonly failTrafficOnPanic: boolean;
  private readonly localityWeightedBalancing: boolean;
  // Hosts sources are immutable values; reuse one object per (priority, type, locality) on the hot path.
  private readonly sources = new Map<number, HostsSource>();

  constructor(options: LoadBalancerOptions) {
    super(options);
    this.failTrafficOnPanic = options.failTrafficOnPanic ?? false;
    this.localityWeightedBalancing = options.localityWeightedBalancing ?? false;
  }

  /**
   * `ZoneAwareLoadBalancerBase::chooseHost`: up to `hostSelectionRetryCount() + 1` picks; the first host the
   * context accepts wins, else the last one picked. Every attempt advances the LB's state.
   */
  chooseHost(context?: LoadBalancerContext): Host | null {
    const maxAttempts = context !== undefined ? (context.hostSelectionRetryCount?.() ?? 0) + 1 : 1;
    let host: Host | null = null;
    for (let i = 0; i < maxAttempts; i++) {
      host = this.chooseHostOnce(context);
      if (host === null || context?.shouldSelectAnotherHost === undefined || !context.shouldSelectAnotherHost(host)) {
        return host;
      }
    }
    return host;
  }

  /** One pick, without host-selection retries (`chooseHostOnce`). */
  protected abstract chooseHostOnce(context: LoadBalancerContext | undefined): Host | null;

  /** `hostSourceToUse(context, hash)`; null when `fail_traffic_on_panic` refuses the pick. */
  protected hostSourceToUse(context: LoadBalancerContext | undefined, hash: number | bigint): HostsSource | null {
    const packed = this.chooseHostSetPacked(context, hash);
    const priority = packed >> 1;
    const availability: HostAvailability = (packed & 1) === 1 ? 'degraded' : 'healthy';
    if (this.state.panic[priority] === true) {
      this.stats.lb_healthy_panic++;
      if (this.failTrafficOnPanic) return null;
      return this.source(priority, SourceType.AllHosts, 0);
    }
    if (this.localityWeightedBalancing) {
      const hostSet = this.prioritySet.hostSetsPerPriority[priority] as HostSet;
      const locality = availability === 'degraded' ? hostSet.chooseDegradedLocality() : hostSet.chooseHealthyLocality();
      if (locality !== undefined) {
        return this.source(
          priority,
          availability === 'degraded' ? SourceType.LocalityDegradedHosts : SourceType.LocalityHealthyHosts,
          locality,
        );
      }
    }
    return this.source(priority, availability === 'degraded' ? SourceType.DegradedHosts : SourceType.HealthyHosts, 0);
  }

  /** The one {@link HostsSource} object for (priority, type, locality), with its key precomputed. */
  private source(priority: number, sourceType: SourceTypeValue, localityIndex: number): HostsSource {
    const key = sourceKeyOf(priority, sourceType, localityIndex);
    let s = this.sources.get(key);
    if (s === undefined) {
      s = { priority, sourceType, localityIndex, key };
      this.sources.set(key, s);
    }
    return s;
  }

  /** `hostSourceToHosts(source)`. */
  protected hostSourceToHosts(source: HostsSource): readonly Host[] {
    const hs = this.prioritySet.hostSetsPerPriority[source.priority] as HostSet;
    switch (source.sourceType) {
      case SourceType.AllHosts:
        return hs.hosts;
      case SourceType.HealthyHosts:
        return hs.healthyHosts;
      case SourceType.DegradedHosts:
        return hs.degradedHosts;
      case SourceType.LocalityHealthyHosts:
        return hs.healthyHostsPerLocality[source.localityIndex] ?? [];
      case SourceType.LocalityDegradedHosts:
        return hs.degradedHostsPerLocality[source.localityIndex] ?? [];
    }
  }
}
