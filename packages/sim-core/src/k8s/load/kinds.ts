/**
 * The kinds meshsim reads, by API group and version, as the apiserver's REST mapper knows them (Istio's
 * from `manifests/charts/base/files/crd-all.gen.yaml` of Istio 1.29, all `served: true`). A kind in a
 * version not listed here is refused as kubectl refuses it: `no matches for kind "X" in version "Y"`.
 */

/** How meshsim treats a known kind. */
export type KindSupport =
  | 'modelled' // becomes part of the mesh model
  | 'validated' // checked against its schema, then not simulated (e.g. EnvoyFilter, Telemetry)
  | 'ignored'; // a real Kubernetes kind meshsim does not model: skipped with a warning

/** A kind meshsim knows. */
export interface KindInfo {
  readonly group: string; // '' for the core group
  readonly kind: string;
  readonly versions: readonly string[];
  /** Cluster-scoped kinds (Namespace, Node) have no namespace. */
  readonly namespaced: boolean;
  readonly support: KindSupport;
}

const ISTIO_NETWORKING = ['v1', 'v1beta1', 'v1alpha3'] as const;

const KINDS: readonly KindInfo[] = [
  // Kubernetes core kinds meshsim models.
  { group: '', kind: 'Namespace', versions: ['v1'], namespaced: false, support: 'modelled' },
  { group: '', kind: 'Node', versions: ['v1'], namespaced: false, support: 'modelled' },
  { group: '', kind: 'ServiceAccount', versions: ['v1'], namespaced: true, support: 'modelled' },
  { group: '', kind: 'Pod', versions: ['v1'], namespaced: true, support: 'modelled' },
  { group: '', kind: 'Service', versions: ['v1'], namespaced: true, support: 'modelled' },
  { group: '', kind: 'Endpoints', versions: ['v1'], namespaced: true, support: 'modelled' },
  { group: '', kind: 'ConfigMap', versions: ['v1'], namespaced: true, support: 'modelled' },
  { group: '', kind: 'Secret', versions: ['v1'], namespaced: true, support: 'modelled' },
  { group: 'apps', kind: 'Deployment', versions: ['v1'], namespaced: true, support: 'modelled' },
  { group: 'apps', kind: 'ReplicaSet', versions: ['v1'], namespaced: true, support: 'modelled' },
  { group: 'apps', kind: 'StatefulSet', versions: ['v1'], namespaced: true, support: 'modelled' },
  { group: 'discovery.k8s.io', kind: 'EndpointSlice', versions: ['v1'], namespaced: true, support: 'modelled' },
  // Istio 1.29 CRDs (crd-all.gen.yaml): every served version.
  {
    group: 'networking.istio.io',
    kind: 'VirtualService',
    versions: ISTIO_NETWORKING,
    namespaced: true,
    support: 'modelled',
  },
  {
    group: 'networking.istio.io',
    kind: 'DestinationRule',
    versions: ISTIO_NETWORKING,
    namespaced: true,
    support: 'modelled',
  },
  { group: 'networking.istio.io', kind: 'Gateway', versions: ISTIO_NETWORKING, namespaced: true, support: 'modelled' },
  {
    group: 'networking.istio.io',
    kind: 'ServiceEntry',
    versions: ISTIO_NETWORKING,
    namespaced: true,
    support: 'modelled',
  },
  { group: 'networking.istio.io', kind: 'Sidecar', versions: ISTIO_NETWORKING, namespaced: true, support: 'modelled' },
  {
    group: 'networking.istio.io',
    kind: 'WorkloadEntry',
    versions: ISTIO_NETWORKING,
    namespaced: true,
    support: 'modelled',
  },
  {
    group: 'networking.istio.io',
    kind: 'WorkloadGroup',
    versions: ISTIO_NETWORKING,
    namespaced: true,
    support: 'modelled',
  },
  { group: 'networking.istio.io', kind: 'EnvoyFilter', versions: ['v1alpha3'], namespaced: true, support: 'validated' },
  { group: 'networking.istio.io', kind: 'ProxyConfig', versions: ['v1beta1'], namespaced: true, support: 'validated' },
  {
    group: 'security.istio.io',
    kind: 'PeerAuthentication',
    versions: ['v1', 'v1beta1'],
    namespaced: true,
    support: 'modelled',
  },
  {
    group: 'security.istio.io',
    kind: 'AuthorizationPolicy',
    versions: ['v1', 'v1beta1'],
    namespaced: true,
    support: 'validated',
  },
  {
    group: 'security.istio.io',
    kind: 'RequestAuthentication',
    versions: ['v1', 'v1beta1'],
    namespaced: true,
    support: 'validated',
  },
  {
    group: 'telemetry.istio.io',
    kind: 'Telemetry',
    versions: ['v1', 'v1alpha1'],
    namespaced: true,
    support: 'validated',
  },
  { group: 'extensions.istio.io', kind: 'WasmPlugin', versions: ['v1alpha1'], namespaced: true, support: 'validated' },
  // Real Kubernetes kinds that appear in `kubectl get -o yaml` dumps and Istio's samples but change nothing
  // meshsim simulates. Accepted (so a dump loads) and skipped with a warning.
  ...(
    [
      ['apps', 'DaemonSet', true],
      ['apps', 'ControllerRevision', true],
      ['batch', 'Job', true],
      ['batch', 'CronJob', true],
      ['', 'PersistentVolumeClaim', true],
      ['', 'PersistentVolume', false],
      ['', 'LimitRange', true],
      ['', 'ResourceQuota', true],
      ['', 'Event', true],
      ['autoscaling', 'HorizontalPodAutoscaler', true],
      ['policy', 'PodDisruptionBudget', true],
      ['networking.k8s.io', 'NetworkPolicy', true],
      ['networking.k8s.io', 'Ingress', true],
      ['networking.k8s.io', 'IngressClass', false],
      ['rbac.authorization.k8s.io', 'Role', true],
      ['rbac.authorization.k8s.io', 'RoleBinding', true],
      ['rbac.authorization.k8s.io', 'ClusterRole', false],
      ['rbac.authorization.k8s.io', 'ClusterRoleBinding', false],
      ['admissionregistration.k8s.io', 'MutatingWebhookConfiguration', false],
      ['admissionregistration.k8s.io', 'ValidatingWebhookConfiguration', false],
      ['apiextensions.k8s.io', 'CustomResourceDefinition', false],
    ] as const
  ).map(([group, kind, namespaced]): KindInfo => ({ group, kind, versions: ['*'], namespaced, support: 'ignored' })),
  { group: 'gateway.networking.k8s.io', kind: 'Gateway', versions: ['*'], namespaced: true, support: 'ignored' },
  { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', versions: ['*'], namespaced: true, support: 'ignored' },
  { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute', versions: ['*'], namespaced: true, support: 'ignored' },
  { group: 'gateway.networking.k8s.io', kind: 'TCPRoute', versions: ['*'], namespaced: true, support: 'ignored' },
  { group: 'gateway.networking.k8s.io', kind: 'TLSRoute', versions: ['*'], namespaced: true, support: 'ignored' },
  { group: 'gateway.networking.k8s.io', kind: 'ReferenceGrant', versions: ['*'], namespaced: true, support: 'ignored' },
  { group: 'gateway.networking.k8s.io', kind: 'GatewayClass', versions: ['*'], namespaced: false, support: 'ignored' },
];

/** Splits `apiVersion` into group and version: `v1` → core group, `apps/v1` → `apps`. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The kind `kind` of `apiVersion`, or `undefined` when the apiserver would not know it. */
export function lookupKind(apiVersion: string, kind: string): KindInfo | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  return KINDS.find(
    (k) => k.group === group && k.kind === kind && (k.versions.includes(version) || k.versions[0] === '*'),
  );
}

/** Every kind meshsim knows, in a stable order (for docs and `--help`). */
export function knownKinds(): readonly KindInfo[] {
  return KINDS;
}
