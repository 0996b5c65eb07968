/** The typed scenario model. */
export type {
  Bounds,
  Distribution,
  DurationBounds,
  EmpiricalData,
  InlineManifest,
  InstanceTarget,
  LabelSelector,
  LabelSelectorRequirement,
  ManifestPath,
  ManifestSource,
  ObjectRef,
  Percent,
  StringMap,
} from './common.js';
export {
  eventAction,
  EVENT_ACTIONS,
  type ApplyEvent,
  type DeleteEvent,
  type EventAction,
  type EventBase,
  type HealEvent,
  type KillEvent,
  type PartitionEvent,
  type ReadyEvent,
  type ScaleEvent,
  type ScenarioEvent,
  type SetWorkloadEvent,
  type UnreadyEvent,
} from './events.js';
export {
  EXPECT_CHECKS,
  type ExpectCheck,
  type Expectation,
  type LatencyChecks,
  type RequestFilter,
  type ShareCheck,
} from './expect.js';
export {
  HOP_CLASSES,
  type CompatibilityOverride,
  type HopClass,
  type HttpRetryOverride,
  type LinkOverride,
  type MeshOverrides,
  type NetworkSpec,
  type ProxyConfigOverride,
  type ProxyLatencyOverride,
} from './mesh.js';
export type { Scenario } from './scenario.js';
export {
  isGatewaySource,
  type GatewaySource,
  type RequestTemplate,
  type TrafficGenerator,
  type TrafficSource,
} from './traffic.js';
export { BASELINE, type JsonPatchOperation, type ManifestPatch, type Variant } from './variants.js';
export {
  isCompute,
  isParallel,
  type CallStep,
  type ComputeStep,
  type DownstreamCall,
  type ErrorResponse,
  type OnFailure,
  type Overload,
  type ParallelCalls,
  type WorkloadBehavior,
  type WorkloadSpec,
} from './workload.js';
export type { VirtualMachineSpec } from './vms.js';
