/**
 * The injection templates, rendered as istiod renders them for Istio 1.29 with the default values:
 * `sidecar` (`files/injection-template.yaml`) and `gateway` (`files/gateway-injection-template.yaml`), both
 * in `manifests/charts/istio-control/istio-discovery/`. Only the CNI-off, non-OpenShift branches are
 * modelled; tracing/lightstep/datadog/bootstrap-override branches are left out (they change nothing meshsim
 * simulates). The output is the template pod, to be merged onto the original pod (`inject.ts`).
 */
import type { Labels } from '../../../k8s/labels.js';
import type { MeshConfig, ProxyConfig } from '../meshConfig.js';
import type { InjectionConfig } from './config.js';
import { excludeInboundPort, istioIptablesArgs, TRAFFIC_ANNOTATIONS } from './iptablesArgs.js';
import { canonicalLabels, commonAnnotations, proxyEnv, resources, VOLUME_MOUNTS, VOLUMES } from './templateParts.js';

type Json = Record<string, unknown>;

/** What a template sees (`SidecarTemplateData`). */
export interface TemplateInput {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly spec: Readonly<Json>;
  /** `DeploymentMeta`: the owning workload's name (Deployment, StatefulSet…, or the pod's own name). */
  readonly deploymentName: string;
  /** `TypeMeta` of that workload, e.g. `{ kind: 'Deployment', apiVersion: 'apps/v1' }`. */
  readonly typeMeta: { readonly kind: string; readonly apiVersion: string };
  readonly proxyConfig: ProxyConfig;
  readonly mesh: MeshConfig;
  readonly cfg: InjectionConfig;
  readonly nativeSidecar: boolean;
}

/** A rendered template: a partial pod. */
export interface TemplatePod {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly initContainers: readonly Json[];
  readonly containers: readonly Json[];
  readonly volumes: readonly Json[];
  readonly securityContext?: Json;
}

const ann = (t: TemplateInput, key: string, fallback: string | number): string =>
  t.annotations[key] ?? String(fallback);

/** The proxy image (`ProxyImage`): the `sidecar.istio.io/proxyImage` annotation, else `<hub>/<image>:<tag>`. */
export function proxyImage(t: TemplateInput): string {
  const a = t.annotations['sidecar.istio.io/proxyImage'];
  if (a !== undefined && a !== '') return a;
  const image = t.cfg.proxy.image;
  return image.includes('/') ? image : `${t.cfg.hub}/${image}:${t.cfg.tag}`;
}

