/**
 * istiod's `applyOutlierDetection` (istio/istio pilot/pkg/networking/core/cluster_traffic_policy.go): a
 * DestinationRule `outlierDetection` becomes the cluster's Envoy `outlier_detection`, with success-rate
 * ejection switched off, and `minHealthPercent` (default 0) becomes `healthy_panic_threshold` — so with
 * outlier detection configured, Istio disables Envoy's 50 % panic mode by default.
 */
import { toProtoDuration } from '../../../envoy/common.js';
import type { Cluster, OutlierDetection } from '../../../envoy/config/cluster.js';
import type { IstioOutlierDetection } from './types.js';

/** What `applyOutlierDetection` reads about the service. */
export interface OutlierServiceInfo {
  /** `service.ForcesSupportUnhealthyEndpoints()`: the panic threshold is then forced to 0. */
  readonly forcesSupportUnhealthyEndpoints?: boolean;
}

/**
 * Returns `cluster` with `outlierDetection` and `commonLbConfig.healthyPanicThreshold` set from the Istio
 * settings; unchanged when `outlier` is undefined (Istio configures nothing without a DestinationRule
 * `outlierDetection`).
 */
export function applyOutlierDetection(
  cluster: Cluster,
  outlier: IstioOutlierDetection | undefined,
  service: OutlierServiceInfo = {},
): Cluster {
  if (outlier === undefined) return cluster;
  const od: { -readonly [K in keyof OutlierDetection]: OutlierDetection[K] } = { enforcingSuccessRate: 0 };
  if (outlier.consecutive5xxErrors !== undefined) {
    const v = outlier.consecutive5xxErrors;
    od.consecutive5xx = v;
    od.enforcingConsecutive5xx = v > 0 ? 100 : 0;
  }
  if (outlier.consecutiveGatewayErrors !== undefined) {
    const v = outlier.consecutiveGatewayErrors;
    od.consecutiveGatewayFailure = v;
    od.enforcingConsecutiveGatewayFailure = v > 0 ? 100 : 0;
  }
  if (outlier.interval !== undefined) od.interval = toProtoDuration(outlier.interval, 'outlierDetection.interval');
  if (outlier.baseEjectionTime !== undefined) {
    od.baseEjectionTime = toProtoDuration(outlier.baseEjectionTime, 'outlierDetection.baseEjectionTime');
  }
  if (outlier.maxEjectionPercent !== undefined && outlier.maxEjectionPercent > 0) {
    od.maxEjectionPercent = outlier.maxEjectionPercent;
  }
  if (outlier.splitExternalLocalOriginErrors === true) {
    od.splitExternalLocalOriginErrors = true;
    if ((outlier.consecutiveLocalOriginFailures ?? 0) > 0) {
      od.consecutiveLocalOriginFailure = outlier.consecutiveLocalOriginFailures;
      od.enforcingConsecutiveLocalOriginFailure = 100;
    }
    od.enforcingLocalOriginSuccessRate = 0;
  }
  let out: Cluster = { ...cluster, outlierDetection: od };
  // Istio cannot tell unset from 0, so the threshold is always written (0 = no panic).
  let minHealthPercent = outlier.minHealthPercent ?? 0;
  if (minHealthPercent >= 0) {
    if (service.forcesSupportUnhealthyEndpoints === true) minHealthPercent = 0;
    out = { ...out, commonLbConfig: { ...out.commonLbConfig, healthyPanicThreshold: { value: minHealthPercent } } };
  }
  return out;
}
