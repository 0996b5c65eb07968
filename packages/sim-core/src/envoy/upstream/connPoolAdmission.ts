/**
 * The circuit-breaker decisions a connection pool makes, as pure steps the simulated world's pools call:
 * whether a new stream attaches to a ready connection, waits as pending, or overflows (503 UO, never
 * retried, not reported to outlier detection); and whether a new connection may open. HTTP never 503s on
 * `max_connections` itself — requests wait as pending until *that* queue overflows. Mirrors
 * `ConnPoolImplBase::newStreamImpl` and `tryCreateNewConnection` (envoyproxy/envoy
 * source/common/conn_pool/conn_pool_base.cc).
 */
import type { ClusterTrafficStats } from './clusterStats.js';
import type { ResourceManager } from './resourceManager.js';

/** Outcome of {@link newStream}. */
export type NewStreamDecision = 'attached' | 'pending' | 'overflow';

/**
 * `newStreamImpl`: with a ready connection, attach if `max_requests` allows; else queue as pending if
 * `max_pending_requests` allows. Both overflows count `upstream_rq_pending_overflow` (the *pending* counter,
 * even for `max_requests`). Increments the resource it takes.
 */
export function newStream(
  rm: ResourceManager,
  stats: ClusterTrafficStats,
  hasReadyConnection: boolean,
): NewStreamDecision {
  if (hasReadyConnection) {
    if (!rm.requests.canCreate()) {
      stats.upstream_rq_pending_overflow++;
      return 'overflow';
    }
    rm.requests.inc();
    stats.upstream_rq_total++;
    stats.upstream_rq_active++;
    return 'attached';
  }
  if (!rm.pendingRequests.canCreate()) {
    stats.upstream_rq_pending_overflow++;
    return 'overflow';
  }
  rm.pendingRequests.inc();
  stats.upstream_rq_pending_total++;
  stats.upstream_rq_pending_active++;
  return 'pending';
}

/**
 * `onUpstreamReady` → `attachStreamToClient` for the oldest pending stream (FIFO): it leaves the pending
 * queue and becomes an active request — or, when `max_requests` is full by then, fails with Overflow
 * (`upstream_rq_pending_overflow`, 503 UO).
 */
export function attachPending(rm: ResourceManager, stats: ClusterTrafficStats): 'attached' | 'overflow' {
  rm.pendingRequests.dec();
  stats.upstream_rq_pending_active--;
  if (!rm.requests.canCreate()) {
    stats.upstream_rq_pending_overflow++;
    return 'overflow';
  }
  rm.requests.inc();
  stats.upstream_rq_total++;
  stats.upstream_rq_active++;
  return 'attached';
}

/** A finished (or reset) active request releases its `max_requests` slot. */
export function releaseRequest(rm: ResourceManager, stats: ClusterTrafficStats): void {
  rm.requests.dec();
  stats.upstream_rq_active--;
}

/** A pending stream that was cancelled (e.g. timed out) releases its `max_pending_requests` slot. */
export function releasePending(rm: ResourceManager, stats: ClusterTrafficStats): void {
  rm.pendingRequests.dec();
  stats.upstream_rq_pending_active--;
}

/**
 * `tryCreateNewConnection`: over `max_connections` counts `upstream_cx_overflow`, yet a host pool with no
 * connection at all still opens one (so its pending streams can drain). Increments `connections` when a
 * connection is opened; returns whether one is.
 */
export function tryCreateConnection(
  rm: ResourceManager,
  stats: ClusterTrafficStats,
  hostPoolHasConnections: boolean,
): boolean {
  const can = rm.connections.canCreate();
  if (!can) stats.upstream_cx_overflow++;
  if (can || !hostPoolHasConnections) {
    rm.connections.inc();
    stats.upstream_cx_active++;
    return true;
  }
  return false;
}

/** A closed connection releases its `max_connections` slot. */
export function releaseConnection(rm: ResourceManager, stats: ClusterTrafficStats): void {
  rm.connections.dec();
  stats.upstream_cx_active--;
}
