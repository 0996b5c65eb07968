/**
 * The labels of Istio's standard metrics, computed as Istio's stats filter computes them
 * (istio/proxy 1.29 source/extensions/filters/http/istio_stats/istio_stats.cc, `IstioStatsFilter`:
 * `populatePeerInfo`, `populateFlagsAndConnectionSecurity`, `log`), in the filter's order.
 *
 * Who reports: the client-side proxy (a sidecar's outbound side, or a gateway) reports `reporter="source"`,
 * the server-side sidecar `reporter="destination"`; a request through both is counted twice.
 * - The reporter's own side comes from its node metadata: `app` and `version` are the pod's `app` and
 *   `version` labels as they are (empty when missing), canonical service/revision from the labels the
 *   injector adds.
 * - The other side comes from metadata exchange; missing values become `unknown` (revision: `latest`); its
 *   app/version prefer `app.kubernetes.io/name` / `app.kubernetes.io/version`.
 * - `destination_service` is the cluster's service host (cluster metadata `istio.services[0]`), falling
 *   back to the `Host` header; `destination_service_name` is `PassthroughCluster`/`BlackHoleCluster` for
 *   those routes and clusters.
 * - `connection_security_policy` is `mutual_tls` or `none` on the destination reporter (both peer and local
 *   SANs present) and `unknown` on the source reporter.
 * - `response_code` is `0` when no response was sent; `response_flags` is `%RESPONSE_FLAGS%` (`-` for none).
 */

/** The labels of `istio_requests_total` and the request histograms, in the order Istio emits them. */
export const ISTIO_REQUEST_LABELS = [
  'reporter',
  'source_workload',
  'source_canonical_service',
  'source_canonical_revision',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_principal',
  'destination_app',
  'destination_version',
  'destination_service',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_service_name',
  'destination_service_namespace',
  'destination_cluster',
  'request_protocol',
  'response_code',
  'grpc_response_status',
  'response_flags',
  'connection_security_policy',
] as const;

/** One label name. */
export type IstioRequestLabelName = (typeof ISTIO_REQUEST_LABELS)[number];

/** Values for every label, in {@link ISTIO_REQUEST_LABELS} order. */
export type IstioRequestLabels = Readonly<Record<IstioRequestLabelName, string>>;

/** What a proxy knows about a workload: its own node metadata, or the peer's from metadata exchange. */
export interface WorkloadMetadata {
  /** Workload name (Deployment name, or the WorkloadEntry's workload). */
  readonly workload: string;
  readonly namespace: string;
  /** Pod labels. */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Cluster ID (multi-cluster); Istio's single-cluster default is `Kubernetes`.
   * @defaultValue `'Kubernetes'`
   */
  readonly cluster?: string;
}

/**
 * Canonical service name and revision from pod labels (istio/istio pkg/kube/labels/labels.go,
 * `CanonicalService`): `service.istio.io/canonical-name`, then `app.kubernetes.io/name`, then `app`, then
 * the workload name; `service.istio.io/canonical-revision`, then `app.kubernetes.io/version`, then
 * `version`, then `latest`.
 */
export function canonicalService(
  labels: Readonly<Record<string, string>>,
  workload: string,
): { name: string; revision: string } {
  return {
    name: labels['service.istio.io/canonical-name'] ?? labels['app.kubernetes.io/name'] ?? labels['app'] ?? workload,
    revision:
      labels['service.istio.io/canonical-revision'] ??
      labels['app.kubernetes.io/version'] ??
      labels['version'] ??
      'latest',
  };
}

/** The inputs of one request's labels. */
export interface IstioLabelInput {
  readonly reporter: 'source' | 'destination';
  /** The reporting proxy's own workload. */
  readonly local: WorkloadMetadata;
  /** The other side as learned by metadata exchange; `undefined` when unknown (no sidecar there, passthrough). */
  readonly peer?: WorkloadMetadata;
  /** SPIFFE id of the reporting side's certificate, when the connection used mTLS. */
  readonly localPrincipal?: string;
  /** SPIFFE id of the other side's certificate, when the connection used mTLS. */
  readonly peerPrincipal?: string;
  /** The cluster's service (`istio.services[0]` in cluster metadata), when the cluster has one. */
  readonly service?: { readonly host: string; readonly name?: string; readonly namespace?: string };
  /** The upstream cluster name, e.g. `outbound|9080||reviews.default.svc.cluster.local` or `PassthroughCluster`. */
  readonly clusterName?: string;
  /** The route name, e.g. `allow_any`, `block_all`, `default`. */
  readonly routeName?: string;
  /** The request's `Host`/`:authority`. */
  readonly authority?: string;
  /** @defaultValue `'http'` */
  readonly protocol?: 'http' | 'grpc';
  /** HTTP status sent downstream; 0 when none. */
  readonly responseCode: number;
  /** gRPC status, for gRPC requests. */
  readonly grpcStatus?: number;
  /** `%RESPONSE_FLAGS%`, e.g. `-`, `UO`, `DI,FI`. */
  readonly responseFlags: string;
}

