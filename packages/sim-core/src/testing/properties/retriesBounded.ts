/**
 * "Retries never exceed attempts": for every request, drive Envoy's retry state for its route
 * (`RetryStateImpl`: `retry_on` from the route or the `x-envoy-retry-on` header, `num_retries` replaced by
 * `x-envoy-max-retries` when the request carries it) against an upstream that fails every try in a way the
 * policy retries (a 503 response, a connect failure, a refused stream or a reset, whichever it retries)
 * until Envoy gives up; the tries must not exceed 1 + the `attempts` the VirtualService rule declares
 * (Istio's default: 2; MeshConfig `defaultHttpRetryPolicy` when set; 0 disables retries), or `maxRetries`.
 * Sidecars honour `x-envoy-*` headers from the application (istio-defaults, "trust rule"), so requests that
 * carry them can exceed the declaration — generate them with `envoyHeaders: true` to see it.
 */
import type fc from 'fast-check';
import { RngStreams } from '../../engine/rng.js';
import type { RetryPolicy } from '../../envoy/config/retry.js';
import { RetryState, type StreamResetReason } from '../../envoy/router/retryState.js';
import { createClusterTrafficStats } from '../../envoy/upstream/clusterStats.js';
import { ResourceManager } from '../../envoy/upstream/resourceManager.js';
import type { RouteCall } from '../../explain/call.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import { decideRoute, type RouteDecision } from '../routing/decide.js';
import type { MeshRequestConstraints } from '../routing/requests.js';
import { describeRule, httpRouteOf, ruleKey } from '../routing/rules.js';
import { simulateCall } from '../routing/simulateCall.js';
import type { MeshProperty, Violation } from './property.js';
import { anchored, describeCall, requestProperty, requestsAndExamples } from './requestProperty.js';

/** Options of {@link retriesNeverExceedAttempts}. */
export interface RetriesBoundedOptions extends MeshRequestConstraints {
  readonly requests?: fc.Arbitrary<RouteCall>;
  /** A bound of your own on retries per request (instead of the declared attempts). */
  readonly maxRetries?: number;
  /**
   * Also send each distinct route's requests through the simulated world with every destination pod
   * answering 503, and check each request's `attempts` (1 + retries, as the client-side proxy counts them).
   */
  readonly empirical?: { readonly requests?: number };
  readonly minimize?: boolean;
}

const FAILURES: readonly ({ status: number } | { reset: StreamResetReason })[] = [
  { status: 503 },
  { reset: 'RemoteConnectionFailure' },
  { reset: 'RemoteRefusedStreamReset' },
  { reset: 'RemoteReset' },
];

/** Tries Envoy makes for `policy` and `headers` when every try fails retriably (capped at 1000). */
export function worstCaseTries(policy: RetryPolicy | undefined, headers: Readonly<Record<string, string>>): number {
  if (
    policy === undefined &&
    headers['x-envoy-retry-on'] === undefined &&
    headers['x-envoy-retry-grpc-on'] === undefined
  )
    return 1;
  const state = RetryState.create({
    policy: policy ?? {},
    requestHeaders: headers,
    // Istio sets max_retries to 2^32−1: the retry breaker never stops retries here.
    resources: new ResourceManager('DEFAULT', { maxRetries: 4_294_967_295 }),
    stats: createClusterTrafficStats(),
    random: new RngStreams('retries').stream('backoff'),
  });
  if (state === null) return 1;
  let tries = 1;
  while (tries < 1000) {
    // The first failure kind the state would retry; none → Envoy gives up after this try.
    const failure = FAILURES.find((f) =>
      'status' in f
        ? state.wouldRetryFromHeaders(f.status) !== 'NoRetry'
        : state.wouldRetryFromReset(f.reset) !== 'NoRetry',
    );
    if (failure === undefined) break;
    const r = 'status' in failure ? state.shouldRetryHeaders(failure.status) : state.shouldRetryReset(failure.reset);
    if (r.status !== 'Yes') break;
    tries++;
  }
  state.dispose();
  return tries;
}

