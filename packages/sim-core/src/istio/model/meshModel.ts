/**
 * `buildMeshModel`: the frozen model of the cluster as istiod sees it — the Kubernetes cluster (pods after
 * sidecar injection, Services, EndpointSlices), MeshConfig, the Istio resources, VMs that joined, the service
 * registry, the proxies — built from manifests. Pure and deterministic: the same set of objects gives the
 * same model, whatever their order or files. Edit it with `withChanges`.
 */
import { deepFreeze } from '../../k8s/freeze.js';
import { buildCluster, type ClusterOptions } from '../../k8s/cluster/buildCluster.js';
import type { Cluster, ClusterDiagnostic } from '../../k8s/cluster/types.js';
import type { ExternalDns } from '../../k8s/dns/clusterDns.js';
import { loadManifestsOrThrow, type ManifestInput } from '../../k8s/load/loadManifests.js';
import type { KubeObject, ObjectSource } from '../../k8s/object.js';
import { istioConfigFromObjects, type IstioConfig } from './config.js';
import { injectionConfigFromObjects, type InjectionConfig } from './injection/config.js';
import { sidecarInjectionWebhook } from './injection/webhook.js';
import { defaultInstallObjects, type DefaultInstallOptions } from './install/defaultInstall.js';
import { meshConfigFromObjects, type MeshConfig } from './meshConfig.js';
import { proxyOfPod, proxyOfVm, type MeshProxy } from './proxy.js';
import { autoRegister } from './registry/autoRegistration.js';
import { buildRegistry } from './registry/buildRegistry.js';
import type { ServiceRegistry } from './registry/types.js';
import { allocateServiceEntryAddresses, type AllocatedAddresses } from './registry/vipAllocation.js';
import type { VirtualMachine } from './vm.js';

/** Options of {@link buildMeshModel}. */
export interface MeshModelOptions {
  /**
   * Add Istio's default installation (istiod, istio-ingressgateway) where the manifests do not bring it.
   * `false` models a cluster without Istio's control plane objects. @defaultValue true
   */
  readonly istioInstall?: boolean | DefaultInstallOptions;
  /** MeshConfig fields, applied over the `istio` ConfigMap (as `data.mesh` would). */
  readonly meshConfig?: Readonly<Record<string, unknown>>;
  /** Injector settings over the defaults (and over an `istio-sidecar-injector` ConfigMap). */
  readonly injection?: Partial<InjectionConfig>;
  /** Cluster layout: domain, CIDRs, default nodes. */
  readonly cluster?: Omit<ClusterOptions, 'admit'>;
  /** VMs running istio-agent (they auto-register with their WorkloadGroup). */
  readonly virtualMachines?: readonly VirtualMachine[];
  /** `PILOT_ENABLE_IP_AUTOALLOCATE`: ServiceEntry VIP allocation. @defaultValue true */
  readonly ipAutoallocate?: boolean;
  /** DNS answers of the world outside the cluster (the upstream resolver): FQDN → addresses. */
  readonly externalDns?: ExternalDns;
}

/** A problem the model found that a real cluster would accept silently. */
export interface ModelDiagnostic {
  readonly code: ClusterDiagnostic['code'] | 'AutoRegistrationFailed';
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly source?: ObjectSource;
  readonly field?: readonly (string | number)[];
  readonly message: string;
}

/** The VIP Istio's allocation controller gave a ServiceEntry host (what its `status.addresses` shows). */
export interface ServiceEntryAddress {
  readonly namespace: string;
  readonly name: string;
  readonly host: string;
  readonly v4?: string;
  readonly v6?: string;
}

/** The mesh model. Deeply frozen. */
export interface MeshModel {
  /** The manifests the model was built from (what `withChanges` edits). */
  readonly objects: readonly KubeObject[];
  readonly options: MeshModelOptions;
  /** Objects meshsim added for the default Istio installation. */
  readonly installObjects: readonly KubeObject[];
  readonly meshConfig: MeshConfig;
  readonly injection: InjectionConfig;
  readonly cluster: Cluster;
  readonly istio: IstioConfig;
  readonly virtualMachines: readonly VirtualMachine[];
  readonly serviceEntryAddresses: readonly ServiceEntryAddress[];
  readonly registry: ServiceRegistry;
  readonly proxies: readonly MeshProxy[];
  readonly diagnostics: readonly ModelDiagnostic[];
}

