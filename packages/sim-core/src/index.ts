/**
 * @meshsim/sim-core — the simulation core of meshsim. Subpath entries: `@meshsim/sim-core/engine`,
 * `@meshsim/sim-core/testing`.
 */
export * from './engine/index.js';
export * from './errors.js';
export * from './k8s/index.js';
export * from './istio/index.js';
export * as netfilter from './netfilter/index.js';
export * from './analyze/index.js';
export * as envoy from './envoy/index.js';
export * from './mesh/index.js';
export * from './explain/index.js';
