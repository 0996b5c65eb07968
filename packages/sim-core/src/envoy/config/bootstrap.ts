/**
 * The typed subset of `envoy.config.bootstrap.v3.Bootstrap` meshsim produces: the static part of a proxy's
 * configuration, which `pilot-agent` writes before Envoy starts (Istio's
 * `tools/packaging/common/envoy_bootstrap.json` template) and which never changes afterwards. Everything
 * else comes from istiod over xDS (see `proxyConfig.ts`).
 */
import type { Cluster } from './cluster.js';
import type { Address, Locality } from './core.js';
import type { Listener } from './listener.js';

/** `envoy.config.core.v3.Node`: who the proxy is, as it tells istiod on the xDS stream. */
export interface BootstrapNode {
  /** `sidecar~<ip>~<pod>.<namespace>~<namespace>.svc.cluster.local`. */
  readonly id: string;
  /** The service cluster: `<app label>.<namespace>` (istio `pkg/bootstrap/config.go` `getServiceCluster`). */
  readonly cluster: string;
  readonly locality?: Locality;
  /** Istio's node metadata (`model.BootstrapNodeMetadata`): the fields meshsim knows. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** `envoy.config.core.v3.ConfigSource` pointing at the ADS stream. */
export interface AdsConfigSource {
  readonly ads: Record<string, never>;
  readonly initialFetchTimeout: string;
  readonly resourceApiVersion: 'V3';
}

/** `envoy.config.bootstrap.v3.Bootstrap.DynamicResources`: LDS and CDS over ADS to `xds-grpc`. */
export interface DynamicResources {
  readonly ldsConfig: AdsConfigSource;
  readonly cdsConfig: AdsConfigSource;
  readonly adsConfig: {
    /** `DELTA_GRPC` unless the agent runs with `ISTIO_DELTA_XDS=false`. */
    readonly apiType: 'GRPC' | 'DELTA_GRPC';
    readonly setNodeOnFirstMessageOnly: boolean;
    readonly transportApiVersion: 'V3';
    readonly grpcServices: readonly { readonly envoyGrpc: { readonly clusterName: string } }[];
  };
}

/** The bootstrap fields meshsim fills in. */
export interface Bootstrap {
  readonly node: BootstrapNode;
  /** Envoy's admin interface (`127.0.0.1:15000`). */
  readonly admin: { readonly address: Address };
  readonly dynamicResources: DynamicResources;
  /** The agent's health (15021) and Prometheus (15090) listeners and the clusters behind them and xDS/SDS. */
  readonly staticResources: {
    readonly listeners: readonly Listener[];
    readonly clusters: readonly Cluster[];
  };
}
