/**
 * The simulated world's API as the runner uses it (sim-core mesh/world): one import point.
 */
export {
  applyTimedChanges,
  resultOf,
  simulate,
  World as WorldClass,
  type Instance,
  type SimulateOptions,
  type SimulationResult,
  type TimedChange,
  type TrafficSpec,
  type World,
  type WorldChange,
  type WorldOptions,
  type WorkloadSpec as WorldWorkloadSpec,
  type WorkloadTarget,
} from '@meshsim/sim-core';
