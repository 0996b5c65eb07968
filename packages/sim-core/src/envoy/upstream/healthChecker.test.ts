// Active health checking as flag transitions, after Envoy's test/common/upstream/health_checker_impl_test.cc
// (HttpHealthCheckerImplTest.Success, SuccessIntervalJitter…, UnhealthyThreshold…, ImmediateFailure…).
import { describe, expect, it } from 'vitest';
import { hostsOnPorts, prioritySetOf } from '../lb/testHosts.js';
import { HealthChecker } from './healthChecker.js';
import { coarseHealth, HealthFlag, healthFlagsToString, isExcluded, withEdsHealthStatus } from './healthFlags.js';

describe('HealthChecker', () => {
  it('starts hosts failed and pending; the first success makes them healthy at once', () => {
    const hosts = hostsOnPorts(1);
    const hc = new HealthChecker(prioritySetOf(hosts), { healthyThreshold: 3, unhealthyThreshold: 2 });
    const h = hosts[0]!;
    expect(healthFlagsToString(h.healthFlags)).toBe('/failed_active_hc/pending_active_hc');
    expect(isExcluded(h.healthFlags)).toBe(true);
    expect(hc.reportSuccess(h)).toBe('Changed');
    expect(h.healthFlags).toBe(0);
  });

  it('needs unhealthy_threshold network failures in a row, but one bad HTTP status fails at once', () => {
    const hosts = hostsOnPorts(2);
    const hc = new HealthChecker(prioritySetOf(hosts), { healthyThreshold: 2, unhealthyThreshold: 3 });
    for (const h of hosts) hc.reportSuccess(h);
    const [a, b] = hosts as [(typeof hosts)[0], (typeof hosts)[0]];
    expect(hc.reportFailure(a, 'NETWORK')).toBe('ChangePending');
    expect(hc.reportFailure(a, 'NETWORK')).toBe('ChangePending');
    expect(hc.reportFailure(a, 'NETWORK_TIMEOUT')).toBe('Changed');
    expect(healthFlagsToString(a.healthFlags)).toBe('/failed_active_hc/active_hc_timeout');
    expect(hc.reportFailure(b, 'ACTIVE')).toBe('Changed');
    // Back to healthy after healthy_threshold successes.
    expect(hc.reportSuccess(b)).toBe('ChangePending');
    expect(hc.reportSuccess(b)).toBe('Changed');
    expect(b.healthFlags).toBe(0);
    expect(hc.stats).toMatchObject({ success: 4, failure: 4, network_failure: 3 });
  });

  it('x-envoy-degraded marks the host degraded; x-envoy-immediate-health-check-fail excludes it', () => {
    const hosts = hostsOnPorts(1);
    const hc = new HealthChecker(prioritySetOf(hosts), { healthyThreshold: 1, unhealthyThreshold: 1 });
    const h = hosts[0]!;
    hc.reportSuccess(h, true);
    expect(coarseHealth(h.healthFlags)).toBe('degraded');
    hc.reportFailure(h, 'ACTIVE', true);
    expect(isExcluded(h.healthFlags)).toBe(true);
    hc.reportSuccess(h);
    expect(h.healthFlags).toBe(0);
  });
});

describe('EDS health', () => {
  it('UNHEALTHY/TIMEOUT fail the host, DRAINING fails and excludes it, DEGRADED degrades it', () => {
    expect(withEdsHealthStatus(0, 'UNHEALTHY')).toBe(HealthFlag.FAILED_EDS_HEALTH);
    expect(withEdsHealthStatus(0, 'TIMEOUT')).toBe(HealthFlag.FAILED_EDS_HEALTH);
    expect(coarseHealth(withEdsHealthStatus(0, 'DRAINING'))).toBe('unhealthy');
    expect(isExcluded(withEdsHealthStatus(0, 'DRAINING'))).toBe(true);
    expect(coarseHealth(withEdsHealthStatus(0, 'DEGRADED'))).toBe('degraded');
    expect(withEdsHealthStatus(HealthFlag.FAILED_EDS_HEALTH | HealthFlag.FAILED_OUTLIER_CHECK, 'HEALTHY')).toBe(
      HealthFlag.FAILED_OUTLIER_CHECK,
    );
  });
});
