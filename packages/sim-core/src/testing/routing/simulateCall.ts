/**
 * `simulateCall(model, call, {requests})`: the same request sent many times through the simulated world
 * (`simulate`, mesh/world) — the client's netfilter and sidecar, Envoy's fault filter, router, retries, load
 * balancer and the applications — returning every request's outcome (status, response flags, attempts,
 * destination service, subset and pod). The data source of the empirical checks: splits within exact
 * binomial bounds, fault shares, retries per request. Deterministic for a given seed.
 */
import { ConfigError } from '../../errors.js';
import type { RequestOutcome } from '../../envoy/observability/outcome.js';
import { parseHeaders, type RouteCall } from '../../explain/call.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import { findPodRef, findProxy } from '../../istio/model/modelQueries.js';
import type { WorkloadSpec } from '../../mesh/world/workloads.js';
import { simulate } from '../../mesh/world/simulate.js';

/** Options of {@link simulateCall}. */
export interface SimulateCallOptions {
  /** @defaultValue 1000 */
  readonly requests?: number;
  /** Open-loop Poisson arrivals per second. @defaultValue 500 */
  readonly rate?: number;
  /** @defaultValue 1 */
  readonly seed?: number | string;
  /** How the applications behave (default: answer 200 at once). */
  readonly workloads?: readonly WorkloadSpec[];
}

/** The outcomes of `requests` copies of `call`, in the order they ended. */
export function simulateCall(model: MeshModel, call: RouteCall, options: SimulateCallOptions = {}): RequestOutcome[] {
  const requests = options.requests ?? 1000;
  if (!(Number.isInteger(requests) && requests > 0))
    throw new RangeError(`simulateCall: requests must be a positive integer, got ${requests}`);
  if (call.url === undefined) throw new ConfigError('simulateCall needs a call with a url', { field: 'url' });
  let source: { kind: 'pod'; namespace: string; pod: string } | { kind: 'gateway'; namespace: string; name: string };
  if (call.from !== undefined) {
    const pod = findPodRef(model, call.from);
    if (pod === undefined) throw new ConfigError(`no pod ${JSON.stringify(call.from)}`, { field: 'from' });
    source = { kind: 'pod', namespace: pod.namespace, pod: pod.name };
  } else if (call.gateway !== undefined) {
    const proxy = findProxy(model, call.gateway);
    if (proxy === undefined)
      throw new ConfigError(`no gateway pod ${JSON.stringify(call.gateway)}`, { field: 'gateway' });
    source = { kind: 'gateway', namespace: proxy.namespace, name: proxy.workloadName };
  } else {
    throw new ConfigError('simulateCall sends from a pod (from) or through a gateway (gateway)', { field: 'from' });
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(parseHeaders(call.headers))) if (v[0] !== undefined) headers[k] = v[0];
  const outcomes: RequestOutcome[] = [];
  simulate({
    model,
    seed: options.seed ?? 1,
    ...(options.workloads !== undefined ? { workloads: options.workloads } : {}),
    traffic: [
      {
        name: 'call',
        source,
        rate: options.rate ?? 500,
        arrivals: 'poisson',
        requests,
        mix: [{ url: call.url, method: call.method ?? 'GET', headers }],
      },
    ],
    onOutcome: (o) => {
      if (o.generator === 'call') outcomes.push(o);
    },
  });
  return outcomes;
}
