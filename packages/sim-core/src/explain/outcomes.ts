/**
 * What happens to a request once a route (or a TCP proxy) has chosen its cluster(s): for each candidate
 * cluster, what the router does with it (forward; 503 NC when the cluster is unknown; 503 UH when it has no
 * endpoint — `clusterFate`), and in front of that what the fault filter does (delay, abort — `faultPlan`).
 * The combinations are listed with exact probabilities, merged when they end the same way, most likely
 * first; the one-line `outcome` is what every request of the class shares.
 */
import { formatResponseFlags, type ResponseFlag } from '../envoy/observability/responseFlags.js';
import type { EnvoyOutcome, OutcomeShare, RouteExplanation } from './explanation.js';
import type { FaultPlan } from './faultPlan.js';

/** What can happen to a request class at the router, by candidate cluster. */
export type ClusterFate = 'ok' | 'not_found' | 'no_endpoints' | 'unknown';

/**
 * One way through the router: its share (a weighted cluster's, or 1), what the router answers
 * (`clusterOutcome`, a redirect, a direct response), and the fault filter's plan in front of it.
 */
export interface RouterPath {
  readonly probability: number;
  readonly routed: EnvoyOutcome;
  /** For a cluster: whether the router can use it. */
  readonly fate?: ClusterFate;
  readonly fault?: FaultPlan;
}

/** The share below which an outcome is taken as impossible (floating-point products of exact shares). */
const EPSILON = 1e-12;

const percent = (p: number): string => `${Number((p * 100).toFixed(4))}%`;

/** The router's (or TCP proxy's) outcome for one cluster, before any fault. */
export function clusterOutcome(
  name: string,
  fate: ClusterFate,
  kind: 'http' | 'tcp',
  notFoundStatus = 503,
): EnvoyOutcome {
  if (kind === 'tcp') {
    if (fate === 'not_found')
      return {
        action: 'connection_closed',
        responseFlags: 'NC',
        cluster: name,
        text: `connection closed: ${name} is not among the proxy's clusters (flag NC)`,
      };
    if (fate === 'no_endpoints')
      return {
        action: 'tcp_proxy',
        responseFlags: 'UH',
        cluster: name,
        text: `connection closed: ${name} has no endpoints (flag UH)`,
      };
    return { action: 'tcp_proxy', cluster: name, text: `proxy TCP to ${name}` };
  }
  if (fate === 'not_found')
    return {
      action: 'local_reply',
      status: notFoundStatus,
      responseFlags: 'NC',
      responseCodeDetails: 'cluster_not_found',
      cluster: name,
      text: `${notFoundStatus} NC (cluster_not_found): ${name} is not among the proxy's clusters`,
    };
  if (fate === 'no_endpoints')
    return {
      action: 'forward',
      status: 503,
      responseFlags: 'UH',
      responseCodeDetails: 'no_healthy_upstream',
      cluster: name,
      text: `503 UH: ${name} has no endpoints`,
    };
  return { action: 'forward', cluster: name, text: `forward to ${name}` };
}

function flagsWith(flags: string | undefined, add: ResponseFlag): string {
  const list = (flags ?? '').split(',').filter((f) => f !== '' && f !== '-') as ResponseFlag[];
  return formatResponseFlags([...list, add]);
}

/** `o` after a fault delay of `duration` (flag DI, printed in Envoy's order with the others). */
function delayed(o: EnvoyOutcome, duration: string): EnvoyOutcome {
  const { text, responseFlags, ...rest } = o;
  const flags = flagsWith(responseFlags, 'DI');
  const head = o.status !== undefined && responseFlags !== undefined ? `${o.status} ${responseFlags}` : undefined;
  const body = head !== undefined && text.startsWith(head) ? `${o.status} ${flags}${text.slice(head.length)}` : text;
  return {
    ...rest,
    responseFlags: flags,
    delay: duration,
    text: `${body}, after a ${duration} fault delay${head === undefined ? ' (DI)' : ''}`,
  };
}

/** The fault filter's local reply (`abortWithStatus`: body "fault filter abort", details `fault_filter_abort`). */
function aborted(abort: NonNullable<FaultPlan['abort']>): EnvoyOutcome {
  const grpc = abort.grpcStatus !== undefined ? ` grpc-status ${abort.grpcStatus}` : '';
  return {
    action: 'local_reply',
    status: abort.status,
    ...(abort.grpcStatus !== undefined ? { grpcStatus: abort.grpcStatus } : {}),
    responseFlags: 'FI',
    responseCodeDetails: 'fault_filter_abort',
    text: `${abort.status} FI${grpc} (fault_filter_abort): the route's fault aborts the request`,
  };
}

const keyOf = (o: EnvoyOutcome): string =>
  JSON.stringify([o.action, o.status, o.grpcStatus, o.responseFlags, o.cluster, o.delay]);

