/**
 * kube-proxy's view of the cluster model: every Service port with a ClusterIP and its endpoints from the
 * EndpointSlices, as pkg/proxy's ServiceChangeTracker and EndpointSliceCache build them (headless and
 * ExternalName Services are skipped; an endpoint port is matched to the Service port by name).
 */
import type { Cluster } from '../../k8s/cluster/types.js';
import type { KubeProxyEndpoint, KubeProxyServicePort } from './proxier.js';

/** The Service ports kube-proxy programs for `cluster`. */
export function kubeProxyServicePorts(cluster: Pick<Cluster, 'services' | 'endpointSlices'>): KubeProxyServicePort[] {
  const out: KubeProxyServicePort[] = [];
  for (const svc of cluster.services) {
    if (svc.type === 'ExternalName' || svc.clusterIP === '' || svc.clusterIP === 'None') continue;
    const slices = cluster.endpointSlices.filter((s) => s.namespace === svc.namespace && s.serviceName === svc.name);
    for (const port of svc.ports) {
      const endpoints: KubeProxyEndpoint[] = [];
      for (const slice of slices) {
        const p = slice.ports.find((sp) => (sp.name ?? '') === (port.name ?? '') && sp.protocol === port.protocol);
        if (p === undefined) continue;
        for (const e of slice.endpoints) {
          for (const ip of e.addresses) {
            endpoints.push({
              ip,
              port: p.port,
              ready: e.conditions.ready,
              serving: e.conditions.serving,
              terminating: e.conditions.terminating,
            });
          }
        }
      }
      out.push({
        namespace: svc.namespace,
        name: svc.name,
        portName: port.name ?? '',
        protocol: port.protocol,
        clusterIP: svc.clusterIP,
        port: port.port,
        ...(port.nodePort !== undefined && svc.type !== 'ClusterIP' ? { nodePort: port.nodePort } : {}),
        endpoints,
      });
    }
  }
  return out;
}
