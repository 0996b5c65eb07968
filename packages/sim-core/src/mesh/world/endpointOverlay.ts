/**
 * The endpoints istiod sends, given what the world knows about readiness: the model's EndpointSlices say
 * every modelled pod is ready; at run time pods die, start and fail their probes. istiod leaves not-ready
 * endpoints out of EDS (`filterIstioEndpoint`, istio/istio pilot/pkg/xds/endpoints/endpoint_builder.go) —
 * except for Services that publish not-ready addresses, whose endpoints stay with health status UNHEALTHY —
 * and a dead or starting pod has no endpoint at all.
 */
import type { ClusterLoadAssignment, LbEndpoint } from '../../envoy/config/endpoint.js';
import type { ProxyConfig } from '../../envoy/config/proxyConfig.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import { parseSubsetKey } from '../../istio/xds/names.js';
import type { InstanceState } from './instance.js';

/** `config` with the endpoints of instances that are not ready removed (the same object when none are). */
export function filterEndpoints(
  config: ProxyConfig,
  model: MeshModel,
  stateOf: (ip: string) => InstanceState | undefined,
): ProxyConfig {
  let changed = false;
  const publishes = (clusterName: string): boolean => {
    const key = parseSubsetKey(clusterName);
    if (key === undefined) return false;
    return model.registry.services.some((s) => s.hostname === key.hostname && s.publishNotReadyAddresses);
  };
  const filterCla = (cla: ClusterLoadAssignment): ClusterLoadAssignment => {
    let touched = false;
    let keepUnready: boolean | undefined;
    const endpoints = cla.endpoints.map((lle) => {
      const kept: LbEndpoint[] = [];
      for (const e of lle.lbEndpoints) {
        const ip = e.endpoint.address.socketAddress?.address;
        const state = ip === undefined ? undefined : stateOf(ip);
        if (state === undefined || state === 'ready') {
          kept.push(e);
          continue;
        }
        touched = true;
        if (state === 'unready' && (keepUnready ??= publishes(cla.clusterName)))
          kept.push({ ...e, healthStatus: 'UNHEALTHY' });
      }
      return kept.length === lle.lbEndpoints.length && !touched ? lle : { ...lle, lbEndpoints: kept };
    });
    if (!touched) return cla;
    changed = true;
    return { ...cla, endpoints: endpoints.filter((l) => l.lbEndpoints.length > 0) };
  };
  const eds = config.endpoints.map(filterCla);
  const clusters = config.clusters.map((c) =>
    c.loadAssignment === undefined || c.type === 'EDS'
      ? c
      : ((): typeof c => {
          const la = filterCla(c.loadAssignment);
          return la === c.loadAssignment ? c : { ...c, loadAssignment: la };
        })(),
  );
  return changed ? { ...config, endpoints: eds, clusters } : config;
}
