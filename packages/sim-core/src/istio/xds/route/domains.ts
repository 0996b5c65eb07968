/**
 * The `domains` of a sidecar's outbound virtual host (istio/istio@1.29.3
 * `pilot/pkg/networking/core/httproute.go` `generateVirtualHostDomains`, `GenerateAltVirtualHosts`,
 * `generateAltVirtualHostsForKubernetesService`, `appendDomainPort`). Sidecars (not proxyless gRPC) set
 * `ignore_port_in_host_matching`, so on a port's route configuration the domains carry no `:port`: the
 * FQDN, the FQDN with a trailing dot (`PILOT_ENABLE_ABSOLUTE_FQDN_VHOST_DOMAIN`, on by default), the
 * names a client in the proxy's namespace can use (`name`, `name.ns.svc`, `name.ns` in the same namespace;
 * `name.ns`, `name.ns.svc` from another), a `*.`-prefixed copy of each for headless Kubernetes services,
 * and the VIPs. With listener port 0 (HTTP proxy) the `:port` forms are added.
 */
import type { MeshService } from '../../model/registry/types.js';
import { domainName } from '../names.js';
import { addressesForProxy, UNSPECIFIED_IP } from '../serviceAddress.js';

/** `portNoAppendPortSuffix`. */
export const NO_PORT_SUFFIX = 0;

function ipv6Compliant(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** `appendDomainPort`. */
function appendDomainPort(domains: string[], domain: string, port: number): void {
  if (port === NO_PORT_SUFFIX) domains.push(ipv6Compliant(domain));
  else domains.push(ipv6Compliant(domain), domainName(domain, port));
}

function isIP(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** `removeSvcNamespace`: `ns.svc.cluster.local` → `.svc.cluster.local`. */
function removeSvcNamespace(domain: string): string {
  const i = domain.indexOf('.svc.');
  return i > 0 ? domain.slice(i) : domain;
}

/** `generateAltVirtualHostsForKubernetesService`. */
function kubernetesAltHosts(hostname: string, port: number, proxyDomain: string): string[] {
  const proxyNs = proxyDomain.slice(0, proxyDomain.indexOf('.svc.'));
  const ih = hostname.indexOf('.svc.');
  if (ih <= 0) return [];
  const ns = hostname.indexOf('.');
  if (ns + 1 >= hostname.length || ns + 1 > ih) return [];
  const name = hostname.slice(0, ns);
  const nameNs = hostname.slice(0, ih);
  const withPort = (h: string): string[] => (port === NO_PORT_SUFFIX ? [h] : [h, domainName(h, port)]);
  if (hostname.slice(ns + 1, ih) === proxyNs)
    return [...withPort(name), ...withPort(`${nameNs}.svc`), ...withPort(nameNs)];
  return [...withPort(nameNs), ...withPort(`${nameNs}.svc`)];
}

/** `GenerateAltVirtualHosts(hostname, port, proxyDomain)`. */
export function generateAltVirtualHosts(hostname: string, port: number, proxyDomain: string): string[] {
  const out: string[] = [];
  if (!isIP(hostname)) out.push(`${hostname}.`);
  if (port !== NO_PORT_SUFFIX) out.push(domainName(`${hostname}.`, port));
  if (proxyDomain.includes('.svc.')) {
    if (hostname.endsWith(removeSvcNamespace(proxyDomain)))
      out.push(...kubernetesAltHosts(hostname, port, proxyDomain));
    return out;
  }
  // Non-Kubernetes proxy domains: the part of the name not shared with the proxy's domain.
  const parts = hostname.split('.');
  const proxyParts = proxyDomain.split('.');
  let shared = 0;
  while (
    shared < Math.min(parts.length, proxyParts.length) &&
    parts[parts.length - 1 - shared] === proxyParts[proxyParts.length - 1 - shared]
  )
    shared++;
  if (shared === 0) return out;
  const unique = parts.slice(0, parts.length - shared);
  appendDomainPort(out, unique.join('.'), port);
  if (unique.length === 2) appendDomainPort(out, `${unique.join('.')}.${parts[parts.length - shared]}`, port);
  return out;
}

/**
 * `generateVirtualHostDomains(service, listenerPort, port, node)`: the domains, and the alternate host
 * names among them (dropped later when another service owns them as its FQDN).
 */
export function generateVirtualHostDomains(
  service: MeshService,
  listenerPort: number,
  port: number,
  proxy: { readonly dnsDomain: string; readonly dnsCapture: boolean },
): { domains: string[]; altHosts: string[] } {
  const p = listenerPort !== 0 ? NO_PORT_SUFFIX : port;
  const domains: string[] = [];
  const altHosts: string[] = [];
  const alt = generateAltVirtualHosts(service.hostname, p, proxy.dnsDomain);
  appendDomainPort(domains, service.hostname, p);
  domains.push(...alt);
  altHosts.push(...alt);
  if (service.resolution === 'Passthrough' && service.registry === 'Kubernetes') {
    for (const d of [...domains]) domains.push(`*.${d}`);
  }
  for (const addr of addressesForProxy(service, proxy)) {
    if (addr !== '' && addr !== UNSPECIFIED_IP) appendDomainPort(domains, addr, p);
  }
  return { domains, altHosts };
}
