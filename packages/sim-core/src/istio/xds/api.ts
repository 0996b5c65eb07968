/**
 * The Istio `networking.istio.io/v1` fields istiod's translation reads, spelled as the API spells them
 * (istio/api networking/v1alpha3/{virtual_service,destination_rule,gateway,sidecar}.proto). Manifests are
 * validated against Istio 1.29's CRD schemas before they reach the model, so the translation reads specs
 * through these plain shapes.
 */
import type {
  IstioConnectionPoolSettings,
  IstioHTTPFaultInjection,
  IstioHTTPRetry,
  IstioLoadBalancerSettings,
  IstioOutlierDetection,
  IstioRetryBudget,
} from './trafficPolicy/types.js';

/** `StringMatch`: exactly one of exact, prefix, regex. */
export interface StringMatch {
  readonly exact?: string;
  readonly prefix?: string;
  readonly regex?: string;
}

/** `HTTPMatchRequest`. */
export interface HTTPMatchRequest {
  readonly name?: string;
  readonly uri?: StringMatch;
  readonly scheme?: StringMatch;
  readonly method?: StringMatch;
  readonly authority?: StringMatch;
  readonly headers?: Readonly<Record<string, StringMatch>>;
  readonly withoutHeaders?: Readonly<Record<string, StringMatch>>;
  readonly queryParams?: Readonly<Record<string, StringMatch>>;
  readonly port?: number;
  readonly sourceLabels?: Readonly<Record<string, string>>;
  readonly sourceNamespace?: string;
  readonly gateways?: readonly string[];
  readonly ignoreUriCase?: boolean;
  readonly statPrefix?: string;
}

/** `Destination`. */
export interface Destination {
  readonly host: string;
  readonly subset?: string;
  readonly port?: { readonly number?: number };
}

/** `Headers` operations. */
export interface HeaderOperations {
  readonly set?: Readonly<Record<string, string>>;
  readonly add?: Readonly<Record<string, string>>;
  readonly remove?: readonly string[];
}

/** `Headers`. */
export interface Headers {
  readonly request?: HeaderOperations;
  readonly response?: HeaderOperations;
}

/** `HTTPRouteDestination`. */
export interface HTTPRouteDestination {
  readonly destination: Destination;
  readonly weight?: number;
  readonly headers?: Headers;
}

/** `HTTPRedirect`. */
export interface HTTPRedirect {
  readonly uri?: string;
  readonly authority?: string;
  readonly port?: number;
  readonly derivePort?: 'FROM_PROTOCOL_DEFAULT' | 'FROM_REQUEST_PORT';
  readonly scheme?: string;
  readonly redirectCode?: number;
}

/** `HTTPRewrite`. */
export interface HTTPRewrite {
  readonly uri?: string;
  readonly authority?: string;
  readonly uriRegexRewrite?: { readonly match?: string; readonly rewrite?: string };
}

/** `HTTPDirectResponse`. */
export interface HTTPDirectResponse {
  readonly status: number;
  readonly body?: { readonly string?: string; readonly bytes?: string };
}

/** `Percent`. */
export interface Percent {
  readonly value?: number;
}

/** `HTTPMirrorPolicy`. */
export interface HTTPMirrorPolicy {
  readonly destination?: Destination;
  readonly percentage?: Percent;
}

/** `CorsPolicy`. */
export interface CorsPolicy {
  readonly allowOrigins?: readonly StringMatch[];
  readonly allowOrigin?: readonly string[];
  readonly allowMethods?: readonly string[];
  readonly allowHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly maxAge?: string;
  readonly allowCredentials?: boolean;
  readonly unmatchedPreflights?: 'UNSPECIFIED' | 'FORWARD' | 'IGNORE';
}

/** `HTTPRoute`. */
export interface HTTPRoute {
  readonly name?: string;
  readonly match?: readonly HTTPMatchRequest[];
  readonly route?: readonly HTTPRouteDestination[];
  readonly redirect?: HTTPRedirect;
  readonly directResponse?: HTTPDirectResponse;
  readonly delegate?: { readonly name: string; readonly namespace?: string };
  readonly rewrite?: HTTPRewrite;
  readonly timeout?: string;
  readonly retries?: IstioHTTPRetry;
  readonly fault?: IstioHTTPFaultInjection;
  readonly mirror?: Destination;
  readonly mirrors?: readonly HTTPMirrorPolicy[];
  readonly mirrorPercent?: number;
  readonly mirrorPercentage?: Percent;
  readonly corsPolicy?: CorsPolicy;
  readonly headers?: Headers;
}

/** `L4MatchAttributes` / `TLSMatchAttributes`. */
export interface L4MatchAttributes {
  readonly destinationSubnets?: readonly string[];
  readonly port?: number;
  readonly sourceLabels?: Readonly<Record<string, string>>;
  readonly gateways?: readonly string[];
  readonly sourceNamespace?: string;
  /** TLS only. */
  readonly sniHosts?: readonly string[];
}

