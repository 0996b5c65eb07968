/**
 * The Istio configuration istiod holds: the Istio resources of the manifests, by kind, in istiod's order
 * (`sortConfigByCreationTime`: creation time, then name, then namespace — an object without
 * `metadata.creationTimestamp` sorts as the oldest, so manifests that set none are ordered by name).
 * Specs are typed with the CRD types of `@kubernetes-models/istio` (Istio 1.29's `crd-all.gen.yaml`).
 */
import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import type { IGateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import type { IServiceEntry } from '@kubernetes-models/istio/networking.istio.io/v1/ServiceEntry';
import type { ISidecar } from '@kubernetes-models/istio/networking.istio.io/v1/Sidecar';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import type { IWorkloadEntry } from '@kubernetes-models/istio/networking.istio.io/v1/WorkloadEntry';
import type { IWorkloadGroup } from '@kubernetes-models/istio/networking.istio.io/v1/WorkloadGroup';
import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import { compareStrings } from '../../k8s/json.js';
import type { KubeObject } from '../../k8s/object.js';

export type VirtualServiceSpec = NonNullable<IVirtualService['spec']>;
export type DestinationRuleSpec = NonNullable<IDestinationRule['spec']>;
export type GatewaySpec = NonNullable<IGateway['spec']>;
export type ServiceEntrySpec = NonNullable<IServiceEntry['spec']>;
export type SidecarSpec = NonNullable<ISidecar['spec']>;
export type WorkloadEntrySpec = NonNullable<IWorkloadEntry['spec']>;
export type WorkloadGroupSpec = NonNullable<IWorkloadGroup['spec']>;
export type PeerAuthenticationSpec = NonNullable<IPeerAuthentication['spec']>;

/** An Istio resource with its typed spec. */
export type IstioObject<Spec> = KubeObject<Spec> & { readonly spec: Spec };

/** The Istio resources, by kind, each list in istiod's order. */
export interface IstioConfig {
  readonly virtualServices: readonly IstioObject<VirtualServiceSpec>[];
  readonly destinationRules: readonly IstioObject<DestinationRuleSpec>[];
  readonly gateways: readonly IstioObject<GatewaySpec>[];
  readonly serviceEntries: readonly IstioObject<ServiceEntrySpec>[];
  readonly sidecars: readonly IstioObject<SidecarSpec>[];
  /** Declared WorkloadEntries and those auto-registered by VMs joining a WorkloadGroup. */
  readonly workloadEntries: readonly IstioObject<WorkloadEntrySpec>[];
  readonly workloadGroups: readonly IstioObject<WorkloadGroupSpec>[];
  readonly peerAuthentications: readonly IstioObject<PeerAuthenticationSpec>[];
}

/** `sortConfigByCreationTime`. */
export function compareConfigs(a: KubeObject, b: KubeObject): number {
  return (
    compareStrings(a.metadata.creationTimestamp ?? '', b.metadata.creationTimestamp ?? '') ||
    compareStrings(a.metadata.name, b.metadata.name) ||
    compareStrings(a.metadata.namespace ?? '', b.metadata.namespace ?? '')
  );
}

const GROUP_OF: Readonly<Record<keyof IstioConfig, [string, string]>> = {
  virtualServices: ['networking.istio.io', 'VirtualService'],
  destinationRules: ['networking.istio.io', 'DestinationRule'],
  gateways: ['networking.istio.io', 'Gateway'],
  serviceEntries: ['networking.istio.io', 'ServiceEntry'],
  sidecars: ['networking.istio.io', 'Sidecar'],
  workloadEntries: ['networking.istio.io', 'WorkloadEntry'],
  workloadGroups: ['networking.istio.io', 'WorkloadGroup'],
  peerAuthentications: ['security.istio.io', 'PeerAuthentication'],
};

/** Picks the Istio resources out of `objects` (objects without a `spec` object are skipped). */
export function istioConfigFromObjects(
  objects: readonly KubeObject[],
  extraWorkloadEntries: readonly KubeObject[] = [],
): IstioConfig {
  const pick = <S>(key: keyof IstioConfig, extra: readonly KubeObject[] = []): IstioObject<S>[] => {
    const [group, kind] = GROUP_OF[key];
    return [...objects, ...extra]
      .filter(
        (o) => o.kind === kind && o.apiVersion.startsWith(`${group}/`) && typeof o.spec === 'object' && o.spec !== null,
      )
      .sort(compareConfigs) as IstioObject<S>[];
  };
  return {
    virtualServices: pick('virtualServices'),
    destinationRules: pick('destinationRules'),
    gateways: pick('gateways'),
    serviceEntries: pick('serviceEntries'),
    sidecars: pick('sidecars'),
    workloadEntries: pick('workloadEntries', extraWorkloadEntries),
    workloadGroups: pick('workloadGroups'),
    peerAuthentications: pick('peerAuthentications'),
  };
}
