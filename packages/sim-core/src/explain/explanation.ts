/**
 * The answer to "where does this request go, and why": the JSON contract of `route()` and
 * `meshsim route -o json`. Field names follow istioctl and Istio's own traffic simulator
 * (istio/istio pilot/pkg/simulation/traffic.go `Result`): listener, filter chain, route configuration,
 * virtual host, route, cluster — plus every weighted candidate with its probability, the endpoints, the
 * error class when the request does not get through, and what Envoy answers then.
 */

/**
 * Why a request does not reach a cluster, in the classes of Istio's simulator (`ErrNoListener`, …):
 * - `no_listener`: no listener accepts the connection (connection refused);
 * - `no_filter_chain`: the listener has no chain for it and no default chain (Envoy closes the connection);
 * - `multiple_filter_chains`: the listener's chains overlap — Envoy rejects such a listener;
 * - `no_virtual_host`: no virtual host matches the Host (404, flag NR);
 * - `no_route`: the virtual host has no matching route (404, flag NR, `route_not_found`);
 * - `tls_redirect`: the virtual host requires TLS and the request is plaintext (301 to https);
 * - `protocol_error`: TLS or non-HTTP bytes reached an HTTP connection manager (flag DPE);
 * - `tls_error`: plaintext reached a chain that terminates TLS (handshake fails);
 * - `mtls_error`: the chain requires Istio mutual TLS and the client sent something else, or the reverse;
 * - `dns_failure` (meshsim's addition): the client cannot resolve the URL's host, so no connection is made.
 */
export type RouteErrorKind =
  | 'no_listener'
  | 'no_filter_chain'
  | 'multiple_filter_chains'
  | 'no_virtual_host'
  | 'no_route'
  | 'tls_redirect'
  | 'protocol_error'
  | 'tls_error'
  | 'mtls_error'
  | 'dns_failure';

/** A place in the user's manifests: the field that decided a step. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
  /** `VirtualService`, `Service`, `Gateway`, … */
  readonly kind?: string;
  /** `namespace/name`. */
  readonly object?: string;
  /** Field path in the API's words, e.g. `spec.http[1].match[0].headers.end-user`. */
  readonly field?: string;
}

/** One step of the walk, for the text output. */
export interface ExplainStep {
  readonly step:
    | 'call'
    | 'dns'
    | 'capture'
    | 'listener'
    | 'listener_filters'
    | 'filter_chain'
    | 'transport'
    | 'network_filter'
    | 'route_config'
    | 'virtual_host'
    | 'route'
    | 'cluster'
    | 'endpoints'
    | 'outcome';
  /** One readable line. */
  readonly summary: string;
  /** Further lines (skipped routes, filter-chain criteria, …). */
  readonly details?: readonly string[];
  /** The manifest fields that decided this step. */
  readonly decidedBy?: readonly SourceRef[];
}

/** What Envoy does with the request or connection in the end. */
export interface EnvoyOutcome {
  readonly action:
    | 'forward' // HTTP request sent to an upstream cluster
    | 'tcp_proxy' // connection proxied to an upstream cluster
    | 'redirect' // local redirect reply
    | 'direct_response' // local reply with a configured status (e.g. istiod's block_all: 502)
    | 'local_reply' // any other local reply (404 NR, 400 DPE, 503 cluster not found)
    | 'dns_failure' // the client never connects
    | 'not_captured' // iptables does not redirect the connection: it bypasses Envoy
    | 'connection_refused'
    | 'connection_closed'
    | 'listener_rejected';
  /** HTTP status of a local reply. */
  readonly status?: number;
  /** Envoy response flags as the access log prints them (`NR`, `DPE`). */
  readonly responseFlags?: string;
  /** `%RESPONSE_CODE_DETAILS%`, e.g. `route_not_found`. */
  readonly responseCodeDetails?: string;
  /** `Location` of a redirect. */
  readonly location?: string;
  /** gRPC status of a local reply to a gRPC request (a fault abort's `grpcStatus`; HTTP status 200). */
  readonly grpcStatus?: number;
  /** The upstream cluster this outcome goes to — or, with flag NC, the one the proxy does not know. */
  readonly cluster?: string;
  /** A fault-injected delay (`fault.delay.fixedDelay`, flag DI) that comes first, e.g. `5s`. */
  readonly delay?: string;
  /** One line, e.g. `404 NR (route_not_found)`, `forward to outbound|80|v1|canary.canary.svc.cluster.local`. */
  readonly text: string;
}

