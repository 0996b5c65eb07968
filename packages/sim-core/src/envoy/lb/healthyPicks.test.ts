// Properties over every load-balancing policy: outside panic only healthy hosts are picked; in panic
// (healthy below the threshold) picks come from all hosts and count lb_healthy_panic; with the threshold at 0
// (Istio's minHealthPercent default) there is no panic and no host when none is healthy.
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { RandomStream } from '../../engine/rng.js';
import type { LbPolicy } from '../config/cluster.js';
import { HealthFlag } from '../upstream/healthFlags.js';
import type { Host } from '../upstream/host.js';
import { createLoadBalancer } from './createLoadBalancer.js';
import { hostsOnPorts, prioritySetOf, refreshPriority } from './testHosts.js';

const POLICIES: LbPolicy[] = ['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'RING_HASH', 'MAGLEV'];
const FAILURES = [HealthFlag.FAILED_ACTIVE_HC, HealthFlag.FAILED_OUTLIER_CHECK, HealthFlag.FAILED_EDS_HEALTH];

const scenario = fc.record({
  policy: fc.constantFrom(...POLICIES),
  hosts: fc.array(
    fc.record({
      weight: fc.integer({ min: 1, max: 5 }),
      failure: fc.option(fc.constantFrom(...FAILURES), { nil: undefined }),
      active: fc.nat({ max: 5 }),
    }),
    { minLength: 1, maxLength: 12 },
  ),
  threshold: fc.constantFrom(0, 50, 100),
  seed: fc.nat(),
});

test.prop([scenario])('LB picks are healthy outside panic and follow panic rules inside it', (s) => {
  const hosts = hostsOnPorts(s.hosts.length, { weights: s.hosts.map((h) => h.weight) });
  s.hosts.forEach((spec, i) => {
    const h = hosts[i] as Host;
    if (spec.failure !== undefined) h.healthFlagSet(spec.failure);
    h.stats.rq_active = spec.active;
  });
  const ps = prioritySetOf(hosts);
  const lb = createLoadBalancer(
    {
      name: 'c',
      lbPolicy: s.policy,
      commonLbConfig: { healthyPanicThreshold: { value: s.threshold } },
      ...(s.policy === 'MAGLEV' ? { maglevLbConfig: { tableSize: 251 } } : {}),
      ...(s.policy === 'RING_HASH' ? { ringHashLbConfig: { minimumRingSize: 64 } } : {}),
    },
    ps,
    new RandomStream(String(s.seed), 'lb'),
  );
  const healthy = hosts.filter((h) => h.coarseHealth() === 'healthy');
  const healthyPercent = (100 * healthy.length) / hosts.length;
  const normalizedFull = Math.min(100, Math.floor((140 * healthy.length) / hosts.length)) === 100;
  const panic = !normalizedFull && healthyPercent < s.threshold;
  const stats = (lb as unknown as { stats: { lb_healthy_panic: number } }).stats;
  for (let i = 0; i < 3 * hosts.length; i++) {
    const h = lb.chooseHost();
    if (panic) {
      expect(h).not.toBeNull();
      expect(hosts).toContain(h);
    } else if (healthy.length === 0) {
      expect(h).toBeNull();
    } else {
      expect(healthy).toContain(h);
    }
  }
  expect(stats.lb_healthy_panic).toBe(panic ? 3 * hosts.length : 0);
  // Everyone recovers: no panic, all hosts eligible again.
  for (const h of hosts) h.setHealthFlags(0);
  refreshPriority(ps);
  expect(hosts).toContain(lb.chooseHost());
});
