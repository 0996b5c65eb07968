/**
 * The route step: the first route of the virtual host whose conditions hold (a runtime fraction splits the
 * requests, reported with its shares), the routes skipped before it and why, and what the router does with
 * the route it found (envoyproxy/envoy source/common/router/router.cc `Filter::decodeHeaders`): redirect,
 * direct response, or forward to its cluster(s) — one, weighted, or named by a request header. The route's
 * fault (the fault filter runs before the router) comes first in every case.
 */
import type { HeaderMap } from '../envoy/common.js';
import type { DownstreamConnection } from '../envoy/listener/connection.js';
import { checkRouteConditions, routeDistribution } from '../envoy/router/routeMatch.js';
import { routeOutcome } from '../envoy/router/routeOutcome.js';
import type { Route, VirtualHost } from '../envoy/router/types.js';
import { describeRoute } from './describe.js';
import type { EnvoyOutcome } from './explanation.js';
import { answerLocally, forward } from './forward.js';
import type { ProxyConfigView } from './proxyConfigView.js';
import { finishWalk, type WalkResult, type WalkState } from './walkResult.js';

const ROUTE_NOT_FOUND: EnvoyOutcome = {
  action: 'local_reply',
  status: 404,
  responseFlags: 'NR',
  responseCodeDetails: 'route_not_found',
  text: '404 NR (route_not_found)',
};

/** Why each route before the chosen one was skipped, and the runtime-fraction shares when they split. */
function skippedRoutes(
  routes: readonly Route[],
  upTo: number,
  headers: HeaderMap,
  shares: readonly { index: number; probability: number }[],
): string[] {
  const out: string[] = [];
  for (let i = 0; i < upTo; i++) {
    const r = routes[i] as Route;
    const check = checkRouteConditions(r.match, headers);
    out.push(
      `route ${i}${r.name !== undefined ? ` ${JSON.stringify(r.name)}` : ''} skipped: ${check.failed ?? 'runtime fraction not selected'} does not hold`,
    );
  }
  if (shares.length > 1) {
    for (const s of shares)
      out.push(
        `runtime fraction: ${s.index < 0 ? 'no route' : `route ${s.index}`} for ${(s.probability * 100).toFixed(4)}% of requests`,
      );
  }
  return out;
}

/** Routes the request through `vhost` and ends the walk. */
export function routeRequest(
  config: ProxyConfigView,
  vhost: VirtualHost,
  headers: HeaderMap,
  conn: DownstreamConnection,
  state: WalkState,
): WalkResult {
  const routes = vhost.routes ?? [];
  const shares = routeDistribution(vhost, headers);
  const primary = shares.reduce((a, b) => (b.probability > a.probability ? b : a));
  const skipped = skippedRoutes(routes, primary.index < 0 ? routes.length : primary.index, headers, shares);
  if (primary.index < 0) {
    state.steps.push({ step: 'route', summary: `no route of virtual host ${vhost.name} matches`, details: skipped });
    return finishWalk(state, ROUTE_NOT_FOUND, { error: 'no_route' });
  }
  const route = routes[primary.index] as Route;
  state.matches.route = route;
  state.matches.routeIndex = primary.index;
  const routeMatch = describeRoute(route);
  state.steps.push({
    step: 'route',
    summary: `#${primary.index}${route.name !== undefined ? ` ${JSON.stringify(route.name)}` : ''}: ${routeMatch}`,
    details: skipped,
  });
  Object.assign(state.decided, {
    routeIndex: primary.index,
    routeMatch,
    ...(route.name !== undefined ? { routeName: route.name } : {}),
  });
  const http = { route, vhost, headers };
  const outcome = routeOutcome(route, headers);
  switch (outcome.kind) {
    case 'redirect':
      return answerLocally(http, state, {
        action: 'redirect',
        status: outcome.status,
        location: outcome.location,
        text: `${outcome.status} redirect to ${outcome.location}`,
      });
    case 'direct_response':
      return answerLocally(http, state, {
        action: 'direct_response',
        status: outcome.status,
        responseCodeDetails: 'direct_response',
        text: `${outcome.status} direct response${route.name === 'block_all' ? ' (block_all: REGISTRY_ONLY blocks unknown destinations)' : ''}`,
      });
    case 'invalid_route':
      return finishWalk(
        state,
        { action: 'local_reply', status: 404, responseFlags: 'NR', text: `invalid route: ${outcome.reason}` },
        { error: 'no_route' },
      );
    case 'no_route':
      return finishWalk(state, ROUTE_NOT_FOUND, { error: 'no_route' });
    case 'cluster_header':
      if (outcome.cluster === undefined) {
        const status = outcome.status ?? 503;
        return answerLocally(http, state, {
          action: 'local_reply',
          status,
          responseFlags: 'NC',
          responseCodeDetails: 'cluster_not_found',
          text: `${status} NC (no ${outcome.header} header)`,
        });
      }
      return forward(config, [{ name: outcome.cluster, probability: 1 }], conn, state, http);
    case 'cluster':
      return forward(config, [{ name: outcome.cluster, probability: 1 }], conn, state, http);
    case 'weighted_clusters':
      return forward(
        config,
        outcome.candidates.map((c) => ({ name: c.name, weight: c.weight, probability: c.probability })),
        conn,
        state,
        http,
      );
  }
}
