// The assembled cluster: ejection, health checks and EDS health all rebuild the host sets the LB picks from.
import { describe, expect, it } from 'vitest';
import { RngStreams } from '../../engine/rng.js';
import { Simulation } from '../../engine/simulation.js';
import { s } from '../../engine/time.js';
import type { Cluster } from '../config/cluster.js';
import { hostsOnPorts } from '../lb/testHosts.js';
import { applyOutlierDetection } from '../../istio/xds/trafficPolicy/applyOutlierDetection.js';
import { hostsFromClusterLoadAssignment } from './edsHosts.js';
import { HealthFlag } from './healthFlags.js';
import type { Host } from './host.js';
import { UpstreamCluster } from './upstreamCluster.js';

const base: Cluster = { name: 'outbound|9080||reviews.default.svc.cluster.local', lbPolicy: 'ROUND_ROBIN' };

function build(config: Cluster, n = 3) {
  const sim = new Simulation({ seed: 7 });
  const hosts = hostsOnPorts(n, { address: '10.0.0.1' });
  const cluster = new UpstreamCluster({ config, hosts, streams: sim.rng, dispatcher: sim });
  const pick = (): Host | null => cluster.loadBalancer.chooseHost();
  return { sim, hosts, cluster, pick };
}

describe('UpstreamCluster', () => {
  it('an ejected pod leaves the rotation and returns after baseEjectionTime', () => {
    const { sim, hosts, cluster, pick } = build(
      applyOutlierDetection(base, { consecutive5xxErrors: 1, maxEjectionPercent: 100 }),
    );
    const bad = hosts[1] as Host;
    cluster.outlierDetector!.monitor(bad).putHttpResponseCode(503);
    const picks = new Set(Array.from({ length: 6 }, pick));
    expect(picks.has(bad)).toBe(false);
    sim.run({ until: s(30) });
    expect(new Set(Array.from({ length: 6 }, pick)).has(bad)).toBe(true);
  });

  it('a cluster without endpoints still has priority 0, and every policy picks nothing (503 UH)', () => {
    for (const lbPolicy of ['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'RING_HASH', 'MAGLEV'] as const) {
      const { cluster, pick } = build({ ...base, lbPolicy }, 0);
      expect(cluster.prioritySet.hostSetsPerPriority).toHaveLength(1);
      expect(pick()).toBeNull();
    }
  });

  it('"my pods were not ejected": 3 pods and the default 10 % allow no ejection at all', () => {
    const { hosts, cluster } = build(applyOutlierDetection(base, { consecutive5xxErrors: 1 }));
    cluster.outlierDetector!.monitor(hosts[0] as Host).putHttpResponseCode(503);
    expect(cluster.outlierDetector!.stats.ejections_overflow).toBe(1);
    expect(cluster.prioritySet.hostSetsPerPriority[0]!.healthyHosts).toHaveLength(3);
  });

  it('"all hosts were ejected": with minHealthPercent 0 there is no host left (503 UH)', () => {
    const { hosts, cluster, pick } = build(
      applyOutlierDetection(base, { consecutive5xxErrors: 1, maxEjectionPercent: 100 }),
    );
    for (const h of hosts) cluster.outlierDetector!.monitor(h).putHttpResponseCode(503);
    expect(pick()).toBeNull();
    expect(cluster.lbStats.lb_healthy_panic).toBe(0);
  });

  it("with Envoy's default panic threshold, ejecting 2 of 3 pods sends traffic to all 3 again", () => {
    const { hosts, cluster, pick } = build({
      ...base,
      outlierDetection: { consecutive5xx: 1, maxEjectionPercent: 100 },
    });
    cluster.outlierDetector!.monitor(hosts[0] as Host).putHttpResponseCode(503);
    cluster.outlierDetector!.monitor(hosts[1] as Host).putHttpResponseCode(503);
    expect(new Set(Array.from({ length: 6 }, pick)).size).toBe(3);
    expect(cluster.lbStats.lb_healthy_panic).toBe(6);
  });

  it('EDS health (a not-ready pod) and active health checks feed the same host sets', () => {
    const { hosts, cluster, pick } = build(base);
    cluster.setEdsHealthStatus(hosts[2] as Host, 'UNHEALTHY');
    expect(new Set(Array.from({ length: 6 }, pick)).has(hosts[2] as Host)).toBe(false);
    cluster.setEdsHealthStatus(hosts[2] as Host, 'HEALTHY');
    expect(new Set(Array.from({ length: 6 }, pick)).has(hosts[2] as Host)).toBe(true);

    const sim = new Simulation();
    const hc = new UpstreamCluster({
      config: base,
      hosts: hostsOnPorts(2),
      streams: sim.rng,
      healthCheck: { healthyThreshold: 1, unhealthyThreshold: 1 },
    });
    expect(hc.prioritySet.hostSetsPerPriority[0]!.excludedHosts).toHaveLength(2);
    for (const h of hc.hosts) hc.healthChecker!.reportSuccess(h);
    expect(hc.prioritySet.hostSetsPerPriority[0]!.healthyHosts).toHaveLength(2);
  });

  it('a successful active health check un-ejects an ejected host at once', () => {
    const sim = new Simulation();
    const c = new UpstreamCluster({
      config: { ...base, outlierDetection: { consecutive5xx: 1, maxEjectionPercent: 100 } },
      hosts: hostsOnPorts(2),
      streams: sim.rng,
      dispatcher: sim,
      healthCheck: { healthyThreshold: 1, unhealthyThreshold: 1 },
    });
    const h = c.hosts[0] as Host;
    for (const x of c.hosts) c.healthChecker!.reportSuccess(x);
    c.outlierDetector!.monitor(h).putHttpResponseCode(500);
    expect(c.prioritySet.hostSetsPerPriority[0]!.healthyHosts).toHaveLength(1);
    c.healthChecker!.reportSuccess(h);
    expect(c.prioritySet.hostSetsPerPriority[0]!.healthyHosts).toHaveLength(2);
  });

  it('draws from its own named streams: the LB seed does not depend on other components', () => {
    const a = new UpstreamCluster({ config: base, hosts: hostsOnPorts(5), streams: new RngStreams(1) });
    const streams = new RngStreams(1);
    streams.stream('fault/x').random();
    const b = new UpstreamCluster({ config: base, hosts: hostsOnPorts(5), streams });
    const seq = (c: UpstreamCluster) => Array.from({ length: 5 }, () => c.loadBalancer.chooseHost()?.port);
    expect(seq(b)).toEqual(seq(a));
  });

  it('builds hosts from a ClusterLoadAssignment and balances localities by weight (locality_weighted_lb_config)', () => {
    const ep = (ip: string, healthStatus?: 'UNHEALTHY') => ({
      endpoint: { address: { socketAddress: { address: ip, portValue: 9080 } } },
      ...(healthStatus !== undefined ? { healthStatus } : {}),
    });
    const localities = hostsFromClusterLoadAssignment({
      clusterName: base.name,
      endpoints: [
        { locality: { zone: 'a' }, loadBalancingWeight: 1, lbEndpoints: [ep('10.0.1.1'), ep('10.0.1.2')] },
        { locality: { zone: 'b' }, loadBalancingWeight: 3, lbEndpoints: [ep('10.0.2.1'), ep('10.0.2.2', 'UNHEALTHY')] },
      ],
    });
    expect(localities[1]!.hosts[1]!.healthFlagGet(HealthFlag.FAILED_EDS_HEALTH)).toBe(true);
    const sim = new Simulation();
    const c = new UpstreamCluster({
      config: { ...base, commonLbConfig: { localityWeightedLbConfig: {} } },
      localities,
      streams: sim.rng,
    });
    const zone = (h: Host | null) => h?.locality.zone;
    const zones = Array.from({ length: 40 }, () => zone(c.loadBalancer.chooseHost()));
    // Zone b is half available: effective weight 3 × min(1, 1.4 × 1/2) = 2.1 against zone a's 1.
    const a = zones.filter((z) => z === 'a').length;
    expect(Math.abs(a - (40 * 1) / 3.1)).toBeLessThanOrEqual(1);
    expect(zones.every((z) => z === 'a' || z === 'b')).toBe(true);
  });
});
