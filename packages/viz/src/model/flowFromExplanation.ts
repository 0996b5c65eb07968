/**
 * A request's flow from what sim-core knows about it: the client sidecar's route explanation (listener →
 * filter chain → route configuration → virtual host → route → cluster → endpoints, each with the manifest
 * field that decided it), the netfilter traversals on both pods, the server sidecar's inbound explanation
 * (15006 → `inbound|port||`), and — when the world ran the request — what happened to it: fault, the
 * router's tries and retries, the hosts the load balancer picked, statuses, flags and durations.
 */
import { explanationSteps } from './explanationSteps.js';
import type { PacketTraceLike, RouteExplanationLike } from './explanationLike.js';
import { netfilterSteps } from './netfilterSteps.js';
import {
  buildRequestFlow,
  type FlowAttemptSpec,
  type FlowOutcome,
  type FlowStep,
  type RequestFlow,
} from './requestFlow.js';
import type { ManifestRef } from './sourceRef.js';

/** A fault the fault filter injected on this request (`envoy.filters.http.fault`). */
export interface ObservedFault {
  /** Injected delay, µs (flag `DI`). */
  readonly delay?: number;
  /** Injected abort's HTTP status (flag `FI`). */
  readonly abort?: number;
  readonly decidedBy?: readonly ManifestRef[];
}

/** One upstream try of the client sidecar's router, as the world ran it. */
export interface ObservedAttempt {
  /** The cluster of this try (after weighted-cluster selection). */
  readonly cluster?: string;
  /** The host the load balancer picked, `ip:port`. */
  readonly host: string;
  /** `namespace/name` of the pod behind the host. */
  readonly pod?: string;
  /** The cluster's load-balancing policy, e.g. `ROUND_ROBIN`. */
  readonly lbPolicy?: string;
  /** HTTP status of the upstream response; 0 when there was none (reset, connect failure, per-try timeout). */
  readonly status: number;
  /** Response flags of this try (`UF`, `UO`, `UT`, `URX`…), `-` or absent for none. */
  readonly responseFlags?: string;
  /** Netfilter traversal on the server pod (PREROUTING → ISTIO_INBOUND → ISTIO_IN_REDIRECT). */
  readonly serverCapture?: PacketTraceLike;
  /** The server sidecar's explanation of the inbound request (virtualInbound 15006). */
  readonly inbound?: RouteExplanationLike;
  /** One-way network latency, µs. */
  readonly networkLatency?: number;
  /** Time in the server application, µs. */
  readonly serviceTime?: number;
  /** Set when the router tried again after this try: the retry condition that fired and the backoff. */
  readonly retry?: { readonly reason: string; readonly backoff?: number };
}

/** What {@link requestFlowFromExplanation} reads. */
export interface RequestFlowInput {
  readonly title?: string;
  /** The client application, e.g. `canary/toolbox`. */
  readonly client: string;
  /** The server application, e.g. `canary/canary-v2`; by default the picked pod. */
  readonly server?: string;
  /** The client sidecar's (or gateway's) route explanation. */
  readonly explanation: RouteExplanationLike;
  /** Netfilter traversal on the client pod (OUTPUT → ISTIO_OUTPUT → ISTIO_REDIRECT). */
  readonly clientCapture?: PacketTraceLike;
  readonly fault?: ObservedFault;
  /** The router's tries; without them the flow shows the possible path of one try. */
  readonly attempts?: readonly ObservedAttempt[];
  /** For the possible path: the server pod's traversal and inbound explanation. */
  readonly serverCapture?: PacketTraceLike;
  readonly inbound?: RouteExplanationLike;
  readonly outcome?: FlowOutcome;
}

const flagsText = (flags: string | undefined): string =>
  flags === undefined || flags === '-' || flags === '' ? '' : ` ${flags}`;
const isForward = (e: RouteExplanationLike): boolean =>
  e.error === undefined && (e.outcome.action === 'forward' || e.outcome.action === 'tcp_proxy');

