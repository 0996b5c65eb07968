/** Security that changes where traffic may go: PeerAuthentication (inbound) and client TLS with auto mTLS. */
export { clientTlsFor, destinationRuleTls, transportTo, type ClientTls, type ClientTlsMode } from './clientTls.js';
export {
  inboundAccepts,
  inboundMtlsMode,
  namespaceMtlsMode,
  peerAuthenticationFor,
  type EffectivePeerAuthentication,
  type MtlsMode,
} from './peerAuthentication.js';
