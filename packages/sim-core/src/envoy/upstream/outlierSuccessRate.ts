/**
 * The interval-based detectors: success rate (eject hosts whose success rate over the last interval is
 * below `mean − stdev_factor/1000 × stdev` of the hosts with enough volume) and failure percentage (eject
 * hosts failing at least `failure_percentage_threshold` %). Mirrors
 * `DetectorImpl::processSuccessRateEjections` and `successRateEjectionThreshold` (envoyproxy/envoy
 * source/common/upstream/outlier_detection_impl.cc). Istio turns success rate off (`enforcing_success_rate
 * 0`); failure percentage is off by Envoy's default (`enforcing_failure_percentage 0`).
 */
import { HealthFlag } from './healthFlags.js';
import type { Host } from './host.js';
import type { DetectorConfig } from './outlierDetectorConfig.js';
import type { DetectorHostMonitor, EjectionType, SuccessRateMonitorType } from './outlierHostMonitor.js';

/** The cluster-wide success-rate mean and ejection threshold of one tick (-1 when not computed). */
export interface SuccessRateNumbers {
  readonly average: number;
  readonly ejectionThreshold: number;
}

/**
 * `successRateEjectionThreshold`: mean and `mean − factor × population stdev`. For rates
 * {50, 100, 100, 100, 100}: mean 90, stdev 20, threshold 52 with factor 1.9.
 */
export function successRateEjectionThreshold(rates: readonly number[], stdevFactor: number): SuccessRateNumbers {
  let sum = 0;
  for (const r of rates) sum += r;
  const mean = sum / rates.length;
  let variance = 0;
  for (const r of rates) variance += Math.pow(r - mean, 2);
  variance /= rates.length;
  return { average: mean, ejectionThreshold: mean - stdevFactor * Math.sqrt(variance) };
}

/** One detection of a tick, in Envoy's order (success rate first, then failure percentage). */
export interface SuccessRateDetection {
  readonly host: Host;
  readonly type: EjectionType;
}

/**
 * The detections of one tick for one monitor type; the caller ejects them in order (each through the
 * max-ejection rule). Also records each host's success rate where its volume allows.
 */
export function processSuccessRateEjections(
  config: DetectorConfig,
  monitors: ReadonlyMap<Host, DetectorHostMonitor>,
  type: SuccessRateMonitorType,
): { numbers: SuccessRateNumbers; ejections: SuccessRateDetection[] } {
  const none = { numbers: { average: -1, ejectionThreshold: -1 }, ejections: [] };
  if (monitors.size < config.successRateMinimumHosts && monitors.size < config.failurePercentageMinimumHosts) {
    return none;
  }
  const srHosts: { host: Host; rate: number }[] = [];
  const fpHosts: { host: Host; rate: number }[] = [];
  for (const [host, m] of monitors) {
    if (host.healthFlagGet(HealthFlag.FAILED_OUTLIER_CHECK)) continue;
    const rv = m.accumulators[type].successRateAndVolume();
    if (rv === undefined) continue;
    const [rate, volume] = rv;
    if (volume >= Math.min(config.successRateRequestVolume, config.failurePercentageRequestVolume)) {
      m.successRates[type] = rate;
    }
    if (volume >= config.successRateRequestVolume) srHosts.push({ host, rate });
    if (volume >= config.failurePercentageRequestVolume) fpHosts.push({ host, rate });
  }
  let numbers: SuccessRateNumbers = { average: -1, ejectionThreshold: -1 };
  const ejections: SuccessRateDetection[] = [];
  if (srHosts.length > 0 && srHosts.length >= config.successRateMinimumHosts) {
    numbers = successRateEjectionThreshold(
      srHosts.map((h) => h.rate),
      config.successRateStdevFactor / 1000.0,
    );
    for (const h of srHosts) {
      if (h.rate < numbers.ejectionThreshold) {
        ejections.push({
          host: h.host,
          type: type === 'ExternalOrigin' ? 'SUCCESS_RATE' : 'SUCCESS_RATE_LOCAL_ORIGIN',
        });
      }
    }
  }
  if (fpHosts.length > 0 && fpHosts.length >= config.failurePercentageMinimumHosts) {
    for (const h of fpHosts) {
      if (100.0 - h.rate >= config.failurePercentageThreshold) {
        ejections.push({
          host: h.host,
          type: type === 'ExternalOrigin' ? 'FAILURE_PERCENTAGE' : 'FAILURE_PERCENTAGE_LOCAL_ORIGIN',
        });
      }
    }
  }
  return { numbers, ejections };
}
