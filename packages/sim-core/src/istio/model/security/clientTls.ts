/**
 * What a client sidecar sends to a service (`pilot/pkg/networking/core/cluster_tls.go`
 * `buildUpstreamTLSSettings`, `push_context.go` `BestEffortInferServiceMTLSMode`): the DestinationRule's
 * `tls` for the port/subset when set (subset over port-level over destination-level); otherwise, with
 * `enableAutoMtls` (default on), Istio mTLS to every endpoint whose workload has a sidecar
 * (`security.istio.io/tlsMode: istio`) and plaintext to the others — unless the service is mesh-external, or
 * its namespace/mesh PeerAuthentication is `DISABLE`, or it is headless with any endpoint lacking a sidecar.
 */
import type { IstioConfig } from '../config.js';
import type { MeshConfig } from '../meshConfig.js';
import { endpointsOf } from '../registry/buildRegistry.js';
import type { MeshEndpoint, MeshService, ServiceRegistry } from '../registry/types.js';
import type { MergedDestinationRule } from '../traffic/destinationRules.js';
import { namespaceMtlsMode } from './peerAuthentication.js';

/** `ClientTLSSettings.mode`. */
export type ClientTlsMode = 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL';

/** The TLS a client uses towards a service port. */
export interface ClientTls {
  /** The configured mode, or `undefined` when nothing is configured (plaintext, or auto mTLS per endpoint). */
  readonly mode?: ClientTlsMode;
  /** Auto mTLS decides per endpoint. */
  readonly autoMtls: boolean;
  /** Where the setting comes from. */
  readonly source: 'DestinationRule' | 'autoMtls' | 'none';
  /** SNI, when the DestinationRule sets one. */
  readonly sni?: string;
}

interface TlsBlock {
  readonly mode?: string;
  readonly sni?: string;
}

/** The DestinationRule's `tls` for `port` and `subset` (subset > subset port-level > port-level > top-level). */
export function destinationRuleTls(
  dr: MergedDestinationRule | undefined,
  port: number,
  subset?: string,
): TlsBlock | undefined {
  if (dr === undefined) return undefined;
  type Policy = { tls?: TlsBlock; portLevelSettings?: { port?: { number?: number }; tls?: TlsBlock }[] };
  const atPort = (p: Policy | undefined): TlsBlock | undefined =>
    p?.portLevelSettings?.find((s) => s.port?.number === port)?.tls;
  const top = dr.spec.trafficPolicy as Policy | undefined;
  const sub =
    subset === undefined
      ? undefined
      : (dr.spec.subsets?.find((s) => s.name === subset)?.trafficPolicy as Policy | undefined);
  return atPort(sub) ?? sub?.tls ?? atPort(top) ?? top?.tls;
}

/** `buildUpstreamTLSSettings` for a client of `service` on `port`. */
export function clientTlsFor(
  service: MeshService,
  port: number,
  dr: MergedDestinationRule | undefined,
  subset: string | undefined,
  registry: ServiceRegistry,
  istio: Pick<IstioConfig, 'peerAuthentications'>,
  mesh: Pick<MeshConfig, 'enableAutoMtls' | 'rootNamespace'>,
): ClientTls {
  const tls = destinationRuleTls(dr, port, subset);
  const mode = tls?.mode;
  if (mode === 'DISABLE' || mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'ISTIO_MUTUAL') {
    return { mode, autoMtls: false, source: 'DestinationRule', ...(tls?.sni !== undefined ? { sni: tls.sni } : {}) };
  }
  if (service.meshExternal || !mesh.enableAutoMtls) return { autoMtls: false, source: 'none' };
  // BestEffortInferServiceMTLSMode
  if (service.resolution === 'Passthrough') {
    const eps = endpointsOf(registry, service, port);
    if (eps.length === 0 || eps.some((e) => e.tlsMode === 'disabled')) return { autoMtls: false, source: 'none' };
  }
  if (namespaceMtlsMode(istio, mesh, service.namespace) === 'DISABLE') return { autoMtls: false, source: 'none' };
  return { autoMtls: true, source: 'autoMtls' };
}

/** What goes on the wire to `endpoint`: Istio mTLS, TLS, or plaintext. */
export function transportTo(tls: ClientTls, endpoint: Pick<MeshEndpoint, 'tlsMode'>): 'mtls' | 'tls' | 'plaintext' {
  if (tls.mode === 'ISTIO_MUTUAL' || tls.mode === 'MUTUAL') return 'mtls';
  if (tls.mode === 'SIMPLE') return 'tls';
  if (tls.mode === 'DISABLE') return 'plaintext';
  // Auto mTLS: Envoy's transport socket match on the endpoint's tlsMode metadata.
  return tls.autoMtls && endpoint.tlsMode === 'istio' ? 'mtls' : 'plaintext';
}
