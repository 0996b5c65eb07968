/** The router filter's counters (`ALL_ROUTER_STATS`, envoyproxy/envoy source/common/router/router.h). */

/** Counters of the router filter, under `http.<stat_prefix>.` (`ALL_ROUTER_STATS`). */
export type RouterStats = {
  rq_total: number;
  no_route: number;
  no_cluster: number;
  rq_direct_response: number;
  rq_redirect: number;
  rq_reset_after_downstream_response_started: number;
};

/** Fresh zeroed router stats. */
export function createRouterStats(): RouterStats {
  return {
    rq_total: 0,
    no_route: 0,
    no_cluster: 0,
    rq_direct_response: 0,
    rq_redirect: 0,
    rq_reset_after_downstream_response_started: 0,
  };
}
