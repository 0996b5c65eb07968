/**
 * The cluster as the Kubernetes control plane would hold it after `kubectl apply` of the manifests: namespaces,
 * nodes, the pods the controllers create (after admission, i.e. sidecar injection), Services with their
 * ClusterIPs and the EndpointSlices the EndpointSlice controller derives. Frozen plain data; find things
 * with the helpers in `lookup.ts`.
 */
import type { ObjectSource } from '../object.js';
import type { Labels } from '../labels.js';

/** Where a node or endpoint sits: `topology.kubernetes.io/{region,zone}` and Istio's subzone label. */
export interface Locality {
  readonly region: string;
  readonly zone: string;
  readonly subzone: string;
}

/** A Namespace. Namespaces referenced by objects but not declared exist too (kubectl would have failed; a real cluster would have them). */
export interface Namespace {
  readonly name: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  /** True when a `Namespace` object in the manifests declares it (otherwise implied). */
  readonly declared: boolean;
  readonly source?: ObjectSource;
}

/** A Node. */
export interface Node {
  readonly name: string;
  readonly labels: Labels;
  /** The node's InternalIP (also the hostIP of its pods). */
  readonly internalIP: string;
  /** `spec.podCIDR`: the block the node's pods get addresses from. */
  readonly podCIDR: string;
  readonly locality: Locality;
  /** `status.nodeInfo.kubeletVersion`, e.g. `v1.32.2` (decides native sidecars in Istio's `auto` mode). */
  readonly kubeletVersion: string;
  /** Pods the kubelet accepts (`--max-pods`). @defaultValue 110 */
  readonly maxPods: number;
  readonly declared: boolean;
  readonly source?: ObjectSource;
}

/** A ServiceAccount. The `default` one exists in every namespace. */
export interface ServiceAccount {
  readonly name: string;
  readonly namespace: string;
  readonly declared: boolean;
}

/** `corev1.ContainerPort`. */
export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** The fields of a container meshsim reads; the full JSON stays in {@link Pod.spec}. */
export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly ports: readonly ContainerPort[];
  readonly args: readonly string[];
  /** `securityContext.runAsUser` (or the pod's), if set. */
  readonly runAsUser?: number;
  /** `restartPolicy: Always` on an init container makes it a native sidecar (Kubernetes ≥ 1.29). */
  readonly restartPolicy?: string;
}

/** The workload controller a pod belongs to, as `kube.GetDeployMetaFromPod` finds it. */
export interface WorkloadRef {
  readonly kind: 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'Pod';
  readonly apiVersion: string;
  readonly name: string;
}

/** A Pod as the apiserver stores it after admission. */
export interface Pod {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  /** The pod spec as `kubectl get pod -o yaml` shows it (after injection). Plain frozen JSON. */
  readonly spec: Readonly<Record<string, unknown>>;
  readonly containers: readonly Container[];
  readonly initContainers: readonly Container[];
  readonly serviceAccountName: string;
  readonly nodeName: string;
  /** The node's address; empty while Pending. */
  readonly hostIP: string;
  /** The pod's address; empty while Pending (no node had room). For `hostNetwork` pods, the node's IP. */
  readonly podIP: string;
  readonly hostNetwork: boolean;
  readonly phase: 'Running' | 'Pending';
  /** The `Ready` condition: every container ready. */
  readonly ready: boolean;
  /** `spec.hostname` / `spec.subdomain` (StatefulSet pods get `<name>` and the governing service). */
  readonly hostname?: string;
  readonly subdomain?: string;
  readonly locality: Locality;
  /** The top-level controller (Deployment, StatefulSet, ReplicaSet) or the Pod itself. */
  readonly workload: WorkloadRef;
  /** The manifest object that declared this pod (its Deployment, StatefulSet, ReplicaSet or Pod). */
  readonly source: ObjectSource;
  /**
   * True for a Pod object that already ran (a `kubectl get -o yaml` dump with `status.podIP` or an injected
   * `istio-proxy`): admission webhooks do not run again for it, as in a real cluster.
   */
  readonly existing: boolean;
}

/** `corev1.ServicePort`. */
export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  /** A number, or the name of a container port. @defaultValue the port itself */
  readonly targetPort: number | string;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly appProtocol?: string;
  readonly nodePort?: number;
}

/** A Service. */
export interface Service {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  /** The allocated (or given) ClusterIP; `None` for a headless service; empty for ExternalName. */
  readonly clusterIP: string;
  /** `spec.selector`; `undefined` (or empty) for a selector-less service whose endpoints are managed by hand. */
  readonly selector?: Labels;
  readonly ports: readonly ServicePort[];
  readonly externalName?: string;
  readonly publishNotReadyAddresses: boolean;
  readonly internalTrafficPolicy: 'Cluster' | 'Local';
  /** `status.loadBalancer.ingress[].ip|hostname` and `spec.externalIPs`. */
  readonly externalAddresses: readonly string[];
  readonly creationTimestamp?: string;
  readonly source: ObjectSource;
}

/** One endpoint of an EndpointSlice. */
export interface Endpoint {
  readonly addresses: readonly string[];
  readonly conditions: { readonly ready: boolean; readonly serving: boolean; readonly terminating: boolean };
  readonly targetRef?: { readonly kind: string; readonly name: string; readonly namespace: string };
  readonly nodeName?: string;
  readonly zone?: string;
  readonly hostname?: string;
}

/** `discovery.k8s.io/v1` EndpointSlice (one per distinct set of resolved ports). */
export interface EndpointSlice {
  readonly name: string;
  readonly namespace: string;
  readonly serviceName: string;
  readonly addressType: 'IPv4';
  readonly ports: readonly {
    readonly name?: string;
    readonly port: number;
    readonly protocol: string;
    readonly appProtocol?: string;
  }[];
  readonly endpoints: readonly Endpoint[];
  /** Declared in the manifests (for a selector-less service) rather than derived. */
  readonly declared: boolean;
}

/** Something about the manifests a real cluster would accept but that will not work as written. */
export interface ClusterDiagnostic {
  readonly code: 'TargetPortNotFound' | 'PodPending' | 'AddressConflict' | 'NodeNotFound' | 'AdmissionRejected';
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly source?: ObjectSource;
  /** Field path inside the object, e.g. `['spec', 'ports', 0, 'targetPort']`. */
  readonly field?: readonly (string | number)[];
  readonly message: string;
}

/** The whole cluster. Arrays are sorted by namespace then name. */
export interface Cluster {
  /** The DNS domain, `cluster.local`. */
  readonly domain: string;
  readonly podCIDR: string;
  readonly serviceCIDR: string;
  readonly namespaces: readonly Namespace[];
  readonly nodes: readonly Node[];
  readonly serviceAccounts: readonly ServiceAccount[];
  readonly pods: readonly Pod[];
  readonly services: readonly Service[];
  readonly endpointSlices: readonly EndpointSlice[];
  readonly diagnostics: readonly ClusterDiagnostic[];
}
