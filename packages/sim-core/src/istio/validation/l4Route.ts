/**
 * Istio's checks of VirtualService TLS and TCP routes (`validateTLSRoute`, `validateTLSMatch`,
 * `validateSniHost`, `validateTCPRoute`, `validateTCPMatch` in istio/istio 1.29 `pkg/config/validation`).
 */
import type { FieldPath } from '../../k8s/object.js';
import type { IssueList } from '../../k8s/validation/issue.js';
import {
  arr,
  isIPAddress,
  num,
  obj,
  str,
  validateIPSubnet,
  validateLabels,
  validatePort,
  validateWildcardDomain,
  type Json,
} from './common.js';
import { hostSubsetOf } from './host.js';
import { validateGatewayBoundDomain, validateGatewayNames } from './gatewayNames.js';
import { validateRouteDestinations } from './routeDestination.js';

/** `validateTLSRoute`: SNI matches must fall within the VirtualService's hosts. */
export function validateTLSRoute(
  t: Json | undefined,
  hosts: readonly string[],
  gateway: boolean,
  path: FieldPath,
  out: IssueList,
): void {
  if (t === undefined) return;
  const matches = arr(t['match']);
  if (matches.length === 0) out.error(path, 'TLS route must have at least one match condition');
  matches.forEach((m0, i) => {
    const at = [...path, 'match', i];
    const m = obj(m0);
    if (m === undefined) return out.error(at, 'TLS match may not be null');
    const snis = arr(m['sniHosts']).map(str);
    if (snis.length === 0) out.error(at, 'TLS match must have at least one SNI host');
    snis.forEach((sni, j) => {
      const e = gateway ? validateGatewayBoundDomain(true, sni) : validateWildcardDomain(sni);
      if (e !== undefined) {
        if (isIPAddress(sni))
          out.warning(
            [...at, 'sniHosts', j],
            `using an IP address (${JSON.stringify(sni)}) goes against SNI spec and most clients do not support this`,
          );
        else out.error([...at, 'sniHosts', j], e);
        return;
      }
      if (!hosts.some((h) => hostSubsetOf(sni, h))) {
        out.error(
          [...at, 'sniHosts', j],
          `SNI host ${JSON.stringify(sni)} is not a compatible subset of any of the virtual service hosts: [${hosts.join(', ')}]`,
        );
      }
    });
    validateL4Match(m, at, out);
  });
  if (arr(t['route']).length === 0) out.error(path, 'TLS route is required');
  validateRouteDestinations(arr(t['route']), [...path, 'route'], out);
}

/** `validateTCPRoute`. */
export function validateTCPRoute(t: Json | undefined, path: FieldPath, out: IssueList): void {
  if (t === undefined) return;
  arr(t['match']).forEach((m0, i) => {
    const m = obj(m0);
    if (m === undefined) out.error([...path, 'match', i], 'tcp match may not be nil');
    else validateL4Match(m, [...path, 'match', i], out);
  });
  if (arr(t['route']).length === 0) out.error(path, 'TCP route is required');
  validateRouteDestinations(arr(t['route']), [...path, 'route'], out);
}

function validateL4Match(m: Json, path: FieldPath, out: IssueList): void {
  arr(m['destinationSubnets']).forEach((s, i) => {
    const e = validateIPSubnet(str(s));
    if (e !== undefined) out.error([...path, 'destinationSubnets', i], e);
  });
  if (num(m['port']) !== 0) {
    const e = validatePort(num(m['port']));
    if (e !== undefined) out.error([...path, 'port'], e);
  }
  validateLabels(m['sourceLabels'], [...path, 'sourceLabels'], out);
  validateGatewayNames(arr(m['gateways']).map(str), [...path, 'gateways'], out);
}
