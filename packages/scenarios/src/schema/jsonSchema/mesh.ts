/** JSON Schema of the `mesh` (MeshConfig overrides, Istio's field names) and `network` sections. */
import { list, object, ref, string, type JsonSchema } from './common.js';

const exportTo = (what: string): JsonSchema =>
  list(`Default exportTo of ${what} ("*" = every namespace, "." = own namespace). Istio default ["*"].`, {
    type: 'string',
  });

export const meshDefinitions: Record<string, JsonSchema> = {
  mesh: object("Overrides of Istio MeshConfig (its own field names), layered over the manifests' istio ConfigMap.", {
    outboundTrafficPolicy: object(
      'Where traffic to hosts outside the registry goes.',
      {
        mode: {
          type: 'string',
          enum: ['ALLOW_ANY', 'REGISTRY_ONLY'],
          description:
            'ALLOW_ANY: passthrough; REGISTRY_ONLY: 502 for HTTP, blackhole for TCP. Istio default ALLOW_ANY.',
        },
      },
      { required: ['mode'] },
    ),
    connectTimeout: { ...ref('duration'), description: 'Cluster connect timeout. Istio default 10s.' },
    enableAutoMtls: { type: 'boolean', description: 'Automatic mutual TLS between sidecars. Istio default true.' },
    rootNamespace: { ...ref('namespace'), description: 'Namespace of mesh-wide config. Istio default istio-system.' },
    defaultServiceExportTo: exportTo('Services'),
    defaultVirtualServiceExportTo: exportTo('VirtualServices'),
    defaultDestinationRuleExportTo: exportTo('DestinationRules'),
    defaultHttpRetryPolicy: object('Retries of HTTP routes without their own (an Istio HTTPRetry).', {
      attempts: { type: 'integer', minimum: 0, description: 'Retries (Envoy num_retries). Istio default 2.' },
      perTryTimeout: { ...ref('duration'), description: 'Timeout of each try.' },
      retryOn: string('Envoy retry_on conditions and/or HTTP status codes, comma-separated.', {
        pattern: '^[a-z0-9-]+(,[a-z0-9-]+)*$',
      }),
      retryRemoteLocalities: { type: 'boolean', description: 'Retry in other localities.' },
    }),
    localityLbSetting: object(
      'Locality-aware load balancing.',
      { enabled: { type: 'boolean', description: 'Istio default true.' } },
      { required: ['enabled'] },
    ),
    h2UpgradePolicy: {
      type: 'string',
      enum: ['DO_NOT_UPGRADE', 'UPGRADE'],
      description: 'Upgrade HTTP/1.1 upstream connections to HTTP/2. Istio default DO_NOT_UPGRADE.',
    },
    defaultConfig: object('Proxy defaults (an Istio ProxyConfig).', {
      concurrency: {
        type: 'integer',
        minimum: 0,
        description: 'Envoy worker threads per sidecar. Istio default 2; 0 = one per core (meshsim: 2).',
      },
      proxyMetadata: {
        ...ref('stringMap'),
        description:
          'Agent environment; meshsim reads ISTIO_META_DNS_CAPTURE and ISTIO_META_DNS_AUTO_ALLOCATE ("true"/"false").',
      },
    }),
    compatibility: object('meshsim: Envoy behaviour that changed between versions (current = Istio 1.29).', {
      outlierEjectionRule: {
        type: 'string',
        enum: ['current', 'legacy'],
        default: 'current',
        description:
          'max_ejection_percent test. current (Envoy ≥ 1.27): eject only if (ejected+1)/hosts ≤ max%. legacy: ejected/hosts < max% before counting, so one host can always be ejected.',
      },
      retryBackOff: {
        type: 'string',
        enum: ['current', 'legacy'],
        default: 'current',
        description:
          'Retry back-off ceilings. current: base·2^(k−1) capped at max. legacy (Envoy ≤ 1.17): (2^k−1)·base.',
      },
    }),
  }),
  link: object('Overrides of one hop class: latency, jitter, loss, resets.', {
    latency: { ...ref('distribution'), description: 'One-way latency of a message.' },
    jitter: { ...ref('distribution'), description: 'Extra delay added to every message. Default none.' },
    loss: {
      type: 'number',
      minimum: 0,
      exclusiveMaximum: 100,
      description: 'Percentage of packets lost; TCP retransmits them (1 s for a SYN, ≥ 200 ms otherwise). Default 0.',
    },
    resets: {
      ...ref('percent'),
      description: 'Percentage of exchanges whose connection is reset on the way. Default 0.',
    },
  }),
  network: object('The network per hop class, and the cost of each proxy pass.', {
    loopback: { ...ref('link'), description: 'Inside one pod or VM (app ↔ its sidecar).' },
    sameNode: { ...ref('link'), description: 'Pod to pod on one node.' },
    crossNode: { ...ref('link'), description: 'Pod to pod across nodes.' },
    vm: { ...ref('link'), description: 'Between the cluster and a VM.' },
    external: { ...ref('link'), description: 'To or from a client outside the mesh network.' },
    proxy: object('What each pass through an Envoy costs (filters, routing, telemetry).', {
      request: { ...ref('distribution'), description: 'A request passing through.' },
      response: { ...ref('distribution'), description: 'A response passing through.' },
    }),
  }),
};
