/**
 * `@meshsim/sim-core/envoy`: the Envoy data plane — config types, hosts and host sets, load balancers,
 * outlier detection, health checking, circuit breakers, retries and the fault filter.
 */
export * from './common.js';
// config
export * from './config/cluster.js';
export * from './config/fault.js';
export * from './config/retry.js';
// upstream
export * from './upstream/healthFlags.js';
export * from './upstream/host.js';
export * from './upstream/hostSet.js';
export * from './upstream/prioritySet.js';
export * from './upstream/priorityLoad.js';
export * from './upstream/localityWrr.js';
export * from './upstream/clusterStats.js';
export * from './upstream/resourceManager.js';
export * from './upstream/connPoolAdmission.js';
export * from './upstream/outlierDetectorConfig.js';
export * from './upstream/outlierHostMonitor.js';
export * from './upstream/outlierSuccessRate.js';
export * from './upstream/outlierDetector.js';
export * from './upstream/healthChecker.js';
export * from './upstream/upstreamCluster.js';
export * from './upstream/edsHosts.js';
// lb
export * from './lb/loadBalancer.js';
export * from './lb/loadBalancerBase.js';
export * from './lb/edfScheduler.js';
export * from './lb/edfLoadBalancerBase.js';
export * from './lb/roundRobin.js';
export * from './lb/leastRequest.js';
export * from './lb/random.js';
export * from './lb/threadAwareLb.js';
export * from './lb/ringHash.js';
export * from './lb/maglev.js';
export * from './lb/hash.js';
export * from './lb/hashPolicy.js';
export * from './lb/previousHosts.js';
export * from './lb/createLoadBalancer.js';
// router
export * from './router/backoff.js';
export * from './router/retryPolicy.js';
export * from './router/retryState.js';
// route matching (virtual hosts, routes, weighted clusters)
export * from './router/regex.js';
export * from './router/stringMatcher.js';
export * from './router/headerMatcher.js';
export * from './router/queryParameters.js';
export * from './router/pathMatch.js';
export * from './router/pathNormalization.js';
export * from './router/routeMatch.js';
export * from './router/virtualHost.js';
export * from './router/weightedClusters.js';
export * from './router/routeOutcome.js';
// listener and filter-chain matching
export * from './listener/address.js';
export * from './listener/connection.js';
export * from './listener/listenerFilters.js';
export * from './listener/filterChainMatch.js';
export * from './listener/listenerSelect.js';
// filters
export * from './filters/http/fault/faultConfig.js';
export * from './filters/http/fault/faultFilter.js';
// observability
export * from './observability/responseFlags.js';
export * from './observability/index.js';
