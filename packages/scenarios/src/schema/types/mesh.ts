/**
 * The `mesh` and `network` sections: MeshConfig overrides (Istio's own field names, so a platform engineer
 * can paste from their `meshConfig`), meshsim's Envoy-version switches, and the network model.
 */
import type { Duration } from '@meshsim/sim-core';
import type { Distribution, Percent, StringMap } from './common.js';

/**
 * Overrides of Istio's MeshConfig (`istio.mesh.v1alpha1.MeshConfig`, the `istio` ConfigMap's `mesh` key),
 * layered over what the manifests' ConfigMap sets, which is layered over Istio's defaults. Only fields
 * meshsim simulates are accepted; unset fields keep the lower layer's value.
 */
export interface MeshOverrides {
  /** Where traffic to unknown hosts goes. Istio's default `ALLOW_ANY`. */
  readonly outboundTrafficPolicy?: { readonly mode: 'ALLOW_ANY' | 'REGISTRY_ONLY' };
  /** Cluster connect timeout (`connectTimeout`). Istio's default `10s`. */
  readonly connectTimeout?: Duration;
  /** Automatic mutual TLS between sidecars (`enableAutoMtls`). Istio's default `true`. */
  readonly enableAutoMtls?: boolean;
  /** Namespace whose config applies mesh-wide (`rootNamespace`). Istio's default `istio-system`. */
  readonly rootNamespace?: string;
  /** Default `exportTo` of Services, VirtualServices, DestinationRules. Istio's default `["*"]`. */
  readonly defaultServiceExportTo?: readonly string[];
  readonly defaultVirtualServiceExportTo?: readonly string[];
  readonly defaultDestinationRuleExportTo?: readonly string[];
  /** Retry policy for HTTP routes without `retries` (`defaultHttpRetryPolicy`, an Istio `HTTPRetry`). */
  readonly defaultHttpRetryPolicy?: HttpRetryOverride;
  /** Locality-aware load balancing (`localityLbSetting.enabled`). Istio's default `true`. */
  readonly localityLbSetting?: { readonly enabled: boolean };
  /** Upgrade HTTP/1.1 upstream connections to HTTP/2 (`h2UpgradePolicy`). Istio's default `DO_NOT_UPGRADE`. */
  readonly h2UpgradePolicy?: 'DO_NOT_UPGRADE' | 'UPGRADE';
  /** Per-proxy defaults (`defaultConfig`, an Istio `ProxyConfig`). */
  readonly defaultConfig?: ProxyConfigOverride;
  /** meshsim's switches for behaviour that changed between Envoy versions (not a MeshConfig field). */
  readonly compatibility?: CompatibilityOverride;
}

/** `networking.istio.io` `HTTPRetry`, as MeshConfig's `defaultHttpRetryPolicy` takes it. */
export interface HttpRetryOverride {
  readonly attempts?: number;
  readonly perTryTimeout?: Duration;
  /** Envoy `retry_on` conditions and/or status codes, comma-separated (`"connect-failure,503"`). */
  readonly retryOn?: string;
  readonly retryRemoteLocalities?: boolean;
}

/** The `ProxyConfig` fields meshsim simulates. */
export interface ProxyConfigOverride {
  /** Envoy worker threads per sidecar. Istio's default `2`; `0` means one per CPU core (meshsim: 2). */
  readonly concurrency?: number;
  /**
   * Environment of the proxy agent. meshsim reads `ISTIO_META_DNS_CAPTURE` (DNS proxying on 15053) and
   * `ISTIO_META_DNS_AUTO_ALLOCATE` (VIPs from 240.240.0.0/16 for ServiceEntries) as `"true"`/`"false"`.
   */
  readonly proxyMetadata?: StringMap;
}

/**
 * Envoy behaviour that changed between versions; `current` is the Envoy shipped with Istio 1.29.
 */
export interface CompatibilityOverride {
  /**
   * Outlier detection's `max_ejection_percent` test. `current` (Envoy ≥ 1.27, envoyproxy/envoy#27624 and
   * #27909): eject only if `(ejected + 1) / hosts ≤ max%`, so with fewer than 10 hosts and the default 10 %
   * nothing is ever ejected. `legacy`: `ejected / hosts < max%` before counting the new host, which always
   * allows one ejection. @defaultValue `'current'`
   */
  readonly outlierEjectionRule?: 'current' | 'legacy';
  /**
   * Retry back-off ceilings. `current` (`JitteredExponentialBackOffStrategy`): base × 2^(k−1) capped at max
   * (25, 50, 100, 200, 250 ms). `legacy` (`JitteredBackOffStrategy`, Envoy ≤ 1.17): (2^k − 1) × base
   * (25, 75, 175 ms, then capped). @defaultValue `'current'`
   */
  readonly retryBackOff?: 'current' | 'legacy';
}

/** The kinds of network path a message takes, which decide its latency (meshsim's hop classes). */
export const HOP_CLASSES = ['loopback', 'sameNode', 'crossNode', 'vm', 'external'] as const;

/**
 * A kind of network path: `loopback` inside one pod or VM (app ↔ its sidecar), `sameNode` pod to pod on
 * one node, `crossNode` across nodes, `vm` between the cluster and a VM, `external` to or from a client
 * outside the mesh's network.
 */
export type HopClass = (typeof HOP_CLASSES)[number];

/** Overrides of one hop class's link; unset fields keep meshsim's defaults. */
export interface LinkOverride {
  /** One-way latency of a message. */
  readonly latency?: Distribution;
  /** Extra delay added to every message. @defaultValue none */
  readonly jitter?: Distribution;
  /**
   * Percentage of packets lost (below 100). TCP retransmits them: a lost SYN costs 1 s, a lost segment at
   * least 200 ms (Linux `TCP_TIMEOUT_INIT`, `TCP_RTO_MIN`). @defaultValue 0
   */
  readonly loss?: Percent;
  /** Percentage of request/response exchanges whose connection is reset on the way. @defaultValue 0 */
  readonly resets?: Percent;
}

/** What each pass of a request or response through an Envoy costs (filters, routing, telemetry). */
export interface ProxyLatencyOverride {
  readonly request?: Distribution;
  readonly response?: Distribution;
}

/** The network and data-plane costs: a link per hop class, and the proxy pass cost. */
export type NetworkSpec = {
  readonly [C in HopClass]?: LinkOverride;
} & {
  readonly proxy?: ProxyLatencyOverride;
};
