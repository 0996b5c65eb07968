/**
 * istiod's `SidecarScope` (istio/istio@1.29.3 `pilot/pkg/model/sidecar.go`, `push_context.go`
 * `getSidecarScope`): which `Sidecar` resource applies to a proxy (one with a matching `workloadSelector`
 * in its namespace, oldest first; else the namespace's selector-less one; else the root namespace's), its
 * egress listeners with the services and VirtualServices each imports (`hosts: ns/dnsName`), the services
 * the proxy sees in total (plus VirtualService destinations), and the effective `outboundTrafficPolicy`.
 * Without a Sidecar, one egress listener imports every host of every namespace (`*` / `*`). Gateways get `DefaultSidecarScopeForGateway`.
 */
import type { Provenance } from '../../envoy/config/core.js';
import { labelsMatch, readLabels } from '../../k8s/labels.js';
import type { IstioObject, SidecarSpec } from '../model/config.js';
import { hostMatches, hostSubsetOf, isWildcarded } from '../model/host.js';
import type { MeshService } from '../model/registry/types.js';
import type { IstioEgressListener, Sidecar } from './api.js';
import type { ProxyNode } from './proxyNode.js';
import type { PushContext } from './pushContext.js';
import { mostSpecificHostMatch } from './hostMatch.js';
import type { VsConfig } from './virtualServices.js';

/** `hostClassification`: the hosts an egress listener imports from one namespace. */
interface HostClassification {
  readonly exactHosts: Set<string>;
  readonly allHosts: string[];
}

/** `IstioEgressListenerWrapper`. */
export interface EgressListener {
  /** The Sidecar's egress entry; undefined for the implicit import-everything listener. */
  readonly istioListener?: IstioEgressListener;
  readonly services: readonly MeshService[];
  readonly virtualServices: readonly VsConfig[];
  /** `mostSpecificWildcardVsIndex`: service host → `ns/name` of the VirtualService that owns it. */
  readonly mostSpecificWildcardVsIndex: ReadonlyMap<string, string>;
}

/** `SidecarScope`. */
export interface SidecarScope {
  /** The Sidecar resource in force, if any. */
  readonly sidecar?: IstioObject<SidecarSpec>;
  readonly spec?: Sidecar;
  readonly namespace: string;
  readonly egressListeners: readonly EgressListener[];
  /** Every service the proxy sees, merged by hostname. */
  readonly services: readonly MeshService[];
  readonly servicesByHostname: ReadonlyMap<string, MeshService>;
  /** Effective `outboundTrafficPolicy.mode` (the Sidecar's, else MeshConfig's). */
  readonly outboundTrafficPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  /** Where the outbound traffic policy came from. */
  readonly outboundTrafficPolicySource: Provenance;
}

/** The Sidecar resource that applies to `proxy` (`doGetSidecarScope`). */
export function sidecarFor(
  ps: PushContext,
  proxy: Pick<ProxyNode, 'namespace' | 'labels' | 'type'>,
): IstioObject<SidecarSpec> | undefined {
  if (proxy.type === 'router') return undefined;
  const sidecars = ps.model.istio.sidecars; // oldest first
  const selectorOf = (s: IstioObject<SidecarSpec>): Readonly<Record<string, string>> | undefined =>
    (s.spec as unknown as Sidecar).workloadSelector?.labels;
  const inNs = sidecars.filter((s) => s.metadata.namespace === proxy.namespace);
  const withSelector = inNs.find(
    (s) => selectorOf(s) !== undefined && labelsMatch(readLabels(selectorOf(s)), proxy.labels),
  );
  if (withSelector !== undefined) return withSelector;
  const nsDefault = inNs.find((s) => selectorOf(s) === undefined);
  if (nsDefault !== undefined) return nsDefault;
  return sidecars.find(
    (s) => s.metadata.namespace === ps.model.meshConfig.rootNamespace && selectorOf(s) === undefined,
  );
}

