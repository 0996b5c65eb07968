/**
 * The mesh model: MeshConfig, sidecar injection, Istio's service registry, DNS proxy, security and the frozen
 * {@link MeshModel} with what-if editing.
 */
export * from './config.js';
export * from './dns/index.js';
export { isWildcarded, resolveShortname, serviceHostname, spiffeId } from './host.js';
export * from './injection/index.js';
export {
  defaultInstallObjects,
  ISTIO_INSTALL_SOURCE_FILE,
  type DefaultInstallOptions,
} from './install/defaultInstall.js';
export {
  applyMeshConfig,
  defaultMeshConfig,
  dnsCaptureEnabled,
  MESH_CONFIGMAP,
  meshConfigFromObjects,
  mergeProxyConfig,
  proxyConcurrency,
  proxyConfigFor,
  type MeshConfig,
  type ProxyConfig,
} from './meshConfig.js';
export {
  buildMeshModel,
  loadMeshModel,
  type MeshModel,
  type MeshModelOptions,
  type ModelDiagnostic,
  type ServiceEntryAddress,
} from './meshModel.js';
export * from './modelQueries.js';
export {
  convertKubeProtocol,
  isHTTP,
  isHTTP2,
  isSniffed,
  isTCP,
  parseProtocol as parsePortProtocol,
  type Protocol,
} from './protocol.js';
export { parseCpu, proxyOfPod, proxyOfVm, type MeshProxy } from './proxy.js';
export * from './registry/index.js';
export * from './security/index.js';
export {
  destinationRuleFor,
  destinationRuleHost,
  mergeDestinationRules,
  type MergedDestinationRule,
} from './traffic/destinationRules.js';
export { exportToAnnotation, resolveExportTo, visibleFrom, type Visibility } from './visibility.js';
export { parseClusterEnv, virtualMachineFromEnv, type VirtualMachine } from './vm.js';
export { findObject, WITH_CHANGES_SOURCE_FILE, withChanges, type MeshModelDraft } from './withChanges.js';
