/** Application models: service times, concurrency and queues, errors, downstream calls, header propagation. */
export { AppReplica, type AppReplicaOptions, type AppReplicaStats } from './appReplica.js';
export {
  DEFAULT_PROPAGATED_HEADERS,
  resolveReplica,
  type AppBehaviour,
  type AppSpec,
  type CallStep,
  type DownstreamCallSpec,
  type ErrorResponseSpec,
  type OnCallFailure,
  type OverloadBehaviour,
  type ReplicaIdentity,
  type ReplicaOverride,
} from './appSpec.js';
export { compileBehaviour, type CompiledBehaviour, type CompiledCall, type CompiledStep } from './compileApp.js';
export {
  compileDistribution,
  type Distribution,
  type DistributionSpec,
  type QuantilePoint,
  type UniformSource,
} from './distribution.js';
export { Fifo } from './fifo.js';
export { HeaderPropagation, propagateHeaders } from './headers.js';
export type {
  AppResponse,
  InboundHandle,
  InboundRequest,
  OutboundHandle,
  OutboundPort,
  OutboundRequest,
  OutboundResult,
} from './ports.js';
export { erlangC, md1MeanResponseTime, mm1MeanResponseTime, mmcMeanResponseTime } from './queueing.js';
