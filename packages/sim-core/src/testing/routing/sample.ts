/**
 * `sampleRoute(model, call, {requests, seed})`: the route-level data plane, request by request — the draws
 * Envoy makes for a request on its route, with meshsim's seeded streams: the fault filter's delay and abort
 * percentages (`random() % denominator < numerator`, `ProtobufPercentHelper::evaluateFractionalPercent`;
 * a delayed request draws its abort afresh) and the weighted-cluster pick (`random % Σ weights` over the
 * clusters in order, `pickWeightedCluster`). It stops at the cluster: a missing cluster is 503 NC, one
 * without endpoints 503 UH, otherwise the application's 200. For load balancing, retries, timeouts and
 * outlier ejection, run the simulated world.
 */
import { RngStreams } from '../../engine/rng.js';
import type { RouteCall } from '../../explain/call.js';
import type { HTTPFault } from '../../envoy/config/fault.js';
import { denominatorValue } from '../../envoy/config/fault.js';
import { pickWeightedCluster } from '../../envoy/router/weightedClusters.js';
import { parseClusterName } from '../../explain/clusters.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import { decideRoute, type RouteDecision } from './decide.js';

/** One sampled request's outcome. */
export interface SampledOutcome {
  readonly status: number;
  /** Envoy response flags (`FI`, `DI`, `NC`, `UH`, `NR`), comma-separated, `-` when none. */
  readonly flags: string;
  readonly cluster?: string;
  readonly subset?: string;
  readonly host?: string;
}

/** The outcomes of `requests` identical requests. */
export interface RouteSample {
  readonly call: RouteCall;
  readonly decision: RouteDecision;
  readonly outcomes: readonly SampledOutcome[];
}

/** Options of {@link sampleRoute}. */
export interface SampleRouteOptions {
  /** @defaultValue 1000 */
  readonly requests?: number;
  /** Master seed of the streams (`route/weighted`, `fault/delay`, `fault/abort`). @defaultValue 1 */
  readonly seed?: number | string;
}

const fires = (
  p: { numerator?: number; denominator?: 'HUNDRED' | 'TEN_THOUSAND' | 'MILLION' } | undefined,
  draw: number,
): boolean => p !== undefined && draw % denominatorValue(p.denominator) < (p.numerator ?? 0);

/** Samples `requests` copies of `call` through its route. */
export function sampleRoute(model: MeshModel, call: RouteCall, options: SampleRouteOptions = {}): RouteSample {
  const n = options.requests ?? 1000;
  if (!(Number.isInteger(n) && n >= 0))
    throw new RangeError(`sampleRoute: requests must be a non-negative integer, got ${n}`);
  const decision = decideRoute(model, call);
  const rng = new RngStreams(options.seed ?? 1);
  const weighted = rng.stream('route/weighted');
  const delayDraw = rng.stream('fault/delay');
  const abortDraw = rng.stream('fault/abort');
  const e = decision.explanation;
  const fault = decision.route?.typedPerFilterConfig?.['envoy.filters.http.fault'] as HTTPFault | undefined;
  const action = decision.route?.route;
  const byName = new Map(decision.candidates.map((c) => [c.name, c]));
  const outcomes: SampledOutcome[] = [];
  for (let i = 0; i < n; i++) {
    if (decision.route === undefined || e.clusters.length === 0) {
      outcomes.push({ status: e.outcome.status ?? 0, flags: e.outcome.responseFlags ?? '-' });
      continue;
    }
    const flags: string[] = [];
    if (fault?.delay !== undefined && fires(fault.delay.percentage, delayDraw.random())) flags.push('DI');
    if (fault?.abort?.httpStatus !== undefined && fires(fault.abort.percentage, abortDraw.random())) {
      flags.push('FI');
      outcomes.push({ status: fault.abort.httpStatus, flags: flags.join(',') });
      continue;
    }
    const name =
      action?.weightedClusters !== undefined
        ? pickWeightedCluster(action.weightedClusters, weighted.random())
        : (e.cluster ?? e.clusters[0]?.name);
    const c = name !== undefined ? byName.get(name) : undefined;
    const parsed = name !== undefined ? parseClusterName(name) : undefined;
    const where = {
      ...(name !== undefined ? { cluster: name } : {}),
      ...(parsed?.subset !== undefined && parsed.subset !== '' ? { subset: parsed.subset } : {}),
      ...(parsed?.host !== undefined ? { host: parsed.host } : {}),
    };
    if (c === undefined || !c.defined) outcomes.push({ status: 503, flags: [...flags, 'NC'].join(','), ...where });
    else if (c.endpoints === 0) outcomes.push({ status: 503, flags: [...flags, 'UH'].join(','), ...where });
    else outcomes.push({ status: 200, flags: flags.length > 0 ? flags.join(',') : '-', ...where });
  }
  return { call, decision, outcomes };
}
