/**
 * `@meshsim/viz/run`: chart models from real runs of sim-core's simulated world — the report variant of a
 * run (summary, split per route with declared weights, latency, timeline, service graph, sampled request
 * paths) and the driver that feeds a run's trace to a collector as it goes. Unlike `@meshsim/viz`, this
 * entry runs sim-core (explanations, netfilter traversals, proxy configuration), in Node or in a browser.
 */
export { flowFromSample, type FlowContext } from './flowFromRun.js';
export {
  runVirtualServices,
  trafficSplitFromRun,
  type RunVirtualService,
  type SplitFromRunOptions,
} from './splitFromRun.js';
export {
  collectorFor,
  reportVariantFromRun,
  runCollecting,
  sampleFlows,
  type RunVariantInput,
} from './variantFromRun.js';