/** Builds the scope of `proxy`. */
export function buildSidecarScope(
  ps: PushContext,
  proxy: Pick<ProxyNode, 'namespace' | 'labels' | 'type'>,
): SidecarScope {
  const ns = proxy.namespace;
  const mesh = ps.model.meshConfig;
  const meshMode = mesh.outboundTrafficPolicy.mode === 'REGISTRY_ONLY' ? 'REGISTRY_ONLY' : 'ALLOW_ANY';
  const meshSource: Provenance = {
    kind: 'MeshConfig',
    namespace: mesh.rootNamespace,
    name: 'istio',
    field: 'outboundTrafficPolicy.mode',
  };
  if (proxy.type === 'router') {
    // DefaultSidecarScopeForGateway: every service exported to the gateway's namespace.
    const services = mergeServices(ps.servicesExportedToNamespace(ns));
    const virtualServices = ps.virtualServicesForGateway(ns, 'mesh');
    return {
      namespace: ns,
      egressListeners: [{ services, virtualServices, mostSpecificWildcardVsIndex: new Map() }],
      services,
      servicesByHostname: new Map(services.map((s) => [s.hostname, s])),
      outboundTrafficPolicy: meshMode,
      outboundTrafficPolicySource: meshSource,
    };
  }
  const sidecar = sidecarFor(ps, proxy);
  const spec = sidecar?.spec as unknown as Sidecar | undefined;
  const egressConfigs: readonly IstioEgressListener[] =
    spec?.egress !== undefined && spec.egress.length > 0 ? spec.egress : [{ hosts: ['*/*'] }];
  const egressListeners = egressConfigs.map((e) =>
    egressListenerFor(ps, ns, spec?.egress !== undefined && spec.egress.length > 0 ? e : undefined),
  );
  const services = collectImportedServices(ps, ns, egressListeners);
  const sidecarMode = spec?.outboundTrafficPolicy?.mode;
  return {
    ...(sidecar !== undefined ? { sidecar } : {}),
    ...(spec !== undefined ? { spec } : {}),
    namespace: ns,
    egressListeners,
    services,
    servicesByHostname: new Map(services.map((s) => [s.hostname, s])),
    outboundTrafficPolicy:
      sidecarMode === undefined ? meshMode : sidecarMode === 'REGISTRY_ONLY' ? 'REGISTRY_ONLY' : 'ALLOW_ANY',
    outboundTrafficPolicySource:
      sidecarMode === undefined || sidecar === undefined
        ? meshSource
        : {
            kind: 'Sidecar',
            namespace: sidecar.metadata.namespace ?? ns,
            name: sidecar.metadata.name,
            file: sidecar.source.file,
            line: sidecar.source.lineOf(['spec', 'outboundTrafficPolicy', 'mode']),
            field: 'spec.outboundTrafficPolicy.mode',
          },
  };
}

/** `convertIstioListenerToWrapper`. */
function egressListenerFor(
  ps: PushContext,
  configNamespace: string,
  l: IstioEgressListener | undefined,
): EgressListener {
  const hostsByNamespace = new Map<string, HostClassification>();
  for (const h of l?.hosts ?? ['*/*']) {
    const slash = h.indexOf('/');
    if (slash < 0 || h.indexOf('/', slash + 1) >= 0) continue; // "host must be of form namespace/dnsName"
    let ns = h.slice(0, slash);
    const name = h.slice(slash + 1);
    if (ns === '.') ns = configNamespace;
    let hc = hostsByNamespace.get(ns);
    if (hc === undefined) hostsByNamespace.set(ns, (hc = { exactHosts: new Set(), allHosts: [] }));
    if (!isWildcarded(name)) hc.exactHosts.add(name);
    hc.allHosts.push(name);
  }
  const matchPort =
    l?.port?.number !== undefined && l.port.number !== 0 && (l.port.protocol ?? '').toUpperCase() !== 'HTTP_PROXY';
  const virtualServices = selectVirtualServices(ps, configNamespace, hostsByNamespace);
  const services = selectServices(
    ps.servicesExportedToNamespace(configNamespace),
    configNamespace,
    hostsByNamespace,
    matchPort ? (l?.port?.number ?? 0) : 0,
  );
  return {
    ...(l !== undefined ? { istioListener: l } : {}),
    services,
    virtualServices,
    mostSpecificWildcardVsIndex: wildcardHostVirtualServiceIndex(virtualServices, services),
  };
}

function classMatches(hc: HostClassification, h: string): boolean {
  if (hc.exactHosts.has(h)) return true;
  const wc = isWildcarded(h);
  return hc.allHosts.some((imported) => (wc || isWildcarded(imported)) && hostSubsetOf(h, imported));
}

function classVsMatches(hc: HostClassification, vsHost: string): boolean {
  if (hc.exactHosts.has(vsHost)) return true;
  const wc = isWildcarded(vsHost);
  return hc.allHosts.some((imported) => (wc || isWildcarded(imported)) && hostMatches(vsHost, imported));
}

