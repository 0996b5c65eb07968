/**
 * The request-path flow chart's data: one request, hop by hop, from the client application through its
 * netfilter chains and sidecar, across the network, through the server's capture and sidecar to the server
 * application, and the response back — each upstream try of the router as its own block, retries and fault
 * delays as hops of their own. Pure data; `buildRequestFlow` numbers the hops, assigns directions and tries,
 * and accumulates start times from the hop durations.
 */
import type { ManifestRef } from './sourceRef.js';

/**
 * Where a hop happens — the swimlanes of the chart, in the order a request crosses them. `netfilter` lanes
 * are the pod's network namespace (iptables), `envoy` lanes its sidecar (or a gateway's Envoy).
 */
export type FlowLane =
  'client-app' | 'client-netfilter' | 'client-envoy' | 'network' | 'server-netfilter' | 'server-envoy' | 'server-app';

/** The lanes, left to right. */
export const FLOW_LANES: readonly FlowLane[] = [
  'client-app',
  'client-netfilter',
  'client-envoy',
  'network',
  'server-netfilter',
  'server-envoy',
  'server-app',
];

/** Lane headers, two short lines each. */
export const FLOW_LANE_LABELS: Readonly<Record<FlowLane, readonly [string, string]>> = {
  'client-app': ['client', 'app'],
  'client-netfilter': ['client', 'iptables'],
  'client-envoy': ['client', 'Envoy'],
  network: ['pod', 'network'],
  'server-netfilter': ['server', 'iptables'],
  'server-envoy': ['server', 'Envoy'],
  'server-app': ['server', 'app'],
};

/**
 * What a hop is, in Envoy/Istio/kernel vocabulary. Mirrors the steps of sim-core's route explanation
 * (`ExplainStep.step`) and adds the data-plane happenings the world reports: fault, router decisions
 * (retry, timeout, local reply), the load balancer's pick, the network and the applications.
 */
export type FlowStage =
  | 'app' // the application sends, handles or receives
  | 'dns' // name resolution (cluster DNS or Istio's DNS proxy)
  | 'netfilter' // an iptables rule that matched: table, chain, rule number
  | 'listener' // an Envoy listener (virtualOutbound 15001, 0.0.0.0_80, virtualInbound 15006)
  | 'listener_filters' // TLS inspector, HTTP inspector, original_dst
  | 'filter_chain' // the listener's filter chain that matched
  | 'transport' // TLS / Istio mutual TLS
  | 'network_filter' // HTTP connection manager or TCP proxy
  | 'route_config' // the RouteConfiguration (RDS)
  | 'virtual_host'
  | 'route'
  | 'fault' // envoy.filters.http.fault: delay or abort
  | 'router' // envoy.filters.http.router: timeouts, retries, local replies
  | 'cluster' // the upstream cluster (weighted clusters resolved)
  | 'lb' // the load balancer's host pick
  | 'endpoint' // the upstream host
  | 'network' // the wire between pods
  | 'inbound_cluster' // inbound|port|| on the server's sidecar
  | 'response'; // a response passing back

/**
 * How the hop went. `delay`/`abort` are fault-filter injections (flags `DI`, `FI`), `retry` a router retry
 * (`upstream_rq_retry`), `timeout` a route or per-try timeout (`UT`), `error` any other failure.
 */
export type FlowHopStatus = 'ok' | 'delay' | 'abort' | 'retry' | 'timeout' | 'error';

/** One hop as the caller describes it; {@link buildRequestFlow} adds identity and position. */
export interface FlowStep {
  readonly lane: FlowLane;
  readonly stage: FlowStage;
  /** One short line in Envoy/Istio words, e.g. `listener 0.0.0.0_80`, `cluster outbound|80|v1|canary…`. */
  readonly label: string;
  /** One more line: what happened and why. */
  readonly detail?: string;
  /** Further lines, shown on hover (skipped rules and routes, filter-chain criteria). */
  readonly notes?: readonly string[];
  /** The manifest fields that decided this hop. */
  readonly decidedBy?: readonly ManifestRef[];
  /** @defaultValue `'ok'` */
  readonly status?: FlowHopStatus;
  /** Time spent at this hop, µs (simulated). */
  readonly duration?: number;
}

