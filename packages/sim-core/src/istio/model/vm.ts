/**
 * Virtual machines joining the mesh. A VM runs istio-agent configured by `cluster.env` (as `istioctl x
 * workload entry configure` writes it): its namespace (`ISTIO_NAMESPACE`), service account
 * (`SERVICE_ACCOUNT`), address (`ISTIO_SVC_IP`), labels (`ISTIO_METAJSON_LABELS`), the WorkloadGroup to
 * auto-register with (`ISTIO_META_AUTO_REGISTER_GROUP`), network and DNS capture (`ISTIO_META_*`).
 */
import { ConfigError } from '../../errors.js';
import { readLabels, type Labels } from '../../k8s/labels.js';

/** A VM running istio-agent. */
export interface VirtualMachine {
  /** A name for the VM (its hostname), used in messages. */
  readonly name: string;
  readonly address: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly labels: Labels;
  /** WorkloadGroup to auto-register with (`ISTIO_META_AUTO_REGISTER_GROUP`), if any. */
  readonly autoRegisterGroup?: string;
  readonly network: string;
  /** `region/zone/subzone`. */
  readonly locality: string;
  /** Every `ISTIO_META_*` and other agent setting (`proxyMetadata`). */
  readonly proxyMetadata: Readonly<Record<string, string>>;
  /** Whether the agent's readiness probe passes (reported to istiod as the `Healthy` condition). @defaultValue true */
  readonly healthy: boolean;
}

/** Parses `cluster.env` (`KEY='value'` / `KEY=value` lines, `#` comments). */
export function parseClusterEnv(text: string, file = 'cluster.env'): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m === null) throw new ConfigError(`expected KEY=value, got ${JSON.stringify(line)}`, { file, line: i + 1 });
    let value = m[2] as string;
    if ((value.startsWith("'") && value.endsWith("'")) || (value.startsWith('"') && value.endsWith('"')))
      value = value.slice(1, -1);
    out[m[1] as string] = value;
  });
  return out;
}

/** A VM from its `cluster.env` settings; `overrides` wins (e.g. `{ address }` when the file has no `ISTIO_SVC_IP`). */
export function virtualMachineFromEnv(
  name: string,
  env: Readonly<Record<string, string>>,
  overrides: Partial<VirtualMachine> = {},
): VirtualMachine {
  let labels: Labels = {};
  const json = env['ISTIO_METAJSON_LABELS'];
  if (json !== undefined && json !== '') {
    try {
      labels = readLabels(JSON.parse(json));
    } catch {
      throw new ConfigError(`ISTIO_METAJSON_LABELS is not a JSON object: ${json}`, {
        file: `${name}/cluster.env`,
        field: 'ISTIO_METAJSON_LABELS',
      });
    }
  }
  const address = overrides.address ?? env['ISTIO_SVC_IP'] ?? env['INSTANCE_IP'];
  if (address === undefined || address === '') {
    throw new ConfigError(`VM ${name} has no address: set ISTIO_SVC_IP in its cluster.env or give one`, {
      file: `${name}/cluster.env`,
      field: 'ISTIO_SVC_IP',
    });
  }
  const group = env['ISTIO_META_AUTO_REGISTER_GROUP'];
  return {
    name,
    address,
    namespace: env['ISTIO_NAMESPACE'] || env['POD_NAMESPACE'] || 'default',
    serviceAccount: env['SERVICE_ACCOUNT'] || 'default',
    labels,
    ...(group !== undefined && group !== '' ? { autoRegisterGroup: group } : {}),
    network: env['ISTIO_META_NETWORK'] ?? '',
    locality: env['ISTIO_LOCALITY'] ?? '',
    proxyMetadata: Object.fromEntries(
      Object.entries(env).filter(([k]) => k.startsWith('ISTIO_META_') || k === 'ISTIO_METAJSON_LABELS'),
    ),
    healthy: true,
    ...overrides,
  };
}
