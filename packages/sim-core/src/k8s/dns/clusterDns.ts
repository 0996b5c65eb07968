/**
 * Cluster DNS as a pod sees it: the stub resolver's search path and `ndots` (kubelet writes
 * `search <ns>.svc.<domain> svc.<domain> <domain>` and `options ndots:5` into every pod's resolv.conf) in
 * front of CoreDNS's `kubernetes` plugin (Services get A records — the ClusterIP, or the ready endpoint
 * addresses for a headless Service; `<hostname>.<service>.<ns>.svc.<domain>` for endpoints with a hostname;
 * ExternalName Services a CNAME; pods `a-b-c-d.<ns>.pod.<domain>`). Names outside the cluster domain go to
 * the upstream resolver, modelled as a caller-given table.
 */
import { endpointSlicesOf, findService } from '../cluster/lookup.js';
import type { Cluster } from '../cluster/types.js';
import { parseIPv4 } from '../net/ipv4.js';

/** One DNS answer. */
export interface DnsAnswer {
  /** The name the application asked for. */
  readonly query: string;
  /** `NOERROR` with addresses, or `NXDOMAIN` when no expansion of the name exists. */
  readonly rcode: 'NOERROR' | 'NXDOMAIN';
  /** The fully qualified name that answered (after search-path expansion), without the trailing dot. */
  readonly name?: string;
  /** CNAME chain followed, if any (ExternalName services, Istio's expanded-host CNAMEs). */
  readonly cname?: readonly string[];
  /** A records. */
  readonly addresses: readonly string[];
  /** Every fully qualified name queried, in order, as a resolver would send them. */
  readonly tried: readonly string[];
  /** Who answered: the cluster DNS server, the Istio agent's DNS proxy, or the upstream resolver. */
  readonly answeredBy?: 'kube-dns' | 'istio-dns-proxy' | 'upstream';
}

/** Upstream DNS outside the cluster: FQDN (no trailing dot) → addresses. */
export type ExternalDns = Readonly<Record<string, readonly string[]>>;

/** A record lookup for one fully qualified name (no trailing dot); `undefined` means NXDOMAIN. */
export type DnsServer = (
  fqdn: string,
) => { addresses: readonly string[]; cname?: readonly string[]; answeredBy: DnsAnswer['answeredBy'] } | undefined;

/** The search list of a pod in `namespace` (kubelet's `ClusterFirst` DNS policy). */
export function searchPath(namespace: string, domain: string): string[] {
  return [`${namespace}.svc.${domain}`, `svc.${domain}`, domain];
}

/**
 * The order a glibc/musl stub resolver tries names in: an absolute name (trailing dot) alone; a name with at
 * least `ndots` dots first as is, then with each search domain; a shorter one with each search domain first,
 * then as is.
 */
export function candidateNames(name: string, search: readonly string[], ndots = 5): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  const expanded = search.map((s) => `${name}.${s}`);
  return dots >= ndots ? [name, ...expanded] : [...expanded, name];
}

/** Runs the resolver's search sequence against `server`. */
export function resolveWith(server: DnsServer, name: string, search: readonly string[], ndots = 5): DnsAnswer {
  const query = name.toLowerCase();
  const tried: string[] = [];
  for (const candidate of candidateNames(query, search, ndots)) {
    tried.push(candidate);
    const hit = server(candidate);
    if (hit !== undefined) {
      return {
        query: name,
        rcode: 'NOERROR',
        name: candidate,
        ...(hit.cname !== undefined && hit.cname.length > 0 ? { cname: hit.cname } : {}),
        addresses: hit.addresses,
        tried,
        answeredBy: hit.answeredBy,
      };
    }
  }
  return { query: name, rcode: 'NXDOMAIN', addresses: [], tried };
}

/** CoreDNS's answer for one fully qualified name. */
export function kubeDnsServer(cluster: Cluster, external: ExternalDns = {}): DnsServer {
  const domain = cluster.domain;
  const server: DnsServer = (fqdn) => {
    if (fqdn !== domain && !fqdn.endsWith(`.${domain}`)) {
      const addrs = external[fqdn];
      return addrs !== undefined ? { addresses: addrs, answeredBy: 'upstream' } : undefined;
    }
    const labels = fqdn.slice(0, fqdn.length - domain.length - 1).split('.');
    // <svc>.<ns>.svc  or  <hostname>.<svc>.<ns>.svc
    if (labels.length === 3 && labels[2] === 'svc') return serviceRecord(labels[1] as string, labels[0] as string);
    if (labels.length === 4 && labels[3] === 'svc')
      return endpointRecord(labels[2] as string, labels[1] as string, labels[0] as string);
    // a-b-c-d.<ns>.pod
    if (labels.length === 3 && labels[2] === 'pod') {
      const ip = (labels[0] as string).replace(/-/g, '.');
      return parseIPv4(ip) !== undefined ? { addresses: [ip], answeredBy: 'kube-dns' } : undefined;
    }
    return undefined;
  };

  function serviceRecord(ns: string, name: string): ReturnType<DnsServer> {
    const svc = findService(cluster, ns, name);
    if (svc === undefined) return undefined;
    if (svc.type === 'ExternalName' && svc.externalName !== undefined) {
      const target = svc.externalName.replace(/\.$/, '');
      const hit = server(target);
      return { addresses: hit?.addresses ?? [], cname: [target, ...(hit?.cname ?? [])], answeredBy: 'kube-dns' };
    }
    if (svc.clusterIP !== 'None')
      return { addresses: svc.clusterIP === '' ? [] : [svc.clusterIP], answeredBy: 'kube-dns' };
    const addrs: string[] = [];
    for (const slice of endpointSlicesOf(cluster, ns, name)) {
      for (const ep of slice.endpoints) if (ep.conditions.ready) addrs.push(...ep.addresses);
    }
    // CoreDNS answers NOERROR with no records for a headless service without ready endpoints.
    return { addresses: [...new Set(addrs)], answeredBy: 'kube-dns' };
  }

  function endpointRecord(ns: string, service: string, hostname: string): ReturnType<DnsServer> {
    if (findService(cluster, ns, service) === undefined) return undefined;
    for (const slice of endpointSlicesOf(cluster, ns, service)) {
      for (const ep of slice.endpoints)
        if (ep.hostname === hostname && ep.conditions.ready) return { addresses: ep.addresses, answeredBy: 'kube-dns' };
    }
    return undefined;
  }

  return server;
}

/** Resolves `name` as a pod in `namespace` would through cluster DNS (no Istio DNS proxy). */
export function resolveClusterDns(
  cluster: Cluster,
  name: string,
  namespace: string,
  external: ExternalDns = {},
): DnsAnswer {
  return resolveWith(kubeDnsServer(cluster, external), name, searchPath(namespace, cluster.domain));
}
