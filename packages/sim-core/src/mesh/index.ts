/**
 * The simulated world's building blocks: application models, traffic generators and the network model.
 * The world that joins them to netfilter and Envoy is assembled from these.
 */
export * from './app/index.js';
export * from './network/index.js';
export * from './traffic/index.js';
export * from './world/index.js';
