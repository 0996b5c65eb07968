/**
 * The TLS contexts istiod writes into transport sockets (istio/istio@1.29.3
 * `pilot/pkg/security/authn/utils/utils.go` `BuildInboundTLS`, `core/cluster_tls.go`
 * `buildUpstreamClusterTLSContext`, `core/listener.go` `BuildListenerTLSContext`): Istio mutual TLS with the
 * workload certificate (`default`) and root (`ROOTCA`) from SDS, ALPN `h2,http/1.1` for HTTP chains and
 * `istio-peer-exchange,h2,http/1.1` for TCP chains inbound; `istio-peer-exchange,istio` (`…,h2` for HTTP/2
 * clusters) and the cluster's SNI outbound; a gateway's `credentialName` as the SDS secret
 * `kubernetes://<name>`. Certificates themselves are not simulated — only which context a chain has.
 */
import type { TransportSocket } from '../../envoy/config/core.js';
import { WellKnownFilters } from '../../envoy/config/listener.js';
import type { ServerTLSSettings } from './api.js';

const DOWNSTREAM = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext';
const UPSTREAM = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext';

const sds = (name: string): Readonly<Record<string, unknown>> => ({
  name,
  sdsConfig: {
    apiConfigSource: {
      apiType: 'GRPC',
      transportApiVersion: 'V3',
      grpcServices: [{ envoyGrpc: { clusterName: 'sds-grpc' } }],
      setNodeOnFirstMessageOnly: true,
    },
    initialFetchTimeout: '0s',
    resourceApiVersion: 'V3',
  },
});

/** `BuildInboundTLS` for STRICT / PERMISSIVE ports. */
export function inboundMtlsContext(protocol: 'HTTP' | 'TCP'): Readonly<Record<string, unknown>> {
  return {
    '@type': DOWNSTREAM,
    commonTlsContext: {
      tlsParams: { tlsMinimumProtocolVersion: 'TLSv1_2', tlsMaximumProtocolVersion: 'TLSv1_3' },
      alpnProtocols: protocol === 'TCP' ? ['istio-peer-exchange', 'h2', 'http/1.1'] : ['h2', 'http/1.1'],
      tlsCertificateSdsSecretConfigs: [sds('default')],
      combinedValidationContext: {
        defaultValidationContext: { matchSubjectAltNames: [{ prefix: 'spiffe://cluster.local/' }] },
        validationContextSdsSecretConfig: sds('ROOTCA'),
      },
    },
    requireClientCertificate: true,
  };
}

/** An upstream Istio mutual TLS context (`buildIstioMutualTLS`). */
export function istioMutualUpstream(
  sni: string,
  subjectAltNames: readonly string[],
  http2: boolean,
): Readonly<Record<string, unknown>> {
  return {
    '@type': UPSTREAM,
    commonTlsContext: {
      tlsParams: { tlsMinimumProtocolVersion: 'TLSv1_2', tlsMaximumProtocolVersion: 'TLSv1_3' },
      tlsCertificateSdsSecretConfigs: [sds('default')],
      combinedValidationContext: {
        defaultValidationContext:
          subjectAltNames.length > 0 ? { matchSubjectAltNames: subjectAltNames.map((exact) => ({ exact })) } : {},
        validationContextSdsSecretConfig: sds('ROOTCA'),
      },
      alpnProtocols: http2 ? ['istio-peer-exchange', 'istio', 'h2'] : ['istio-peer-exchange', 'istio'],
    },
    sni,
  };
}

/** An upstream context for DestinationRule `SIMPLE` / `MUTUAL` TLS. */
export function userUpstream(
  mode: 'SIMPLE' | 'MUTUAL',
  sni: string | undefined,
  credentialName: string | undefined,
): Readonly<Record<string, unknown>> {
  return {
    '@type': UPSTREAM,
    commonTlsContext: {
      ...(mode === 'MUTUAL' && credentialName !== undefined
        ? { tlsCertificateSdsSecretConfigs: [sds(`kubernetes://${credentialName}`)] }
        : {}),
      ...(credentialName !== undefined
        ? { validationContextSdsSecretConfig: sds(`kubernetes://${credentialName}-cacert`) }
        : {}),
    },
    ...(sni !== undefined && sni !== '' ? { sni } : {}),
  };
}

/** `BuildListenerTLSContext` for a Gateway server's `tls`. */
export function gatewayServerContext(
  tls: ServerTLSSettings,
  alpn: readonly string[],
): Readonly<Record<string, unknown>> {
  const mutual = tls.mode === 'MUTUAL' || tls.mode === 'ISTIO_MUTUAL';
  const names =
    tls.credentialNames !== undefined && tls.credentialNames.length > 0
      ? tls.credentialNames
      : tls.credentialName !== undefined
        ? [tls.credentialName]
        : [];
  const certs = tls.mode === 'ISTIO_MUTUAL' ? [sds('default')] : names.map((n) => sds(`kubernetes://${n}`));
  return {
    '@type': DOWNSTREAM,
    commonTlsContext: {
      alpnProtocols: [...alpn],
      ...(certs.length > 0 ? { tlsCertificateSdsSecretConfigs: certs } : {}),
      ...(tls.mode === 'ISTIO_MUTUAL'
        ? {
            combinedValidationContext: {
              defaultValidationContext: {},
              validationContextSdsSecretConfig: sds('ROOTCA'),
            },
          }
        : {}),
      ...(mutual && tls.mode !== 'ISTIO_MUTUAL' && names[0] !== undefined
        ? {
            combinedValidationContext: {
              defaultValidationContext: {},
              validationContextSdsSecretConfig: sds(`kubernetes://${names[0]}-cacert`),
            },
          }
        : {}),
    },
    requireClientCertificate: mutual,
  };
}

/** A `envoy.transport_sockets.tls` transport socket around a context. */
export function tlsTransportSocket(typedConfig: Readonly<Record<string, unknown>>): TransportSocket {
  return { name: WellKnownFilters.tlsTransportSocket, typedConfig };
}

/** The plaintext socket auto mTLS uses for endpoints without a sidecar. */
export const RAW_BUFFER_SOCKET: TransportSocket = {
  name: 'envoy.transport_sockets.raw_buffer',
  typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer' },
};
