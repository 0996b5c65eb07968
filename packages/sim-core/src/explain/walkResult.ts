/**
 * What a walk through a proxy's configuration takes and gives: the connection (and request) as the client
 * sends it, the Envoy objects it matched, and the result — an explanation without the call, plus the
 * matched objects for provenance lookups. {@link finishWalk} ends a walk with its outcome.
 */
import type { HeaderMap } from '../envoy/common.js';
import type { DownstreamConnection } from '../envoy/listener/connection.js';
import type { FilterChain, HttpConnectionManager, Listener } from '../envoy/listener/types.js';
import type { Route, RouteConfiguration } from '../envoy/router/types.js';
import type { VirtualHostMatch } from '../envoy/router/virtualHost.js';
import type { EnvoyOutcome, ExplainStep, RouteExplanation } from './explanation.js';

/** What the client sends, after DNS and defaults. */
export interface WalkInput {
  readonly connection: DownstreamConnection;
  /** The iptables capture port the connection is REDIRECTed to (15001, 15006); none for a gateway. */
  readonly capturePort?: number;
  readonly protocol: 'http' | 'http2' | 'tcp';
  readonly tls: 'plaintext' | 'tls' | 'mtls';
  /** The HTTP request (pseudo-headers `:authority`, `:path`, `:method`, `:scheme` included). */
  readonly request?: HeaderMap;
}

/** The Envoy objects the walk matched, for provenance lookups. */
export interface WalkMatches {
  readonly listener?: Listener;
  readonly filterChain?: FilterChain;
  /** The chain's HTTP connection manager, when it has one. */
  readonly httpConnectionManager?: HttpConnectionManager;
  readonly routeConfig?: RouteConfiguration;
  readonly virtualHost?: VirtualHostMatch;
  readonly route?: Route;
  readonly routeIndex?: number;
}

/** The walk's result: the explanation without the call and the route's provenance, plus the matched objects. */
export interface WalkResult extends Omit<RouteExplanation, 'call' | 'route'> {
  /** Position of the matched route in its virtual host. */
  readonly routeIndex?: number;
  readonly routeName?: string;
  /** The matched route's conditions, as text. */
  readonly routeMatch?: string;
  readonly matches: WalkMatches;
}

/** The walk so far: its steps, the objects matched and the names decided (listener, chain, …). */
export interface WalkState {
  readonly steps: ExplainStep[];
  readonly matches: { -readonly [K in keyof WalkMatches]: WalkMatches[K] };
  readonly decided: {
    -readonly [
      K in 'listener' | 'filterChain' | 'routeConfig' | 'virtualHost' | 'routeIndex' | 'routeName' | 'routeMatch'
    ]?: WalkResult[K];
  };
}

/** Ends the walk with `outcome` (and `error` when the request does not get through). */
export function finishWalk(
  state: WalkState,
  outcome: EnvoyOutcome,
  more: Partial<Pick<WalkResult, 'error' | 'cluster' | 'clusters' | 'endpoints' | 'outcomes'>> = {},
): WalkResult {
  state.steps.push({ step: 'outcome', summary: outcome.text });
  return {
    ...state.decided,
    clusters: [],
    endpoints: [],
    ...more,
    outcome,
    steps: state.steps,
    matches: state.matches,
  };
}
