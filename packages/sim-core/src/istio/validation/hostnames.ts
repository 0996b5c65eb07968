/** `agent.ValidateNamespaceSlashWildcardHostname` — the `namespace/dnsName` hosts of Gateways and Sidecars. */
import { isIstioDNS1123Label } from '../../k8s/validation/names.js';
import { isIPAddress, validatePartialWildcard, validateWildcardDomain } from './common.js';

function hostnamePart(hostname: string, isGateway: boolean): string[] {
  const errs: string[] = [];
  if (hostname !== '*' && !hostname.includes('.')) errs.push('short names (non FQDN) are not allowed');
  const e = validateWildcardDomain(hostname);
  // Gateways also accept an IP address as the host.
  if (e !== undefined && (!isGateway || !isIPAddress(hostname))) errs.push(e);
  const pw = validatePartialWildcard(hostname);
  if (pw !== undefined) errs.push(pw);
  return errs;
}

/** Errors of a Gateway server host or Sidecar egress host; empty when valid. */
export function validateNamespaceSlashWildcardHostname(hostname: string, isGateway: boolean): string[] {
  const slash = hostname.indexOf('/');
  if (slash < 0) return isGateway ? hostnamePart(hostname, true) : ['host must be of form namespace/dnsName'];
  const ns = hostname.slice(0, slash);
  const name = hostname.slice(slash + 1);
  const errs: string[] = [];
  if (ns === '' || name === '') errs.push('config namespace and dnsName in host entry cannot be empty');
  const special = isGateway ? ['*', '.'] : ['*', '.', '~'];
  if (!special.includes(ns) && !isIstioDNS1123Label(ns)) {
    errs.push(`invalid namespace value ${JSON.stringify(ns)} in ${isGateway ? 'gateway' : 'sidecar'}`);
  }
  return [...errs, ...hostnamePart(name, isGateway)];
}
