/**
 * The DNS name table istiod sends to a proxy's agent (`pkg/dns/server/name_table.go` `BuildNameTable`): for
 * every service the proxy can see, its addresses for that proxy (`GetAllAddressesForProxy`: the ClusterIP or
 * ServiceEntry addresses; the auto-allocated VIP only when the proxy has DNS capture on and the service has no
 * address of its own); for a headless service with `Passthrough` resolution, the healthy endpoints of its first
 * port, plus `<hostname>.<subdomain>.<ns>.svc.<domain>` names for StatefulSet pods. A service without any
 * usable address is left out (the agent forwards such names upstream). When several services share a host,
 * the Kubernetes one wins and ServiceEntries' addresses are merged.
 */
import type { MeshProxy } from '../proxy.js';
import { endpointsOf, servicesVisibleFrom } from '../registry/buildRegistry.js';
import type { MeshService, ServiceRegistry } from '../registry/types.js';
import { isIPv4 } from '../../../k8s/net/ipv4.js';
import type { Cluster } from '../../../k8s/cluster/types.js';

/** One entry of the name table. */
export interface NameInfo {
  readonly ips: readonly string[];
  readonly registry: 'Kubernetes' | 'External';
  /** For Kubernetes services: the short name and namespace the agent expands (`name`, `name.ns`, `name.ns.svc`). */
  readonly shortname?: string;
  readonly namespace?: string;
}

/** Host → entry. */
export type NameTable = ReadonlyMap<string, NameInfo>;

/** The addresses `service` has for `proxy` (`GetAllAddressesForProxy`, IPv4 proxies). */
export function addressesForProxy(service: MeshService, proxy: Pick<MeshProxy, 'dnsCapture'>): string[] {
  if (service.addresses.length > 0) return [...service.addresses];
  if (proxy.dnsCapture && service.autoAllocatedIPv4Address !== undefined) return [service.autoAllocatedIPv4Address];
  return service.defaultAddress !== '' ? [service.defaultAddress] : [];
}

/** `BuildNameTable` for `proxy`. */
export function buildNameTable(
  registry: ServiceRegistry,
  cluster: Cluster,
  proxy: Pick<MeshProxy, 'namespace' | 'dnsCapture'>,
): NameTable {
  const table = new Map<string, NameInfo>();
  for (const svc of servicesVisibleFrom(registry, proxy.namespace)) {
    const addrs = addressesForProxy(svc, proxy);
    let headless = false;
    const list: string[] = [];
    for (const a of addrs) {
      if (a === '0.0.0.0') {
        headless = true;
        break;
      }
      if (isIPv4(a)) list.push(a);
    }
    if (headless && svc.resolution === 'Passthrough' && svc.ports.length > 0) {
      const first = svc.ports[0]?.port;
      for (const ep of endpointsOf(registry, svc, first)) {
        if (!isIPv4(ep.address) || (!svc.publishNotReadyAddresses && ep.healthStatus !== 'Healthy')) continue;
        const pod =
          ep.workload.kind === 'Pod'
            ? cluster.pods.find((p) => p.name === ep.workload.name && p.namespace === ep.workload.namespace)
            : undefined;
        if (pod?.hostname !== undefined && pod.subdomain !== undefined) {
          const [, ...rest] = svc.hostname.split('.');
          const host = `${pod.hostname}.${pod.subdomain}.${rest.slice(1).join('.')}`;
          const prev = table.get(host);
          table.set(host, {
            ips: [...(prev?.ips ?? []), ep.address],
            registry: svc.registry,
            namespace: svc.namespace,
            shortname: `${pod.hostname}.${pod.subdomain}`,
          });
        }
        list.push(ep.address);
      }
    }
    if (list.length === 0) continue;
    const prev = table.get(svc.hostname);
    const kube = svc.registry === 'Kubernetes';
    const info: NameInfo = kube
      ? { ips: list, registry: 'Kubernetes', shortname: svc.name, namespace: svc.namespace }
      : { ips: list, registry: 'External' };
    if (prev === undefined) table.set(svc.hostname, info);
    else if (prev.registry !== 'Kubernetes')
      table.set(svc.hostname, kube ? info : { ...prev, ips: [...prev.ips, ...list] });
  }
  return table;
}
