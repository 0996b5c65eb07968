/**
 * Which DestinationRule traffic policy applies to a cluster (istio/istio@1.29.3
 * `pilot/pkg/networking/util/util.go` `GetPortLevelTrafficPolicy`, `MergeSubsetTrafficPolicy`,
 * `mergeTrafficPolicy`): a `portLevelSettings` entry for the cluster's port replaces the destination-level
 * policy entirely (its unset fields take defaults, they are not inherited); a subset's policy (again
 * port-level first) overrides field by field — and when the subset has a port-level entry, all four of
 * connectionPool, outlierDetection, loadBalancer and tls come from it, set or not.
 */
import type { TrafficPolicy } from '../api.js';

/** `GetPortLevelTrafficPolicy(policy, port)`: the policy and whether a port-level entry was used. */
export function portLevelTrafficPolicy(
  policy: TrafficPolicy | undefined,
  port: number,
): { policy?: TrafficPolicy; portLevel: boolean } {
  if (policy === undefined) return { portLevel: false };
  const p = policy.portLevelSettings?.find((s) => s.port?.number === port);
  if (p === undefined) return { policy, portLevel: false };
  const out: { -readonly [K in keyof TrafficPolicy]: TrafficPolicy[K] } = {};
  if (p.connectionPool !== undefined) out.connectionPool = p.connectionPool;
  if (p.loadBalancer !== undefined) out.loadBalancer = p.loadBalancer;
  if (p.outlierDetection !== undefined) out.outlierDetection = p.outlierDetection;
  if (p.tls !== undefined) out.tls = p.tls;
  return { policy: out, portLevel: true };
}

/** `MergeSubsetTrafficPolicy(original, subsetPolicy, port)`. */
export function mergeSubsetTrafficPolicy(
  original: TrafficPolicy | undefined,
  subset: TrafficPolicy | undefined,
  port: number,
): TrafficPolicy | undefined {
  const base = portLevelTrafficPolicy(original, port).policy;
  if (subset === undefined) return base;
  const { policy: sub, portLevel } = portLevelTrafficPolicy(subset, port);
  if (base === undefined) return sub;
  const s = sub ?? {};
  const { portLevelSettings: _drop, ...merged } = base;
  void _drop;
  const out: { -readonly [K in keyof TrafficPolicy]: TrafficPolicy[K] } = { ...merged };
  const take = <K extends 'connectionPool' | 'outlierDetection' | 'loadBalancer' | 'tls'>(k: K): void => {
    if (s[k] !== undefined || portLevel) {
      if (s[k] === undefined) delete out[k];
      else out[k] = s[k];
    }
  };
  take('connectionPool');
  take('outlierDetection');
  take('loadBalancer');
  take('tls');
  if (s.retryBudget !== undefined) out.retryBudget = s.retryBudget;
  return out;
}

/** `shouldH2Upgrade`: DestinationRule `h2UpgradePolicy`, else MeshConfig's, for HTTP ports only. */
export function shouldH2Upgrade(
  policy: TrafficPolicy | undefined,
  httpPort: boolean | undefined,
  meshPolicy: string | undefined,
): boolean {
  const http = policy?.connectionPool?.http;
  if (http !== undefined) {
    if (http.useClientProtocol === true) return false;
    if (http.h2UpgradePolicy === 'UPGRADE') return true;
    if (http.h2UpgradePolicy === 'DO_NOT_UPGRADE') return false;
  }
  if (httpPort === false) return false;
  return meshPolicy === 'UPGRADE';
}
