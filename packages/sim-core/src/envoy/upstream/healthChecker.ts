/**
 * Active health checking as host-flag state machines: each check result moves a host between healthy and
 * FAILED_ACTIVE_HC after `healthy_threshold` / `unhealthy_threshold` consecutive results, the first result
 * decides at once, and a non-network failure (a bad HTTP status) fails the host immediately. Results are
 * inputs (the simulated world runs the probes); callbacks tell the cluster to rebuild its host sets and
 * outlier detection to un-eject. Mirrors `HealthCheckerImplBase::ActiveHealthCheckSession::handleSuccess`,
 * `setUnhealthy` and `clearPendingFlag` (envoyproxy/envoy
 * source/common/upstream/health_checker_impl.cc). Kubernetes readiness and WorkloadEntry health reach
 * Envoy as EDS health instead: see {@link withEdsHealthStatus}.
 */
import { HealthFlag } from './healthFlags.js';
import type { Host } from './host.js';
import type { PrioritySet } from './prioritySet.js';

/** `HealthTransition`. */
export type HealthTransition = 'Unchanged' | 'Changed' | 'ChangePending';

/** `envoy.data.core.v3.HealthCheckFailureType`. */
export type HealthCheckFailureType = 'ACTIVE' | 'PASSIVE' | 'NETWORK' | 'NETWORK_TIMEOUT';

/** Thresholds of `envoy.config.core.v3.HealthCheck`. */
export interface HealthCheckThresholds {
  /** Consecutive successes to become healthy (the first ever check counts at once). */
  readonly healthyThreshold: number;
  /** Consecutive network failures to become unhealthy. */
  readonly unhealthyThreshold: number;
}

/** `HostStatusCb`: after every check; `healthy` is the result of this check. */
export type HostCheckCompleteCb = (host: Host, transition: HealthTransition, healthy: boolean) => void;

/** Envoy's per-checker stats (`ALL_HEALTH_CHECKER_STATS`, the counters a simulation moves). */
export interface HealthCheckerStats {
  success: number;
  failure: number;
  network_failure: number;
  passive_failure: number;
  degraded: number;
}

interface Session {
  numHealthy: number;
  numUnhealthy: number;
  firstCheck: boolean;
}

/** The active health checker of one cluster. */
export class HealthChecker {
  readonly thresholds: HealthCheckThresholds;
  readonly stats: HealthCheckerStats = { success: 0, failure: 0, network_failure: 0, passive_failure: 0, degraded: 0 };
  private readonly sessions = new Map<Host, Session>();
  private readonly callbacks: HostCheckCompleteCb[] = [];
  private readonly unsubscribe: () => void;

  /**
   * Starts checking every host of `prioritySet`. Hosts not yet checked are failed and pending
   * (FAILED_ACTIVE_HC | PENDING_ACTIVE_HC), as Envoy marks hosts of a health-checked cluster.
   */
  constructor(prioritySet: PrioritySet, thresholds: HealthCheckThresholds) {
    this.thresholds = thresholds;
    for (const h of prioritySet.allHosts()) this.addSession(h);
    this.unsubscribe = prioritySet.addMemberUpdateCb((added, removed) => {
      for (const h of added) if (!this.sessions.has(h)) this.addSession(h);
      for (const h of removed) this.sessions.delete(h);
    });
  }

  /** `addHostCheckCompleteCb`. */
  addHostCheckCompleteCb(cb: HostCheckCompleteCb): void {
    this.callbacks.push(cb);
  }

  dispose(): void {
    this.unsubscribe();
  }