/** The hops of one try: LB pick, network, server capture and sidecar, server app, and back. */
function attemptSpec(input: RequestFlowInput, a: ObservedAttempt | undefined, last: boolean): FlowAttemptSpec {
  const e = input.explanation;
  const request: FlowStep[] = [];
  const response: FlowStep[] = [];
  const candidates = e.endpoints.length;
  const server = input.server ?? a?.pod ?? e.endpoints[0]?.workload ?? e.clusters[0]?.host ?? 'server';
  request.push(
    a === undefined
      ? {
          lane: 'client-envoy',
          stage: 'lb',
          label: 'load balancer',
          detail: `picks one of ${candidates} endpoint${candidates === 1 ? '' : 's'}`,
        }
      : {
          lane: 'client-envoy',
          stage: 'lb',
          label: `load balancer${a.lbPolicy !== undefined ? ` ${a.lbPolicy}` : ''}`,
          detail: `picks ${a.host}${a.pod !== undefined ? ` (${a.pod})` : ''}${a.cluster !== undefined ? ` in ${a.cluster}` : ''}`,
        },
  );
  const flags = a?.responseFlags;
  const connectFailed = a !== undefined && a.status === 0 && /\b(UF|UH|UO|NC)\b/.test(flags ?? '');
  request.push({
    lane: 'network',
    stage: 'network',
    label: 'network',
    detail: connectFailed ? `no connection to ${a.host}${flagsText(flags)}` : `to ${a?.host ?? 'the picked endpoint'}`,
    ...(connectFailed ? { status: 'error' as const } : {}),
    ...(a?.networkLatency !== undefined ? { duration: a.networkLatency } : {}),
  });
  const inbound = a?.inbound ?? input.inbound;
  const capture = a?.serverCapture ?? input.serverCapture;
  if (!connectFailed) {
    // The inbound explanation's capture step is replaced by the traversal; without one, the traversal stands alone.
    const explainsCapture = inbound?.steps.some((s) => s.step === 'capture') ?? false;
    if (capture !== undefined && !explainsCapture) request.push(...netfilterSteps(capture, 'server-netfilter'));
    if (inbound !== undefined) request.push(...explanationSteps(inbound, 'server', capture));
    const reached = inbound === undefined || isForward(inbound);
    if (reached) {
      request.push({
        lane: 'server-app',
        stage: 'app',
        label: server,
        detail: a === undefined ? 'handles the request' : `answers ${a.status === 0 ? 'nothing' : a.status}`,
        ...(a !== undefined && a.status >= 500 ? { status: 'error' as const } : {}),
        ...(a?.serviceTime !== undefined ? { duration: a.serviceTime } : {}),
      });
      response.push({
        lane: 'server-envoy',
        stage: 'response',
        label: 'response',
        detail: a === undefined ? 'back through the server sidecar' : `${a.status}${flagsText(flags)}`,
      });
      response.push({
        lane: 'network',
        stage: 'network',
        label: 'network',
        detail: 'back to the client sidecar',
        ...(a?.networkLatency !== undefined ? { duration: a.networkLatency } : {}),
      });
    }
  }
  if (a !== undefined) {
    const failed = a.status === 0 || a.status >= 500;
    const timedOut = /\bUT\b/.test(flags ?? '');
    response.push({
      lane: 'client-envoy',
      stage: 'router',
      label: `router: try ${a.status === 0 ? 'failed' : a.status}${flagsText(flags)}`,
      detail: timedOut ? 'per-try or route timeout' : `from ${a.host}`,
      ...(failed ? { status: timedOut ? ('timeout' as const) : ('error' as const) } : {}),
    });
  }
  const retry: FlowStep | undefined =
    a?.retry !== undefined && !last
      ? {
          lane: 'client-envoy',
          stage: 'router',
          label: 'router: retry (upstream_rq_retry)',
          detail: `retry_on ${a.retry.reason}${a.retry.backoff !== undefined ? `, backoff` : ''}`,
          status: 'retry',
          ...(a.retry.backoff !== undefined ? { duration: a.retry.backoff } : {}),
        }
      : undefined;
  return { request, response, ...(retry !== undefined ? { retry } : {}) };
}