/** One possible outcome of a request class and its share of the requests. */
export interface OutcomeShare {
  /** Exact share of the requests (fault percentages × cluster weights); the shares sum to 1. */
  readonly probability: number;
  readonly outcome: EnvoyOutcome;
}

/** The matched route and the Istio rule that produced it. */
export interface RouteRef {
  /** The Envoy route's name (Istio: the http route's `name`, `default`, `allow_any`, `block_all`). */
  readonly name?: string;
  /** Position of the route in its virtual host. */
  readonly index: number;
  /** The route's match, as text (`prefix "/" and header end-user exact "jason"`). */
  readonly match: string;
  /** The VirtualService that produced this route, when one did. */
  readonly virtualService?: { readonly namespace: string; readonly name: string };
  /** Index of the http route in `spec.http` of that VirtualService, when known. */
  readonly httpRouteIndex?: number;
  /** `spec.http[i].name`, when set. */
  readonly httpRouteName?: string;
  /**
   * Index of the match block in `spec.http[i].match` that this Envoy route was built from — istiod emits one
   * route per match block (`BuildHTTPRoutesForVirtualService`). Absent for an http route without `match`
   * (and for a delegate's route whose only match blocks come from the root).
   */
  readonly matchIndex?: number;
  /** `spec.http[i].match[j].name`, when set. */
  readonly matchName?: string;
  /** Where that http route is written. */
  readonly source?: SourceRef;
}

/** An upstream cluster the request can go to. */
export interface ClusterCandidate {
  readonly name: string;
  /** The configured weight, for weighted clusters. */
  readonly weight?: number;
  /** Share of requests of this class that go there: weight / total, or 1. */
  readonly probability: number;
  /** Parsed from Istio's `direction|port|subset|host` names. */
  readonly direction?: 'outbound' | 'inbound';
  readonly port?: number;
  readonly subset?: string;
  readonly host?: string;
}

/** An endpoint of a candidate cluster, from its ClusterLoadAssignment. */
export interface EndpointInfo {
  readonly cluster: string;
  readonly address: string;
  readonly port?: number;
  /** Envoy's `health_status`, `HEALTHY` when unset. */
  readonly health: string;
  readonly weight?: number;
  readonly locality?: string;
  /** `namespace/name` of the pod or WorkloadEntry behind the address, when known. */
  readonly workload?: string;
}

/** The call as it was simulated, after defaults and DNS. */
export interface ResolvedCall {
  readonly mode: 'outbound' | 'gateway' | 'inbound';
  /** The proxy that handles the request: `namespace/pod`. */
  readonly proxy: string;
  readonly destinationAddress: string;
  readonly destinationPort: number;
  readonly protocol: 'http' | 'http2' | 'tcp';
  readonly tls: 'plaintext' | 'tls' | 'mtls';
  readonly sni?: string;
  readonly alpn?: readonly string[];
  readonly method?: string;
  readonly authority?: string;
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The full explanation of one call. */
export interface RouteExplanation {
  readonly call: ResolvedCall;
  readonly listener?: string;
  readonly filterChain?: string;
  readonly routeConfig?: string;
  readonly virtualHost?: string;
  readonly route?: RouteRef;
  /** The upstream cluster, when the request has exactly one. */
  readonly cluster?: string;
  /** Every cluster the request can go to, with its probability (weights over config order). */
  readonly clusters: readonly ClusterCandidate[];
  readonly endpoints: readonly EndpointInfo[];
  readonly error?: RouteErrorKind;
  /**
   * What Envoy does. When several things can happen (a fault below 100 %, weighted clusters), the part every
   * request shares — the abort when it is certain, else what the router does — and `outcomes` lists them all.
   */
  readonly outcome: EnvoyOutcome;
  /**
   * Every possible outcome with its exact share, when there is more than one: the fault filter's delay and
   * abort (drawn independently, `envoy.filters.http.fault`) times the weighted clusters, each forwarded — or
   * answered 503 NC / UH when its cluster is unknown or empty. Most likely first. Never sampled.
   */
  readonly outcomes?: readonly OutcomeShare[];
  readonly steps: readonly ExplainStep[];
}
