/** `@meshsim/sim-core/istio`: Istio resources — validation, the mesh model and istiod's translation. */
export * from './validation/index.js';
export * from './model/index.js';
export * from './xds/trafficPolicy/index.js';
export * from './xds/index.js';
