/**
 * Endpoints of a cluster as istiod sends them (istio/istio@1.29.3 `pilot/pkg/xds/endpoints/
 * endpoint_builder.go` `BuildClusterLoadAssignment`, `generate`, `filterIstioEndpoint`,
 * `buildEnvoyLbEndpoint`; `core/loadbalancer/loadbalancer.go` `ApplyLocalityLoadBalancer`,
 * `applyLocalityFailover`, `applyLocalityWeights`; `networking/util/util.go` `LbPriority`). Endpoints of the
 * service port (and subset labels) are grouped by locality (sorted), weighted (1 unless a WorkloadEntry says
 * otherwise), with `healthStatus` HEALTHY / UNHEALTHY / DRAINING; not-ready and terminating endpoints are
 * left out unless the service publishes not-ready addresses. With locality load balancing on (the mesh
 * default) and outlier detection configured, localities get failover priorities from the proxy's own
 * locality (0 same zone and subzone … 3 other region) or, with `failoverPriority`, from the labels endpoints
 * share with the proxy; `distribute` rewrites locality weights.
 */
import type {
  ClusterLoadAssignment,
  HealthStatus,
  LbEndpoint,
  LocalityLbEndpoints,
} from '../../../envoy/config/endpoint.js';
import type { MeshEndpoint, MeshService } from '../../model/registry/types.js';
import type { LocalityLbSetting } from '../api.js';

/** The proxy's locality. */
export interface ProxyLocality {
  readonly region: string;
  readonly zone: string;
  readonly subZone: string;
}

const HEALTH: Readonly<Record<MeshEndpoint['healthStatus'], HealthStatus>> = {
  Healthy: 'HEALTHY',
  UnHealthy: 'UNHEALTHY',
  Draining: 'DRAINING',
  Terminating: 'UNHEALTHY',
};

/** `filterIstioEndpoint` (the parts meshsim models). */
function usable(ep: MeshEndpoint, service: MeshService): boolean {
  if (ep.address === '') return false;
  if (!service.publishNotReadyAddresses && ep.healthStatus === 'UnHealthy') return false;
  if (ep.healthStatus === 'Terminating' || ep.healthStatus === 'Draining') return false;
  return true;
}

/** `buildEnvoyLbEndpoint`. */
function lbEndpoint(ep: MeshEndpoint, mtlsEnabled: boolean): LbEndpoint {
  const workload = `${ep.workload.name};${ep.workload.namespace};${ep.labels['service.istio.io/canonical-name'] ?? ep.labels['app'] ?? ep.workload.name};${ep.labels['service.istio.io/canonical-revision'] ?? ep.labels['version'] ?? 'latest'};Kubernetes`;
  return {
    endpoint: { address: { socketAddress: { address: ep.address, portValue: ep.endpointPort } } },
    healthStatus: HEALTH[ep.healthStatus],
    loadBalancingWeight: ep.weight ?? 1,
    metadata: {
      filterMetadata: {
        ...(mtlsEnabled && ep.tlsMode === 'istio' ? { 'envoy.transport_socket_match': { tlsMode: 'istio' } } : {}),
        istio: { workload },
        meshsim: { labels: ep.labels },
      },
    },
  };
}

function splitLocality(l: string): { region?: string; zone?: string; subZone?: string } {
  const [region = '', zone = '', subZone = ''] = l.split('/');
  return {
    ...(region !== '' ? { region } : {}),
    ...(zone !== '' ? { zone } : {}),
    ...(subZone !== '' ? { subZone } : {}),
  };
}

/** Endpoints grouped by locality (`generate`), for EDS or an inline load assignment. */
export function localityLbEndpoints(
  endpoints: readonly MeshEndpoint[],
  service: MeshService,
  mtlsEnabled: boolean,
): LocalityLbEndpoints[] {
  const byLocality = new Map<string, LbEndpoint[]>();
  for (const ep of endpoints) {
    if (!usable(ep, service)) continue;
    const l = byLocality.get(ep.locality);
    const e = lbEndpoint(ep, mtlsEnabled);
    if (l === undefined) byLocality.set(ep.locality, [e]);
    else l.push(e);
  }
  return [...byLocality.keys()].sort().map((loc) => {
    const lbEndpoints = byLocality.get(loc) as LbEndpoint[];
    const locality = splitLocality(loc);
    return {
      ...(Object.keys(locality).length > 0 ? { locality } : {}),
      lbEndpoints,
      loadBalancingWeight: lbEndpoints.reduce((s, e) => s + (e.loadBalancingWeight ?? 1), 0),
    };
  });
}

/** `LbPriority(proxyLocality, endpointLocality)`. */
export function lbPriority(
  proxy: ProxyLocality,
  ep: { readonly region?: string; readonly zone?: string; readonly subZone?: string } | undefined,
): number {
  if (proxy.region !== (ep?.region ?? '')) return 3;
  if (proxy.zone !== (ep?.zone ?? '')) return 2;
  if (proxy.subZone !== (ep?.subZone ?? '')) return 1;
  return 0;
}

function localityMatch(
  l: { readonly region?: string; readonly zone?: string; readonly subZone?: string } | undefined,
  rule: string,
): boolean {
  const [r = '', z = '', s = ''] = rule.split('/');
  return (
    (r === '*' || (l?.region ?? '') === r) &&
    (z === '*' || z === '' || (l?.zone ?? '') === z) &&
    (s === '*' || s === '' || (l?.subZone ?? '') === s)
  );
}

/**
 * `ApplyLocalityLoadBalancer`: `distribute` rewrites locality weights; otherwise, with failover enabled
 * (outlier detection configured), `failoverPriority` labels split localities into priorities
 * (`applyFailoverPriorities`) and, when `failover` is given too or instead, locality failover priorities follow.
 */