/** `SelectVirtualServices` for the `mesh` gateway. */
function selectVirtualServices(
  ps: PushContext,
  configNamespace: string,
  hostsByNamespace: ReadonlyMap<string, HostClassification>,
): VsConfig[] {
  const out: VsConfig[] = [];
  const seen = new Set<string>();
  const wildcard = hostsByNamespace.get('*');
  const add = (vs: VsConfig, hc: HostClassification): void => {
    const key = `${vs.namespace}/${vs.name}`;
    if (seen.has(key)) return;
    if ((vs.spec.hosts ?? []).some((h) => classVsMatches(hc, h))) {
      out.push(vs);
      seen.add(key);
    }
  };
  for (const list of ps.meshVirtualServices(configNamespace)) {
    for (const vs of list) {
      const own = hostsByNamespace.get(vs.namespace);
      if (own !== undefined) add(vs, own);
      if (wildcard !== undefined) add(vs, wildcard);
    }
  }
  return out;
}

/** `selectServices` (with `PILOT_UNIFIED_SIDECAR_SCOPE`, on by default). */
function selectServices(
  services: readonly MeshService[],
  configNamespace: string,
  hostsByNamespace: ReadonlyMap<string, HostClassification>,
  listenerPort: number,
): MeshService[] {
  const imported: MeshService[] = [];
  const wildcard = hostsByNamespace.get('*');
  const matching = (hc: HostClassification, s: MeshService): MeshService | undefined =>
    classMatches(hc, s.hostname) ? (listenerPort > 0 ? serviceMatchingListenerPort(s, listenerPort) : s) : undefined;
  for (const s of services) {
    const own = hostsByNamespace.get(s.namespace);
    const fromOwn = own !== undefined ? matching(own, s) : undefined;
    if (fromOwn !== undefined) {
      imported.push(fromOwn);
      continue;
    }
    const fromWildcard = wildcard !== undefined ? matching(wildcard, s) : undefined;
    if (fromWildcard !== undefined) imported.push(fromWildcard);
  }
  // One namespace per hostname: the proxy's own, else a Kubernetes service over a ServiceEntry, else the first.
  const valid = new Map<string, { ns: string; kube: boolean }>();
  for (const s of imported) {
    const np = { ns: s.namespace, kube: s.registry === 'Kubernetes' };
    const ex = valid.get(s.hostname);
    if (ex === undefined || s.namespace === configNamespace) valid.set(s.hostname, np);
    else if (!ex.kube && np.kube && (np.ns === configNamespace || ex.ns !== configNamespace)) valid.set(s.hostname, np);
  }
  return imported.filter((s) => valid.get(s.hostname)?.ns === s.namespace);
}

/** `serviceMatchingListenerPort`: the service restricted to the listener's port, or undefined. */
function serviceMatchingListenerPort(s: MeshService, port: number): MeshService | undefined {
  const p = s.ports.find((x) => x.port === port);
  if (p === undefined) return undefined;
  return s.ports.length === 1 ? s : { ...s, ports: [p] };
}

/** `computeWildcardHostVirtualServiceIndex`. */
function wildcardHostVirtualServiceIndex(
  virtualServices: readonly VsConfig[],
  services: readonly MeshService[],
): Map<string, string> {
  const fqdn = new Map<string, VsConfig>();
  const wild = new Map<string, VsConfig>();
  for (const vs of virtualServices) {
    for (const h of vs.spec.hosts ?? []) {
      const m = isWildcarded(h) ? wild : fqdn;
      if (!m.has(h)) m.set(h, vs);
    }
  }
  const out = new Map<string, string>();
  for (const s of services) {
    const hit = mostSpecificHostMatch(s.hostname, fqdn, wild);
    if (hit !== undefined) out.set(s.hostname, `${hit.value.namespace}/${hit.value.name}`);
  }
  return out;
}

/**
 * `collectImportedServices`: the egress listeners' services, then each imported VirtualService's
 * destinations (the same-namespace service, else the first visible namespace's), restricted to the
 * destination ports when all destinations name one.
 */
