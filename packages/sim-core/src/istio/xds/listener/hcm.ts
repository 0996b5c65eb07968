/**
 * istiod's HTTP connection manager (istio/istio@1.29.3 `pilot/pkg/networking/core/listener_builder.go`
 * `buildHTTPConnectionManager`): routes by RDS over ADS (or an inline route configuration for inbound),
 * codec AUTO, normalized paths, websocket upgrades, no stream idle timeout, `use_remote_address` false for
 * sidecars and true for gateways, and the HTTP filter chain in istiod's order — metadata exchange, gRPC
 * stats, ALPN (not inbound), fault, CORS, Istio stats, router. Filters meshsim does not model (RBAC, JWT,
 * Wasm) are absent because nothing in the manifests configures them.
 */
import type { HttpConnectionManager, HttpFilter, NetworkFilter } from '../../../envoy/config/listener.js';
import { HCM_TYPE, WellKnownFilters } from '../../../envoy/config/listener.js';
import type { RouteConfiguration } from '../../../envoy/config/route.js';
import type { Protocol } from '../../model/protocol.js';
import { isHTTP2 } from '../../model/protocol.js';

/** `ListenerClass`. */
export type ListenerClass = 'sidecarInbound' | 'sidecarOutbound' | 'gateway';

/** `httpListenerOpts`. */
export interface HttpListenerOpts {
  readonly rds?: string;
  readonly routeConfig?: RouteConfiguration;
  readonly statPrefix: string;
  readonly protocol: Protocol;
  readonly class: ListenerClass;
  readonly useRemoteAddress: boolean;
}

const filter = (name: string, type: string): HttpFilter => ({ name, typedConfig: { '@type': type } });

/** The HTTP filters istiod installs for a listener class. */
export function httpFilters(opts: Pick<HttpListenerOpts, 'class' | 'protocol'>): HttpFilter[] {
  const out: HttpFilter[] = [filter('istio.metadata_exchange', 'type.googleapis.com/udpa.type.v1.TypedStruct')];
  if (opts.protocol === 'GRPC-Web')
    out.push(
      filter('envoy.filters.http.grpc_web', 'type.googleapis.com/envoy.extensions.filters.http.grpc_web.v3.GrpcWeb'),
    );
  out.push(
    filter(
      'envoy.filters.http.grpc_stats',
      'type.googleapis.com/envoy.extensions.filters.http.grpc_stats.v3.FilterConfig',
    ),
  );
  if (opts.class !== 'sidecarInbound')
    out.push(filter('istio.alpn', 'type.googleapis.com/istio.envoy.config.filter.http.alpn.v2alpha1.FilterConfig'));
  out.push(filter(WellKnownFilters.fault, 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault'));
  out.push(filter(WellKnownFilters.cors, 'type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors'));
  out.push(filter('istio.stats', 'type.googleapis.com/stats.PluginConfig'));
  out.push(filter(WellKnownFilters.router, 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router'));
  return out;
}

/** `buildHTTPConnectionManager`. */
export function buildHttpConnectionManager(opts: HttpListenerOpts): HttpConnectionManager {
  return {
    '@type': HCM_TYPE,
    statPrefix: opts.statPrefix,
    ...(opts.rds !== undefined
      ? {
          rds: {
            configSource: { ads: {}, initialFetchTimeout: '0s', resourceApiVersion: 'V3' as const },
            routeConfigName: opts.rds,
          },
        }
      : opts.routeConfig !== undefined
        ? { routeConfig: opts.routeConfig }
        : {}),
    httpFilters: httpFilters(opts),
    codecType: 'AUTO',
    useRemoteAddress: opts.useRemoteAddress,
    normalizePath: true,
    pathWithEscapedSlashesAction: 'KEEP_UNCHANGED',
    upgradeConfigs: [{ upgradeType: 'websocket' }],
    streamIdleTimeout: '0s',
    ...(opts.class === 'sidecarInbound' ? { forwardClientCertDetails: 'APPEND_FORWARD' as const } : {}),
    ...(opts.class === 'gateway' ? { forwardClientCertDetails: 'SANITIZE_SET' as const } : {}),
    ...(opts.class === 'sidecarInbound' && isHTTP2(opts.protocol) ? { http2ProtocolOptions: {} } : {}),
  };
}

/** The HTTP connection manager as a network filter. */
export function hcmFilter(opts: HttpListenerOpts): NetworkFilter {
  return { name: WellKnownFilters.httpConnectionManager, typedConfig: buildHttpConnectionManager(opts) };
}
