/** JSON Schema of the `vms` section. */
import { object, ref, string, type JsonSchema } from './common.js';

export const vmDefinitions: Record<string, JsonSchema> = {
  vm: object(
    'A VM running istio-agent (the settings of its cluster.env).',
    {
      name: { ...ref('dnsLabel'), description: "The VM's hostname; partition events name it." },
      namespace: { ...ref('namespace'), description: 'ISTIO_NAMESPACE. Default default.' },
      address: string('ISTIO_SVC_IP: the IPv4 address.', { pattern: '^[0-9]{1,3}(\\.[0-9]{1,3}){3}$' }),
      serviceAccount: { ...ref('objectName'), description: 'SERVICE_ACCOUNT. Default default.' },
      labels: { ...ref('stringMap'), description: 'ISTIO_METAJSON_LABELS.' },
      autoRegisterGroup: {
        ...ref('objectName'),
        description: 'ISTIO_META_AUTO_REGISTER_GROUP: the WorkloadGroup to join.',
      },
      network: string('ISTIO_META_NETWORK. Default the cluster network.'),
      locality: string('ISTIO_LOCALITY: region/zone/subzone.', { pattern: '^[^/]*(/[^/]*){0,2}$' }),
      proxyMetadata: { ...ref('stringMap'), description: 'Other agent settings (ISTIO_META_*).' },
      healthy: { type: 'boolean', description: "Whether the agent's readiness probe passes. Default true." },
    },
    { required: ['name', 'address'] },
  ),
};
