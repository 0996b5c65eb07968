/**
 * The proxies istiod serves (`model.Proxy`): every pod with an `istio-proxy` container — a `sidecar`, or a
 * `router` (gateway) when the agent runs `proxy router` (the `gateway` injection template, or the
 * pre-rendered ingress gateway) — and every VM running the agent. For each: its ProxyConfig, metadata
 * (`ISTIO_META_*` of its environment), DNS capture, interception mode, Envoy concurrency and, for pods with
 * `istio-init`, the `istio-iptables` invocation.
 */
import { findService } from '../../k8s/cluster/lookup.js';
import type { Cluster, Pod } from '../../k8s/cluster/types.js';
import { asArray, asRecord, asString, dig } from '../../k8s/json.js';
import type { Labels } from '../../k8s/labels.js';
import { spiffeId } from './host.js';
import type { IptablesInvocation } from './injection/iptablesArgs.js';
import {
  dnsCaptureEnabled,
  proxyConcurrency,
  proxyConfigFor,
  type MeshConfig,
  type ProxyConfig,
} from './meshConfig.js';
import { localityString } from './registry/kubernetesServices.js';
import type { VirtualMachine } from './vm.js';

/** A proxy connected to istiod. */
export interface MeshProxy {
  /** `<pod>.<namespace>` as `istioctl proxy-status` names it (`<vm>.<namespace>` for a VM). */
  readonly id: string;
  /** istiod's node type: `sidecar`, or `router` for gateways. */
  readonly type: 'sidecar' | 'router';
  readonly kind: 'Pod' | 'VirtualMachine';
  readonly name: string;
  readonly namespace: string;
  readonly ip: string;
  readonly labels: Labels;
  /** SPIFFE identity. */
  readonly serviceAccount: string;
  readonly proxyConfig: ProxyConfig;
  /** Proxy metadata (`ISTIO_META_*`) the agent sends. */
  readonly metadata: Readonly<Record<string, string>>;
  /** DNS capture: the agent's DNS proxy answers the workload's queries (`ISTIO_META_DNS_CAPTURE=true`). */
  readonly dnsCapture: boolean;
  readonly interceptionMode: 'REDIRECT' | 'TPROXY' | 'NONE';
  /** `istio-init`'s command line, for pods that have one (not gateways, not CNI, not VMs). */
  readonly iptables?: IptablesInvocation;
  /** Envoy worker threads; 0 means one per core of the host (no CPU limit and no `concurrency` set). */
  readonly concurrency: number;
  /** The proxy runs as a Kubernetes native sidecar (an init container with `restartPolicy: Always`). */
  readonly nativeSidecar: boolean;
  readonly locality: string;
  /**
   * The workload name (`ISTIO_META_WORKLOAD_NAME`, the node's `WORKLOAD_NAME` that telemetry reports): the
   * Deployment, StatefulSet…; for a VM, its WorkloadGroup.
   */
  readonly workloadName: string;
  /** For a VM: the WorkloadEntry istiod registered for it (`<group>-<address>`), whose endpoints it serves. */
  readonly workloadEntry?: string;
}

