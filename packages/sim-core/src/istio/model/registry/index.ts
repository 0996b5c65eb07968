/** Istio's service registry: services, endpoints, auto-registration and VIP allocation. */
export {
  AUTO_REGISTRATION_GROUP,
  autoRegister,
  autoRegisteredName,
  HEALTH_CHECKS_ENABLED,
  workloadEntryHealthy,
} from './autoRegistration.js';
export {
  buildRegistry,
  endpointsOf,
  findServiceByHost,
  servicesMatchingHost,
  servicesVisibleFrom,
} from './buildRegistry.js';
export { augmentLabels, convertService, localityString } from './kubernetesServices.js';
export { convertServiceEntry } from './serviceEntries.js';
export type * from './types.js';
export {
  allocateServiceEntryAddresses,
  allocationKey,
  shouldAutoAllocate,
  type AllocatedAddresses,
} from './vipAllocation.js';
