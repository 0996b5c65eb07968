/**
 * The Istio installation meshsim assumes when the manifests bring none: what `istioctl install` (default
 * profile, Istio 1.29) creates in `istio-system` — istiod (Deployment + Service: 15010 grpc-xds, 15012
 * https-dns, 443→15017 https-webhook, 15014 http-monitoring; `manifests/charts/istio-control/istio-discovery`)
 * and the ingress gateway (`manifests/charts/gateways/istio-ingress`: labels `app: istio-ingressgateway`,
 * `istio: ingressgateway`; a LoadBalancer Service with 15021 status-port, 80→8080 http2, 443→8443 https; a
 * pre-rendered pod running `pilot-agent proxy router`, opted out of injection).
 *
 * Each part is added only when the manifests do not define it (the istiod Deployment/Service, the
 * `istio-ingressgateway` Deployment/Service in the Istio namespace), so a dump of a real installation wins.
 */
import { syntheticSource } from '../../../k8s/cluster/systemObjects.js';
import type { KubeObject } from '../../../k8s/object.js';

/** The file label of objects meshsim adds for the Istio installation. */
export const ISTIO_INSTALL_SOURCE_FILE = '<istio-install>';

/** Options of the default installation. */
export interface DefaultInstallOptions {
  /** @defaultValue `'istio-system'` */
  readonly namespace?: string;
  /** @defaultValue `'docker.io/istio'` */
  readonly hub?: string;
  /** @defaultValue `'1.29.2'` */
  readonly tag?: string;
  /** Ingress gateway replicas. @defaultValue 1 */
  readonly ingressReplicas?: number;
}

/** The installation's objects that `objects` does not already define. */
export function defaultInstallObjects(
  objects: readonly KubeObject[],
  options: DefaultInstallOptions = {},
): KubeObject[] {
  const ns = options.namespace ?? 'istio-system';
  const hub = options.hub ?? 'docker.io/istio';
  const tag = options.tag ?? '1.29.2';
  const has = (kind: string, name: string): boolean =>
    objects.some((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === ns);
  const source = syntheticSource(ISTIO_INSTALL_SOURCE_FILE);
  const out: KubeObject[] = [];
  const add = (o: Omit<KubeObject, 'source'>): void => {
    if (!has(o.kind, o.metadata.name)) out.push({ ...o, source });
  };
  if (!objects.some((o) => o.kind === 'Namespace' && o.metadata.name === ns)) {
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns }, source });
  }
  const istiodLabels = { app: 'istiod', istio: 'pilot', 'istio.io/rev': 'default' };
  add({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'istiod', namespace: ns } });
  add({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'istiod', namespace: ns, labels: istiodLabels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { istio: 'pilot' } },
      template: {
        metadata: {
          labels: { ...istiodLabels, 'sidecar.istio.io/inject': 'false' },
          annotations: { 'sidecar.istio.io/inject': 'false' },
        },
        spec: {
          serviceAccountName: 'istiod',
          containers: [
            {
              name: 'discovery',
              image: `${hub}/pilot:${tag}`,
              args: [
                'discovery',
                '--monitoringAddr=:15014',
                '--log_output_level=default:info',
                '--domain',
                'cluster.local',
                '--keepaliveMaxServerConnectionAge',
                '30m',
              ],
              ports: [
                { containerPort: 8080, protocol: 'TCP', name: 'http-debug' },
                { containerPort: 15010, protocol: 'TCP', name: 'grpc-xds' },
                { containerPort: 15012, protocol: 'TCP', name: 'tls-xds' },
                { containerPort: 15017, protocol: 'TCP', name: 'https-webhooks' },
                { containerPort: 15014, protocol: 'TCP', name: 'http-monitoring' },
              ],
            },
          ],
        },
      },
    },
  });
  add({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'istiod', namespace: ns, labels: istiodLabels },
    spec: {
      selector: { app: 'istiod', istio: 'pilot' },
      ports: [
        { port: 15010, name: 'grpc-xds', protocol: 'TCP' },
        { port: 15012, name: 'https-dns', protocol: 'TCP' },
        { port: 443, name: 'https-webhook', targetPort: 15017, protocol: 'TCP' },
        { port: 15014, name: 'http-monitoring', protocol: 'TCP' },
      ],
    },
  });
  const gwLabels = { app: 'istio-ingressgateway', istio: 'ingressgateway' };
  add({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'istio-ingressgateway-service-account', namespace: ns, labels: gwLabels },
  });
  add({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'istio-ingressgateway', namespace: ns, labels: { ...gwLabels, 'istio.io/rev': 'default' } },
    spec: {
      replicas: options.ingressReplicas ?? 1,
      selector: { matchLabels: gwLabels },
      template: {
        metadata: {
          labels: {
            ...gwLabels,
            'service.istio.io/canonical-name': 'istio-ingressgateway',
            'service.istio.io/canonical-revision': 'latest',
            'istio.io/rev': 'default',
            'sidecar.istio.io/inject': 'false',
            'app.kubernetes.io/name': 'istio-ingressgateway',
          },
          annotations: {
            'istio.io/rev': 'default',
            'prometheus.io/port': '15020',
            'prometheus.io/scrape': 'true',
            'prometheus.io/path': '/stats/prometheus',
            'sidecar.istio.io/inject': 'false',
          },
        },
        spec: {
          securityContext: { runAsUser: 1337, runAsGroup: 1337, runAsNonRoot: true },
          serviceAccountName: 'istio-ingressgateway-service-account',
          containers: [
            {
              name: 'istio-proxy',
              image: `${hub}/proxyv2:${tag}`,
              ports: [
                { containerPort: 15021, protocol: 'TCP' },
                { containerPort: 8080, protocol: 'TCP' },
                { containerPort: 8443, protocol: 'TCP' },
                { containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' },
              ],
              args: [
                'proxy',
                'router',
                '--domain',
                '$(POD_NAMESPACE).svc.cluster.local',
                '--proxyLogLevel=warning',
                '--proxyComponentLogLevel=misc:error',
                '--log_output_level=default:info',
              ],
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                privileged: false,
                readOnlyRootFilesystem: true,
              },
              readinessProbe: {
                failureThreshold: 30,
                httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' },
                initialDelaySeconds: 1,
                periodSeconds: 2,
                successThreshold: 1,
                timeoutSeconds: 1,
              },
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } },
            },
          ],
        },
      },
    },
  });
  add({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'istio-ingressgateway', namespace: ns, labels: { ...gwLabels, 'istio.io/rev': 'default' } },
    spec: {
      type: 'LoadBalancer',
      selector: gwLabels,
      ports: [
        { name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021 },
        { name: 'http2', port: 80, protocol: 'TCP', targetPort: 8080 },
        { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
      ],
    },
  });
  return out;
}