/** Builds the flow chart's model for one request. Pure. */
export function requestFlowFromExplanation(input: RequestFlowInput): RequestFlow {
  const e = input.explanation;
  const c = e.call;
  const what =
    c.protocol === 'tcp'
      ? `TCP ${c.destinationAddress}:${c.destinationPort}`
      : `${c.method ?? 'GET'} ${c.tls === 'plaintext' ? 'http' : 'https'}://${c.authority ?? c.destinationAddress}${c.path ?? '/'}`;
  const outbound: FlowStep[] = [{ lane: 'client-app', stage: 'app', label: input.client, detail: `sends ${what}` }];
  const hasCaptureStep = e.steps.some((s) => s.step === 'capture');
  if (!hasCaptureStep && input.clientCapture !== undefined)
    outbound.push(...netfilterSteps(input.clientCapture, 'client-netfilter'));
  outbound.push(...explanationSteps(e, 'client', input.clientCapture));
  const f = input.fault;
  if (f?.delay !== undefined) {
    outbound.push({
      lane: 'client-envoy',
      stage: 'fault',
      label: 'fault: delay (DI)',
      detail: 'envoy.filters.http.fault holds the request',
      status: 'delay',
      duration: f.delay,
      ...(f.decidedBy !== undefined ? { decidedBy: f.decidedBy } : {}),
    });
  }
  const aborted = f?.abort !== undefined;
  if (aborted) {
    outbound.push({
      lane: 'client-envoy',
      stage: 'fault',
      label: `fault: abort ${f.abort} (FI)`,
      detail: 'envoy.filters.http.fault answers without an upstream try',
      status: 'abort',
      ...(f.decidedBy !== undefined ? { decidedBy: f.decidedBy } : {}),
    });
  }
  const forwards = isForward(e) && !aborted;
  const observed = input.attempts ?? [];
  // Istio enables no retries on a route with a fault (virtual_service.proto `HTTPRoute.fault`: "timeouts or
  // retries will not be enabled when faults are enabled on the client side"); an abort sends no try at all.
  if (f !== undefined && observed.length > (aborted ? 0 : 1)) {
    throw new RangeError(
      `a request on a route with a fault has at most ${aborted ? 'no' : 'one'} upstream try, got ${observed.length}`,
    );
  }
  const attempts: FlowAttemptSpec[] = !forwards
    ? []
    : observed.length === 0
      ? [attemptSpec(input, undefined, true)]
      : observed.map((a, i) => attemptSpec(input, a, i === observed.length - 1));
  const lastTry = observed.at(-1);
  const outcome: FlowOutcome =
    input.outcome ??
    (aborted
      ? { status: f.abort as number, responseFlags: 'FI' }
      : lastTry !== undefined
        ? { status: lastTry.status, responseFlags: lastTry.responseFlags ?? '-' }
        : { status: e.outcome.status ?? (forwards ? 200 : 0), responseFlags: e.outcome.responseFlags ?? '-' });
  const final: FlowStep[] = [];
  if (forwards || aborted) {
    final.push({
      lane: 'client-envoy',
      stage: 'response',
      label: 'response',
      detail: `${outcome.status}${flagsText(outcome.responseFlags)} to the client`,
      ...(outcome.status === 0 || outcome.status >= 500 ? { status: 'error' as const } : {}),
    });
  }
  final.push({
    lane: 'client-app',
    stage: 'app',
    label: input.client,
    detail:
      outcome.status === 0
        ? `receives no response${flagsText(outcome.responseFlags)}`
        : `receives ${outcome.status}${flagsText(outcome.responseFlags)}`,
    ...(outcome.status === 0 || outcome.status >= 500 ? { status: 'error' as const } : {}),
  });
  return buildRequestFlow({
    title: input.title ?? `${what} from ${input.client}`,
    request: `${what} from ${input.client} via the ${c.mode === 'gateway' ? 'gateway' : 'sidecar'} ${c.proxy}`,
    outbound,
    attempts,
    final,
    outcome,
  });
}
