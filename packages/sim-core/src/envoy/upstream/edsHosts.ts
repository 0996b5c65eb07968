/**
 * Hosts from an EDS `ClusterLoadAssignment`: one {@link Host} per `LbEndpoint` (address, port, weight,
 * locality, priority, EDS health status as flags), grouped into the localities a {@link PrioritySet}
 * takes. Mirrors how Envoy's EDS cluster builds `HostImpl`s (`EdsClusterImpl::BatchUpdateHelper`,
 * envoyproxy/envoy source/extensions/clusters/eds/eds.cc) — without DNS.
 */
import type { ClusterLoadAssignment } from '../config/endpoint.js';
import { withEdsHealthStatus } from './healthFlags.js';
import { Host } from './host.js';
import type { LocalityHosts } from './hostSet.js';

/** One locality of one priority, with its hosts. */
export type PriorityLocalityHosts = LocalityHosts & { readonly priority: number };

/** The localities and hosts of `cla`, in EDS order. Endpoints without a socket address are skipped. */
export function hostsFromClusterLoadAssignment(cla: ClusterLoadAssignment): PriorityLocalityHosts[] {
  return cla.endpoints.map((lle) => {
    const priority = lle.priority ?? 0;
    const locality = lle.locality ?? {};
    const hosts: Host[] = [];
    for (const lb of lle.lbEndpoints) {
      const sa = lb.endpoint.address.socketAddress;
      if (sa === undefined) continue;
      hosts.push(
        new Host({
          address: sa.address,
          port: sa.portValue ?? 0,
          ...(lb.endpoint.hostname !== undefined ? { hostname: lb.endpoint.hostname } : {}),
          weight: lb.loadBalancingWeight ?? 1,
          locality,
          priority,
          healthFlags: withEdsHealthStatus(0, lb.healthStatus ?? 'UNKNOWN'),
        }),
      );
    }
    return {
      locality,
      priority,
      hosts,
      ...(lle.loadBalancingWeight !== undefined ? { weight: lle.loadBalancingWeight } : {}),
    };
  });
}
