/**
 * The istio-agent DNS proxy (`pkg/dns/client/dns.go`), listening on 127.0.0.1:15053 when DNS capture is on.
 * From the name table it answers the host (`fqdn.`), and for Kubernetes services the variants
 * `name.namespace.`, `name.namespace.svc.` and, in the proxy's own namespace, `name.` (`generateAltHosts`);
 * each is also stored with the first search domain appended as a CNAME to it (`buildDNSAnswers`), so the
 * resolver's first, search-expanded query (`nginx.example.com.istio-demo.svc.cluster.local`) is answered
 * at once. Wildcard hosts match any name below them (`lookupHost`). Anything else goes to the upstream
 * resolver (kube-dns).
 */
import {
  kubeDnsServer,
  resolveWith,
  searchPath,
  type DnsAnswer,
  type DnsServer,
  type ExternalDns,
} from '../../../k8s/dns/clusterDns.js';
import type { Cluster } from '../../../k8s/cluster/types.js';
import type { NameTable } from './nameTable.js';

interface Entry {
  readonly ips: readonly string[];
  /** For a search-expanded name: the real host it is a CNAME of. */
  readonly cname?: string;
}

/** The agent's lookup table for a proxy in `namespace`. */
export function buildLookupTable(table: NameTable, namespace: string, domain: string): ReadonlyMap<string, Entry> {
  const out = new Map<string, Entry>();
  const firstSearch = `${namespace}.svc.${domain}`;
  for (const [host, info] of table) {
    const alts = new Set<string>([host]);
    if (
      info.registry === 'Kubernetes' &&
      host.endsWith(domain) &&
      info.shortname !== undefined &&
      info.namespace !== undefined
    ) {
      alts.add(`${info.shortname}.${info.namespace}`);
      if (namespace === info.namespace) alts.add(info.shortname);
      alts.add(`${info.shortname}.${info.namespace}.svc`);
    }
    for (const alt of alts) {
      out.set(alt, { ips: info.ips });
      if (!alt.endsWith(firstSearch)) {
        const expanded = `${alt}.${firstSearch}`;
        if (!alts.has(expanded) && !out.has(expanded)) out.set(expanded, { ips: info.ips, cname: alt });
      }
    }
  }
  return out;
}

/** A DNS server that is the agent's proxy in front of `upstream`. */
export function dnsProxyServer(lookup: ReadonlyMap<string, Entry>, upstream: DnsServer): DnsServer {
  return (fqdn) => {
    let hit = lookup.get(fqdn);
    if (hit === undefined) {
      const labels = fqdn.split('.');
      for (let i = 1; i < labels.length && hit === undefined; i++) hit = lookup.get(`*.${labels.slice(i).join('.')}`);
    }
    if (hit !== undefined)
      return {
        addresses: hit.ips,
        ...(hit.cname !== undefined ? { cname: [hit.cname] } : {}),
        answeredBy: 'istio-dns-proxy',
      };
    return upstream(fqdn);
  };
}

/** Resolves `name` as a workload behind a proxy with DNS capture would: agent first, kube-dns behind it. */
export function resolveWithDnsProxy(
  table: NameTable,
  cluster: Cluster,
  namespace: string,
  name: string,
  external: ExternalDns = {},
): DnsAnswer {
  const server = dnsProxyServer(buildLookupTable(table, namespace, cluster.domain), kubeDnsServer(cluster, external));
  return resolveWith(server, name, searchPath(namespace, cluster.domain));
}
