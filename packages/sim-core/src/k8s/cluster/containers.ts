/** Typed views of the containers in a pod spec (the JSON stays the source of truth). */
import { asArray, asNumber, asRecord, asString, asStrings, dig } from '../json.js';
import type { Container, ContainerPort } from './types.js';

/** The containers of `spec[field]` (`containers` or `initContainers`). */
export function readContainers(
  spec: Readonly<Record<string, unknown>>,
  field: 'containers' | 'initContainers',
): Container[] {
  const podRunAsUser = asNumber(dig(spec, 'securityContext', 'runAsUser'));
  return asArray(spec[field]).flatMap((c): Container[] => {
    const r = asRecord(c);
    const name = asString(r?.['name']);
    if (r === undefined || name === undefined) return [];
    const ports = asArray(r['ports']).flatMap((p): ContainerPort[] => {
      const pr = asRecord(p);
      const containerPort = asNumber(pr?.['containerPort']);
      if (pr === undefined || containerPort === undefined) return [];
      const protocol = asString(pr['protocol']);
      const portName = asString(pr['name']);
      return [
        {
          ...(portName !== undefined ? { name: portName } : {}),
          containerPort,
          protocol: protocol === 'UDP' || protocol === 'SCTP' ? protocol : 'TCP',
        },
      ];
    });
    const runAsUser = asNumber(dig(r, 'securityContext', 'runAsUser')) ?? podRunAsUser;
    const image = asString(r['image']);
    const restartPolicy = asString(r['restartPolicy']);
    return [
      {
        name,
        ...(image !== undefined ? { image } : {}),
        ports,
        args: asStrings(r['args']),
        ...(runAsUser !== undefined ? { runAsUser } : {}),
        ...(restartPolicy !== undefined ? { restartPolicy } : {}),
      },
    ];
  });
}

/**
 * Resolves a Service `targetPort` against a pod, as `podutil.FindPort`: a number is used as is; a name is
 * looked up among the container ports (of regular containers, then native-sidecar init containers) with the
 * same protocol. `undefined` when a named port is not found.
 */
export function findPort(
  containers: readonly Container[],
  initContainers: readonly Container[],
  targetPort: number | string,
  protocol: string,
): number | undefined {
  if (typeof targetPort === 'number') return targetPort;
  if (/^\d+$/.test(targetPort)) return Number(targetPort);
  const sidecars = initContainers.filter((c) => c.restartPolicy === 'Always');
  for (const c of [...containers, ...sidecars]) {
    for (const p of c.ports) if (p.name === targetPort && p.protocol === protocol) return p.containerPort;
  }
  return undefined;
}
