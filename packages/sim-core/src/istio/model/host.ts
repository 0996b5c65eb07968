/**
 * Host names as Istio compares them (`pkg/config/host/name.go`): `*` and `*.suffix` wildcards, `Matches`
 * (either side may be a wildcard) and `SubsetOf`; and short-name resolution (`pilot/pkg/model/config.go`
 * `ResolveShortnameToFQDN`): a name without a dot becomes `<name>.<namespace>.svc.<domain>` relative to the
 * namespace of the config that mentions it; anything with a dot (even `reviews.default`), `*` and IP
 * addresses are taken as written.
 */
import { isIPv4 } from '../../k8s/net/ipv4.js';

/** True for `*` and `*.example.com`. */
export function isWildcarded(host: string): boolean {
  return host.startsWith('*');
}

/** `host.Name.Matches`: the two names have a non-empty intersection. */
export function hostMatches(a: string, b: string): boolean {
  const aw = isWildcarded(a);
  const bw = isWildcarded(b);
  if (aw && bw) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}

/** `host.Name.SubsetOf`: every name matched by `a` is matched by `b`. */
export function hostSubsetOf(a: string, b: string): boolean {
  if (isWildcarded(a)) return isWildcarded(b) && a.slice(1).endsWith(b.slice(1));
  if (isWildcarded(b)) return a.endsWith(b.slice(1));
  return a === b;
}

/** `ResolveShortnameToFQDN(host, {namespace, domain})`. */
export function resolveShortname(host: string, namespace: string, domain = 'cluster.local'): string {
  if (host === '' || host === '*' || isIPv4(host) || host.includes(':')) return host;
  if (host.includes('.')) return host;
  return `${host}.${namespace}.svc.${domain}`;
}

/** The FQDN of a Kubernetes Service (`kube.ServiceHostname`). */
export function serviceHostname(name: string, namespace: string, domain = 'cluster.local'): string {
  return `${name}.${namespace}.svc.${domain}`;
}

/** `spiffe://<trust domain>/ns/<namespace>/sa/<service account>`. */
export function spiffeId(trustDomain: string, namespace: string, serviceAccount: string): string {
  return `spiffe://${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}
