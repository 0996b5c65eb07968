/**
 * Host health flags and the coarse health derived from them. Every source of health — active health
 * checks, outlier detection, EDS/Kubernetes readiness, WorkloadEntry health — sets or clears one of these
 * bits on the same host, and the host set is rebuilt from them. Mirrors `HEALTH_FLAG_ENUM_VALUES` in
 * envoyproxy/envoy envoy/upstream/upstream.h and `HostImplBase::coarseHealth` /
 * `ClusterImplBase::partitionHostList` (source/common/upstream/upstream_impl.{h,cc}).
 */
import type { HealthStatus } from '../config/endpoint.js';

/** Host health flag bits, with Envoy's values. */
export const HealthFlag = {
  /** Failing active health checks. */
  FAILED_ACTIVE_HC: 0x1,
  /** Ejected by outlier detection. */
  FAILED_OUTLIER_CHECK: 0x2,
  /** Marked unhealthy (or TIMEOUT) by EDS — for Istio, a not-ready pod sent with a health status. */
  FAILED_EDS_HEALTH: 0x4,
  /** Degraded through active health checking (`x-envoy-degraded`). */
  DEGRADED_ACTIVE_HC: 0x8,
  /** Marked degraded by EDS. */
  DEGRADED_EDS_HEALTH: 0x10,
  /** Removed from discovery but kept because active HC still passes. */
  PENDING_DYNAMIC_REMOVAL: 0x20,
  /** Waiting for its first active health check. */
  PENDING_ACTIVE_HC: 0x40,
  /** Taken out of rotation by `x-envoy-immediate-health-check-fail`. */
  EXCLUDED_VIA_IMMEDIATE_HC_FAIL: 0x80,
  /** Failed active HC by timing out. */
  ACTIVE_HC_TIMEOUT: 0x100,
  /** Marked DRAINING by EDS. */
  EDS_STATUS_DRAINING: 0x200,
  /** Degraded by outlier detection (`detect_degraded_hosts`, recent Envoy). */
  DEGRADED_OUTLIER_DETECTION: 0x400,
} as const;

/** One health flag bit. */
export type HealthFlagBit = (typeof HealthFlag)[keyof typeof HealthFlag];

/** `Host::Health`. */
export type CoarseHealth = 'healthy' | 'degraded' | 'unhealthy';

const UNHEALTHY_MASK =
  HealthFlag.FAILED_ACTIVE_HC |
  HealthFlag.FAILED_OUTLIER_CHECK |
  HealthFlag.FAILED_EDS_HEALTH |
  HealthFlag.EDS_STATUS_DRAINING;
const DEGRADED_MASK =
  HealthFlag.DEGRADED_ACTIVE_HC | HealthFlag.DEGRADED_EDS_HEALTH | HealthFlag.DEGRADED_OUTLIER_DETECTION;
const EXCLUDED_MASK =
  HealthFlag.PENDING_ACTIVE_HC | HealthFlag.EXCLUDED_VIA_IMMEDIATE_HC_FAIL | HealthFlag.EDS_STATUS_DRAINING;

/** `HostImplBase::coarseHealth`: any failure flag makes a host unhealthy; else any degraded flag, degraded. */
export function coarseHealth(flags: number): CoarseHealth {
  if (flags & UNHEALTHY_MASK) return 'unhealthy';
  if (flags & DEGRADED_MASK) return 'degraded';
  return 'healthy';
}

/** `excludeBasedOnHealthFlag`: excluded hosts count neither toward health nor toward the host total. */
export function isExcluded(flags: number): boolean {
  return (flags & EXCLUDED_MASK) !== 0;
}

/** `envoy.config.core.v3.HealthStatus`, as EDS carries it per endpoint. */
export type EdsHealthStatus = HealthStatus;

/**
 * `HostImplBase::setEdsHealthFlag`: clears the EDS flags, then UNHEALTHY/TIMEOUT → FAILED_EDS_HEALTH,
 * DRAINING → EDS_STATUS_DRAINING, DEGRADED → DEGRADED_EDS_HEALTH. Returns the new flags.
 */
export function withEdsHealthStatus(flags: number, status: EdsHealthStatus): number {
  let f = flags & ~(HealthFlag.FAILED_EDS_HEALTH | HealthFlag.DEGRADED_EDS_HEALTH | HealthFlag.EDS_STATUS_DRAINING);
  if (status === 'UNHEALTHY' || status === 'TIMEOUT') f |= HealthFlag.FAILED_EDS_HEALTH;
  else if (status === 'DRAINING') f |= HealthFlag.EDS_STATUS_DRAINING;
  else if (status === 'DEGRADED') f |= HealthFlag.DEGRADED_EDS_HEALTH;
  return f;
}

const NAMES: readonly (readonly [number, string])[] = [
  [HealthFlag.FAILED_ACTIVE_HC, 'failed_active_hc'],
  [HealthFlag.FAILED_OUTLIER_CHECK, 'failed_outlier_check'],
  [HealthFlag.FAILED_EDS_HEALTH, 'failed_eds_health'],
  [HealthFlag.DEGRADED_ACTIVE_HC, 'degraded_active_hc'],
  [HealthFlag.DEGRADED_EDS_HEALTH, 'degraded_eds_health'],
  [HealthFlag.PENDING_DYNAMIC_REMOVAL, 'pending_dynamic_removal'],
  [HealthFlag.PENDING_ACTIVE_HC, 'pending_active_hc'],
  [HealthFlag.EXCLUDED_VIA_IMMEDIATE_HC_FAIL, 'excluded_via_immediate_hc_fail'],
  [HealthFlag.ACTIVE_HC_TIMEOUT, 'active_hc_timeout'],
  [HealthFlag.EDS_STATUS_DRAINING, 'eds_status_draining'],
  [HealthFlag.DEGRADED_OUTLIER_DETECTION, 'degraded_outlier_detection'],
];

/**
 * `HostUtility::healthFlagsToString`: `healthy`, or `/`-prefixed flag names as the admin `/clusters`
 * endpoint prints them (e.g. `/failed_outlier_check`).
 */
export function healthFlagsToString(flags: number): string {
  let s = '';
  for (const [bit, name] of NAMES) if (flags & bit) s += `/${name}`;
  return s === '' ? 'healthy' : s;
}
