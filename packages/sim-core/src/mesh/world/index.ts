/**
 * The simulated world: `simulate({ model, traffic, workloads, events, network, seed, until, trace })` runs
 * requests end to end through apps, netfilter, Envoy sidecars, gateways and the network, with Istio's
 * telemetry; timed changes (apply/delete, scale, kill, readiness, workload changes, partitions) drive
 * its dynamics.
 */
export * from './simulate.js';
export * from './options.js';
export * from './changes.js';
export * from './workloads.js';
export * from './world.js';
export { applyTimedChanges, Dynamics } from './dynamics.js';
export type { Instance, InstanceState } from './instance.js';
export type { OutcomeCounts } from './telemetry.js';
export {
  bookinfoMesh,
  bookinfoWorkloads,
  reviewsMesh,
  type ReviewsMeshOptions,
  type TestVersion,
} from './testMeshes.js';
export { countOf, runFromSleep, sleepPod, type SleepTraffic, type TestRun } from './testRuns.js';
export { DEFAULT_ISTIO_IPTABLES_ARGS } from './podCapture.js';
