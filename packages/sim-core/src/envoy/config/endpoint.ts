/**
 * The typed subset of `envoy.config.endpoint.v3` (ClusterLoadAssignment and its endpoints) istiod sends by
 * EDS, in the proto3 JSON spelling of Envoy's `config_dump`.
 */
import type { Address, Locality, Metadata } from './core.js';

/** `envoy.config.core.v3.HealthStatus`. @defaultValue `'UNKNOWN'` (Envoy treats it as healthy) */
export type HealthStatus = 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY' | 'DRAINING' | 'TIMEOUT' | 'DEGRADED';

/** `envoy.config.endpoint.v3.Endpoint`. */
export interface Endpoint {
  readonly address: Address;
  /** For DNS clusters, the host the address was resolved from. */
  readonly hostname?: string;
}

/**
 * `envoy.config.endpoint.v3.LbEndpoint`. istiod sets `metadata.filterMetadata`
 * `envoy.transport_socket_match` (`tlsMode: istio` for endpoints with a sidecar) and `istio.workload`
 * (`<workload>;<namespace>;<canonical name>;<revision>;<cluster>`); meshsim adds the endpoint's labels
 * under `meshsim.labels`.
 */
export interface LbEndpoint {
  readonly endpoint: Endpoint;
  /** @defaultValue `'UNKNOWN'` */
  readonly healthStatus?: HealthStatus;
  /** @defaultValue 1 */
  readonly loadBalancingWeight?: number;
  readonly metadata?: Metadata;
}

/** `envoy.config.endpoint.v3.LocalityLbEndpoints`: the endpoints of one locality at one priority. */
export interface LocalityLbEndpoints {
  readonly locality?: Locality;
  readonly lbEndpoints: readonly LbEndpoint[];
  /** Sum of the endpoints' weights (istiod sets it). */
  readonly loadBalancingWeight?: number;
  /** @defaultValue 0 */
  readonly priority?: number;
}

/** `envoy.config.endpoint.v3.ClusterLoadAssignment`. */
export interface ClusterLoadAssignment {
  readonly clusterName: string;
  readonly endpoints: readonly LocalityLbEndpoints[];
}
