/**
 * The proxy as istiod's config generator sees it (`model.Proxy`): node id, type, config namespace, labels,
 * address, DNS domain (`<ns>.svc.<domain>`), interception mode, locality and its service targets —
 * the service ports that select the workload, with the port traffic arrives on
 * (`ServiceTargetsForProxy` / the registries' `GetProxyServiceTargets`).
 */
import type { Labels } from '../../k8s/labels.js';
import type { MeshProxy } from '../model/proxy.js';
import { augmentLabels } from '../model/registry/kubernetesServices.js';
import type { MeshService, MeshServicePort } from '../model/registry/types.js';
import type { PushContext } from './pushContext.js';

/** `model.ServiceTarget`: a service port the proxy's workload serves, and the port it listens on. */
export interface ServiceTarget {
  readonly service: MeshService;
  readonly port: MeshServicePort;
  /** The workload port (`ServiceInstancePort.TargetPort`). */
  readonly targetPort: number;
}

/** What the translation reads about a proxy. */
export interface ProxyNode {
  /** Envoy node id: `sidecar~10.244.0.7~toolbox-5d9f….canary~canary.svc.cluster.local`. */
  readonly id: string;
  readonly type: 'sidecar' | 'router';
  readonly name: string;
  /** `ConfigNamespace`. */
  readonly namespace: string;
  /**
   * The workload's labels as istiod sees them (`GetProxyWorkloadLabels`): a pod's labels with the topology
   * labels `AugmentLabels` adds (cluster, region, zone, subzone, node); a VM's as it reports them.
   */
  readonly labels: Labels;
  readonly ip: string;
  /** `<namespace>.svc.<cluster domain>`. */
  readonly dnsDomain: string;
  readonly interceptionMode: 'REDIRECT' | 'TPROXY' | 'NONE';
  readonly locality: { readonly region: string; readonly zone: string; readonly subZone: string };
  readonly serviceTargets: readonly ServiceTarget[];
  /** The agent's DNS proxy answers the workload (ServiceEntry VIPs auto-allocated by Istio apply). */
  readonly dnsCapture: boolean;
  readonly source: MeshProxy;
}

/** The {@link ProxyNode} of a model proxy. */
export function proxyNode(ps: PushContext, proxy: MeshProxy): ProxyNode {
  const domain = ps.domain;
  const [region = '', zone = '', subZone = ''] = proxy.locality.split('/');
  const targets: ServiceTarget[] = [];
  const seen = new Set<string>();
  const ordered = [...ps.services].sort(
    (a, b) => Number(b.registry === 'Kubernetes') - Number(a.registry === 'Kubernetes'),
  );
  for (const service of ordered) {
    for (const port of service.ports) {
      for (const ep of ps.endpointsByPort(service, port.port)) {
        if (
          ep.address !== proxy.ip ||
          ep.workload.name !== workloadName(proxy) ||
          ep.workload.namespace !== proxy.namespace
        )
          continue;
        const key = `${service.namespace}/${service.hostname}/${port.port}`;
        if (seen.has(key)) continue;
        seen.add(key);
        targets.push({ service, port, targetPort: ep.endpointPort });
      }
    }
  }
  return {
    id: `${proxy.type}~${proxy.ip}~${proxy.name}.${proxy.namespace}~${proxy.namespace}.svc.${domain}`,
    type: proxy.type,
    name: proxy.name,
    namespace: proxy.namespace,
    labels: workloadLabels(ps, proxy),
    ip: proxy.ip,
    dnsDomain: `${proxy.namespace}.svc.${domain}`,
    interceptionMode: proxy.interceptionMode,
    locality: { region, zone, subZone },
    serviceTargets: targets,
    dnsCapture: proxy.dnsCapture,
    source: proxy,
  };
}

// Pods are endpoints under their own name; VMs under their WorkloadEntry.
function workloadName(proxy: MeshProxy): string {
  return proxy.kind === 'Pod' ? proxy.name : (proxy.workloadEntry ?? proxy.name);
}

/** `GetProxyWorkloadLabels` (pilot/pkg/serviceregistry/kube/controller/controller.go): augmented pod labels. */
function workloadLabels(ps: PushContext, proxy: MeshProxy): Labels {
  if (proxy.kind !== 'Pod') return proxy.labels;
  const pod = ps.model.cluster.pods.find((p) => p.name === proxy.name && p.namespace === proxy.namespace);
  return pod === undefined ? proxy.labels : augmentLabels(proxy.labels, pod.locality, pod.nodeName, '');
}