function collectImportedServices(
  ps: PushContext,
  configNamespace: string,
  listeners: readonly EgressListener[],
): MeshService[] {
  const added = new Map<string, number>();
  const out: MeshService[] = [];
  const append = (s: MeshService | undefined): void => {
    if (s === undefined) return;
    const i = added.get(s.hostname);
    if (i === undefined) {
      added.set(s.hostname, out.length);
      out.push(s);
      return;
    }
    out[i] = appendSidecarService(out[i] as MeshService, s);
  };
  for (const l of listeners) {
    const matchPort =
      l.istioListener?.port?.number !== undefined &&
      l.istioListener.port.number !== 0 &&
      (l.istioListener.port.protocol ?? '').toUpperCase() !== 'HTTP_PROXY';
    for (const s of l.services) append(s);
    for (const vs of l.virtualServices) {
      for (const [h, ports] of virtualServiceDestinations(vs, configNamespace)) {
        const byNs = ps.hostnameAndNamespace.get(h);
        if (byNs === undefined) continue;
        let svc = byNs.get(configNamespace);
        if (svc === undefined) {
          const visible = [...byNs.keys()]
            .filter((n) => ps.isServiceVisible(byNs.get(n) as MeshService, configNamespace))
            .sort();
          svc = visible[0] === undefined ? undefined : byNs.get(visible[0]);
        }
        if (svc === undefined) continue;
        append(
          matchPort
            ? serviceMatchingListenerPort(svc, l.istioListener?.port?.number ?? 0)
            : serviceMatchingVirtualServicePorts(svc, ports),
        );
      }
    }
  }
  return out;
}

/** `appendSidecarServices` for a hostname already present. */
function appendSidecarService(existing: MeshService, s: MeshService): MeshService {
  if (existing === s) return existing;
  if (existing.registry === 'Kubernetes' && s.registry !== 'Kubernetes') return existing;
  if (existing.registry !== 'Kubernetes' && s.registry === 'Kubernetes') return s;
  const samePorts =
    existing.ports.length === s.ports.length &&
    existing.ports.every(
      (p, i) => p.port === s.ports[i]?.port && p.name === s.ports[i]?.name && p.protocol === s.ports[i]?.protocol,
    );
  if (samePorts) return existing;
  const mergeable =
    existing.namespace === s.namespace && existing.resolution === s.resolution && existing.registry === s.registry;
  if (!mergeable) return existing;
  return {
    ...existing,
    ports: [...existing.ports, ...s.ports.filter((p) => !existing.ports.some((e) => e.port === p.port))],
  };
}

/** `serviceMatchingVirtualServicePorts`. */
function serviceMatchingVirtualServicePorts(s: MeshService, ports: ReadonlySet<number>): MeshService | undefined {
  if (ports.size === 0 || ports.has(0)) return s;
  const found = s.ports.filter((p) => ports.has(p.port));
  if (found.length === s.ports.length) return s;
  return found.length > 0 ? { ...s, ports: found } : undefined;
}

/** `virtualServiceDestinationsFilteredBySourceNamespace`: destination host → ports (0 = unspecified). */
export function virtualServiceDestinations(vs: VsConfig, configNamespace: string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  const add = (host: string, port: number | undefined): void => {
    let s = out.get(host);
    if (s === undefined) out.set(host, (s = new Set()));
    s.add(port ?? 0);
  };
  for (const h of vs.spec.http ?? []) {
    if (configNamespace !== '') {
      let matched = true;
      for (const m of h.match ?? []) {
        if (m.sourceNamespace !== undefined && m.sourceNamespace !== '') {
          if (m.sourceNamespace === configNamespace) {
            matched = true;
            break;
          }
          matched = false;
        }
      }
      if (!matched) continue;
    }
    for (const r of h.route ?? []) add(r.destination.host, r.destination.port?.number);
    if (h.mirror !== undefined) add(h.mirror.host, h.mirror.port?.number);
    for (const m of h.mirrors ?? [])
      if (m.destination !== undefined) add(m.destination.host, m.destination.port?.number);
  }
  for (const t of [...(vs.spec.tcp ?? []), ...(vs.spec.tls ?? [])])
    for (const r of t.route ?? []) add(r.destination.host, r.destination.port?.number);
  return out;
}

/** Merges services with the same hostname as `appendSidecarServices` does (gateway scope). */
function mergeServices(list: readonly MeshService[]): MeshService[] {
  const out: MeshService[] = [];
  const index = new Map<string, number>();
  for (const s of list) {
    const i = index.get(s.hostname);
    if (i === undefined) {
      index.set(s.hostname, out.length);
      out.push(s);
    } else out[i] = appendSidecarService(out[i] as MeshService, s);
  }
  return out;
}

/** `GetEgressListenerForRDS(port)`: the listener for a port, or the catch-all one. */
export function egressListenerForRDS(scope: SidecarScope, port: number): EgressListener | undefined {
  for (const e of scope.egressListeners) {
    if (e.istioListener?.port?.number === undefined || e.istioListener.port.number === 0) return e;
    if (e.istioListener.port.number === port) return e;
  }
  return undefined;
}