/** Every outcome with its share: each path × (delayed or not) × (aborted or not), merged, most likely first. */
export function outcomeShares(paths: readonly RouterPath[]): OutcomeShare[] {
  const shares = new Map<string, { probability: number; outcome: EnvoyOutcome; order: number }>();
  const add = (probability: number, outcome: EnvoyOutcome): void => {
    if (probability <= EPSILON) return;
    const key = keyOf(outcome);
    const seen = shares.get(key);
    if (seen !== undefined) seen.probability += probability;
    else shares.set(key, { probability, outcome, order: shares.size });
  };
  for (const c of paths) {
    const d = c.fault?.delay;
    const a = c.fault?.abort;
    const pd = d?.probability ?? 0;
    const pa = a?.probability ?? 0;
    for (const [isDelayed, pDelay] of [
      [false, 1 - pd],
      [true, pd],
    ] as const) {
      const late = (o: EnvoyOutcome): EnvoyOutcome => (isDelayed && d !== undefined ? delayed(o, d.duration) : o);
      add(c.probability * pDelay * (1 - pa), late(c.routed));
      if (a !== undefined) add(c.probability * pDelay * pa, late(aborted(a)));
    }
  }
  return [...shares.values()]
    .sort((x, y) => y.probability - x.probability || x.order - y.order)
    .map(({ probability, outcome }) => ({ probability, outcome }));
}

/**
 * What the router does for the request class before any fault: the one candidate's outcome, or — for
 * weighted clusters — forwarding to one of them, unless every candidate ends the same way (all unknown: 503
 * NC; all without endpoints: 503 UH).
 */
export function routedOutcome(paths: readonly RouterPath[], kind: 'http' | 'tcp', notFoundStatus = 503): EnvoyOutcome {
  const first = paths[0];
  if (paths.length === 1 && first !== undefined) return first.routed;
  const n = paths.length;
  const all = (fate: ClusterFate): boolean => paths.every((c) => c.fate === fate);
  if (n > 0 && all('not_found')) {
    const { cluster: _c, ...o } = clusterOutcome('', 'not_found', kind, notFoundStatus);
    return {
      ...o,
      text: `${kind === 'http' ? `${notFoundStatus} NC (cluster_not_found)` : 'connection closed (flag NC)'}: none of the ${n} weighted clusters is among the proxy's clusters`,
    };
  }
  if (n > 0 && all('no_endpoints')) {
    const { cluster: _c, ...o } = clusterOutcome('', 'no_endpoints', kind);
    return {
      ...o,
      text: `${kind === 'http' ? '503 UH' : 'connection closed (flag UH)'}: none of the ${n} weighted clusters has endpoints`,
    };
  }
  return {
    action: kind === 'http' ? 'forward' : 'tcp_proxy',
    text: `${kind === 'http' ? 'forward' : 'proxy TCP'} to one of ${n} weighted clusters`,
  };
}

/**
 * The outcome every request of the class shares: the only one when there is one; the abort when every
 * request is aborted (after the delay, with DI, when every one is delayed); otherwise what the router does
 * (`routed`, delayed when every request is), with the fault's shares named in the text.
 */
export function commonOutcome(
  candidates: readonly RouterPath[],
  shares: readonly OutcomeShare[],
  routed: EnvoyOutcome,
): EnvoyOutcome {
  const only = shares.length === 1 ? shares[0] : undefined;
  if (only !== undefined) return only.outcome;
  const pAbort = candidates.reduce((sum, c) => sum + c.probability * (c.fault?.abort?.probability ?? 0), 0);
  const pDelay = candidates.reduce((sum, c) => sum + c.probability * (c.fault?.delay?.probability ?? 0), 0);
  const abort = candidates.find((c) => c.fault?.abort !== undefined)?.fault?.abort;
  const delay = candidates.find((c) => c.fault?.delay !== undefined)?.fault?.delay;
  const certain = (p: number): boolean => p >= 1 - EPSILON;
  const delayNote =
    delay !== undefined && pDelay > EPSILON && !certain(pDelay)
      ? `; ${percent(pDelay)} are first delayed ${delay.duration} (DI)`
      : '';
  if (abort !== undefined && certain(pAbort)) {
    const o = aborted(abort);
    return { ...o, text: `${o.text}${delayNote}` };
  }
  const abortNote =
    abort !== undefined && pAbort > EPSILON
      ? `; ${percent(pAbort)} are aborted with ${abort.status} by the route's fault (FI)`
      : '';
  const base = delay !== undefined && certain(pDelay) ? delayed(routed, delay.duration) : routed;
  return { ...base, text: `${base.text}${abortNote}${delayNote}` };
}

/**
 * Whether the request class gets to upstream clusters: its route (or TCP proxy) chose clusters and the proxy
 * has them — though a fault may still delay or abort some or all requests, and a weighted share may still be
 * answered 503 NC (see `outcomes`). False for a redirect, a direct response, a missing route or virtual
 * host, a connection that fails, and clusters the proxy does not know.
 */
export function reachesClusters(e: Pick<RouteExplanation, 'clusters' | 'outcome'>): boolean {
  return e.clusters.length > 0 && !(e.outcome.responseFlags ?? '').split(',').includes('NC');
}
