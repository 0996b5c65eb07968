/**
 * Kubernetes Services and their endpoints as Istio's Kubernetes registry converts them
 * (`pilot/pkg/serviceregistry/kube/conversion.go` `ConvertService`; endpoints from EndpointSlices,
 * `endpointslice.go` / `endpointHealthStatus`): hostname `<name>.<ns>.svc.<domain>`, the ClusterIP as default
 * address (`0.0.0.0` when headless, which makes resolution `Passthrough`), `ExternalName` as `Alias`, ports
 * with protocols from `ConvertProtocol`, visibility from `networking.istio.io/exportTo`. Endpoints carry the
 * pod's labels (plus topology labels), service account, TLS mode (`security.istio.io/tlsMode`, set by
 * injection) and health (`Ready` → Healthy, terminating → Terminating, else UnHealthy). Services also select
 * WorkloadEntries of their namespace (`WorkloadInstanceHandler`).
 */
import { endpointSlicesOf, findPod } from '../../../k8s/cluster/lookup.js';
import type { Cluster, Service } from '../../../k8s/cluster/types.js';
import { asNumber, asRecord, asString } from '../../../k8s/json.js';
import { labelsMatch, readLabels, type Labels } from '../../../k8s/labels.js';
import { isIPv4 } from '../../../k8s/net/ipv4.js';
import type { KubeObject } from '../../../k8s/object.js';
import type { IstioObject, WorkloadEntrySpec } from '../config.js';
import { serviceHostname, spiffeId } from '../host.js';
import type { MeshConfig } from '../meshConfig.js';
import { convertKubeProtocol } from '../protocol.js';
import { exportToAnnotation, resolveExportTo } from '../visibility.js';
import { workloadEntryHealthy } from './autoRegistration.js';
import type { MeshEndpoint, MeshService } from './types.js';

/** `label.AugmentLabels`: the topology labels Istio adds to every endpoint's labels. */
export function augmentLabels(
  labels: Labels,
  locality: { region: string; zone: string; subzone: string },
  nodeName: string,
  network: string,
): Labels {
  const out: Record<string, string> = { ...labels, 'topology.istio.io/cluster': 'Kubernetes' };
  if (locality.region !== '') out['topology.kubernetes.io/region'] = locality.region;
  if (locality.zone !== '') out['topology.kubernetes.io/zone'] = locality.zone;
  if (locality.subzone !== '') out['topology.istio.io/subzone'] = locality.subzone;
  if (nodeName !== '') out['kubernetes.io/hostname'] = nodeName;
  if (network !== '') out['topology.istio.io/network'] = network;
  return out;
}

/** `region/zone/subzone` (trailing empty parts dropped, as Istio's locality strings). */
export function localityString(l: { region: string; zone: string; subzone: string }): string {
  return [l.region, l.zone, l.subzone].join('/').replace(/\/+$/, '');
}

/** `ConvertService`. */
export function convertService(svc: Service, domain: string, mesh: MeshConfig): MeshService {
  const headless = svc.clusterIP === 'None';
  const externalName = svc.type === 'ExternalName' ? svc.externalName : undefined;
  const addr = !headless && svc.clusterIP !== '' ? svc.clusterIP : '0.0.0.0';
  const serviceAccounts = [
    ...(svc.annotations['alpha.istio.io/canonical-serviceaccounts'] ?? '').split(',').filter((s) => s !== ''),
    ...(svc.annotations['alpha.istio.io/kubernetes-serviceaccounts'] ?? '')
      .split(',')
      .filter((s) => s !== '')
      .map((sa) => spiffeId(mesh.trustDomain, svc.namespace, sa)),
  ];
  return {
    hostname: serviceHostname(svc.name, svc.namespace, domain),
    namespace: svc.namespace,
    name: svc.name,
    registry: 'Kubernetes',
    defaultAddress: addr,
    addresses: addr === '0.0.0.0' ? [] : [addr],
    ports: svc.ports.map((p) => ({
      name: p.name ?? '',
      port: p.port,
      protocol: convertKubeProtocol(p.port, p.name, p.protocol, p.appProtocol),
      targetPort: p.targetPort,
    })),
    resolution: externalName !== undefined && externalName !== '' ? 'Alias' : headless ? 'Passthrough' : 'ClientSideLB',
    meshExternal: externalName !== undefined && externalName !== '',
    exportTo: resolveExportTo(exportToAnnotation(svc.annotations), svc.namespace, mesh.defaultServiceExportTo),
    ...(svc.selector !== undefined ? { labelSelector: svc.selector } : {}),
    serviceAccounts,
    ...(svc.creationTimestamp !== undefined ? { creationTimestamp: svc.creationTimestamp } : {}),
    kubernetesType: svc.type,
    ...(externalName !== undefined ? { externalName } : {}),
    publishNotReadyAddresses: svc.publishNotReadyAddresses,
    kind: 'Service',
    source: svc.source,
  };
}

