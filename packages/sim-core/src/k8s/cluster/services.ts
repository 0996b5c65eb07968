/**
 * Services as the apiserver stores them: defaults filled in (`type: ClusterIP`, `protocol: TCP`,
 * `targetPort` = `port`) and a ClusterIP allocated from the service CIDR. `spec.clusterIP` is honoured
 * (`None` makes the service headless; a given address is kept, so a dump reproduces a real cluster).
 * Allocation is by a hash of `namespace/name` (see `net/ipam.ts`); the first addresses of the range are
 * kept back as kube-apiserver does for `kubernetes` (`.1`) and `kube-dns` (`.10`).
 */
import { asArray, asBoolean, asNumber, asRecord, asString, asStrings, compareStrings, dig } from '../json.js';
import { readLabels } from '../labels.js';
import { AddressPool } from '../net/ipam.js';
import { isIPv4, type Cidr } from '../net/ipv4.js';
import type { KubeObject } from '../object.js';
import type { ClusterDiagnostic, Service, ServicePort } from './types.js';

/** Builds Services from `Service` objects. */
export function buildServices(
  objects: readonly KubeObject[],
  serviceCIDR: Cidr,
): { services: Service[]; diagnostics: ClusterDiagnostic[] } {
  const diagnostics: ClusterDiagnostic[] = [];
  // kube-apiserver reserves the first /28-ish "static band" for explicit addresses; meshsim keeps the first 16
  // out of hash allocation so `.1` and `.10` stay where every cluster has them.
  const pool = new AddressPool(serviceCIDR, 16, 1);
  const sorted = [...objects].sort(
    (a, b) =>
      compareStrings(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
      compareStrings(a.metadata.name, b.metadata.name),
  );
  const given = new Map<KubeObject, string>();
  for (const obj of sorted) {
    const ip = asString(dig(obj.spec, 'clusterIP'));
    if (ip === undefined || ip === 'None' || ip === '' || !isIPv4(ip)) continue;
    const owner = `${obj.metadata.namespace}/${obj.metadata.name}`;
    const prev = pool.reserve(ip, owner);
    if (prev !== undefined) {
      diagnostics.push({
        code: 'AddressConflict',
        kind: 'Service',
        namespace: obj.metadata.namespace ?? 'default',
        name: obj.metadata.name,
        source: obj.source,
        field: ['spec', 'clusterIP'],
        message: `spec.clusterIP ${ip} is already allocated to service ${prev} (the apiserver would refuse this Service)`,
      });
    }
    given.set(obj, ip);
  }
  const services = sorted.map((obj): Service => {
    const spec = asRecord(obj.spec) ?? {};
    const rawType = asString(spec['type']);
    const type =
      rawType === 'NodePort' || rawType === 'LoadBalancer' || rawType === 'ExternalName' ? rawType : 'ClusterIP';
    const namespace = obj.metadata.namespace ?? 'default';
    const requested = asString(spec['clusterIP']);
    let clusterIP: string;
    if (type === 'ExternalName') clusterIP = '';
    else if (requested === 'None') clusterIP = 'None';
    else clusterIP = given.get(obj) ?? pool.allocate(`${namespace}/${obj.metadata.name}`) ?? '';
    const selector = asRecord(spec['selector']) ? readLabels(spec['selector']) : undefined;
    const lb = asArray(dig(obj.status, 'loadBalancer', 'ingress'))
      .map((i) => asString(asRecord(i)?.['ip']) ?? asString(asRecord(i)?.['hostname']))
      .filter((a): a is string => a !== undefined);
    const externalName = asString(spec['externalName']);
    const created = obj.metadata.creationTimestamp;
    return {
      name: obj.metadata.name,
      namespace,
      labels: readLabels(obj.metadata.labels),
      annotations: readLabels(obj.metadata.annotations),
      type,
      clusterIP,
      ...(selector !== undefined && Object.keys(selector).length > 0 ? { selector } : {}),
      ports: asArray(spec['ports']).flatMap(readServicePort),
      ...(externalName !== undefined ? { externalName } : {}),
      publishNotReadyAddresses: asBoolean(spec['publishNotReadyAddresses']) === true,
      internalTrafficPolicy: asString(spec['internalTrafficPolicy']) === 'Local' ? 'Local' : 'Cluster',
      externalAddresses: [...lb, ...asStrings(spec['externalIPs'])],
      ...(created !== undefined ? { creationTimestamp: created } : {}),
      source: obj.source,
    };
  });
  return { services, diagnostics };
}

function readServicePort(value: unknown): ServicePort[] {
  const p = asRecord(value);
  const port = asNumber(p?.['port']);
  if (p === undefined || port === undefined) return [];
  const rawTarget = p['targetPort'];
  const targetPort = asNumber(rawTarget) ?? asString(rawTarget) ?? port;
  const protocol = asString(p['protocol']);
  const name = asString(p['name']);
  const appProtocol = asString(p['appProtocol']);
  const nodePort = asNumber(p['nodePort']);
  return [
    {
      ...(name !== undefined ? { name } : {}),
      port,
      targetPort,
      protocol: protocol === 'UDP' || protocol === 'SCTP' ? protocol : 'TCP',
      ...(appProtocol !== undefined ? { appProtocol } : {}),
      ...(nodePort !== undefined ? { nodePort } : {}),
    },
  ];
}
