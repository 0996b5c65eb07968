/**
 * EndpointSlices as the EndpointSlice controller derives them (`pkg/controller/endpointslice`): for a Service
 * with a selector, one endpoint per selected pod that has an address, grouped into one slice per distinct set
 * of resolved ports (a named `targetPort` may resolve differently per pod). `conditions.ready` is the pod's
 * readiness or `publishNotReadyAddresses`; `serving` is the pod's readiness. A pod on which a named
 * `targetPort` does not resolve gets no endpoint for that port — the Service silently has no backend there,
 * which meshsim reports (`TargetPortNotFound`). Services without a selector use the EndpointSlices and
 * Endpoints of the manifests.
 */
import { safeSuffix } from '../hash.js';
import { asArray, asBoolean, asNumber, asRecord, asString, asStrings, compareStrings } from '../json.js';
import { labelsMatch } from '../labels.js';
import type { KubeObject } from '../object.js';
import { findPort } from './containers.js';
import type { ClusterDiagnostic, Endpoint, EndpointSlice, Pod, Service } from './types.js';

/** Derives EndpointSlices for `services` from `pods`, plus declared ones for selector-less services. */
export function buildEndpointSlices(
  services: readonly Service[],
  pods: readonly Pod[],
  declared: readonly KubeObject[],
): { endpointSlices: EndpointSlice[]; diagnostics: ClusterDiagnostic[] } {
  const diagnostics: ClusterDiagnostic[] = [];
  const slices: EndpointSlice[] = [];
  const podsByNamespace = new Map<string, Pod[]>();
  for (const p of pods) {
    if (p.podIP === '') continue;
    const list = podsByNamespace.get(p.namespace);
    if (list === undefined) podsByNamespace.set(p.namespace, [p]);
    else list.push(p);
  }
  for (const svc of services) {
    if (svc.type === 'ExternalName') continue;
    if (svc.selector === undefined) {
      slices.push(...declaredSlices(svc, declared));
      continue;
    }
    const selected = pods.filter(
      (p) => p.namespace === svc.namespace && p.podIP !== '' && labelsMatch(svc.selector, p.labels),
    );
    const groups = new Map<string, { ports: EndpointSlice['ports']; endpoints: Endpoint[] }>();
    const unresolved = new Set<number>();
    for (const pod of selected) {
      const ports = svc.ports.flatMap((sp, i) => {
        const port = findPort(pod.containers, pod.initContainers, sp.targetPort, sp.protocol);
        if (port === undefined) {
          unresolved.add(i);
          return [];
        }
        return [
          {
            ...(sp.name !== undefined ? { name: sp.name } : {}),
            port,
            protocol: sp.protocol,
            ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}),
          },
        ];
      });
      if (ports.length === 0 && svc.ports.length > 0) continue;
      const key = ports.map((p) => `${p.name ?? ''}:${p.port}/${p.protocol}`).join(',');
      const group = groups.get(key) ?? { ports, endpoints: [] };
      group.endpoints.push({
        addresses: [pod.podIP],
        conditions: { ready: pod.ready || svc.publishNotReadyAddresses, serving: pod.ready, terminating: false },
        targetRef: { kind: 'Pod', name: pod.name, namespace: pod.namespace },
        nodeName: pod.nodeName,
        ...(pod.locality.zone !== '' ? { zone: pod.locality.zone } : {}),
        ...(pod.hostname !== undefined && pod.subdomain === svc.name ? { hostname: pod.hostname } : {}),
      });
      groups.set(key, group);
    }
    for (const i of [...unresolved].sort((a, b) => a - b)) {
      const sp = svc.ports[i];
      if (sp === undefined) continue;
      diagnostics.push({
        code: 'TargetPortNotFound',
        kind: 'Service',
        namespace: svc.namespace,
        name: svc.name,
        source: svc.source,
        field: ['spec', 'ports', i, 'targetPort'],
        message: `targetPort ${JSON.stringify(sp.targetPort)} of port ${sp.name ?? sp.port} names no ${sp.protocol} container port of the selected pods; those pods get no endpoint for it`,
      });
    }
    for (const [key, group] of [...groups].sort((a, b) => compareStrings(a[0], b[0]))) {
      slices.push({
        name: `${svc.name}-${safeSuffix(`${svc.namespace}/${svc.name}/${key}`)}`,
        namespace: svc.namespace,
        serviceName: svc.name,
        addressType: 'IPv4',
        ports: group.ports,
        endpoints: group.endpoints,
        declared: false,
      });
    }
  }
  return { endpointSlices: slices, diagnostics };
}

function declaredSlices(svc: Service, declared: readonly KubeObject[]): EndpointSlice[] {
  const out: EndpointSlice[] = [];
  for (const obj of declared) {
    if (obj.metadata.namespace !== svc.namespace) continue;
    const raw = obj as unknown as Record<string, unknown>;
    if (obj.kind === 'EndpointSlice' && obj.metadata.labels?.['kubernetes.io/service-name'] === svc.name) {
      out.push({
        name: obj.metadata.name,
        namespace: svc.namespace,
        serviceName: svc.name,
        addressType: 'IPv4',
        ports: asArray(raw['ports']).flatMap((p) => {
          const r = asRecord(p);
          const port = asNumber(r?.['port']);
          if (port === undefined) return [];
          const name = asString(r?.['name']);
          return [{ ...(name !== undefined ? { name } : {}), port, protocol: asString(r?.['protocol']) ?? 'TCP' }];
        }),
        endpoints: asArray(raw['endpoints']).flatMap((e): Endpoint[] => {
          const r = asRecord(e);
          if (r === undefined) return [];
          const cond = asRecord(r['conditions']);
          const ready = asBoolean(cond?.['ready']) ?? true;
          const nodeName = asString(r['nodeName']);
          const zone = asString(r['zone']);
          return [
            {
              addresses: asStrings(r['addresses']),
              conditions: {
                ready,
                serving: asBoolean(cond?.['serving']) ?? ready,
                terminating: asBoolean(cond?.['terminating']) ?? false,
              },
              ...(nodeName !== undefined ? { nodeName } : {}),
              ...(zone !== undefined ? { zone } : {}),
            },
          ];
        }),
        declared: true,
      });
    }
    // Legacy Endpoints (same name as the service): one slice per subset, as the EndpointSlice mirroring controller does.
    if (obj.kind === 'Endpoints' && obj.metadata.name === svc.name) {
      asArray(raw['subsets']).forEach((s, i) => {
        const subset = asRecord(s);
        const ready = asArray(subset?.['addresses'])
          .map((a) => asString(asRecord(a)?.['ip']))
          .filter((a): a is string => !!a);
        const notReady = asArray(subset?.['notReadyAddresses'])
          .map((a) => asString(asRecord(a)?.['ip']))
          .filter((a): a is string => !!a);
        out.push({
          name: `${svc.name}-${i}`,
          namespace: svc.namespace,
          serviceName: svc.name,
          addressType: 'IPv4',
          ports: asArray(subset?.['ports']).flatMap((p) => {
            const r = asRecord(p);
            const port = asNumber(r?.['port']);
            if (port === undefined) return [];
            const name = asString(r?.['name']);
            return [{ ...(name !== undefined ? { name } : {}), port, protocol: asString(r?.['protocol']) ?? 'TCP' }];
          }),
          endpoints: [
            ...ready.map((ip) => ({ addresses: [ip], conditions: { ready: true, serving: true, terminating: false } })),
            ...notReady.map((ip) => ({
              addresses: [ip],
              conditions: { ready: false, serving: false, terminating: false },
            })),
          ],
          declared: true,
        });
      });
    }
  }
  return out;
}