/** The proxy of `pod`, or undefined when it has no `istio-proxy` container. */
export function proxyOfPod(pod: Pod, cluster: Cluster, mesh: MeshConfig): MeshProxy | undefined {
  const inSpec = (field: string): Record<string, unknown> | undefined =>
    asArray(pod.spec[field])
      .map((c) => asRecord(c) as Record<string, unknown>)
      .find((c) => c?.['name'] === 'istio-proxy');
  const proxyContainer = inSpec('containers') ?? inSpec('initContainers');
  if (proxyContainer === undefined) return undefined;
  const args = asArray(proxyContainer['args']).map(String);
  const env: Record<string, string> = {};
  for (const e of asArray(proxyContainer['env'])) {
    const r = asRecord(e);
    const name = asString(r?.['name']);
    const value = asString(r?.['value']);
    if (name !== undefined && value !== undefined) env[name] = value;
  }
  const pc = proxyConfigFor(mesh, pod.annotations);
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...pc.proxyMetadata, ...env }))
    if (k.startsWith('ISTIO_META_')) metadata[k] = v;
  const init = pod.initContainers.find((c) => c.name === 'istio-init');
  const initSpec = asArray(pod.spec['initContainers'])
    .map((c) => asRecord(c))
    .find((c) => c?.['name'] === 'istio-init');
  const initEnv: Record<string, string> = {};
  for (const e of asArray(initSpec?.['env'])) {
    const r = asRecord(e);
    const n = asString(r?.['name']);
    const v = asString(r?.['value']);
    if (n !== undefined && v !== undefined) initEnv[n] = v;
  }
  const dnsPolicy = asString(pod.spec['dnsPolicy']) ?? 'ClusterFirst';
  const kubeDns = findService(cluster, 'kube-system', 'kube-dns');
  const mode = (metadata['ISTIO_META_INTERCEPTION_MODE'] ??
    pod.annotations['sidecar.istio.io/interceptionMode'] ??
    pc.interceptionMode) as MeshProxy['interceptionMode'];
  const cpuLimit = parseCpu(asString(dig(proxyContainer, 'resources', 'limits', 'cpu')));
  return {
    id: `${pod.name}.${pod.namespace}`,
    type: args[1] === 'router' ? 'router' : 'sidecar',
    kind: 'Pod',
    name: pod.name,
    namespace: pod.namespace,
    ip: pod.podIP,
    labels: pod.labels,
    serviceAccount: spiffeId(mesh.trustDomain, pod.namespace, pod.serviceAccountName),
    proxyConfig: pc,
    metadata,
    dnsCapture: metadata['ISTIO_META_DNS_CAPTURE'] === 'true' || dnsCaptureEnabled(pc),
    interceptionMode: mode === 'TPROXY' || mode === 'NONE' ? mode : 'REDIRECT',
    ...(init !== undefined
      ? {
          iptables: {
            args: init.args,
            env: initEnv,
            redirectDns: initEnv['ISTIO_META_DNS_CAPTURE'] === 'true',
            dnsServers:
              (dnsPolicy === 'ClusterFirst' || dnsPolicy === 'ClusterFirstWithHostNet') && kubeDns !== undefined
                ? [kubeDns.clusterIP]
                : [],
          },
        }
      : {}),
    concurrency: proxyConcurrency(pc, cpuLimit),
    nativeSidecar: pod.initContainers.some((c) => c.name === 'istio-proxy' && c.restartPolicy === 'Always'),
    locality: localityString(pod.locality),
    workloadName: env['ISTIO_META_WORKLOAD_NAME'] ?? pod.workload.name,
  };
}

/** The proxy of a VM. */
export function proxyOfVm(vm: VirtualMachine, mesh: MeshConfig, workloadEntryName?: string): MeshProxy {
  const pc = proxyConfigFor(
    {
      ...mesh,
      defaultConfig: {
        ...mesh.defaultConfig,
        proxyMetadata: { ...mesh.defaultConfig.proxyMetadata, ...vm.proxyMetadata },
      },
    },
    undefined,
  );
  const merged: ProxyConfig = { ...pc, proxyMetadata: { ...mesh.defaultConfig.proxyMetadata, ...vm.proxyMetadata } };
  return {
    id: `${vm.name}.${vm.namespace}`,
    type: 'sidecar',
    kind: 'VirtualMachine',
    name: vm.name,
    namespace: vm.namespace,
    ip: vm.address,
    labels: vm.labels,
    serviceAccount: spiffeId(mesh.trustDomain, vm.namespace, vm.serviceAccount),
    proxyConfig: merged,
    metadata: Object.fromEntries(Object.entries(merged.proxyMetadata).filter(([k]) => k.startsWith('ISTIO_META_'))),
    dnsCapture: merged.proxyMetadata['ISTIO_META_DNS_CAPTURE'] === 'true',
    interceptionMode: 'REDIRECT',
    concurrency: proxyConcurrency(merged, undefined),
    nativeSidecar: false,
    locality: vm.locality,
    // `istioctl x workload entry configure` writes ISTIO_META_WORKLOAD_NAME = the group's name
    // (istioctl/pkg/workload/workload.go), the name istiod also gives an auto-registered entry's workload
    // (pkg/kube/labels/labels.go `WorkloadNameFromWorkloadEntry`: the autoRegistrationGroup annotation).
    workloadName: merged.proxyMetadata['ISTIO_META_WORKLOAD_NAME'] ?? vm.autoRegisterGroup ?? vm.name,
    ...(workloadEntryName !== undefined ? { workloadEntry: workloadEntryName } : {}),
  };
}

/** Kubernetes CPU quantity in cores (`500m` → 0.5, `2` → 2). */
export function parseCpu(q: string | undefined): number | undefined {
  if (q === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(q.trim());
  if (m === null) return undefined;
  return m[2] === 'm' ? Number(m[1]) / 1000 : Number(m[1]);
}
