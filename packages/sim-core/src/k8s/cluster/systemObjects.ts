/**
 * What every Kubernetes cluster has before anyone applies anything: the `default`, `kube-system`,
 * `kube-public` and `kube-node-lease` namespaces, the `default/kubernetes` Service (the apiserver, 443 →
 * 6443) and CoreDNS behind `kube-system/kube-dns` (ClusterIP `.10` of the service CIDR, ports 53/UDP, 53/TCP,
 * 9153), as `kubeadm`/`kind` install them. Istio's registry lists them too (`istioctl proxy-config cluster`
 * shows `outbound|53||kube-dns.kube-system.svc.cluster.local`).
 */
import { formatIPv4, cidrAddress, type Cidr } from '../net/ipv4.js';
import type { KubeObject, ObjectSource } from '../object.js';

/** The file label of objects meshsim adds for the cluster itself. */
export const KUBERNETES_SOURCE_FILE = '<kubernetes>';

/** A source for objects meshsim synthesises (no file, no line). */
export function syntheticSource(file: string): ObjectSource {
  return { file, line: 0, document: 0, lineOf: () => 0 };
}

/** Namespaces that always exist. */
export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'] as const;

/** The cluster's own objects: `kubernetes` and `kube-dns` Services, CoreDNS, and the apiserver endpoints. */
export function systemObjects(serviceCIDR: Cidr, apiserverIP: string): KubeObject[] {
  const source = syntheticSource(KUBERNETES_SOURCE_FILE);
  const obj = (o: Omit<KubeObject, 'source'>): KubeObject => ({ ...o, source });
  return [
    obj({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        clusterIP: formatIPv4(cidrAddress(serviceCIDR, 1)),
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      },
    }),
    obj({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      ...({
        addressType: 'IPv4',
        ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
        endpoints: [{ addresses: [apiserverIP], conditions: { ready: true } }],
      } as object),
    } as Omit<KubeObject, 'source'>),
    obj({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kube-dns',
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' },
      },
      spec: {
        clusterIP: formatIPv4(cidrAddress(serviceCIDR, 10)),
        selector: { 'k8s-app': 'kube-dns' },
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
      },
    }),
    obj({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        template: {
          metadata: { labels: { 'k8s-app': 'kube-dns' } },
          spec: {
            serviceAccountName: 'coredns',
            containers: [
              {
                name: 'coredns',
                image: 'registry.k8s.io/coredns/coredns:v1.11.3',
                args: ['-conf', '/etc/coredns/Corefile'],
                ports: [
                  { containerPort: 53, name: 'dns', protocol: 'UDP' },
                  { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                  { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
                ],
              },
            ],
          },
        },
      },
    }),
  ];
}
