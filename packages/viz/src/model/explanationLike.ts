/**
 * The shapes the flow-chart adapters read from sim-core, as structural types: the subset of sim-core's
 * `RouteExplanation` (explain/explanation.ts, the JSON of `meshsim route -o json`) and of a netfilter
 * `PacketOutcome`/`TraceJson` (netfilter/walk.ts, netfilter/trace.ts) that the charts use. Real sim-core
 * values are assignable to them (flowFromExplanation.test.ts passes real ones), and the viz package does
 * not depend on sim-core modules that are not public yet.
 */
import type { ManifestRef } from './sourceRef.js';

/** An explanation step (`ExplainStep`). */
export interface ExplainStepLike {
  readonly step: string;
  readonly summary: string;
  readonly details?: readonly string[];
  readonly decidedBy?: readonly ManifestRef[];
}

/** The matched route (`RouteRef`). */
export interface RouteRefLike {
  readonly name?: string;
  readonly index: number;
  readonly match: string;
  readonly virtualService?: { readonly namespace: string; readonly name: string };
  readonly httpRouteIndex?: number;
  readonly httpRouteName?: string;
  readonly source?: ManifestRef;
}

/** A weighted cluster candidate (`ClusterCandidate`). */
export interface ClusterCandidateLike {
  readonly name: string;
  readonly weight?: number;
  readonly probability: number;
  readonly subset?: string;
  readonly host?: string;
  readonly port?: number;
}

/** An endpoint of a candidate cluster (`EndpointInfo`). */
export interface EndpointInfoLike {
  readonly cluster: string;
  readonly address: string;
  readonly port?: number;
  readonly health: string;
  readonly workload?: string;
}

/** Where a request goes and why (`RouteExplanation`). */
export interface RouteExplanationLike {
  readonly call: {
    readonly mode: 'outbound' | 'gateway' | 'inbound';
    readonly proxy: string;
    readonly destinationAddress: string;
    readonly destinationPort: number;
    readonly protocol: string;
    readonly tls: string;
    readonly method?: string;
    readonly authority?: string;
    readonly path?: string;
  };
  readonly listener?: string;
  readonly filterChain?: string;
  readonly routeConfig?: string;
  readonly virtualHost?: string;
  readonly route?: RouteRefLike;
  readonly cluster?: string;
  readonly clusters: readonly ClusterCandidateLike[];
  readonly endpoints: readonly EndpointInfoLike[];
  readonly error?: string;
  readonly outcome: {
    readonly action: string;
    readonly status?: number;
    readonly responseFlags?: string;
    readonly responseCodeDetails?: string;
    readonly text: string;
  };
  readonly steps: readonly ExplainStepLike[];
}

/** One rule visit of a netfilter traversal (`Hop`, `TraceHopJson`). */
export interface NetfilterHopLike {
  readonly table: string;
  readonly chain: string;
  /** 1-based rule number; null for a chain's end or policy. */
  readonly rule: number | null;
  /** The rule as written: `-A ISTIO_OUTPUT -j ISTIO_REDIRECT`. */
  readonly text: string;
  readonly matched: boolean;
  /** `jump ISTIO_OUTPUT`, `REDIRECT to 127.0.0.1:15001`; null when not matched. */
  readonly verdict: string | null;
}

/** A packet's traversal of a pod's network namespace (`PacketOutcome`, `TraceJson`). */
export interface PacketTraceLike {
  /** `local` (captured by a local socket), `dnat`, `pass` or `drop`. */
  readonly verdict: string;
  /** The local socket's port when captured: 15001, 15006. */
  readonly localPort?: number;
  readonly hops: readonly NetfilterHopLike[];
}
