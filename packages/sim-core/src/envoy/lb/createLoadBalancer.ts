/**
 * Builds the load balancer a cluster's `lbPolicy` names, with its `commonLbConfig` (panic threshold,
 * `fail_traffic_on_panic`, locality weighting, hashing by hostname). Mirrors the cluster manager's choice of
 * LB factory from `Cluster.lb_policy` (envoyproxy/envoy source/common/upstream/cluster_manager_impl.cc).
 */
import type { RandomSource } from '../../engine/rng.js';
import { ConfigError } from '../../errors.js';
import { percentToRoundedInteger, type Cluster } from '../config/cluster.js';
import type { ClusterLbStats } from '../upstream/clusterStats.js';
import type { PrioritySet } from '../upstream/prioritySet.js';
import { LeastRequestLoadBalancer } from './leastRequest.js';
import type { LoadBalancer, LoadBalancerOptions } from './loadBalancer.js';
import { MaglevLoadBalancer } from './maglev.js';
import { RandomLoadBalancer } from './random.js';
import { RingHashLoadBalancer } from './ringHash.js';
import { RoundRobinLoadBalancer } from './roundRobin.js';

/** `healthy_panic_threshold` as the LBs use it: `PROTOBUF_PERCENT_TO_ROUNDED_INTEGER_OR_DEFAULT(…, 100, 50)`. */
export function healthyPanicThreshold(cluster: Pick<Cluster, 'commonLbConfig'>): number {
  return Math.min(100, percentToRoundedInteger(cluster.commonLbConfig?.healthyPanicThreshold, 50));
}

/**
 * The load balancer for `cluster` over `prioritySet`, drawing from `random` (one worker's LB; Envoy builds
 * one per worker thread). ROUND_ROBIN and LEAST_REQUEST draw one value here for their seed.
 */
export function createLoadBalancer(
  cluster: Cluster,
  prioritySet: PrioritySet,
  random: RandomSource,
  stats?: ClusterLbStats,
): LoadBalancer {
  const common = cluster.commonLbConfig;
  const base: LoadBalancerOptions = {
    prioritySet,
    random,
    ...(stats !== undefined ? { stats } : {}),
    healthyPanicThreshold: healthyPanicThreshold(cluster),
    failTrafficOnPanic: common?.zoneAwareLbConfig?.failTrafficOnPanic ?? false,
    localityWeightedBalancing: common?.localityWeightedLbConfig !== undefined,
  };
  const useHostnameForHashing = common?.consistentHashingLbConfig?.useHostnameForHashing ?? false;
  const policy = cluster.lbPolicy ?? 'ROUND_ROBIN';
  switch (policy) {
    case 'ROUND_ROBIN':
      return new RoundRobinLoadBalancer(base);
    case 'LEAST_REQUEST':
      return new LeastRequestLoadBalancer({
        ...base,
        ...(cluster.leastRequestLbConfig !== undefined ? { config: cluster.leastRequestLbConfig } : {}),
      });
    case 'RANDOM':
      return new RandomLoadBalancer(base);
    case 'RING_HASH':
      return new RingHashLoadBalancer({
        ...base,
        useHostnameForHashing,
        ...(cluster.ringHashLbConfig !== undefined ? { config: cluster.ringHashLbConfig } : {}),
      });
    case 'MAGLEV':
      return new MaglevLoadBalancer({
        ...base,
        useHostnameForHashing,
        ...(cluster.maglevLbConfig !== undefined ? { config: cluster.maglevLbConfig } : {}),
      });
    default:
      throw new ConfigError(
        `cluster ${cluster.name}: lbPolicy ${policy} is not simulated (use ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH or MAGLEV)`,
        { field: 'lbPolicy' },
      );
  }
}