/** The `sidecar` template. */
export function sidecarTemplate(t: TemplateInput): TemplatePod {
  const cfg = t.cfg;
  const mode = t.annotations[TRAFFIC_ANNOTATIONS.interceptionMode] ?? t.proxyConfig.interceptionMode;
  const tproxy = mode === 'TPROXY';
  const statusPort = ann(t, TRAFFIC_ANNOTATIONS.statusPort, cfg.proxy.statusPort);
  const labels: Record<string, string> = {
    'security.istio.io/tlsMode': t.labels['security.istio.io/tlsMode'] || 'istio',
    ...canonicalLabels(t),
  };
  if (t.proxyConfig.proxyMetadata['ISTIO_META_ENABLE_HBONE'] === 'true')
    labels['networking.istio.io/tunnel'] = t.labels['networking.istio.io/tunnel'] || 'http';

  const initContainers: Json[] = [];
  if (mode !== 'NONE') {
    const metadataEnv = Object.entries(t.proxyConfig.proxyMetadata)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => ({ name, value }));
    initContainers.push({
      name: cfg.cniEnabled ? 'istio-validation' : 'istio-init',
      image: proxyImage(t),
      args: istioIptablesArgs(t.annotations, t.proxyConfig, t.mesh, cfg),
      ...(metadataEnv.length > 0 ? { env: metadataEnv } : {}),
      resources: resources(t),
      securityContext: {
        allowPrivilegeEscalation: cfg.proxy.privileged,
        privileged: cfg.proxy.privileged,
        capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
        readOnlyRootFilesystem: false,
        runAsGroup: 0,
        runAsNonRoot: false,
        runAsUser: 0,
      },
    });
  }

  const proxy: Json = {
    name: 'istio-proxy',
    image: proxyImage(t),
    ...(t.nativeSidecar ? { restartPolicy: 'Always' } : {}),
    ports: [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
    args: [
      'proxy',
      'sidecar',
      '--domain',
      `$(POD_NAMESPACE).svc.${cfg.proxy.clusterDomain}`,
      `--proxyLogLevel=${ann(t, 'sidecar.istio.io/logLevel', cfg.proxy.logLevel)}`,
      `--proxyComponentLogLevel=${ann(t, 'sidecar.istio.io/componentLogLevel', cfg.proxy.componentLogLevel)}`,
      `--log_output_level=${ann(t, 'sidecar.istio.io/agentLogLevel', cfg.loggingLevel)}`,
    ],
  };
  const hold =
    (t.proxyConfig.holdApplicationUntilProxyStarts || cfg.proxy.holdApplicationUntilProxyStarts) && !t.nativeSidecar;
  if (hold) proxy['lifecycle'] = { postStart: { exec: { command: ['pilot-agent', 'wait'] } } };
  else if (t.nativeSidecar) {
    proxy['lifecycle'] = {
      preStop: { exec: { command: ['pilot-agent', 'request', `--debug-port=${statusPort}`, 'POST', 'drain'] } },
    };
  }
  proxy['env'] = proxyEnv(t, 'sidecar');
  if (statusPort !== '0') {
    if (cfg.proxy.startupProbe.enabled) {
      proxy['startupProbe'] = {
        httpGet: { path: '/healthz/ready', port: 15021 },
        periodSeconds: 1,
        timeoutSeconds: 3,
        failureThreshold: cfg.proxy.startupProbe.failureThreshold,
      };
    }
    // Go drops zero-valued int fields (`omitempty`), so `initialDelaySeconds: 0` disappears from the pod.
    const initialDelay = Number(
      ann(t, 'readiness.status.sidecar.istio.io/initialDelaySeconds', cfg.proxy.readinessInitialDelaySeconds),
    );
    proxy['readinessProbe'] = {
      httpGet: { path: '/healthz/ready', port: 15021 },
      ...(initialDelay !== 0 ? { initialDelaySeconds: initialDelay } : {}),
      periodSeconds: Number(
        ann(t, 'readiness.status.sidecar.istio.io/periodSeconds', cfg.proxy.readinessPeriodSeconds),
      ),
      timeoutSeconds: 3,
      failureThreshold: Number(
        ann(t, 'readiness.status.sidecar.istio.io/failureThreshold', cfg.proxy.readinessFailureThreshold),
      ),
    };
  }
  const capNetBind = t.annotations['sidecar.istio.io/capNetBindService'] === 'true';
  proxy['securityContext'] = {
    allowPrivilegeEscalation: cfg.proxy.privileged,
    capabilities: {
      ...(tproxy || capNetBind
        ? { add: [...(tproxy ? ['NET_ADMIN'] : []), ...(capNetBind ? ['NET_BIND_SERVICE'] : [])] }
        : {}),
      drop: ['ALL'],
    },
    privileged: cfg.proxy.privileged,
    readOnlyRootFilesystem: true,
    ...(tproxy || capNetBind
      ? { runAsNonRoot: false, runAsUser: 0, runAsGroup: 1337 }
      : { runAsNonRoot: true, runAsUser: 1337, runAsGroup: 1337 }),
  };
  proxy['resources'] = resources(t);
  proxy['volumeMounts'] = VOLUME_MOUNTS;

  return {
    labels,
    annotations: {
      ...commonAnnotations(t),
      ...(cfg.cniEnabled
        ? {
            'sidecar.istio.io/interceptionMode': mode,
            'traffic.sidecar.istio.io/includeInboundPorts': ann(
              t,
              TRAFFIC_ANNOTATIONS.includeInboundPorts,
              cfg.proxy.includeInboundPorts,
            ),
            'traffic.sidecar.istio.io/excludeInboundPorts': excludeInboundPort(
              statusPort,
              ann(t, TRAFFIC_ANNOTATIONS.excludeInboundPorts, cfg.proxy.excludeInboundPorts),
            ),
          }
        : {}),
    },
    initContainers: t.nativeSidecar ? [...initContainers, proxy] : initContainers,
    containers: t.nativeSidecar ? [] : [proxy],
    volumes: VOLUMES,
  };
}

/** The `gateway` template (`inject.istio.io/templates: gateway`): an `istio-proxy` running `proxy router`, no capture. */
export function gatewayTemplate(t: TemplateInput): TemplatePod {
  const cfg = t.cfg;
  const proxy: Json = {
    name: 'istio-proxy',
    image: proxyImage(t),
    ports: [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
    args: [
      'proxy',
      'router',
      '--domain',
      `$(POD_NAMESPACE).svc.${cfg.proxy.clusterDomain}`,
      `--proxyLogLevel=${ann(t, 'sidecar.istio.io/logLevel', cfg.proxy.logLevel)}`,
      `--proxyComponentLogLevel=${ann(t, 'sidecar.istio.io/componentLogLevel', cfg.proxy.componentLogLevel)}`,
      `--log_output_level=${ann(t, 'sidecar.istio.io/agentLogLevel', cfg.loggingLevel)}`,
    ],
    securityContext: { runAsUser: 1337, runAsGroup: 1337 },
    env: proxyEnv(t, 'gateway'),
    readinessProbe: {
      httpGet: { path: '/healthz/ready', port: 15021 },
      ...(cfg.proxy.readinessInitialDelaySeconds !== 0
        ? { initialDelaySeconds: cfg.proxy.readinessInitialDelaySeconds }
        : {}),
      periodSeconds: cfg.proxy.readinessPeriodSeconds,
      timeoutSeconds: 3,
      failureThreshold: cfg.proxy.readinessFailureThreshold,
    },
    // The gateway template mounts no CRL volume.
    volumeMounts: VOLUME_MOUNTS.filter((m) => m['name'] !== 'istio-ca-crl'),
  };
  return {
    labels: canonicalLabels(t),
    annotations: commonAnnotations(t),
    securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] },
    initContainers: [],
    containers: [proxy],
    volumes: VOLUMES.filter((v) => v['name'] !== 'istio-ca-crl').map((v) =>
      v['name'] === 'credential-socket' || v['name'] === 'workload-certs' ? { ...v, emptyDir: {} } : { ...v },
    ),
  };
}
