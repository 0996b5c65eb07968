/**
 * The TLS an outbound cluster originates (istio/istio@1.29.3 `pilot/pkg/networking/core/cluster_tls.go`
 * `buildUpstreamTLSSettings`, `applyUpstreamTLSSettings`; `pilot/pkg/model/push_context.go`
 * `BestEffortInferServiceMTLSMode`). A DestinationRule `tls` mode wins: `DISABLE` plaintext, `SIMPLE` /
 * `MUTUAL` the user's TLS, `ISTIO_MUTUAL` Istio mTLS on every connection. Without one, auto mTLS (on by
 * default) gives two transport socket matches — `tlsMode-istio` (endpoints whose workload has a sidecar)
 * with Istio mTLS, `tlsMode-disabled` plaintext — unless the service is mesh-external, its namespace's
 * PeerAuthentication is DISABLE, or it is headless with an endpoint lacking a sidecar.
 */
import type { Cluster } from '../../../envoy/config/cluster.js';
import type { MtlsMode } from '../../model/security/peerAuthentication.js';
import type { MeshEndpoint, MeshService, MeshServicePort } from '../../model/registry/types.js';
import type { TrafficPolicy } from '../api.js';
import { istioMutualUpstream, RAW_BUFFER_SOCKET, tlsTransportSocket, userUpstream } from '../tlsContexts.js';

/** What the TLS decision reads. */
export interface UpstreamTlsContext {
  readonly enableAutoMtls: boolean;
  /** `GetNamespaceMutualTLSMode` (undefined: unknown). */
  readonly namespaceMtlsMode: (namespace: string) => MtlsMode | undefined;
  readonly endpoints: (service: MeshService, port: number) => readonly MeshEndpoint[];
}

/** `BestEffortInferServiceMTLSMode`. */
export function inferServiceMtlsMode(
  ctx: UpstreamTlsContext,
  s: MeshService,
  port: number,
  policy: TrafficPolicy | undefined,
): MtlsMode | 'UNKNOWN' {
  if (s.meshExternal) return 'UNKNOWN';
  if (s.resolution === 'Passthrough' || policy?.loadBalancer?.simple === 'PASSTHROUGH') {
    const eps = ctx.endpoints(s, port);
    if (eps.length === 0 || eps.some((e) => e.tlsMode === 'disabled')) return 'DISABLE';
  }
  return ctx.namespaceMtlsMode(s.namespace) ?? 'PERMISSIVE';
}

/** `applyUpstreamTLSSettings(buildUpstreamTLSSettings(...))`. */
export function applyUpstreamTls(
  ctx: UpstreamTlsContext,
  c: Cluster,
  s: MeshService,
  port: MeshServicePort,
  policy: TrafficPolicy | undefined,
  sni: string,
  http2: boolean,
): Cluster {
  const tls = policy?.tls;
  if (tls !== undefined && tls.mode !== undefined) {
    switch (tls.mode) {
      case 'DISABLE':
        return c;
      case 'SIMPLE':
      case 'MUTUAL':
        return { ...c, transportSocket: tlsTransportSocket(userUpstream(tls.mode, tls.sni, tls.credentialName)) };
      case 'ISTIO_MUTUAL':
        return {
          ...c,
          transportSocket: tlsTransportSocket(
            istioMutualUpstream(
              tls.sni !== undefined && tls.sni !== '' ? tls.sni : sni,
              tls.subjectAltNames ?? s.serviceAccounts,
              http2,
            ),
          ),
        };
    }
  }
  const mode = inferServiceMtlsMode(ctx, s, port.port, policy);
  if (!ctx.enableAutoMtls || mode === 'UNKNOWN' || mode === 'DISABLE') return c;
  const socket = tlsTransportSocket(istioMutualUpstream(sni, s.serviceAccounts, http2));
  // ORIGINAL_DST clusters keep a single transport socket (istiod adds matches only to other types).
  if (c.type === 'ORIGINAL_DST') return { ...c, transportSocket: socket };
  return {
    ...c,
    transportSocketMatches: [
      { name: 'tlsMode-istio', match: { tlsMode: 'istio' }, transportSocket: socket },
      { name: 'tlsMode-disabled', match: {}, transportSocket: RAW_BUFFER_SOCKET },
    ],
  };
}
