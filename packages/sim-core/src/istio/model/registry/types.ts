/**
 * Istio's service registry as istiod builds it (`pilot/pkg/model/service.go`): services (Kubernetes Services
 * and ServiceEntry hosts) with their ports and protocols, and endpoints (`IstioEndpoint`) from pods,
 * ServiceEntry `endpoints`, and pods/WorkloadEntries selected by a ServiceEntry `workloadSelector` or a
 * Service selector.
 */
import type { Labels } from '../../../k8s/labels.js';
import type { ObjectSource } from '../../../k8s/object.js';
import type { Protocol } from '../protocol.js';
import type { Visibility } from '../visibility.js';

/** `model.Resolution`. */
export type Resolution = 'ClientSideLB' | 'DNSLB' | 'DNSRoundRobinLB' | 'Passthrough' | 'Alias' | 'DynamicDNS';

/** `model.Port`. */
export interface MeshServicePort {
  readonly name: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** ServiceEntry `targetPort`, or a Kubernetes Service's numeric `targetPort`. */
  readonly targetPort?: number | string;
}

/** `model.Service`: one host. */
export interface MeshService {
  /** The FQDN: `reviews.default.svc.cluster.local`, or a ServiceEntry host. */
  readonly hostname: string;
  readonly namespace: string;
  /** Kubernetes Service name, or the ServiceEntry's name. */
  readonly name: string;
  readonly registry: 'Kubernetes' | 'External';
  /** `DefaultAddress`: the ClusterIP or ServiceEntry address; `0.0.0.0` when none (headless, no VIP). */
  readonly defaultAddress: string;
  /** Every address (ClusterIPs, or all ServiceEntry addresses of this host). */
  readonly addresses: readonly string[];
  /** Address from Istio's allocation controller (ServiceEntry `status.addresses`), used by proxies with DNS capture. */
  readonly autoAllocatedIPv4Address?: string;
  readonly autoAllocatedIPv6Address?: string;
  readonly ports: readonly MeshServicePort[];
  readonly resolution: Resolution;
  readonly meshExternal: boolean;
  /** Who can see the service. */
  readonly exportTo: Visibility;
  /** Kubernetes `spec.selector` or ServiceEntry `workloadSelector.labels`. */
  readonly labelSelector?: Labels;
  /** SANs a client verifies (ServiceEntry `subjectAltNames`, service-account annotations). */
  readonly serviceAccounts: readonly string[];
  readonly creationTimestamp?: string;
  /** Kubernetes `spec.type` (`ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`). */
  readonly kubernetesType?: string;
  readonly externalName?: string;
  readonly publishNotReadyAddresses: boolean;
  readonly kind: 'Service' | 'ServiceEntry';
  readonly source: ObjectSource;
}

/** `model.HealthStatus`. */
export type HealthStatus = 'Healthy' | 'UnHealthy' | 'Draining' | 'Terminating';

/** An endpoint of a service port (`model.IstioEndpoint` + its `ServicePort`). */
export interface MeshEndpoint {
  readonly hostname: string;
  /** Namespace of the service (a ServiceEntry host can exist in several namespaces). */
  readonly serviceNamespace: string;
  readonly servicePortName: string;
  /** The service port this endpoint serves. */
  readonly servicePort: number;
  readonly address: string;
  /** The port traffic goes to. */
  readonly endpointPort: number;
  /** Workload labels, with the topology labels Istio adds (`topology.istio.io/cluster`, region, zone…). */
  readonly labels: Labels;
  /** `spiffe://…/ns/<ns>/sa/<sa>`, or empty. */
  readonly serviceAccount: string;
  /** `istio` when the workload has a sidecar to terminate mTLS; else `disabled`. */
  readonly tlsMode: 'istio' | 'disabled';
  /** `region/zone/subzone`. */
  readonly locality: string;
  readonly healthStatus: HealthStatus;
  readonly weight?: number;
  readonly network: string;
  readonly workload: {
    readonly kind: 'Pod' | 'WorkloadEntry' | 'ServiceEntry';
    readonly name: string;
    readonly namespace: string;
  };
}

/** The registry. Lists are sorted: services by hostname then namespace, endpoints by hostname, port, address. */
export interface ServiceRegistry {
  readonly services: readonly MeshService[];
  readonly endpoints: readonly MeshEndpoint[];
}
