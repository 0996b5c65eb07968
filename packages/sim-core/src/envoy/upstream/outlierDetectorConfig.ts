/**
 * Outlier detection settings with Envoy's defaults applied, durations in whole milliseconds as Envoy keeps
 * them. Mirrors `DetectorConfig` (envoyproxy/envoy source/common/upstream/outlier_detection_impl.{h,cc}).
 */
import { ConfigError } from '../../errors.js';
import { protoDurationToMs } from '../common.js';
import type { OutlierDetection } from '../config/cluster.js';

/**
 * Which max-ejection-percent rule `ejectHost` applies.
 * - `current` (Envoy ≥ 1.27, envoyproxy/envoy#27624 and #27909): eject only if
 *   `100 × (ejections_active + 1) / hosts ≤ max_ejection_percent` — with the default 10 % a cluster of
 *   fewer than 10 hosts never ejects (unless `alwaysEjectOneHost`).
 * - `legacy` (Envoy ≤ 1.26, Istio ≤ 1.18): eject if `100 × ejections_active / hosts < max_ejection_percent`,
 *   checked before counting the new host — at least one ejection always allowed, and it can overshoot.
 */
export type MaxEjectionPercentRule = 'current' | 'legacy';

/** `DetectorConfig`: every field resolved. Times in milliseconds. */
export interface DetectorConfig {
  readonly intervalMs: number;
  readonly baseEjectionTimeMs: number;
  readonly maxEjectionTimeMs: number;
  readonly maxEjectionTimeJitterMs: number;
  readonly consecutive5xx: number;
  readonly consecutiveGatewayFailure: number;
  readonly consecutiveLocalOriginFailure: number;
  readonly maxEjectionPercent: number;
  readonly alwaysEjectOneHost: boolean;
  readonly successRateMinimumHosts: number;
  readonly successRateRequestVolume: number;
  readonly successRateStdevFactor: number;
  readonly failurePercentageThreshold: number;
  readonly failurePercentageMinimumHosts: number;
  readonly failurePercentageRequestVolume: number;
  readonly enforcingConsecutive5xx: number;
  readonly enforcingConsecutiveGatewayFailure: number;
  readonly enforcingConsecutiveLocalOriginFailure: number;
  readonly enforcingSuccessRate: number;
  readonly enforcingLocalOriginSuccessRate: number;
  readonly enforcingFailurePercentage: number;
  readonly enforcingFailurePercentageLocalOrigin: number;
  readonly splitExternalLocalOriginErrors: boolean;
  readonly successfulActiveHealthCheckUnejectHost: boolean;
  readonly maxEjectionPercentRule: MaxEjectionPercentRule;
}

/** Envoy's `DEFAULT_MAX_EJECTION_TIME_MS`. */
const DEFAULT_MAX_EJECTION_TIME_MS = 300_000;

/**
 * Resolves `OutlierDetection` against Envoy's defaults (`DetectorConfig::DetectorConfig`). Throws a
 * {@link ConfigError} when `maxEjectionTime < baseEjectionTime`, as `DetectorImpl::create` rejects it.
 */
export function detectorConfig(
  od: OutlierDetection = {},
  maxEjectionPercentRule: MaxEjectionPercentRule = 'current',
): DetectorConfig {
  const ms = (v: string | undefined, field: string, fallback: number): number =>
    v === undefined ? fallback : protoDurationToMs(v, `outlierDetection.${field}`);
  const baseEjectionTimeMs = ms(od.baseEjectionTime, 'baseEjectionTime', 30_000);
  const maxEjectionTimeMs = ms(
    od.maxEjectionTime,
    'maxEjectionTime',
    Math.max(DEFAULT_MAX_EJECTION_TIME_MS, baseEjectionTimeMs),
  );
  if (maxEjectionTimeMs < baseEjectionTimeMs) {
    throw new ConfigError("outlier detector's max_ejection_time cannot be smaller than base_ejection_time", {
      field: 'outlierDetection.maxEjectionTime',
    });
  }
  return {
    intervalMs: ms(od.interval, 'interval', 10_000),
    baseEjectionTimeMs,
    maxEjectionTimeMs,
    maxEjectionTimeJitterMs: ms(od.maxEjectionTimeJitter, 'maxEjectionTimeJitter', 0),
    consecutive5xx: od.consecutive5xx ?? 5,
    consecutiveGatewayFailure: od.consecutiveGatewayFailure ?? 5,
    consecutiveLocalOriginFailure: od.consecutiveLocalOriginFailure ?? 5,
    maxEjectionPercent: od.maxEjectionPercent ?? 10,
    alwaysEjectOneHost: od.alwaysEjectOneHost ?? false,
    successRateMinimumHosts: od.successRateMinimumHosts ?? 5,
    successRateRequestVolume: od.successRateRequestVolume ?? 100,
    successRateStdevFactor: od.successRateStdevFactor ?? 1900,
    failurePercentageThreshold: od.failurePercentageThreshold ?? 85,
    failurePercentageMinimumHosts: od.failurePercentageMinimumHosts ?? 5,
    failurePercentageRequestVolume: od.failurePercentageRequestVolume ?? 50,
    enforcingConsecutive5xx: od.enforcingConsecutive5xx ?? 100,
    enforcingConsecutiveGatewayFailure: od.enforcingConsecutiveGatewayFailure ?? 0,
    enforcingConsecutiveLocalOriginFailure: od.enforcingConsecutiveLocalOriginFailure ?? 100,
    enforcingSuccessRate: od.enforcingSuccessRate ?? 100,
    enforcingLocalOriginSuccessRate: od.enforcingLocalOriginSuccessRate ?? 100,
    enforcingFailurePercentage: od.enforcingFailurePercentage ?? 0,
    enforcingFailurePercentageLocalOrigin: od.enforcingFailurePercentageLocalOrigin ?? 0,
    splitExternalLocalOriginErrors: od.splitExternalLocalOriginErrors ?? false,
    successfulActiveHealthCheckUnejectHost: od.successfulActiveHealthCheckUnejectHost ?? true,
    maxEjectionPercentRule,
  };
}