  /** `handleSuccess(degraded)`: a passing check (`degraded` when the response had `x-envoy-degraded`). */
  reportSuccess(host: Host, degraded = false): HealthTransition {
    const s = this.session(host);
    s.numUnhealthy = 0;
    let changed: HealthTransition = 'Unchanged';
    if (host.healthFlagGet(HealthFlag.FAILED_ACTIVE_HC)) {
      if (s.firstCheck || ++s.numHealthy === this.thresholds.healthyThreshold) {
        host.healthFlagClear(HealthFlag.ACTIVE_HC_TIMEOUT);
        host.healthFlagClear(HealthFlag.EXCLUDED_VIA_IMMEDIATE_HC_FAIL);
        host.healthFlagClear(HealthFlag.FAILED_ACTIVE_HC);
        changed = 'Changed';
      } else {
        changed = 'ChangePending';
      }
    }
    changed = this.clearPendingFlag(host, changed);
    if (degraded !== host.healthFlagGet(HealthFlag.DEGRADED_ACTIVE_HC)) {
      if (degraded) {
        host.healthFlagSet(HealthFlag.DEGRADED_ACTIVE_HC);
        this.stats.degraded++;
      } else {
        host.healthFlagClear(HealthFlag.DEGRADED_ACTIVE_HC);
      }
      if (changed === 'Unchanged') changed = 'Changed';
    }
    this.stats.success++;
    s.firstCheck = false;
    for (const cb of this.callbacks) cb(host, changed, true);
    return changed;
  }

  /**
   * `setUnhealthy(type)`: a failing check. Network failures (and timeouts) need `unhealthy_threshold` in a
   * row; any other failure (e.g. a non-2xx HTTP status) fails the host at once. `immediateFail` is the
   * `x-envoy-immediate-health-check-fail` header, which also excludes the host.
   */
  reportFailure(host: Host, type: HealthCheckFailureType = 'ACTIVE', immediateFail = false): HealthTransition {
    const s = this.session(host);
    if (immediateFail) host.healthFlagSet(HealthFlag.EXCLUDED_VIA_IMMEDIATE_HC_FAIL);
    s.numHealthy = 0;
    let changed: HealthTransition = 'Unchanged';
    const network = type === 'NETWORK' || type === 'NETWORK_TIMEOUT';
    if (!host.healthFlagGet(HealthFlag.FAILED_ACTIVE_HC)) {
      if (!network || ++s.numUnhealthy === this.thresholds.unhealthyThreshold) {
        host.healthFlagSet(HealthFlag.FAILED_ACTIVE_HC);
        changed = 'Changed';
      } else {
        changed = 'ChangePending';
      }
    }
    if (type === 'NETWORK_TIMEOUT' && host.healthFlagGet(HealthFlag.FAILED_ACTIVE_HC)) {
      host.healthFlagSet(HealthFlag.ACTIVE_HC_TIMEOUT);
    } else {
      host.healthFlagClear(HealthFlag.ACTIVE_HC_TIMEOUT);
    }
    changed = this.clearPendingFlag(host, changed);
    this.stats.failure++;
    if (network) this.stats.network_failure++;
    else if (type === 'PASSIVE') this.stats.passive_failure++;
    s.firstCheck = false;
    for (const cb of this.callbacks) cb(host, changed, false);
    return changed;
  }

  // The first result takes a host out of "pending": the excluded list changes even if health does not.
  private clearPendingFlag(host: Host, changed: HealthTransition): HealthTransition {
    if (host.healthFlagGet(HealthFlag.PENDING_ACTIVE_HC)) {
      host.healthFlagClear(HealthFlag.PENDING_ACTIVE_HC);
      return 'Changed';
    }
    return changed;
  }

  private addSession(host: Host): void {
    host.healthFlagSet(HealthFlag.FAILED_ACTIVE_HC);
    host.healthFlagSet(HealthFlag.PENDING_ACTIVE_HC);
    this.sessions.set(host, { numHealthy: 0, numUnhealthy: 0, firstCheck: true });
  }

  private session(host: Host): Session {
    let s = this.sessions.get(host);
    if (s === undefined) {
      s = { numHealthy: 0, numUnhealthy: 0, firstCheck: true };
      this.sessions.set(host, s);
    }
    return s;
  }
}
