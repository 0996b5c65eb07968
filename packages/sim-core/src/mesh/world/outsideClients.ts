/**
 * Where traffic from outside the mesh enters: an external client's target address, the gateway pod an
 * outside client reaches through the gateway's Service, and the stand-in instance for an external peer.
 */
import { ConfigError } from '../../errors.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import { Instance } from './instance.js';

/** A `host[:port]` target of an external client (port 80 when none is given). */
export function parseTarget(address: string): { ip: string; port: number } {
  const colon = address.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(address.slice(colon + 1)))
    return { ip: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
  return { ip: address, port: 80 };
}

/**
 * An outside client reaches a gateway through its Service (a LoadBalancer): the first gateway pod of the
 * deployment, on the target port of the Service's port 80; https:// requests go to the Service's port 443
 * (the default install maps it to the pod's 8443).
 */
export function gatewayTarget(
  model: MeshModel,
  instances: readonly Instance[],
  namespace: string,
  name: string,
  field: string,
): { ip: string; port: number; tlsPort?: number } {
  const svc = model.cluster.services.find((s) => s.namespace === namespace && s.name === name);
  const pods = instances.filter(
    (i) =>
      i.namespace === namespace &&
      i.isGateway &&
      (svc?.selector === undefined || Object.entries(svc.selector).every(([k, v]) => i.labels[k] === v)),
  );
  const pod = pods[0];
  if (pod === undefined) {
    throw new ConfigError(`no gateway pod for ${namespace}/${name}`, { field: `${field}.source` }, 'world');
  }
  const port = svc?.ports.find((p) => p.port === 80) ?? svc?.ports[0];
  const target = typeof port?.targetPort === 'number' ? port.targetPort : (port?.port ?? 80);
  const tls = svc?.ports.find((p) => p.port === 443);
  const tlsTarget = tls === undefined ? undefined : typeof tls.targetPort === 'number' ? tls.targetPort : tls.port;
  return { ip: pod.ip, port: target, ...(tlsTarget !== undefined ? { tlsPort: tlsTarget } : {}) };
}

/** The stand-in for a peer outside the cluster (an external client or a passthrough destination). */
export function externalInstance(ip: string): Instance {
  return new Instance({
    kind: 'external',
    key: ip,
    namespace: '',
    name: ip,
    ip,
    labels: {},
    workload: ip,
    endpoint: { kind: 'external', name: ip, node: ip },
    index: 0,
  });
}
