/**
 * ServiceEntries as Istio's ServiceEntry registry converts them (`pilot/pkg/serviceregistry/serviceentry/
 * conversion.go`): one service per host (`convertServices`), resolution from `resolution` (`NONE` →
 * Passthrough, the proto default), `location` (`MESH_EXTERNAL` by default), port protocols from
 * `protocol.Parse`; endpoints from `endpoints` (`convertEndpoint`: port = the endpoint's `ports[name]`, else
 * `targetPort`, else the port number; TLS mode `istio` when the endpoint has a service account), from the
 * host itself for DNS resolution without endpoints or selector, and from the pods and WorkloadEntries of the
 * ServiceEntry's namespace that its `workloadSelector` matches (`convertWorkloadInstanceToServiceInstance`).
 */
import type { Cluster } from '../../../k8s/cluster/types.js';
import { asNumber, asRecord, asStrings } from '../../../k8s/json.js';
import { labelsMatch, readLabels } from '../../../k8s/labels.js';
import type { KubeObject } from '../../../k8s/object.js';
import type { IstioObject, ServiceEntrySpec, WorkloadEntrySpec } from '../config.js';
import { spiffeId } from '../host.js';
import type { MeshConfig } from '../meshConfig.js';
import { parseProtocol } from '../protocol.js';
import { resolveExportTo } from '../visibility.js';
import { augmentLabels, localityString, workloadEntryEndpoint } from './kubernetesServices.js';
import type { MeshEndpoint, MeshService, Resolution } from './types.js';
import { allocationKey, type AllocatedAddresses } from './vipAllocation.js';

const RESOLUTION: Readonly<Record<string, Resolution>> = {
  NONE: 'Passthrough',
  STATIC: 'ClientSideLB',
  DNS: 'DNSLB',
  DNS_ROUND_ROBIN: 'DNSRoundRobinLB',
  DYNAMIC_DNS: 'DynamicDNS',
};

/** `convertServices`: the services of one ServiceEntry. */
export function convertServiceEntry(
  se: IstioObject<ServiceEntrySpec>,
  mesh: MeshConfig,
  allocated: ReadonlyMap<string, AllocatedAddresses>,
): MeshService[] {
  const spec = se.spec;
  const namespace = se.metadata.namespace ?? 'default';
  const addresses = asStrings(spec.addresses).map((a) => (a.endsWith('/32') ? a.slice(0, -3) : a));
  const selector = spec.workloadSelector?.labels !== undefined ? readLabels(spec.workloadSelector.labels) : undefined;
  return asStrings(spec.hosts).map((host): MeshService => {
    const auto = addresses.length === 0 ? allocated.get(allocationKey(se, host)) : undefined;
    return {
      hostname: host,
      namespace,
      name: se.metadata.name,
      registry: 'External',
      defaultAddress: addresses[0] ?? '0.0.0.0',
      addresses,
      ...(auto?.v4 !== undefined ? { autoAllocatedIPv4Address: auto.v4 } : {}),
      ...(auto?.v6 !== undefined ? { autoAllocatedIPv6Address: auto.v6 } : {}),
      ports: (spec.ports ?? []).map((p) => ({
        name: p.name ?? '',
        port: p.number,
        protocol: parseProtocol(p.protocol ?? ''),
        ...(p.targetPort !== undefined && p.targetPort > 0 ? { targetPort: p.targetPort } : {}),
      })),
      resolution: RESOLUTION[spec.resolution ?? 'NONE'] ?? 'Passthrough',
      meshExternal: (spec.location ?? 'MESH_EXTERNAL') === 'MESH_EXTERNAL',
      exportTo: resolveExportTo(spec.exportTo, namespace, mesh.defaultServiceExportTo),
      ...(selector !== undefined ? { labelSelector: selector } : {}),
      serviceAccounts: asStrings(spec.subjectAltNames),
      ...(se.metadata.creationTimestamp !== undefined ? { creationTimestamp: se.metadata.creationTimestamp } : {}),
      publishNotReadyAddresses: false,
      kind: 'ServiceEntry',
      source: se.source,
    };
  });
}

/** The endpoints of the services of one ServiceEntry. */
export function serviceEntryEndpoints(
  se: IstioObject<ServiceEntrySpec>,
  services: readonly MeshService[],
  cluster: Cluster,
  workloadEntries: readonly IstioObject<WorkloadEntrySpec>[],
  mesh: MeshConfig,
): MeshEndpoint[] {
  const spec = se.spec;
  const namespace = se.metadata.namespace ?? 'default';
  const ports = spec.ports ?? [];
  const out: MeshEndpoint[] = [];
  const dns = spec.resolution === 'DNS' || spec.resolution === 'DNS_ROUND_ROBIN';
  const selector = spec.workloadSelector?.labels !== undefined ? readLabels(spec.workloadSelector.labels) : undefined;
  const staticEndpoints = spec.endpoints ?? [];
  for (const service of services) {
    for (const p of ports) {
      const portName = p.name ?? '';
      const fallback = p.targetPort !== undefined && p.targetPort > 0 ? p.targetPort : p.number;
      if (staticEndpoints.length === 0 && selector === undefined && dns) {
        // The host itself, resolved by Envoy (STRICT_DNS / LOGICAL_DNS cluster).
        out.push({
          hostname: service.hostname,
          serviceNamespace: namespace,
          servicePortName: portName,
          servicePort: p.number,
          address: service.hostname,
          endpointPort: fallback,
          labels: {},
          serviceAccount: '',
          tlsMode: 'disabled',
          locality: '',
          healthStatus: 'Healthy',
          network: '',
          workload: { kind: 'ServiceEntry', name: se.metadata.name, namespace },
        });
        continue;
      }
      for (const ep of staticEndpoints) {
        const asWe = { metadata: { name: se.metadata.name, namespace }, spec: ep } as unknown as KubeObject;
        const port = asNumber(asRecord(ep.ports)?.[portName]) ?? fallback;
        out.push({
          ...workloadEntryEndpoint(asWe, service, portName, p.number, port, mesh),
          workload: { kind: 'ServiceEntry', name: se.metadata.name, namespace },
        });
      }
      if (selector === undefined) continue;
      for (const pod of cluster.pods) {
        if (pod.namespace !== namespace || pod.podIP === '' || !labelsMatch(selector, pod.labels)) continue;
        const named = pod.containers.flatMap((c) => c.ports).find((cp) => cp.name === portName && portName !== '');
        out.push({
          hostname: service.hostname,
          serviceNamespace: namespace,
          servicePortName: portName,
          servicePort: p.number,
          address: pod.podIP,
          endpointPort: named?.containerPort ?? fallback,
          labels: augmentLabels(pod.labels, pod.locality, pod.nodeName, ''),
          serviceAccount: spiffeId(mesh.trustDomain, pod.namespace, pod.serviceAccountName),
          tlsMode: pod.labels['security.istio.io/tlsMode'] === 'istio' ? 'istio' : 'disabled',
          locality: localityString(pod.locality),
          healthStatus: pod.ready ? 'Healthy' : 'UnHealthy',
          network: '',
          workload: { kind: 'Pod', name: pod.name, namespace: pod.namespace },
        });
      }
      for (const we of workloadEntries) {
        if (we.metadata.namespace !== namespace || !labelsMatch(selector, readLabels(we.spec.labels))) continue;
        const port = asNumber(asRecord(we.spec.ports)?.[portName]) ?? fallback;
        out.push(workloadEntryEndpoint(we, service, portName, p.number, port, mesh));
      }
    }
  }
  return out;
}