/** A hop of a built flow. */
export interface FlowHop extends FlowStep {
  /** `h1`, `h2`, … in order. */
  readonly id: string;
  readonly direction: 'request' | 'response';
  /** The router's try (1-based) this hop belongs to; absent outside upstream tries. */
  readonly attempt?: number;
  readonly decidedBy: readonly ManifestRef[];
  readonly status: FlowHopStatus;
  /** µs from the start of the request, when every earlier hop has a duration. */
  readonly start?: number;
}

/** One upstream try of the router: host pick to server app and back. */
export interface FlowAttemptSpec {
  readonly request: readonly FlowStep[];
  readonly response: readonly FlowStep[];
  /** Why the router tries again after this try (absent on the last try). */
  readonly retry?: FlowStep;
}

/** How the request ended for its client. */
export interface FlowOutcome {
  /** HTTP status the client received; 0 for none (reset, connect failure). */
  readonly status: number;
  /** `%RESPONSE_FLAGS%` of the client-side proxy, `-` for none. */
  readonly responseFlags: string;
  /** Client-observed latency, µs. */
  readonly duration?: number;
}

/** Everything {@link buildRequestFlow} needs. */
export interface RequestFlowSpec {
  readonly title: string;
  /** The request in one line, e.g. `GET http://canary/ from canary/toolbox-6d9c…`. */
  readonly request: string;
  /** Client side before any upstream try: app, DNS, capture, listener … route, fault. */
  readonly outbound: readonly FlowStep[];
  readonly attempts: readonly FlowAttemptSpec[];
  /** After the last try: the client sidecar's response and the client app receiving it. */
  readonly final: readonly FlowStep[];
  readonly outcome: FlowOutcome;
}

/** A request's path, ready to draw. */
export interface RequestFlow {
  readonly title: string;
  readonly request: string;
  readonly hops: readonly FlowHop[];
  readonly outcome: FlowOutcome & { readonly attempts: number };
}

/** Numbers the hops, sets directions and tries, and accumulates start times. Pure. */
export function buildRequestFlow(spec: RequestFlowSpec): RequestFlow {
  const hops: FlowHop[] = [];
  let clock: number | undefined = 0;
  const push = (step: FlowStep, direction: 'request' | 'response', attempt?: number): void => {
    if (step.duration !== undefined && !(step.duration >= 0)) {
      throw new RangeError(`hop "${step.label}": duration must be ≥ 0 µs, got ${step.duration}`);
    }
    hops.push({
      ...step,
      id: `h${hops.length + 1}`,
      direction,
      ...(attempt !== undefined ? { attempt } : {}),
      decidedBy: step.decidedBy ?? [],
      status: step.status ?? 'ok',
      ...(clock !== undefined ? { start: clock } : {}),
    });
    clock = clock !== undefined && step.duration !== undefined ? clock + step.duration : undefined;
  };
  for (const s of spec.outbound) push(s, 'request');
  spec.attempts.forEach((a, i) => {
    const attempt = i + 1;
    for (const s of a.request) push(s, 'request', attempt);
    for (const s of a.response) push(s, 'response', attempt);
    if (a.retry !== undefined) {
      if (i === spec.attempts.length - 1)
        throw new RangeError(`the last try (${attempt}) cannot be followed by a retry`);
      push({ ...a.retry, status: a.retry.status ?? 'retry' }, 'response', attempt);
    }
  });
  for (const s of spec.final) push(s, 'response');
  return {
    title: spec.title,
    request: spec.request,
    hops,
    outcome: { ...spec.outcome, attempts: spec.attempts.length },
  };
}

/** The lanes a flow's hops touch, in lane order (the chart may hide the others). */
export function lanesOf(flow: RequestFlow): FlowLane[] {
  const used = new Set(flow.hops.map((h) => h.lane));
  return FLOW_LANES.filter((l) => used.has(l));
}
