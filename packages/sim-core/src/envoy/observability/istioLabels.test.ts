import { describe, expect, it } from 'vitest';
import { canonicalService, ISTIO_REQUEST_LABELS, istioRequestLabels, type WorkloadMetadata } from './istioLabels.js';

const productpage: WorkloadMetadata = {
  workload: 'productpage-v1',
  namespace: 'default',
  labels: { app: 'productpage', version: 'v1' },
};
const details: WorkloadMetadata = {
  workload: 'details-v1',
  namespace: 'default',
  labels: { app: 'details', version: 'v1' },
};
const SA = 'cluster.local/ns/default/sa/default';

describe('istioRequestLabels()', () => {
  it('destination reporter: reproduces the istio.io example series (docs/concepts/observability)', () => {
    // istio.io content/en/docs/concepts/observability/index.md, "Example service-level metric" (it omits
    // the cluster and grpc labels, which newer releases add).
    const labels = istioRequestLabels({
      reporter: 'destination',
      local: details,
      peer: productpage,
      localPrincipal: SA,
      peerPrincipal: SA,
      service: { host: 'details.default.svc.cluster.local', name: 'details', namespace: 'default' },
      clusterName: 'inbound|9080||',
      authority: 'details:9080',
      responseCode: 200,
      responseFlags: '-',
    });
    expect(labels).toMatchObject({
      connection_security_policy: 'mutual_tls',
      destination_app: 'details',
      destination_canonical_service: 'details',
      destination_canonical_revision: 'v1',
      destination_principal: SA,
      destination_service: 'details.default.svc.cluster.local',
      destination_service_name: 'details',
      destination_service_namespace: 'default',
      destination_version: 'v1',
      destination_workload: 'details-v1',
      destination_workload_namespace: 'default',
      reporter: 'destination',
      request_protocol: 'http',
      response_code: '200',
      response_flags: '-',
      source_app: 'productpage',
      source_canonical_service: 'productpage',
      source_canonical_revision: 'v1',
      source_principal: SA,
      source_version: 'v1',
      source_workload: 'productpage-v1',
      source_workload_namespace: 'default',
      source_cluster: 'Kubernetes',
      destination_cluster: 'Kubernetes',
      grpc_response_status: '',
    });
    expect(Object.keys(labels).sort()).toEqual([...ISTIO_REQUEST_LABELS].sort());
  });

  it('source reporter without mTLS and without a peer: unknowns, latest, and the Host header as the service', () => {
    const labels = istioRequestLabels({
      reporter: 'source',
      local: productpage,
      authority: 'httpbin.org',
      clusterName: 'PassthroughCluster',
      routeName: 'allow_any',
      responseCode: 0,
      responseFlags: 'DC',
    });
    expect(labels).toMatchObject({
      reporter: 'source',
      source_workload: 'productpage-v1',
      source_app: 'productpage',
      source_principal: 'unknown',
      destination_workload: 'unknown',
      destination_workload_namespace: 'unknown',
      destination_principal: 'unknown',
      destination_app: 'unknown',
      destination_canonical_revision: 'latest',
      destination_service: 'httpbin.org',
      destination_service_name: 'PassthroughCluster',
      destination_service_namespace: 'unknown',
      response_code: '0',
      response_flags: 'DC',
      connection_security_policy: 'unknown',
    });
  });

  it('the reporter’s own app/version are its raw app/version labels (empty when missing), the peer’s fall back to unknown', () => {
    const bare: WorkloadMetadata = { workload: 'legacy', namespace: 'ns', labels: {} };
    const out = istioRequestLabels({
      reporter: 'source',
      local: bare,
      peer: bare,
      responseCode: 200,
      responseFlags: '-',
    });
    expect(out.source_app).toBe('');
    expect(out.source_version).toBe('');
    expect(out.destination_app).toBe('unknown');
    expect(out.source_canonical_service).toBe('legacy');
    expect(out.source_canonical_revision).toBe('latest');
  });

  it('canonicalService(): label precedence of istio/istio pkg/kube/labels', () => {
    expect(
      canonicalService({ app: 'a', 'app.kubernetes.io/name': 'b', 'service.istio.io/canonical-name': 'c' }, 'w').name,
    ).toBe('c');
    expect(canonicalService({ app: 'a', 'app.kubernetes.io/name': 'b' }, 'w').name).toBe('b');
    expect(canonicalService({ version: 'v2', 'app.kubernetes.io/version': '2.0' }, 'w').revision).toBe('2.0');
    expect(canonicalService({}, 'w')).toEqual({ name: 'w', revision: 'latest' });
  });
});
