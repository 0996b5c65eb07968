/**
 * Cluster names and endpoints of an explanation. istiod names clusters `direction|port|subset|host`
 * (istio/istio pilot/pkg/model/service.go `BuildSubsetKey`, `ParseSubsetKey`); special clusters
 * (`PassthroughCluster`, `InboundPassthroughCluster`, `BlackHoleCluster`) have fixed names. Endpoints come
 * from the cluster's EDS load assignment or inline `load_assignment`; an ORIGINAL_DST cluster connects to
 * the connection's original destination. {@link clusterFate} says whether the router can use a cluster at
 * all.
 */
import type { DownstreamConnection } from '../envoy/listener/connection.js';
import type { ClusterCandidate, EndpointInfo } from './explanation.js';
import type { ClusterLoadAssignmentView, ProxyConfigView } from './proxyConfigView.js';

/** Splits an Istio cluster name `outbound|80|v1|reviews.default.svc.cluster.local` into its parts. */
export function parseClusterName(
  name: string,
): { direction: 'outbound' | 'inbound'; port: number; subset: string; host: string } | undefined {
  const parts = name.split('|');
  if (parts.length !== 4) return undefined;
  const [direction, port, subset, host] = parts as [string, string, string, string];
  if ((direction !== 'outbound' && direction !== 'inbound') || !/^\d+$/.test(port)) return undefined;
  return { direction, port: Number(port), subset, host };
}

/** Candidates with the parts of their Istio names. */
export function candidatesOf(
  picks: readonly { name: string; weight?: number; probability: number }[],
): ClusterCandidate[] {
  return picks.map((p) => {
    const parsed = parseClusterName(p.name);
    return {
      name: p.name,
      ...(p.weight !== undefined ? { weight: p.weight } : {}),
      probability: p.probability,
      ...(parsed !== undefined
        ? {
            direction: parsed.direction,
            port: parsed.port,
            ...(parsed.subset !== '' ? { subset: parsed.subset } : {}),
            ...(parsed.host !== '' ? { host: parsed.host } : {}),
          }
        : {}),
    };
  });
}

function fromAssignment(cluster: string, cla: ClusterLoadAssignmentView): EndpointInfo[] {
  const out: EndpointInfo[] = [];
  for (const group of cla.endpoints ?? []) {
    const loc = group.locality;
    const locality =
      loc !== undefined && (loc.region || loc.zone || loc.subZone)
        ? [loc.region ?? '', loc.zone ?? '', loc.subZone ?? ''].join('/').replace(/\/+$/, '')
        : undefined;
    for (const lb of group.lbEndpoints ?? []) {
      const sa = lb.endpoint?.address?.socketAddress;
      out.push({
        cluster,
        address: sa?.address ?? lb.endpoint?.hostname ?? '',
        ...(sa?.portValue !== undefined ? { port: sa.portValue } : {}),
        health: lb.healthStatus ?? 'HEALTHY',
        ...(lb.loadBalancingWeight !== undefined ? { weight: lb.loadBalancingWeight } : {}),
        ...(locality !== undefined ? { locality } : {}),
      });
    }
  }
  return out;
}

/** The endpoints of cluster `name` for this connection (empty when the cluster is unknown or has none). */
export function clusterEndpoints(config: ProxyConfigView, name: string, conn: DownstreamConnection): EndpointInfo[] {
  const cluster = config.clusters?.find((c) => c.name === name);
  if (cluster?.type === 'ORIGINAL_DST' || name === 'PassthroughCluster' || name === 'InboundPassthroughCluster') {
    return [{ cluster: name, address: conn.destinationAddress, port: conn.destinationPort, health: 'HEALTHY' }];
  }
  const eds = config.endpoints?.find((e) => e.clusterName === name);
  if (eds !== undefined) return fromAssignment(name, eds);
  if (cluster?.loadAssignment !== undefined) return fromAssignment(name, cluster.loadAssignment);
  return [];
}

/**
 * Whether the router can send to cluster `name` (envoyproxy/envoy source/common/router/router.cc
 * `Filter::decodeHeaders`): a cluster missing from CDS is answered with the route's
 * `cluster_not_found_response_code` and flag NC (`getThreadLocalCluster` is null); a cluster without any
 * endpoint has no host to choose, answered 503 with flag UH (`sendNoHealthyUpstreamResponse`). Endpoints
 * that exist but are unhealthy are left to the load balancer's panic logic, as is a configuration that does
 * not list its clusters or endpoints (`unknown`).
 */
export function clusterFate(
  config: ProxyConfigView,
  name: string,
  conn: DownstreamConnection,
): 'ok' | 'not_found' | 'no_endpoints' | 'unknown' {
  const cluster = config.clusters?.find((c) => c.name === name);
  // istiod's BlackHoleCluster is a STATIC cluster without endpoints, whatever else the view lists.
  if (name === 'BlackHoleCluster' && (cluster === undefined || cluster.loadAssignment === undefined))
    return 'no_endpoints';
  if (config.clusters === undefined) return 'unknown';
  if (cluster === undefined) return 'not_found';
  const eds = cluster.loadAssignment === undefined && (cluster.type === undefined || cluster.type === 'EDS');
  if (eds && config.endpoints === undefined) return 'unknown';
  return clusterEndpoints(config, name, conn).length > 0 ? 'ok' : 'no_endpoints';
}
