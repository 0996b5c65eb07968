/**
 * @meshsim/sim-core — the simulation core of meshsim. Subpath entries: `@meshsim/sim-core/engine`,
 * `@meshsim/sim-core/testing`.
 */
export * from './engine/index.js';
export * from './errors.js';
