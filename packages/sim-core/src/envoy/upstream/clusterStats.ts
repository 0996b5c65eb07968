/**
 * Cluster stats as plain counter objects, named as Envoy names them under `cluster.<name>.`
 * (`ALL_CLUSTER_TRAFFIC_STATS`, `ALL_CLUSTER_LB_STATS`, `ALL_CLUSTER_CIRCUIT_BREAKERS_STATS` in
 * envoyproxy/envoy envoy/upstream/upstream.h). Components increment them; the simulated world and the
 * reports read them.
 */

/** The subset of `ALL_CLUSTER_TRAFFIC_STATS` meshsim's upstream components maintain. */
export interface ClusterTrafficStats {
  upstream_cx_overflow: number;
  upstream_cx_pool_overflow: number;
  upstream_rq_total: number;
  upstream_rq_pending_total: number;
  upstream_rq_pending_overflow: number;
  upstream_rq_per_try_timeout: number;
  upstream_rq_retry: number;
  upstream_rq_retry_success: number;
  upstream_rq_retry_overflow: number;
  upstream_rq_retry_limit_exceeded: number;
  upstream_rq_retry_backoff_exponential: number;
  upstream_rq_retry_backoff_ratelimited: number;
  /** Gauge. */
  upstream_rq_active: number;
  /** Gauge. */
  upstream_rq_pending_active: number;
  /** Gauge. */
  upstream_cx_active: number;
}

/** `ALL_CLUSTER_LB_STATS` (the ones a simulation can move). */
export interface ClusterLbStats {
  /** Picks made while the chosen priority was in panic (balancing over all hosts). */
  lb_healthy_panic: number;
  lb_zone_cluster_too_small: number;
  lb_zone_routing_all_directly: number;
  lb_zone_routing_sampled: number;
  lb_zone_routing_cross_zone: number;
  lb_local_cluster_not_ok: number;
  lb_zone_no_capacity_left: number;
}

/** Fresh zeroed traffic stats. */
export function createClusterTrafficStats(): ClusterTrafficStats {
  return {
    upstream_cx_overflow: 0,
    upstream_cx_pool_overflow: 0,
    upstream_rq_total: 0,
    upstream_rq_pending_total: 0,
    upstream_rq_pending_overflow: 0,
    upstream_rq_per_try_timeout: 0,
    upstream_rq_retry: 0,
    upstream_rq_retry_success: 0,
    upstream_rq_retry_overflow: 0,
    upstream_rq_retry_limit_exceeded: 0,
    upstream_rq_retry_backoff_exponential: 0,
    upstream_rq_retry_backoff_ratelimited: 0,
    upstream_rq_active: 0,
    upstream_rq_pending_active: 0,
    upstream_cx_active: 0,
  };
}

/** Fresh zeroed LB stats. */
export function createClusterLbStats(): ClusterLbStats {
  return {
    lb_healthy_panic: 0,
    lb_zone_cluster_too_small: 0,
    lb_zone_routing_all_directly: 0,
    lb_zone_routing_sampled: 0,
    lb_zone_routing_cross_zone: 0,
    lb_local_cluster_not_ok: 0,
    lb_zone_no_capacity_left: 0,
  };
}
