/** The runner: one run of a scenario, repetitions over seeds, variant comparisons, expectations, statistics. */
export { run, requestStats, type Moments, type RunOptions, type RunOutput, type RunProgress } from './run.js';
export { planRun, type PlannedGenerator, type RunOverrides, type RunPlan } from './plan.js';
export type {
  DestinationResult,
  EventResult,
  GeneratorResult,
  LatencySummary,
  PodResult,
  RequestStats,
  RunResult,
} from './result.js';
export {
  appliesTo,
  ExpectationAccumulator,
  expectationAccumulators,
  type CheckResult,
  type EjectionCounter,
  type ExpectationResult,
} from './expectations.js';
export {
  compileFilter,
  flagMatches,
  serviceHost,
  statusMatches,
  type InstanceInfo,
  type OutcomeContext,
  type OutcomePredicate,
} from './requestFilter.js';
export {
  replicate,
  type DestinationEstimate,
  type Estimate,
  type GeneratorEstimate,
  type ReplicationOptions,
  type ReplicationResult,
} from './replications.js';
export {
  DIFF_METHODS,
  diffVariants,
  type DiffOptions,
  type DiffResult,
  type GeneratorDiff,
  type LatencyShift,
  type PercentileChange,
  type ProportionChange,
  type ShareChange,
} from './diff.js';
export {
  binomialAcceptance,
  binomialTwoSidedP,
  clopperPearson,
  orderStatistic,
  pairedShareDifference,
  quantileRanks,
  studentTCritical,
  tInterval,
  type Interval,
} from './stats.js';
export { toAppBehaviour, toDistributionSpec, toProxyLatency, toWorldNetwork } from './convert.js';