const PASSTHROUGH_CLUSTERS = new Set([
  'BlackHoleCluster',
  'PassthroughCluster',
  'InboundPassthroughCluster',
  'InboundPassthroughClusterIpv4',
  'InboundPassthroughClusterIpv6',
]);

const orUnknown = (v: string | undefined): string => (v === undefined || v === '' ? 'unknown' : v);

// The namespace in a SPIFFE id: spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>.
function spiffeNamespace(principal: string | undefined): string | undefined {
  if (principal === undefined) return undefined;
  const m = /\/ns\/([^/]+)\/sa\//.exec(principal);
  return m?.[1];
}

// The peer side as metadata exchange reports it (`WorkloadMetadataObject`).
function peerValues(peer: WorkloadMetadata | undefined) {
  if (peer === undefined) return undefined;
  const c = canonicalService(peer.labels, peer.workload);
  return {
    workload: peer.workload,
    namespace: peer.namespace,
    app: peer.labels['app.kubernetes.io/name'] ?? peer.labels['app'] ?? '',
    version: peer.labels['app.kubernetes.io/version'] ?? peer.labels['version'] ?? '',
    canonicalName: c.name,
    canonicalRevision: c.revision,
    cluster: peer.cluster ?? 'Kubernetes',
  };
}

/** The labels of one request as the reporting proxy's stats filter sets them. */
export function istioRequestLabels(input: IstioLabelInput): IstioRequestLabels {
  const local = input.local;
  const localCanonical = canonicalService(local.labels, local.workload);
  const localApp = local.labels['app'] ?? '';
  const localVersion = local.labels['version'] ?? '';
  const localCluster = local.cluster ?? 'Kubernetes';
  const peer = peerValues(input.peer);
  const peerNamespace = spiffeNamespace(input.peerPrincipal) ?? peer?.namespace;

  // destination_service and friends (populatePeerInfo).
  let serviceHost = input.authority ?? '';
  let serviceHostName = serviceHost;
  let serviceNamespace = '';
  if (input.routeName === 'block_all') serviceHostName = 'BlackHoleCluster';
  else if (input.routeName === 'allow_any') serviceHostName = 'PassthroughCluster';
  else if (input.clusterName !== undefined && PASSTHROUGH_CLUSTERS.has(input.clusterName))
    serviceHostName = input.clusterName;
  else if (input.service !== undefined) {
    serviceHost = input.service.host;
    serviceNamespace = input.service.namespace ?? '';
    serviceHostName = input.service.name ?? serviceHost.split('.')[0] ?? serviceHost;
  }

  const common = {
    request_protocol: input.protocol ?? 'http',
    response_code: String(input.responseCode),
    grpc_response_status: input.protocol === 'grpc' && input.grpcStatus !== undefined ? String(input.grpcStatus) : '',
    response_flags: input.responseFlags,
  };

  if (input.reporter === 'destination') {
    const mtls = (input.peerPrincipal ?? '') !== '' && (input.localPrincipal ?? '') !== '';
    return {
      reporter: 'destination',
      source_workload: orUnknown(peer?.workload),
      source_canonical_service: orUnknown(peer?.canonicalName),
      source_canonical_revision: peer?.canonicalRevision || 'latest',
      source_workload_namespace: orUnknown(peerNamespace),
      source_principal: orUnknown(input.peerPrincipal),
      source_app: orUnknown(peer?.app),
      source_version: orUnknown(peer?.version),
      source_cluster: orUnknown(peer?.cluster),
      destination_workload: local.workload,
      destination_workload_namespace: local.namespace,
      destination_principal: orUnknown(input.localPrincipal),
      destination_app: localApp,
      destination_version: localVersion,
      destination_service: serviceHost === '' ? localCanonical.name : serviceHost,
      destination_canonical_service: localCanonical.name,
      destination_canonical_revision: localCanonical.revision,
      destination_service_name: serviceHostName === '' ? localCanonical.name : serviceHostName,
      destination_service_namespace: local.namespace,
      destination_cluster: localCluster,
      ...common,
      connection_security_policy: mtls ? 'mutual_tls' : 'none',
    };
  }
  return {
    reporter: 'source',
    source_workload: local.workload,
    source_canonical_service: localCanonical.name,
    source_canonical_revision: localCanonical.revision,
    source_workload_namespace: local.namespace,
    source_principal: orUnknown(input.localPrincipal),
    source_app: localApp,
    source_version: localVersion,
    source_cluster: localCluster,
    destination_workload: orUnknown(peer?.workload),
    destination_workload_namespace: orUnknown(peerNamespace),
    destination_principal: orUnknown(input.peerPrincipal),
    destination_app: orUnknown(peer?.app),
    destination_version: orUnknown(peer?.version),
    destination_service: orUnknown(serviceHost),
    destination_canonical_service: orUnknown(peer?.canonicalName),
    destination_canonical_revision: peer?.canonicalRevision || 'latest',
    destination_service_name: orUnknown(serviceHostName),
    destination_service_namespace: serviceNamespace || peerNamespace || 'unknown',
    destination_cluster: orUnknown(peer?.cluster),
    ...common,
    connection_security_policy: 'unknown',
  };
}
