/**
 * The typed subset of `envoy.config.route.v3` (RouteConfiguration, VirtualHost, Route, RouteAction…) and
 * `envoy.type.matcher.v3` that istiod's translation (`istio/xds`) emits, in the proto3 JSON spelling
 * Envoy's `config_dump` uses. Field names are the proto's camelCase; defaults are Envoy's. The matcher
 * (`envoy/router`) reads a structural subset of these shapes, so every object here is assignable to it.
 */
import type { ProtoDuration } from '../common.js';
import type { HTTPFault } from './fault.js';
import type { RetryPolicy } from './retry.js';
import type { HeaderValueOption, Metadata } from './core.js';

export type { HeaderValueOption } from './core.js';

/** `envoy.type.matcher.v3.RegexMatcher` (Google RE2, full match). */
export interface RegexMatcher {
  readonly regex: string;
}

/** `envoy.type.matcher.v3.StringMatcher`: exactly one specifier. @defaultValue ignoreCase false */
export interface StringMatcher {
  readonly exact?: string;
  readonly prefix?: string;
  readonly suffix?: string;
  readonly contains?: string;
  readonly safeRegex?: RegexMatcher;
  readonly ignoreCase?: boolean;
}

/** `envoy.type.v3.Int64Range`: half-open `[start, end)`; proto3 JSON prints int64 as a string. */
export interface Int64Range {
  readonly start?: number | string;
  readonly end?: number | string;
}

/**
 * `envoy.config.route.v3.HeaderMatcher`. istiod emits `stringMatch` (exact/prefix/regex/suffix/contains),
 * `presentMatch` or `rangeMatch`; `invertMatch` for `withoutHeaders`, with `treatMissingHeaderAsEmpty`.
 */
export interface HeaderMatcher {
  readonly name: string;
  readonly stringMatch?: StringMatcher;
  readonly presentMatch?: boolean;
  readonly rangeMatch?: Int64Range;
  readonly exactMatch?: string;
  readonly safeRegexMatch?: RegexMatcher;
  readonly prefixMatch?: string;
  readonly suffixMatch?: string;
  readonly containsMatch?: string;
  /** @defaultValue false */
  readonly invertMatch?: boolean;
  /** @defaultValue false */
  readonly treatMissingHeaderAsEmpty?: boolean;
}

/** `envoy.config.route.v3.QueryParameterMatcher`. */
export interface QueryParameterMatcher {
  readonly name: string;
  readonly stringMatch?: StringMatcher;
  readonly presentMatch?: boolean;
}

/** `envoy.type.v3.FractionalPercent`. @defaultValue denominator `'HUNDRED'` */
export interface FractionalPercent {
  readonly numerator?: number;
  readonly denominator?: 'HUNDRED' | 'TEN_THOUSAND' | 'MILLION';
}

/** `envoy.config.core.v3.RuntimeFractionalPercent`. */
export interface RuntimeFractionalPercent {
  readonly defaultValue: FractionalPercent;
  readonly runtimeKey?: string;
}

/** `envoy.config.route.v3.RouteMatch`: one path specifier plus conditions. */
export interface RouteMatch {
  readonly prefix?: string;
  readonly path?: string;
  readonly safeRegex?: RegexMatcher;
  readonly pathSeparatedPrefix?: string;
  readonly connectMatcher?: Readonly<Record<string, never>>;
  /** @defaultValue true */
  readonly caseSensitive?: boolean;
  readonly runtimeFraction?: RuntimeFractionalPercent;
  readonly headers?: readonly HeaderMatcher[];
  readonly queryParameters?: readonly QueryParameterMatcher[];
}

/** `envoy.config.route.v3.WeightedCluster.ClusterWeight`. */
export interface ClusterWeight {
  readonly name: string;
  /** proto `UInt32Value`. */
  readonly weight?: number;
  readonly requestHeadersToAdd?: readonly HeaderValueOption[];
  readonly requestHeadersToRemove?: readonly string[];
  readonly responseHeadersToAdd?: readonly HeaderValueOption[];
  readonly responseHeadersToRemove?: readonly string[];
  readonly hostRewriteLiteral?: string;
}

/** `envoy.config.route.v3.WeightedCluster`. Current Envoy draws over the sum of the weights. */
export interface WeightedCluster {
  readonly clusters: readonly ClusterWeight[];
  readonly totalWeight?: number;
  readonly headerName?: string;
}

/** `RouteAction.RequestMirrorPolicy` (Istio `mirror`/`mirrors`). */
export interface RequestMirrorPolicy {
  readonly cluster: string;
  readonly runtimeFraction?: RuntimeFractionalPercent;
  /** @defaultValue true (Istio sets false) */
  readonly traceSampled?: boolean;
}

/** `envoy.type.matcher.v3.RegexMatchAndSubstitute` (Istio `rewrite.uriRegexRewrite`). */
export interface RegexMatchAndSubstitute {
  readonly pattern: RegexMatcher;
  readonly substitution: string;
}

/** `RouteAction.HashPolicy` (Istio consistent-hash LB on the route). */
export interface HashPolicy {
  readonly header?: { readonly headerName: string };
  readonly cookie?: { readonly name: string; readonly ttl?: ProtoDuration; readonly path?: string };
  readonly connectionProperties?: { readonly sourceIp: boolean };
  readonly queryParameter?: { readonly name: string };
  readonly filterState?: { readonly key: string };
  readonly terminal?: boolean;
}

/** `RouteAction.MaxStreamDuration`. */
export interface MaxStreamDuration {
  readonly maxStreamDuration?: ProtoDuration;
  readonly grpcTimeoutHeaderMax?: ProtoDuration;
}

