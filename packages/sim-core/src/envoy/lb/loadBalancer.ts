/**
 * The one load-balancer protocol every policy implements (ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH,
 * MAGLEV), and the per-request context the router passes in. Mirrors Envoy's `Upstream::LoadBalancer` and
 * `LoadBalancerContext` (envoyproxy/envoy envoy/upstream/load_balancer.h).
 */
import type { RandomSource } from '../../engine/rng.js';
import type { ClusterLbStats } from '../upstream/clusterStats.js';
import type { Host } from '../upstream/host.js';
import type { PriorityLoad } from '../upstream/priorityLoad.js';
import type { PrioritySet } from '../upstream/prioritySet.js';

/**
 * What the router tells the load balancer about one request (`LoadBalancerContext`). Every member is
 * optional; an absent context behaves as Envoy's `nullptr` context (one attempt, no hash).
 */
export interface LoadBalancerContext {
  /** The request's hash for RING_HASH/MAGLEV (`computeHashKey()`), a uint64. */
  computeHashKey?(): bigint | undefined;
  /** `hostSelectionRetryCount()`: extra picks allowed when {@link shouldSelectAnotherHost} rejects. */
  hostSelectionRetryCount?(): number;
  /** `shouldSelectAnotherHost(host)`: the retry host predicates (e.g. `previous_hosts`). */
  shouldSelectAnotherHost?(host: Host): boolean;
  /** `determinePriorityLoad`: lets a retry-priority plugin reshape the per-priority load. */
  determinePriorityLoad?(prioritySet: PrioritySet, original: PriorityLoad): PriorityLoad;
}

/** A load balancer over one cluster's priority set. */
export interface LoadBalancer {
  /** `chooseHost(context)`: the host for this attempt, or null (the router answers 503 UH). */
  chooseHost(context?: LoadBalancerContext): Host | null;
  /** `peekAnotherHost(context)`: the host a later pick will return (preconnect), or null. */
  peekAnotherHost(context?: LoadBalancerContext): Host | null;
  /** Unregisters from the priority set. */
  dispose(): void;
}

/** What every load balancer is built from. */
export interface LoadBalancerOptions {
  readonly prioritySet: PrioritySet;
  /** Envoy's `random()`: consumed in Envoy's order (see each policy). */
  readonly random: RandomSource;
  /** Counters to increment (`lb_healthy_panic`…); a private set when omitted. */
  readonly stats?: ClusterLbStats;
  /** `common_lb_config.healthy_panic_threshold`, 0–100. @defaultValue 50 */
  readonly healthyPanicThreshold?: number;
  /** `zone_aware_lb_config.fail_traffic_on_panic`: no host instead of all hosts in panic. @defaultValue false */
  readonly failTrafficOnPanic?: boolean;
  /** `locality_weighted_lb_config` present. @defaultValue false */
  readonly localityWeightedBalancing?: boolean;
}

/** `HostsSource::SourceType`. */
export const SourceType = {
  AllHosts: 0,
  HealthyHosts: 1,
  DegradedHosts: 2,
  LocalityHealthyHosts: 3,
  LocalityDegradedHosts: 4,
} as const;
export type SourceTypeValue = (typeof SourceType)[keyof typeof SourceType];

/** `ZoneAwareLoadBalancerBase::HostsSource`: which list of which priority a pick draws from. */
export interface HostsSource {
  readonly priority: number;
  readonly sourceType: SourceTypeValue;
  readonly localityIndex: number;
  /** {@link hostsSourceKey} of this source, when precomputed. */
  readonly key?: number;
}

/** A number identifying a hosts source, for per-source state (RR index, EDF scheduler). */
export function hostsSourceKey(s: HostsSource): number {
  return sourceKeyOf(s.priority, s.sourceType, s.localityIndex);
}

/** {@link hostsSourceKey} from the parts, without a `HostsSource` object (per pick). */
export function sourceKeyOf(priority: number, sourceType: SourceTypeValue, localityIndex: number): number {
  return (priority * 8 + sourceType) * 65536 + localityIndex;
}
