/**
 * `envoy.retry_host_predicates.previous_hosts`: rejects every host already attempted for this request
 * (including the first attempt), so a retry lands on a different pod when the load balancer can find one
 * within `host_selection_retry_max_attempts` extra picks. Mirrors `PreviousHostsRetryPredicate`
 * (envoyproxy/envoy source/extensions/retry/host/previous_hosts/previous_hosts.h).
 */
import type { Host } from '../upstream/host.js';

/** A retry host predicate (`Upstream::RetryHostPredicate`). */
export interface RetryHostPredicate {
  /** True to make the LB pick again. */
  shouldSelectAnotherHost(host: Host): boolean;
  /** Called for each host an attempt is sent to. */
  onHostAttempted(host: Host): void;
}

/** The `previous_hosts` predicate of one request. */
export class PreviousHostsPredicate implements RetryHostPredicate {
  private readonly attempted = new Set<Host>();

  shouldSelectAnotherHost(host: Host): boolean {
    return this.attempted.has(host);
  }

  onHostAttempted(host: Host): void {
    this.attempted.add(host);
  }
}
