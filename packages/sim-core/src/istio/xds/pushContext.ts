/**
 * istiod's `PushContext` for one mesh model (istio/istio@1.29.3 `pilot/pkg/model/push_context.go`):
 * services ordered by creation time and indexed by visibility (`initServiceRegistry`,
 * `servicesExportedToNamespace`, `IsServiceVisible`), VirtualServices indexed by gateway and visibility
 * (`initVirtualServices`, `VirtualServicesForGateway`), and endpoint lookups (`ServiceEndpointsByPort`).
 * Built once per model and cached; pure.
 */
import { compareStrings } from '../../k8s/json.js';
import { labelsMatch, type Labels } from '../../k8s/labels.js';
import type { MeshModel } from '../model/meshModel.js';
import type { MeshEndpoint, MeshService } from '../model/registry/types.js';
import { visibleFrom } from '../model/visibility.js';
import { MESH_GATEWAY } from './names.js';
import { gatewayNamesOf, prepareVirtualServices, type VsConfig } from './virtualServices.js';

/** The per-model indexes the translation reads. */
export interface PushContext {
  readonly model: MeshModel;
  /** The cluster DNS domain, `cluster.local`. */
  readonly domain: string;
  /** Every service, oldest first (`SortServicesByCreationTime`). */
  readonly services: readonly MeshService[];
  /** `ServiceIndex.HostnameAndNamespace`: a Kubernetes service wins over a ServiceEntry in one namespace. */
  readonly hostnameAndNamespace: ReadonlyMap<string, ReadonlyMap<string, MeshService>>;
  /** VirtualServices after shortname resolution and delegate merging, oldest first. */
  readonly virtualServices: readonly VsConfig[];
  /** `servicesExportedToNamespace(ns)`: private, then exported-to, then public services. */
  servicesExportedToNamespace(namespace: string): readonly MeshService[];
  /** `IsServiceVisible`. */
  isServiceVisible(service: MeshService, namespace: string): boolean;
  /** `VirtualServicesForGateway(proxyNamespace, gateway)`. */
  virtualServicesForGateway(proxyNamespace: string, gateway: string): readonly VsConfig[];
  /** The three VirtualService lists a sidecar's egress listeners choose from (for the `mesh` gateway). */
  meshVirtualServices(proxyNamespace: string): readonly (readonly VsConfig[])[];
  /** `ServiceEndpointsByPort(service, port, subsetLabels)`. */
  endpointsByPort(service: MeshService, port: number, subsetLabels?: Labels): readonly MeshEndpoint[];
}

const cache = new WeakMap<MeshModel, PushContext>();

/** The push context of `model` (built once, then cached). */
export function pushContextOf(model: MeshModel): PushContext {
  let ps = cache.get(model);
  if (ps === undefined) {
    ps = buildPushContext(model);
    cache.set(model, ps);
  }
  return ps;
}

/** `Service.Attributes.Name` as istiod sorts on it: the Kubernetes name, the host for ServiceEntries. */
function attributeName(s: MeshService): string {
  return s.kind === 'ServiceEntry' ? s.hostname : s.name;
}

function buildPushContext(model: MeshModel): PushContext {
  const domain = model.cluster.domain;
  const services = [...model.registry.services].sort(
    (a, b) =>
      compareStrings(a.creationTimestamp ?? '', b.creationTimestamp ?? '') ||
      compareStrings(attributeName(a), attributeName(b)) ||
      compareStrings(a.namespace, b.namespace),
  );
  const hostnameAndNamespace = new Map<string, Map<string, MeshService>>();
  const privateByNamespace = new Map<string, MeshService[]>();
  const exportedToNamespace = new Map<string, MeshService[]>();
  const publicServices: MeshService[] = [];
  const push = <K, V>(m: Map<K, V[]>, k: K, v: V): void => {
    const l = m.get(k);
    if (l === undefined) m.set(k, [v]);
    else l.push(v);
  };
  for (const s of services) {
    let byNs = hostnameAndNamespace.get(s.hostname);
    if (byNs === undefined) hostnameAndNamespace.set(s.hostname, (byNs = new Map()));
    const existing = byNs.get(s.namespace);
    if (existing === undefined || (existing.registry !== 'Kubernetes' && s.registry === 'Kubernetes'))
      byNs.set(s.namespace, s);
    if (s.exportTo === '*') publicServices.push(s);
    else for (const ns of s.exportTo) push(ns === s.namespace ? privateByNamespace : exportedToNamespace, ns, s);
  }

  const virtualServices = prepareVirtualServices(
    model.istio.virtualServices,
    domain,
    model.meshConfig.defaultVirtualServiceExportTo,
  );
  const privateByNsGw = new Map<string, VsConfig[]>();
  const exportedByNsGw = new Map<string, VsConfig[]>();
  const publicByGw = new Map<string, VsConfig[]>();
  const defaults = model.meshConfig.defaultVirtualServiceExportTo;
  for (const vs of virtualServices) {
    const gws = gatewayNamesOf(vs.spec);
    const exportTo = vs.exportTo !== undefined && vs.exportTo.length > 0 ? vs.exportTo : undefined;
    if (exportTo === undefined) {
      if (defaults.includes('.')) for (const gw of gws) push(privateByNsGw, `${vs.namespace}/${gw}`, vs);
      else if (defaults.includes('*')) for (const gw of gws) push(publicByGw, gw, vs);
      continue;
    }
    if (exportTo.includes('*')) {
      for (const gw of gws) push(publicByGw, gw, vs);
    } else if (!exportTo.includes('~')) {
      for (const e of new Set(exportTo)) {
        for (const gw of gws) {
          if (e === '.' || e === vs.namespace) push(privateByNsGw, `${vs.namespace}/${gw}`, vs);
          else push(exportedByNsGw, `${e}/${gw}`, vs);
        }
      }
    }
  }

  const endpointsByService = new Map<string, MeshEndpoint[]>();
  for (const e of model.registry.endpoints)
    push(endpointsByService, `${e.serviceNamespace}/${e.hostname}/${e.servicePort}`, e);

  return {
    model,
    domain,
    services,
    hostnameAndNamespace,
    virtualServices,
    servicesExportedToNamespace: (ns) => [
      ...(privateByNamespace.get(ns) ?? []),
      ...(exportedToNamespace.get(ns) ?? []),
      ...publicServices,
    ],
    isServiceVisible: (s, ns) => visibleFrom(s.exportTo, ns),
    virtualServicesForGateway(proxyNamespace, gateway) {
      return [
        ...(privateByNsGw.get(`${proxyNamespace}/${gateway}`) ?? []),
        ...(exportedByNsGw.get(`${proxyNamespace}/${gateway}`) ?? []),
        ...(publicByGw.get(gateway) ?? []),
      ];
    },
    meshVirtualServices(proxyNamespace) {
      return [
        privateByNsGw.get(`${proxyNamespace}/${MESH_GATEWAY}`) ?? [],
        exportedByNsGw.get(`${proxyNamespace}/${MESH_GATEWAY}`) ?? [],
        publicByGw.get(MESH_GATEWAY) ?? [],
      ];
    },
    endpointsByPort(service, port, subsetLabels) {
      const all = endpointsByService.get(`${service.namespace}/${service.hostname}/${port}`) ?? [];
      return subsetLabels === undefined ? all : all.filter((e) => labelsMatch(subsetLabels, e.labels));
    },
  };
}
