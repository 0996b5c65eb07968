/**
 * The inline route configuration of an inbound HTTP chain (istio/istio@1.29.3
 * `pilot/pkg/networking/core/httproute.go` `buildSidecarInboundHTTPRouteConfig`, `route/route.go`
 * `BuildDefaultHTTPInboundRoute`): named after the inbound cluster (`inbound|8080||`), one virtual host
 * `inbound|http|<service port>` for every domain, one `default` route to the local application with no
 * timeout, no stream duration limit, and two retries on `reset-before-request` (not for gRPC).
 */
import type { RouteConfiguration } from '../../../envoy/config/route.js';
import type { Protocol } from '../../model/protocol.js';
import { DEFAULT_ROUTE_NAME, domainName } from '../names.js';

/** What the inbound route is built from. */
export interface InboundRouteInput {
  readonly clusterName: string;
  readonly port: { readonly port: number; readonly protocol: Protocol };
  readonly hostname: string;
}

/** `buildSidecarInboundHTTPRouteConfig`. */
export function inboundRouteConfig(cc: InboundRouteInput): RouteConfiguration {
  const grpc = cc.port.protocol === 'GRPC' || cc.port.protocol === 'GRPC-Web';
  return {
    name: cc.clusterName,
    virtualHosts: [
      {
        name: `inbound|http|${cc.port.port}`,
        domains: ['*'],
        routes: [
          {
            name: DEFAULT_ROUTE_NAME,
            match: { prefix: '/' },
            route: {
              cluster: cc.clusterName,
              timeout: '0s',
              maxStreamDuration: { maxStreamDuration: '0s', grpcTimeoutHeaderMax: '0s' },
              ...(grpc ? {} : { retryPolicy: { retryOn: 'reset-before-request', numRetries: 2 } }),
            },
            decorator: { operation: `${domainName(cc.hostname, cc.port.port)}/*` },
          },
        ],
      },
    ],
    validateClusters: false,
  };
}