/** `RouteDestination` (TCP/TLS). */
export interface RouteDestination {
  readonly destination: Destination;
  readonly weight?: number;
}

/** `TCPRoute` / `TLSRoute`. */
export interface L4Route {
  readonly match?: readonly L4MatchAttributes[];
  readonly route?: readonly RouteDestination[];
}

/** `VirtualService`. */
export interface VirtualService {
  readonly hosts?: readonly string[];
  readonly gateways?: readonly string[];
  readonly http?: readonly HTTPRoute[];
  readonly tls?: readonly L4Route[];
  readonly tcp?: readonly L4Route[];
  readonly exportTo?: readonly string[];
}

/** `ClientTLSSettings`. */
export interface ClientTLSSettings {
  readonly mode?: 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL';
  readonly sni?: string;
  readonly subjectAltNames?: readonly string[];
  readonly credentialName?: string;
}

/** `TrafficPolicy.PortTrafficPolicy`. */
export interface PortTrafficPolicy {
  readonly port?: { readonly number?: number };
  readonly loadBalancer?: IstioLoadBalancerSettings & { readonly localityLbSetting?: LocalityLbSetting };
  readonly connectionPool?: IstioConnectionPoolSettings;
  readonly outlierDetection?: IstioOutlierDetection;
  readonly tls?: ClientTLSSettings;
}

/** `LocalityLoadBalancerSetting`. */
export interface LocalityLbSetting {
  readonly enabled?: boolean;
  readonly distribute?: readonly { readonly from?: string; readonly to?: Readonly<Record<string, number>> }[];
  readonly failover?: readonly { readonly from?: string; readonly to?: string }[];
  readonly failoverPriority?: readonly string[];
}

/** `TrafficPolicy`. */
export interface TrafficPolicy {
  readonly loadBalancer?: IstioLoadBalancerSettings & { readonly localityLbSetting?: LocalityLbSetting };
  readonly connectionPool?: IstioConnectionPoolSettings;
  readonly outlierDetection?: IstioOutlierDetection;
  readonly tls?: ClientTLSSettings;
  readonly portLevelSettings?: readonly PortTrafficPolicy[];
  readonly retryBudget?: IstioRetryBudget;
}

/** `Subset`. */
export interface Subset {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly trafficPolicy?: TrafficPolicy;
}

/** `DestinationRule`. */
export interface DestinationRule {
  readonly host: string;
  readonly trafficPolicy?: TrafficPolicy;
  readonly subsets?: readonly Subset[];
  readonly exportTo?: readonly string[];
  readonly workloadSelector?: { readonly matchLabels?: Readonly<Record<string, string>> };
}

/** `ServerTLSSettings`. */
export interface ServerTLSSettings {
  readonly httpsRedirect?: boolean;
  readonly mode?: 'PASSTHROUGH' | 'SIMPLE' | 'MUTUAL' | 'AUTO_PASSTHROUGH' | 'ISTIO_MUTUAL' | 'OPTIONAL_MUTUAL';
  readonly credentialName?: string;
  readonly credentialNames?: readonly string[];
  readonly serverCertificate?: string;
  readonly privateKey?: string;
  readonly caCertificates?: string;
  readonly subjectAltNames?: readonly string[];
  readonly minProtocolVersion?: string;
  readonly maxProtocolVersion?: string;
}

/** `Server`. */
export interface Server {
  readonly port: {
    readonly number: number;
    readonly protocol: string;
    readonly name?: string;
    readonly targetPort?: number;
  };
  readonly bind?: string;
  readonly hosts: readonly string[];
  readonly tls?: ServerTLSSettings;
  readonly name?: string;
}

/** `Gateway`. */
export interface Gateway {
  readonly servers?: readonly Server[];
  readonly selector?: Readonly<Record<string, string>>;
}

/** `IstioEgressListener`. */
export interface IstioEgressListener {
  readonly port?: { readonly number?: number; readonly protocol?: string; readonly name?: string };
  readonly bind?: string;
  readonly captureMode?: 'DEFAULT' | 'IPTABLES' | 'NONE';
  readonly hosts: readonly string[];
}

/** `IstioIngressListener`. */
export interface IstioIngressListener {
  readonly port: { readonly number: number; readonly protocol?: string; readonly name?: string };
  readonly bind?: string;
  readonly captureMode?: 'DEFAULT' | 'IPTABLES' | 'NONE';
  readonly defaultEndpoint?: string;
  readonly tls?: ServerTLSSettings;
  readonly connectionPool?: IstioConnectionPoolSettings;
}

/** `Sidecar`. */
export interface Sidecar {
  readonly workloadSelector?: { readonly labels?: Readonly<Record<string, string>> };
  readonly ingress?: readonly IstioIngressListener[];
  readonly egress?: readonly IstioEgressListener[];
  readonly outboundTrafficPolicy?: {
    readonly mode?: 'REGISTRY_ONLY' | 'ALLOW_ANY';
    readonly egressProxy?: Destination;
  };
  readonly inboundConnectionPool?: IstioConnectionPoolSettings;
}
