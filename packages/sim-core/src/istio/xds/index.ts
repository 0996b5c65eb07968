/**
 * istiod's translation: the Envoy configuration (listeners, routes, clusters, endpoints) istiod 1.29
 * pushes to one sidecar or gateway, built from the mesh model as pure functions, and istioctl's
 * `proxy-config` views of it.
 */
export { buildProxyConfig, rdsNames, type ProxyRef } from './buildProxyConfig.js';
export type {
  ProxyConfig as EnvoyProxyConfig,
  ProxyConfigSize,
  ProxyConfigNode,
} from '../../envoy/config/proxyConfig.js';
export type { Bootstrap, BootstrapNode } from '../../envoy/config/bootstrap.js';
export {
  buildBootstrap,
  serviceCluster,
  ENVOY_PROMETHEUS_PORT,
  ENVOY_STATUS_PORT,
  type BootstrapOptions,
} from './bootstrap.js';
export * from './names.js';
export { pushContextOf, type PushContext } from './pushContext.js';
export { proxyNode, type ProxyNode, type ServiceTarget } from './proxyNode.js';
export { buildSidecarScope, sidecarFor, type EgressListener, type SidecarScope } from './sidecarScope.js';
export { prepareVirtualServices, mergeHTTPRoute, resolveGatewayName, type VsConfig } from './virtualServices.js';
export { generateVirtualHostDomains, generateAltVirtualHosts } from './route/domains.js';
export { translateRouteMatch } from './route/routeMatch.js';
export { mergeGateways, type MergedGateway } from './gateway/mergeGateways.js';
export * from './istioctl/index.js';
