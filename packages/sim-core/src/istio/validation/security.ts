/**
 * Istio's validating-webhook checks of PeerAuthentication (`ValidatePeerAuthentication` in istio/istio 1.29
 * `pkg/config/validation/validation.go`). AuthorizationPolicy and RequestAuthentication are checked against
 * their CRD schema only (they do not change where meshsim's traffic may go).
 */
import type { IssueList } from '../../k8s/validation/issue.js';
import { obj, sortedEntries, validateWorkloadSelector, type Json } from './common.js';

/** Validates a PeerAuthentication `spec`. */
export function validatePeerAuthentication(spec: Json, out: IssueList): void {
  const selector = obj(spec['selector']);
  const emptySelector = selector === undefined || sortedEntries(selector['matchLabels']).length === 0;
  const portLevel = obj(spec['portLevelMtls']);
  if (emptySelector && portLevel !== undefined && Object.keys(portLevel).length !== 0) {
    out.error(['spec', 'portLevelMtls'], 'mesh/namespace peer authentication cannot have port level mTLS');
  }
  if (portLevel !== undefined && Object.keys(portLevel).length === 0) {
    out.error(['spec', 'portLevelMtls'], 'port level mTLS, if defined, must have at least one element');
  }
  for (const [port] of sortedEntries(portLevel)) {
    const n = Number(port);
    if (!Number.isInteger(n) || n <= 0 || n > 65535)
      out.error(['spec', 'portLevelMtls', port], 'port must be in range 1..65535');
  }
  validateWorkloadSelector(spec['selector'], ['spec', 'selector'], out);
}
