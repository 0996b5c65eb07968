/**
 * Builds the {@link ServiceRegistry} (Kubernetes + ServiceEntry registries, as istiod aggregates them) and
 * answers the questions the rest of meshsim asks of it: which services a namespace can see
 * (`exportTo`), which service a host name means from a namespace, and the endpoints of a service port.
 */
import type { Cluster } from '../../../k8s/cluster/types.js';
import { compareStrings } from '../../../k8s/json.js';
import { labelsMatch, type Labels } from '../../../k8s/labels.js';
import type { IstioConfig } from '../config.js';
import { hostMatches } from '../host.js';
import type { MeshConfig } from '../meshConfig.js';
import { visibleFrom } from '../visibility.js';
import { convertService, kubernetesEndpoints } from './kubernetesServices.js';
import { convertServiceEntry, serviceEntryEndpoints } from './serviceEntries.js';
import type { MeshEndpoint, MeshService, ServiceRegistry } from './types.js';
import type { AllocatedAddresses } from './vipAllocation.js';

/** Builds the registry. */
export function buildRegistry(
  cluster: Cluster,
  istio: IstioConfig,
  mesh: MeshConfig,
  allocated: ReadonlyMap<string, AllocatedAddresses>,
): ServiceRegistry {
  const services: MeshService[] = [];
  const endpoints: MeshEndpoint[] = [];
  for (const svc of cluster.services) {
    const service = convertService(svc, cluster.domain, mesh);
    services.push(service);
    endpoints.push(...kubernetesEndpoints(cluster, svc, service, istio.workloadEntries, mesh));
  }
  for (const se of istio.serviceEntries) {
    const seServices = convertServiceEntry(se, mesh, allocated);
    services.push(...seServices);
    endpoints.push(...serviceEntryEndpoints(se, seServices, cluster, istio.workloadEntries, mesh));
  }
  services.sort(
    (a, b) =>
      compareStrings(a.hostname, b.hostname) ||
      compareStrings(a.namespace, b.namespace) ||
      compareStrings(a.kind, b.kind),
  );
  endpoints.sort(
    (a, b) =>
      compareStrings(a.hostname, b.hostname) ||
      compareStrings(a.serviceNamespace, b.serviceNamespace) ||
      a.servicePort - b.servicePort ||
      compareStrings(a.address, b.address) ||
      a.endpointPort - b.endpointPort,
  );
  return { services, endpoints };
}

/** Services visible from `namespace` (their `exportTo` includes it). */
export function servicesVisibleFrom(registry: ServiceRegistry, namespace: string): MeshService[] {
  return registry.services.filter((s) => visibleFrom(s.exportTo, namespace));
}

/**
 * The service `hostname` means from `namespace`: among visible services with that exact host, the one in the
 * same namespace first (istiod's `HostnameAndNamespace` lookup), then the Kubernetes one, then the oldest.
 * With `namespace` undefined, visibility is ignored.
 */
export function findServiceByHost(
  registry: ServiceRegistry,
  hostname: string,
  namespace?: string,
): MeshService | undefined {
  const candidates = registry.services.filter(
    (s) => s.hostname === hostname && (namespace === undefined || visibleFrom(s.exportTo, namespace)),
  );
  if (candidates.length <= 1) return candidates[0];
  return [...candidates].sort(
    (a, b) =>
      Number(b.namespace === namespace) - Number(a.namespace === namespace) ||
      Number(b.registry === 'Kubernetes') - Number(a.registry === 'Kubernetes') ||
      compareStrings(a.creationTimestamp ?? '', b.creationTimestamp ?? '') ||
      compareStrings(a.namespace, b.namespace),
  )[0];
}

/** Visible services whose host matches `host` (which may be a wildcard, e.g. a VirtualService host `*.example.com`). */
export function servicesMatchingHost(registry: ServiceRegistry, host: string, namespace?: string): MeshService[] {
  return registry.services.filter(
    (s) => hostMatches(host, s.hostname) && (namespace === undefined || visibleFrom(s.exportTo, namespace)),
  );
}

/** Endpoints of `service` on service port `port` (all ports when omitted), optionally filtered by subset labels. */
export function endpointsOf(
  registry: ServiceRegistry,
  service: Pick<MeshService, 'hostname' | 'namespace'>,
  port?: number,
  subsetLabels?: Labels,
): MeshEndpoint[] {
  return registry.endpoints.filter(
    (e) =>
      e.hostname === service.hostname &&
      e.serviceNamespace === service.namespace &&
      (port === undefined || e.servicePort === port) &&
      (subsetLabels === undefined || labelsMatch(subsetLabels, e.labels)),
  );
}
