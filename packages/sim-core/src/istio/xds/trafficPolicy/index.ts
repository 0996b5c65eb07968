/** istiod's traffic-policy translation: DestinationRule and VirtualService settings → Envoy cluster and route fields. */
export { applyConnectionPool, getDefaultCircuitBreakerThresholds, ISTIO_UNLIMITED } from './applyConnectionPool.js';
export {
  applyLoadBalancer,
  applyRingHashLoadBalancer,
  consistentHashToHashPolicy,
  DEFAULT_LB_POLICY,
  type LoadBalancerServiceInfo,
} from './applyLoadBalancer.js';
export { applyOutlierDetection, type OutlierServiceInfo } from './applyOutlierDetection.js';
export {
  buildRetryPolicy,
  DEFAULT_HOST_SELECTION_ATTEMPTS,
  DEFAULT_NUM_RETRIES,
  DEFAULT_RETRY_ON,
  parseIstioRetryOn,
} from './buildRetryPolicy.js';
export {
  GRPC_STATUS_CODES,
  translateFault,
  translateIntegerToFractionalPercent,
  translatePercentToFractionalPercent,
} from './translateFault.js';
export type {
  IstioConnectionPoolSettings,
  IstioConsistentHash,
  IstioHTTPFaultInjection,
  IstioHTTPRetry,
  IstioLoadBalancerSettings,
  IstioOutlierDetection,
  IstioRetryBudget,
} from './types.js';
