/**
 * `route(model, call)` and its parts: where a request goes and why, as Envoy would route it with the
 * configuration istiod pushes (`meshsim route`).
 */
export { defaultAlpn, parseCallTarget, parseHeaders, type CallMode, type CallTarget, type RouteCall } from './call.js';
export { inboundCapture, outboundCapture, type CaptureResult } from './capture.js';
export { candidatesOf, clusterEndpoints, parseClusterName } from './clusters.js';
export type {
  ClusterCandidate,
  EndpointInfo,
  EnvoyOutcome,
  ExplainStep,
  OutcomeShare,
  ResolvedCall,
  RouteErrorKind,
  RouteExplanation,
  RouteRef,
  SourceRef,
} from './explanation.js';
export { formatRouteExplanation, formatSourceRef } from './format.js';
export { reachesClusters } from './outcomes.js';
export type { ClusterLoadAssignmentView, ClusterView, ProxyConfigView } from './proxyConfigView.js';
export { EXTERNAL_CLIENT_ADDRESS, resolveCall, type ResolvedInput } from './resolve.js';
export { explainRoute, route, type ProxyConfigBuilder } from './route.js';
export { walkProxyConfig, type WalkInput, type WalkMatches, type WalkResult } from './walk.js';
