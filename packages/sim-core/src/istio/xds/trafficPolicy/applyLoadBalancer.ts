/**
 * istiod's `applyLoadBalancer`, `applySimpleDefaultLoadBalancer`, `ApplyRingHashLoadBalancer` and
 * `ConsistentHashToHashPolicy` (istio/istio pilot/pkg/networking/core/cluster_traffic_policy.go and
 * route/route.go): the DestinationRule `loadBalancer` as Envoy `lb_policy` and LB config. Without a
 * setting the policy is LEAST_REQUEST (since Istio 1.14); LEAST_CONN is LEAST_REQUEST; `consistentHash`
 * selects RING_HASH (default, ring size 1024) or MAGLEV and a route hash policy. Locality-aware settings are
 * applied to endpoints (priorities, locality weights), not here.
 */
import { toProtoDuration } from '../../../envoy/common.js';
import type { Cluster, SlowStartConfig } from '../../../envoy/config/cluster.js';
import type { HashPolicy } from '../../../envoy/lb/hashPolicy.js';
import type { IstioConsistentHash, IstioLoadBalancerSettings } from './types.js';

/** What `applyLoadBalancer` reads about the service. */
export interface LoadBalancerServiceInfo {
  /** `svc.SupportsUnhealthyEndpoints()`: an unset panic threshold is then set to 0. */
  readonly supportsUnhealthyEndpoints?: boolean;
}

/** `defaultLBAlgorithm()`: LEAST_REQUEST since Istio 1.14 (ROUND_ROBIN before). */
export const DEFAULT_LB_POLICY = 'LEAST_REQUEST';

function slowStart(lb: IstioLoadBalancerSettings | undefined): SlowStartConfig | undefined {
  if (lb?.warmup !== undefined) {
    return {
      slowStartWindow: toProtoDuration(lb.warmup.duration, 'loadBalancer.warmup.duration'),
      aggression: { defaultValue: lb.warmup.aggression ?? 1, runtimeKey: '(' },
      minWeightPercent: { value: lb.warmup.minimumPercent ?? 10 },
    };
  }
  if (lb?.warmupDurationSecs !== undefined) {
    return { slowStartWindow: toProtoDuration(lb.warmupDurationSecs, 'loadBalancer.warmupDurationSecs') };
  }
  return undefined;
}

/** Returns `cluster` with `lbPolicy` and its LB config set from the DestinationRule `loadBalancer`. */
export function applyLoadBalancer(
  cluster: Cluster,
  lb: IstioLoadBalancerSettings | undefined,
  service: LoadBalancerServiceInfo = {},
): Cluster {
  if (cluster.lbPolicy === 'CLUSTER_PROVIDED') return cluster;
  let c: Cluster = cluster;
  if (c.commonLbConfig?.healthyPanicThreshold === undefined && service.supportsUnhealthyEndpoints === true) {
    c = { ...c, commonLbConfig: { ...c.commonLbConfig, healthyPanicThreshold: { value: 0 } } };
  }
  if (c.type === 'ORIGINAL_DST') return { ...c, lbPolicy: 'CLUSTER_PROVIDED' };
  const ss = slowStart(lb);
  switch (lb?.simple) {
    case 'RANDOM':
      c = { ...c, lbPolicy: 'RANDOM' };
      break;
    case 'ROUND_ROBIN':
      c = {
        ...c,
        lbPolicy: 'ROUND_ROBIN',
        ...(ss !== undefined ? { roundRobinLbConfig: { slowStartConfig: ss } } : {}),
      };
      break;
    case 'PASSTHROUGH':
      return { ...c, lbPolicy: 'CLUSTER_PROVIDED', type: 'ORIGINAL_DST' };
    default:
      // LEAST_CONN, LEAST_REQUEST, UNSPECIFIED and unset.
      c = {
        ...c,
        lbPolicy: DEFAULT_LB_POLICY,
        ...(ss !== undefined ? { leastRequestLbConfig: { slowStartConfig: ss } } : {}),
      };
  }
  return applyRingHashLoadBalancer(c, lb);
}

/** `ApplyRingHashLoadBalancer`: `consistentHash` → MAGLEV (with its table size) or RING_HASH (min ring 1024). */
export function applyRingHashLoadBalancer(cluster: Cluster, lb: IstioLoadBalancerSettings | undefined): Cluster {
  const ch = lb?.consistentHash;
  if (ch === undefined) return cluster;
  if (ch.maglev !== undefined) {
    return {
      ...cluster,
      lbPolicy: 'MAGLEV',
      ...(ch.maglev.tableSize !== undefined && ch.maglev.tableSize !== 0
        ? { maglevLbConfig: { tableSize: ch.maglev.tableSize } }
        : {}),
    };
  }
  if (ch.ringHash !== undefined) {
    return {
      ...cluster,
      lbPolicy: 'RING_HASH',
      ...(ch.ringHash.minimumRingSize !== undefined && ch.ringHash.minimumRingSize !== 0
        ? { ringHashLbConfig: { minimumRingSize: ch.ringHash.minimumRingSize } }
        : {}),
    };
  }
  const min = ch.minimumRingSize !== undefined && ch.minimumRingSize !== 0 ? ch.minimumRingSize : 1024;
  return { ...cluster, lbPolicy: 'RING_HASH', ringHashLbConfig: { minimumRingSize: min } };
}

/** `ConsistentHashToHashPolicy`: the route hash policy for a `consistentHash` hash key, or undefined. */
export function consistentHashToHashPolicy(ch: IstioConsistentHash | undefined): HashPolicy | undefined {
  if (ch === undefined) return undefined;
  if (ch.httpHeaderName !== undefined) return { header: { headerName: ch.httpHeaderName } };
  if (ch.httpCookie !== undefined) {
    return {
      cookie: {
        name: ch.httpCookie.name,
        ...(ch.httpCookie.ttl !== undefined ? { ttl: toProtoDuration(ch.httpCookie.ttl, 'httpCookie.ttl') } : {}),
        ...(ch.httpCookie.path !== undefined ? { path: ch.httpCookie.path } : {}),
      },
    };
  }
  if (ch.useSourceIp !== undefined) return { connectionProperties: { sourceIp: ch.useSourceIp } };
  if (ch.httpQueryParameterName !== undefined) return { queryParameter: { name: ch.httpQueryParameterName } };
  return undefined;
}
