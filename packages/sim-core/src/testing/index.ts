/**
 * `@meshsim/sim-core/testing`: property tests of mesh rules, for meshsim's own tests and for users'.
 *
 * - **Arbitraries** (fast-check factories with constraint objects): requests and their parts
 *   ({@link authority} in every host form Istio routes), Istio resources valid by construction
 *   ({@link virtualService}, {@link destinationRule}, {@link serviceEntry}, {@link gateway}), whole meshes
 *   ({@link mesh}), traffic profiles ({@link trafficProfile}), and requests against a given mesh
 *   ({@link meshRequest}).
 * - **Ready-made properties** of a mesh ({@link everyRequestReachesDestination}, {@link noUnreachableRules},
 *   {@link splitMatchesWeights}, {@link canaryMonotone}, {@link faultsOnlyAffectMatching},
 *   {@link retriesNeverExceedAttempts}, {@link routingInvariance}), run by {@link checkMeshProperty} /
 *   {@link assertMeshProperty}, whose counterexamples are minimized manifests plus the request.
 * - **Analysis**: {@link decideRoute} (rule, clusters, fault, retries, timeout, rewrite, statuses of one
 *   request), {@link reachabilityOf} (which rules can take a request), {@link sampleRoute} (a route's own
 *   draws) and {@link simulateCall} (the same request many times through the simulated world).
 * - **Exact statistics** for assertions at a stated alpha ({@link splitTest}, {@link binomialAcceptance}, …).
 *
 * vitest matchers live in `@meshsim/sim-core/testing/vitest`.
 */
export { fixedRandom } from '../engine/rng.js';
export {
  binomialAcceptance,
  binomialInterval,
  binomialRejectionProbability,
  chiSquareCritical,
  chiSquareStatistic,
  exponentialMeanRatioInterval,
  normalCritical,
  normalVarianceRatioInterval,
  wilsonInterval,
  type Interval,
} from './stats.js';
export {
  formatSplitVerdict,
  splitCategoryAlpha,
  splitFalseFailureBound,
  splitTest,
  type SplitCategory,
  type SplitVerdict,
} from './split.js';
// arbitraries
export type { DnsLabelConstraints, HeaderNameConstraints } from './arbitraries/names.js';
export { dnsLabel, headerName, headerValue, namespaceName, versionName } from './arbitraries/names.js';
export {
  applicableForms,
  authority,
  headers,
  HOST_FORMS,
  hostInForm,
  httpMethod,
  queryString,
  requestPath,
  type AuthorityConstraints,
  type GeneratedAuthority,
  type HeadersConstraints,
  type HostForm,
  type HttpMethodConstraints,
  type QueryStringConstraints,
  type RequestPathConstraints,
  type ServiceTarget,
} from './arbitraries/request.js';
export {
  httpMatchRequest,
  stringMatch,
  virtualService,
  type HttpMatchRequest,
  type HttpMatchRequestConstraints,
  type HttpRoute,
  type StringMatch,
  type VirtualServiceConstraints,
} from './arbitraries/virtualService.js';
export { destinationRule, type DestinationRuleConstraints } from './arbitraries/destinationRule.js';
export { serviceEntry, type ServiceEntryConstraints } from './arbitraries/serviceEntry.js';
export { gateway, type GatewayConstraints } from './arbitraries/gateway.js';
export { mesh, type GeneratedMesh, type GeneratedService, type MeshConstraints } from './arbitraries/mesh.js';
export {
  trafficProfile,
  trafficTargetsOf,
  type TrafficProfile,
  type TrafficProfileConstraints,
  type TrafficRequest,
} from './arbitraries/traffic.js';
// routing analysis
export { meshRequest, type MeshRequestConstraints } from './routing/requests.js';
export {
  decideRoute,
  faultOf,
  retriesOf,
  rewrittenPath,
  type CandidateState,
  type FaultPolicy,
  type RetryView,
  type RouteDecision,
  type StatusShare,
} from './routing/decide.js';
export {
  describeRule,
  ruleKey,
  ruleOf,
  ruleRefOf,
  virtualServiceRules,
  type RuleRef,
  type VirtualServiceRule,
} from './routing/rules.js';
export { reachabilityOf, ruleReachability, type Reachability, type RuleReachability } from './routing/reachability.js';
export { ruleContexts, witnesses, type RuleContext } from './routing/witnesses.js';
export { matchCovers } from './routing/subsumes.js';
export { sampleRoute, type RouteSample, type SampledOutcome, type SampleRouteOptions } from './routing/sample.js';
export { simulateCall, type SimulateCallOptions } from './routing/simulateCall.js';
export { aggregatedCounts, aggregatorOf, countBy, guessKey, recordsOf, type SplitKey } from './observations.js';
// properties
export {
  assertMeshProperty,
  checkMeshProperty,
  meshProperty,
  MeshPropertyError,
  type AssertMeshPropertyOptions,
  type MeshProperty,
  type MeshPropertyParameters,
  type MeshPropertyResult,
  type Violation,
} from './properties/property.js';
export {
  destinationViolation,
  everyRequestReachesDestination,
  type ReachesDestinationOptions,
} from './properties/reachesDestination.js';
export { noUnreachableRules, type NoUnreachableRulesOptions } from './properties/noUnreachableRules.js';
export {
  declaredSplit,
  splitMatchesWeights,
  type SplitMatchesWeightsOptions,
} from './properties/splitMatchesWeights.js';
export { canaryMonotone, subsetShare, type CanaryMonotoneOptions } from './properties/canaryMonotone.js';
export {
  faultsOnlyAffectMatching,
  istioMatchHolds,
  type FaultsOnlyAffectMatchingOptions,
} from './properties/faultsOnlyAffectMatching.js';
export {
  declaredRetries,
  retriesNeverExceedAttempts,
  worstCaseTries,
  type RetriesBoundedOptions,
} from './properties/retriesBounded.js';
export {
  routingEssence,
  routingInvariance,
  type InvarianceCase,
  type RoutingInvarianceOptions,
} from './properties/routingInvariance.js';
// counterexamples
export {
  counterexampleFileName,
  formatCounterexample,
  routeCommand,
  type Counterexample,
} from './counterexample/counterexample.js';
export { manifestsYaml, toManifest, type Manifest } from './counterexample/manifestYaml.js';
export { minimizeObjects, type MinimizeOptions } from './counterexample/minimize.js';
// matcher logic (runner-free)
export { meshModelOf, type MeshLike } from './matchers/meshOf.js';
export {
  destinationMismatches,
  destinationResult,
  hostNames,
  routedResult,
  type MatcherResult,
  type RouteDestination,
} from './matchers/route.js';
export { splitResult, type ToSplitOptions } from './matchers/split.js';
export { statusResult, type ToHaveStatusOptions } from './matchers/status.js';