/** Endpoints of a Kubernetes Service: its EndpointSlices, plus WorkloadEntries its selector matches. */
export function kubernetesEndpoints(
  cluster: Cluster,
  svc: Service,
  service: MeshService,
  workloadEntries: readonly IstioObject<WorkloadEntrySpec>[],
  mesh: MeshConfig,
): MeshEndpoint[] {
  const out: MeshEndpoint[] = [];
  for (const slice of endpointSlicesOf(cluster, svc.namespace, svc.name)) {
    for (const sp of service.ports) {
      const port = slice.ports.find((p) => (p.name ?? '') === sp.name);
      if (port === undefined) continue;
      for (const ep of slice.endpoints) {
        const pod =
          ep.targetRef?.kind === 'Pod' ? findPod(cluster, ep.targetRef.namespace, ep.targetRef.name) : undefined;
        const health = ep.conditions.ready ? 'Healthy' : ep.conditions.terminating ? 'Terminating' : 'UnHealthy';
        for (const address of ep.addresses) {
          out.push({
            hostname: service.hostname,
            serviceNamespace: svc.namespace,
            servicePortName: sp.name,
            servicePort: sp.port,
            address,
            endpointPort: port.port,
            labels: pod
              ? augmentLabels(pod.labels, pod.locality, pod.nodeName, '')
              : augmentLabels({}, { region: '', zone: ep.zone ?? '', subzone: '' }, ep.nodeName ?? '', ''),
            serviceAccount: pod ? spiffeId(mesh.trustDomain, pod.namespace, pod.serviceAccountName) : '',
            tlsMode: pod?.labels['security.istio.io/tlsMode'] === 'istio' ? 'istio' : 'disabled',
            locality: pod ? localityString(pod.locality) : '',
            healthStatus: health,
            network: '',
            workload: pod
              ? { kind: 'Pod', name: pod.name, namespace: pod.namespace }
              : { kind: 'Pod', name: address, namespace: svc.namespace },
          });
        }
      }
    }
  }
  if (svc.selector !== undefined) {
    for (const we of workloadEntries) {
      if (we.metadata.namespace !== svc.namespace) continue;
      const spec = we.spec;
      const labels = readLabels(spec.labels);
      if (!labelsMatch(svc.selector, labels) || !isIPv4(spec.address ?? '')) continue;
      for (const sp of service.ports) {
        const wePort = asNumber(asRecord(spec.ports)?.[sp.name]);
        const port = wePort ?? (typeof sp.targetPort === 'number' ? sp.targetPort : sp.port);
        out.push(workloadEntryEndpoint(we, service, sp.name, sp.port, port, mesh));
      }
    }
  }
  return out;
}

/** An endpoint for a WorkloadEntry (`convertWorkloadEntryToWorkloadInstance`). */
export function workloadEntryEndpoint(
  we: IstioObject<WorkloadEntrySpec> | KubeObject,
  service: MeshService,
  portName: string,
  servicePort: number,
  endpointPort: number,
  mesh: MeshConfig,
): MeshEndpoint {
  const spec = asRecord(we.spec) ?? {};
  const labels = readLabels(spec['labels']);
  const sa = asString(spec['serviceAccount']) ?? '';
  const namespace = we.metadata.namespace ?? 'default';
  const network = asString(spec['network']) ?? '';
  const locality = asString(spec['locality']) ?? labels['istio-locality']?.replace(/\./g, '/') ?? '';
  const [region = '', zone = '', subzone = ''] = locality.split('/');
  const weight = asNumber(spec['weight']);
  return {
    hostname: service.hostname,
    serviceNamespace: service.namespace,
    servicePortName: portName,
    servicePort,
    address: asString(spec['address']) ?? '',
    endpointPort,
    labels: augmentLabels(labels, { region, zone, subzone }, '', network),
    serviceAccount: sa !== '' ? spiffeId(mesh.trustDomain, namespace, sa) : '',
    // getTLSModeFromWorkloadEntry: the label, else `istio` when a service account is set.
    tlsMode:
      (labels['security.istio.io/tlsMode'] ?? (sa !== '' ? 'istio' : 'disabled')) === 'istio' ? 'istio' : 'disabled',
    locality,
    healthStatus: workloadEntryHealthy(we) ? 'Healthy' : 'UnHealthy',
    ...(weight !== undefined && weight > 0 ? { weight } : {}),
    network,
    workload: { kind: 'WorkloadEntry', name: we.metadata.name, namespace },
  };
}