/** `envoy.extensions.filters.http.cors.v3.CorsPolicy` (Istio `corsPolicy`, per-route typed config). */
export interface CorsPolicy {
  readonly '@type'?: string;
  readonly allowOriginStringMatch?: readonly StringMatcher[];
  readonly allowMethods?: string;
  readonly allowHeaders?: string;
  readonly exposeHeaders?: string;
  readonly maxAge?: string;
  readonly allowCredentials?: boolean;
  readonly forwardNotMatchingPreflights?: boolean;
  readonly filterEnabled?: RuntimeFractionalPercent;
}

/** `RouteAction.UpgradeConfig`. */
export interface RouteUpgradeConfig {
  readonly upgradeType: string;
  readonly enabled?: boolean;
}

/** `envoy.config.route.v3.RouteAction`. @defaultValue timeout `"15s"` (Envoy; istiod always sets it, `"0s"` when the VirtualService has none) */
export interface RouteAction {
  readonly cluster?: string;
  readonly clusterHeader?: string;
  readonly weightedClusters?: WeightedCluster;
  /** @defaultValue `'SERVICE_UNAVAILABLE'` (503) */
  readonly clusterNotFoundResponseCode?: 'SERVICE_UNAVAILABLE' | 'NOT_FOUND' | 'INTERNAL_SERVER_ERROR';
  readonly prefixRewrite?: string;
  readonly regexRewrite?: RegexMatchAndSubstitute;
  readonly hostRewriteLiteral?: string;
  readonly autoHostRewrite?: boolean;
  readonly timeout?: ProtoDuration;
  /** Deprecated field istiod still sets: caps the `grpc-timeout` header (`"0s"`: no cap). */
  readonly maxGrpcTimeout?: ProtoDuration;
  readonly idleTimeout?: ProtoDuration;
  readonly appendXForwardedHost?: boolean;
  readonly retryPolicy?: RetryPolicy;
  readonly requestMirrorPolicies?: readonly RequestMirrorPolicy[];
  readonly hashPolicy?: readonly HashPolicy[];
  readonly maxStreamDuration?: MaxStreamDuration;
  readonly upgradeConfigs?: readonly RouteUpgradeConfig[];
}

/** `envoy.config.route.v3.RedirectAction`. @defaultValue responseCode `'MOVED_PERMANENTLY'` (301) */
export interface RedirectAction {
  readonly httpsRedirect?: boolean;
  readonly schemeRedirect?: string;
  readonly hostRedirect?: string;
  readonly portRedirect?: number;
  readonly pathRedirect?: string;
  readonly prefixRewrite?: string;
  readonly regexRewrite?: RegexMatchAndSubstitute;
  readonly responseCode?: 'MOVED_PERMANENTLY' | 'FOUND' | 'SEE_OTHER' | 'TEMPORARY_REDIRECT' | 'PERMANENT_REDIRECT';
  readonly stripQuery?: boolean;
}

/** `envoy.config.core.v3.DataSource` (inline forms). */
export interface DataSource {
  readonly inlineString?: string;
  readonly inlineBytes?: string;
  readonly filename?: string;
}

/** `envoy.config.route.v3.DirectResponseAction`. */
export interface DirectResponseAction {
  readonly status: number;
  readonly body?: DataSource;
}

/** `envoy.config.route.v3.Decorator`: the span name (istiod: `<host>:<port>/*`). */
export interface Decorator {
  readonly operation: string;
}

/**
 * Per-route filter configs (`typed_per_filter_config`), keyed by HTTP filter name: istiod puts the
 * fault (`envoy.filters.http.fault`) and CORS (`envoy.filters.http.cors`) policies there.
 */
export interface TypedPerFilterConfig {
  readonly 'envoy.filters.http.fault'?: HTTPFault & { readonly '@type'?: string };
  readonly 'envoy.filters.http.cors'?: CorsPolicy;
  readonly [filter: string]: unknown;
}

/** `envoy.config.route.v3.Route`: a match and exactly one of `route`, `redirect`, `directResponse`. */
export interface Route {
  readonly name?: string;
  readonly match: RouteMatch;
  readonly route?: RouteAction;
  readonly redirect?: RedirectAction;
  readonly directResponse?: DirectResponseAction;
  readonly decorator?: Decorator;
  readonly typedPerFilterConfig?: TypedPerFilterConfig;
  readonly requestHeadersToAdd?: readonly HeaderValueOption[];
  readonly requestHeadersToRemove?: readonly string[];
  readonly responseHeadersToAdd?: readonly HeaderValueOption[];
  readonly responseHeadersToRemove?: readonly string[];
  /** istiod: `filterMetadata.istio.config` = the VirtualService path; meshsim adds `filterMetadata.meshsim`. */
  readonly metadata?: Metadata;
}

/** `envoy.config.route.v3.VirtualHost`. @defaultValue requireTls `'NONE'` */
export interface VirtualHost {
  readonly name: string;
  readonly domains: readonly string[];
  readonly routes?: readonly Route[];
  readonly requireTls?: 'NONE' | 'EXTERNAL_ONLY' | 'ALL';
  readonly includeRequestAttemptCount?: boolean;
  readonly typedPerFilterConfig?: TypedPerFilterConfig;
  readonly metadata?: Metadata;
}

/** `envoy.config.route.v3.RouteConfiguration`. @defaultValue ignorePortInHostMatching false */
export interface RouteConfiguration {
  readonly name: string;
  readonly virtualHosts?: readonly VirtualHost[];
  /** istiod sets false: routes to clusters not (yet) known are kept. */
  readonly validateClusters?: boolean;
  readonly ignorePortInHostMatching?: boolean;
  readonly maxDirectResponseBodySizeBytes?: number;
  readonly vhostHeader?: string;
  readonly requestHeadersToAdd?: readonly HeaderValueOption[];
  readonly requestHeadersToRemove?: readonly string[];
}
