/**
 * The parts of one proxy's Envoy configuration that an explanation reads — listeners, route
 * configurations, clusters and their load assignments — in Envoy's v3 proto3 JSON spelling. istiod's
 * translation (`istio/xds`) produces it; a `config_dump` converted to these four lists fits as well.
 */
import type { Listener, Address } from '../envoy/listener/types.js';
import type { RouteConfiguration } from '../envoy/router/types.js';

/** `envoy.config.endpoint.v3.LbEndpoint`. */
export interface LbEndpointView {
  readonly endpoint?: { readonly address?: Address; readonly hostname?: string };
  /** @defaultValue `'UNKNOWN'` (treated as healthy by Envoy) */
  readonly healthStatus?: string;
  readonly loadBalancingWeight?: number;
  readonly metadata?: unknown;
}

/** `envoy.config.endpoint.v3.LocalityLbEndpoints`. */
export interface LocalityLbEndpointsView {
  readonly locality?: { readonly region?: string; readonly zone?: string; readonly subZone?: string };
  readonly lbEndpoints?: readonly LbEndpointView[];
  readonly loadBalancingWeight?: number;
  readonly priority?: number;
}

/** `envoy.config.endpoint.v3.ClusterLoadAssignment`. */
export interface ClusterLoadAssignmentView {
  readonly clusterName: string;
  readonly endpoints?: readonly LocalityLbEndpointsView[];
}

/** The part of `envoy.config.cluster.v3.Cluster` an explanation reads. */
export interface ClusterView {
  readonly name: string;
  readonly type?: string;
  readonly loadAssignment?: ClusterLoadAssignmentView;
}

/** One proxy's configuration. */
export interface ProxyConfigView {
  readonly listeners: readonly Listener[];
  readonly routes: readonly RouteConfiguration[];
  readonly clusters?: readonly ClusterView[];
  /** EDS load assignments, by `clusterName`. */
  readonly endpoints?: readonly ClusterLoadAssignmentView[];
}