/** Retries the VirtualService rule behind `d` declares (`HTTPRetry.attempts`), with Istio's defaults. */
export function declaredRetries(model: MeshModel, d: RouteDecision): number | undefined {
  if (d.rule === undefined) return undefined;
  const http = httpRouteOf(model, d.rule);
  if (http === undefined) return undefined;
  const attempts = (http.retries as { attempts?: number } | undefined)?.attempts;
  if (http.retries !== undefined) return Math.max(0, attempts ?? 0);
  const mesh = model.meshConfig.defaultHttpRetryPolicy as { attempts?: number } | undefined;
  if (mesh !== undefined) return Math.max(0, mesh.attempts ?? 0);
  return 2; // istio/istio pilot/pkg/networking/core/route/retry/retry.go DefaultPolicy: 2 attempts
}

/** The most attempts any of `n` simulated copies of `call` makes when every destination pod answers 503. */
function simulatedMaxAttempts(model: MeshModel, call: RouteCall, d: RouteDecision, n: number): number {
  const namespaces = [
    ...new Set(d.candidates.map((c) => c.host?.split('.')[1]).filter((x): x is string => x !== undefined)),
  ].sort();
  const workloads = namespaces.map((namespace) => ({
    namespace,
    selector: {},
    behaviour: { errors: [{ status: 503, probability: 1 }] },
  }));
  const outcomes = simulateCall(model, call, { requests: n, workloads, seed: describeCall(call) });
  return outcomes.reduce((most, o) => Math.max(most, o.attempts), 0);
}

/** The property. */
export function retriesNeverExceedAttempts(
  model: MeshModel,
  options: RetriesBoundedOptions = {},
): MeshProperty<RouteCall> {
  const ex = requestsAndExamples(model, options);
  const simulated = new Map<string, number>();
  const check = (m: MeshModel, call: RouteCall): Violation | undefined => {
    const d = decideRoute(m, call);
    if (d.candidates.length === 0 || d.route === undefined) return undefined;
    const bound = options.maxRetries ?? declaredRetries(m, d);
    if (bound === undefined) return undefined;
    const headers = d.explanation.call.headers ?? {};
    const tries = worstCaseTries(d.route.route?.retryPolicy, headers);
    if (tries - 1 <= bound) {
      if (options.empirical === undefined || m !== model) return undefined;
      const id = `${d.explanation.call.proxy}|${d.explanation.virtualHost ?? ''}|${JSON.stringify(headers)}|${d.rule !== undefined ? ruleKey(d.rule) : '-'}`;
      if (!simulated.has(id)) simulated.set(id, simulatedMaxAttempts(m, call, d, options.empirical.requests ?? 100));
      const most = simulated.get(id) as number;
      if (most - 1 <= bound) return undefined;
      return {
        code: anchored('simulated', d),
        message: `${describeCall(call)}: a simulated request against pods that always answer 503 made ${most} attempts, more than 1 + ${bound}`,
      };
    }
    const why =
      headers['x-envoy-max-retries'] !== undefined
        ? ` (the request's x-envoy-max-retries: ${headers['x-envoy-max-retries']} replaces the route's num_retries)`
        : '';
    const what =
      options.maxRetries !== undefined
        ? `the bound of ${bound}`
        : `the ${bound} attempts ${d.rule !== undefined ? describeRule(d.rule) : 'its rule'} declares`;
    return {
      code: anchored('exceeded', d),
      message: `${describeCall(call)} is retried ${tries - 1} times when every try fails, more than ${what}${why}`,
    };
  };
  return requestProperty('retries never exceed the declared attempts', model, ex.requests, check, {
    ...(ex.examples !== undefined ? { examples: ex.examples } : {}),
    ...(options.minimize !== undefined ? { minimize: options.minimize } : {}),
  });
}