export function applyLocalityLoadBalancer(
  eps: readonly LocalityLbEndpoints[],
  proxy: ProxyLocality,
  setting: LocalityLbSetting | undefined,
  enableFailover: boolean,
  proxyLabels: Readonly<Record<string, string>> = {},
): LocalityLbEndpoints[] {
  if (setting === undefined) return [...eps];
  if (setting.distribute !== undefined && setting.distribute.length > 0) {
    const proxyLoc = { region: proxy.region, zone: proxy.zone, subZone: proxy.subZone };
    const rule = setting.distribute.find((d) => localityMatch(proxyLoc, d.from ?? ''));
    if (rule === undefined) return [...eps];
    const out = eps.map((e) => ({ ...e }));
    const unmatched = new Set(out.map((_, i) => i));
    for (const [loc, weight] of Object.entries(rule.to ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const idx = [...unmatched].filter((i) => localityMatch(out[i]?.locality, loc));
      const total = idx.reduce((s, i) => s + (out[i]?.loadBalancingWeight ?? 1), 0);
      for (const i of idx) {
        unmatched.delete(i);
        const w = ((out[i]?.loadBalancingWeight ?? 1) * weight) / total;
        if (w > 0) (out[i] as { loadBalancingWeight?: number }).loadBalancingWeight = Math.ceil(w);
      }
    }
    for (const i of unmatched) (out[i] as { lbEndpoints: LbEndpoint[] }).lbEndpoints = [];
    return out;
  }
  if (!enableFailover) return [...eps];
  const priorities = setting.failoverPriority ?? [];
  if (priorities.length > 0) {
    const byLabels = applyFailoverPriorities(eps, proxyLabels, priorities);
    return (setting.failover ?? []).length > 0 ? applyLocalityFailover(byLabels, proxy, setting) : byLabels;
  }
  return applyLocalityFailover(eps, proxy, setting);
}

/** Priorities made dense (0…N−1, in order), as istiod's step "adjust the priorities in order". */
function densePriorities(eps: readonly LocalityLbEndpoints[], prio: readonly number[]): LocalityLbEndpoints[] {
  const ranks = [...new Set(prio)].sort((a, b) => a - b);
  return eps.map((e, i) => {
    const rank = ranks.indexOf(prio[i] as number);
    const { priority: _old, ...rest } = e;
    void _old;
    return rank > 0 ? { ...rest, priority: rank } : rest;
  });
}

/**
 * `applyFailoverPriorities` / `applyFailoverPriorityPerLocality`: each locality is split by how many of the
 * `failoverPriority` labels an endpoint shares with the proxy, in order — all of them: priority 0; the j-th
 * (0-based) is the first that differs: N − j. A `label=value` entry compares with that value instead of the
 * proxy's. Endpoints' labels are the ones recorded in `meshsim.labels` (Istio's, with topology labels).
 * Nothing changes for a proxy without labels.
 */
function applyFailoverPriorities(
  eps: readonly LocalityLbEndpoints[],
  proxyLabels: Readonly<Record<string, string>>,
  failoverPriority: readonly string[],
): LocalityLbEndpoints[] {
  if (Object.keys(proxyLabels).length === 0 || eps.length === 0) return [...eps];
  const labels: string[] = [];
  const overrides = new Map<string, string>();
  for (const entry of failoverPriority) {
    const parts = entry.split('=');
    labels.push(parts[0] ?? '');
    if (parts.length === 2) overrides.set(parts[0] ?? '', parts[1] ?? '');
  }
  const split: LocalityLbEndpoints[] = [];
  for (const l of eps) {
    const byPriority = new Map<number, LbEndpoint[]>();
    for (const e of l.lbEndpoints) {
      const epLabels = e.metadata?.filterMetadata?.meshsim?.labels ?? {};
      let priority = 0;
      for (const [j, label] of labels.entries()) {
        const want = overrides.has(label) ? overrides.get(label) : proxyLabels[label];
        if ((want ?? '') !== (epLabels[label] ?? '')) {
          priority = labels.length - j;
          break;
        }
      }
      const list = byPriority.get(priority);
      if (list === undefined) byPriority.set(priority, [e]);
      else list.push(e);
    }
    for (const p of [...byPriority.keys()].sort((a, b) => a - b)) {
      const lbEndpoints = byPriority.get(p) as LbEndpoint[];
      const { priority: _old, ...rest } = l;
      void _old;
      split.push({
        ...rest,
        lbEndpoints,
        loadBalancingWeight: lbEndpoints.reduce((s, e) => s + (e.loadBalancingWeight ?? 0), 0),
        ...(p > 0 ? { priority: p } : {}),
      });
    }
  }
  return densePriorities(
    split,
    split.map((e) => e.priority ?? 0),
  );
}

/** `applyLocalityFailover`: priority by locality match, after any label priority (× 5). */
function applyLocalityFailover(
  eps: readonly LocalityLbEndpoints[],
  proxy: ProxyLocality,
  setting: LocalityLbSetting,
): LocalityLbEndpoints[] {
  const prio = eps.map((e) => {
    let p = lbPriority(proxy, e.locality);
    if (p === 3) {
      const f = (setting.failover ?? []).find((x) => x.from === proxy.region);
      if (f !== undefined && (e.locality?.region ?? '') !== f.to) p = 4;
    }
    return (e.priority ?? 0) * 5 + p;
  });
  return densePriorities(eps, prio);
}

/** A `ClusterLoadAssignment`. */
export function clusterLoadAssignment(
  clusterName: string,
  endpoints: readonly LocalityLbEndpoints[],
): ClusterLoadAssignment {
  return { clusterName, endpoints };
}
