/**
 * Gateway references and gateway-bound hosts of a VirtualService (`validateGatewayNames`,
 * `agent.ValidateWildcardDomainForVirtualServiceBoundToGateway` in istio/istio 1.29 `pkg/config/validation`).
 */
import type { FieldPath } from '../../k8s/object.js';
import type { IssueList } from '../../k8s/validation/issue.js';
import { isIstioDNS1123Label } from '../../k8s/validation/names.js';
import { validateFQDN, validateWildcardDomain } from './common.js';

/** `agent.ValidateWildcardDomainForVirtualServiceBoundToGateway`: also accepts Istio's `outbound_` SNI names. */
export function validateGatewayBoundDomain(sni: boolean, domain: string): string | undefined {
  // `outbound_.80_._.host` names Istio generates for SNI routing are accepted as they are.
  if (sni && domain.startsWith('outbound_')) return undefined;
  return validateWildcardDomain(domain);
}

/** `validateGatewayNames`: `namespace/name`, or a (legacy) gateway name or FQDN. */
export function validateGatewayNames(names: readonly string[], path: FieldPath, out: IssueList): void {
  for (let i = 0; i < names.length; i++) {
    const name = names[i] ?? '';
    const at = [...path, i];
    const slash = name.indexOf('/');
    if (slash < 0) {
      if (name.includes('.')) {
        const parts = name.split('.');
        out.warning(
          at,
          `using legacy gatewayName format ${JSON.stringify(name)}; prefer the <namespace>/<name> format: ${JSON.stringify(`${parts[1] ?? ''}/${parts[0] ?? ''}`)}`,
        );
      }
      const e = validateFQDN(name);
      if (e !== undefined) out.error(at, e);
      return; // as Istio: the first short name ends the check
    }
    const ns = name.slice(0, slash);
    const gw = name.slice(slash + 1);
    if (ns === '' || gw === '') out.error(at, 'config namespace and gateway name cannot be empty');
    if (!isIstioDNS1123Label(ns)) out.error(at, `invalid value for namespace: ${JSON.stringify(ns)}`);
    if (!isIstioDNS1123Label(gw)) out.error(at, `invalid value for gateway name: ${JSON.stringify(gw)}`);
  }
}