/** Builds the model from loaded objects. Throws `ConfigError` only for a mesh config istiod would reject. */
export function buildMeshModel(
  objects: readonly KubeObject[],
  options: MeshModelOptions = {},
  reuse?: MeshModel,
): MeshModel {
  const installOpts = options.istioInstall ?? true;
  const installObjects =
    installOpts === false ? [] : defaultInstallObjects(objects, installOpts === true ? {} : installOpts);
  const all = [...objects, ...installObjects];
  const istioNs =
    installOpts !== false && installOpts !== true ? (installOpts.namespace ?? 'istio-system') : 'istio-system';
  const meshConfig = meshConfigFromObjects(all, istioNs, options.meshConfig);
  const injection = injectionConfigFromObjects(all, options.injection ?? {}, istioNs);

  const cluster =
    reuse !== undefined && sameKubernetesInputs(reuse, objects)
      ? reuse.cluster
      : buildCluster(all, {
          ...(options.cluster ?? {}),
          domain: options.cluster?.domain ?? 'cluster.local',
          admit: sidecarInjectionWebhook(meshConfig, injection),
        });

  const diagnostics: ModelDiagnostic[] = [...cluster.diagnostics];
  const declared = istioConfigFromObjects(all);
  const vms = [...(options.virtualMachines ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const registered: KubeObject[] = [];
  for (const vm of vms) {
    if (vm.autoRegisterGroup === undefined) continue;
    const we = autoRegister(vm, declared.workloadGroups);
    if ('error' in we) {
      diagnostics.push({
        code: 'AutoRegistrationFailed',
        kind: 'WorkloadGroup',
        namespace: vm.namespace,
        name: vm.autoRegisterGroup,
        message: we.error,
      });
    } else if (
      !declared.workloadEntries.some(
        (e) => e.metadata.name === we.metadata.name && e.metadata.namespace === we.metadata.namespace,
      )
    ) {
      registered.push(we);
    }
  }
  const istio = registered.length > 0 ? istioConfigFromObjects(all, registered) : declared;
  const allocated = allocateServiceEntryAddresses(istio.serviceEntries, options.ipAutoallocate ?? true);
  const registry = buildRegistry(cluster, istio, meshConfig, allocated);
  const proxies: MeshProxy[] = [];
  for (const pod of cluster.pods) {
    const p = proxyOfPod(pod, cluster, meshConfig);
    if (p !== undefined) proxies.push(p);
  }
  for (const vm of vms) {
    const we = registered.find(
      (e) =>
        e.spec !== undefined &&
        (e.spec as { address?: string }).address === vm.address &&
        e.metadata.namespace === vm.namespace,
    );
    proxies.push(proxyOfVm(vm, meshConfig, we?.metadata.name));
  }
  const model: MeshModel = {
    objects,
    options,
    installObjects,
    meshConfig,
    injection,
    cluster,
    istio,
    virtualMachines: vms,
    serviceEntryAddresses: seAddresses(istio, allocated),
    registry,
    proxies,
    diagnostics,
  };
  return deepFreeze(model);
}

/** Loads manifests (refusing invalid ones with a `ConfigError`) and builds the model. */
export function loadMeshModel(inputs: readonly ManifestInput[], options: MeshModelOptions = {}): MeshModel {
  return buildMeshModel(loadManifestsOrThrow(inputs), options);
}

const ISTIO_GROUPS = ['networking.istio.io/', 'security.istio.io/', 'telemetry.istio.io/', 'extensions.istio.io/'];

/** The cluster depends only on non-Istio objects; reuse it when those are the very same objects. */
function sameKubernetesInputs(prev: MeshModel, objects: readonly KubeObject[]): boolean {
  const kube = (list: readonly KubeObject[]): KubeObject[] =>
    list.filter((o) => !ISTIO_GROUPS.some((g) => o.apiVersion.startsWith(g)));
  const a = kube(prev.objects);
  const b = kube(objects);
  return a.length === b.length && a.every((o, i) => o === b[i]);
}

function seAddresses(istio: IstioConfig, allocated: ReadonlyMap<string, AllocatedAddresses>): ServiceEntryAddress[] {
  const out: ServiceEntryAddress[] = [];
  for (const se of istio.serviceEntries) {
    for (const host of se.spec.hosts ?? []) {
      const a = allocated.get(`${se.metadata.namespace ?? ''}/${se.metadata.name}/${host}`);
      if (
        a === undefined ||
        out.some((x) => x.namespace === se.metadata.namespace && x.name === se.metadata.name && x.host === host)
      )
        continue;
      out.push({ namespace: se.metadata.namespace ?? 'default', name: se.metadata.name, host, ...a });
    }
  }
  return out;
}
