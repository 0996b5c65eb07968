/**
 * The last steps of a walk: the cluster(s) a route or TCP proxy chose, their endpoints, and what happens —
 * per candidate cluster the router's answer (`clusterFate`), in front of it the fault filter's (`faultPlan`),
 * combined into exact shares (`outcomeShares`). Weighted clusters are listed with their probabilities,
 * never sampled.
 */
import type { HeaderMap } from '../envoy/common.js';
import type { DownstreamConnection } from '../envoy/listener/connection.js';
import { NOT_FOUND_CODES } from '../envoy/router/routeOutcome.js';
import type { Route, VirtualHost } from '../envoy/router/types.js';
import { candidatesOf, clusterEndpoints, clusterFate } from './clusters.js';
import { describeSteps } from './describe.js';
import type { EnvoyOutcome, RouteErrorKind } from './explanation.js';
import { faultPlan, type FaultPlan } from './faultPlan.js';
import { clusterOutcome, commonOutcome, outcomeShares, routedOutcome, type RouterPath } from './outcomes.js';
import type { ProxyConfigView } from './proxyConfigView.js';
import { finishWalk, type WalkResult, type WalkState } from './walkResult.js';

/** A cluster a route or TCP proxy picks, with its configured weight and share. */
export interface ClusterPick {
  readonly name: string;
  readonly weight?: number;
  readonly probability: number;
}

/** For HTTP: the matched route and the request, which decide the fault and the not-found status. */
export interface HttpContext {
  readonly route: Route;
  readonly vhost: VirtualHost;
  readonly headers: HeaderMap;
}

/** The fault the request gets on its way to `cluster` (none without a cluster: a redirect, a direct response). */
export function faultOf(http: HttpContext, state: WalkState, cluster?: string): FaultPlan | undefined {
  return faultPlan(http.route, http.vhost, state.matches.httpConnectionManager, http.headers, cluster);
}

/**
 * Ends the walk with a local answer of the router (`routed`: a redirect, a direct response) — after the fault
 * filter, which runs first and may delay or abort the request instead.
 */
export function answerLocally(
  http: HttpContext,
  state: WalkState,
  routed: EnvoyOutcome,
  error?: RouteErrorKind,
): WalkResult {
  const fault = faultOf(http, state);
  const paths: RouterPath[] = [{ probability: 1, routed, ...(fault !== undefined ? { fault } : {}) }];
  const shares = outcomeShares(paths);
  return finishWalk(state, commonOutcome(paths, shares, routed), {
    ...(error !== undefined ? { error } : {}),
    ...(shares.length > 1 ? { outcomes: shares } : {}),
  });
}

/** Sends the request (HTTP, with `http`) or the connection (TCP) to `picks`, and ends the walk. */
export function forward(
  config: ProxyConfigView,
  picks: readonly ClusterPick[],
  conn: DownstreamConnection,
  state: WalkState,
  http?: HttpContext,
): WalkResult {
  const clusters = candidatesOf(picks);
  const live = clusters.filter((c) => c.probability > 0);
  const endpoints = live.flatMap((c) => clusterEndpoints(config, c.name, conn));
  const single = clusters.length === 1 ? clusters[0]?.name : undefined;
  state.steps.push({
    step: 'cluster',
    summary:
      single !== undefined
        ? single
        : `weighted clusters: ${clusters.map((c) => `${c.name} ${(c.probability * 100).toFixed(2).replace(/\.?0+$/, '')}%`).join(', ')}`,
  });
  state.steps.push({ step: 'endpoints', summary: describeSteps.endpoints(endpoints, clusters) });
  const kind = http !== undefined ? 'http' : 'tcp';
  const notFound = NOT_FOUND_CODES[http?.route.route?.clusterNotFoundResponseCode ?? 'SERVICE_UNAVAILABLE'];
  const paths: RouterPath[] = live.map((c) => {
    const fate = clusterFate(config, c.name, conn);
    const fault = http === undefined ? undefined : faultOf(http, state, c.name);
    return {
      probability: c.probability,
      routed: clusterOutcome(c.name, fate, kind, notFound),
      fate,
      ...(fault !== undefined ? { fault } : {}),
    };
  });
  const shares = outcomeShares(paths);
  const outcome = commonOutcome(paths, shares, routedOutcome(paths, kind, notFound));
  return finishWalk(state, outcome, {
    ...(single !== undefined ? { cluster: single } : {}),
    clusters,
    endpoints,
    ...(shares.length > 1 ? { outcomes: shares } : {}),
  });
}
