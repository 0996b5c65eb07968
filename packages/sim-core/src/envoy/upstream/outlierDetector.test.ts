// Outlier detection: worked examples of envoy-semantics.md §2 and the flows of Envoy's
// test/common/upstream/outlier_detection_impl_test.cc (OutlierDetectorImplTest.BasicFlow5xx,
// BasicFlowGatewayFailure, …), adapted to today's max-ejection rule.
import { describe, expect, it } from 'vitest';
import { fixedRandom } from '../../engine/rng.js';
import { Simulation } from '../../engine/simulation.js';
import { s } from '../../engine/time.js';
import { ConfigError } from '../../errors.js';
import type { OutlierDetection } from '../config/cluster.js';
import { constantRandom, hostsOnPorts, prioritySetOf } from '../lb/testHosts.js';
import { HealthFlag } from './healthFlags.js';
import type { Host } from './host.js';
import { OutlierDetector, type OutlierEvent } from './outlierDetector.js';
import { successRateEjectionThreshold } from './outlierSuccessRate.js';

function setup(
  n: number,
  config: OutlierDetection = {},
  options: { legacy?: boolean; random?: { random(): number } } = {},
) {
  const sim = new Simulation();
  const hosts = hostsOnPorts(n);
  const ps = prioritySetOf(hosts);
  const events: OutlierEvent[] = [];
  const detector = new OutlierDetector({
    prioritySet: ps,
    config,
    random: options.random ?? constantRandom(0),
    dispatcher: sim,
    maxEjectionPercentRule: options.legacy === true ? 'legacy' : 'current',
    eventLogger: (e) => events.push(e),
  });
  const respond = (host: Host, code: number, times = 1): void => {
    for (let i = 0; i < times; i++) detector.monitor(host).putHttpResponseCode(code);
  };
  const ejected = (h: Host): boolean => h.healthFlagGet(HealthFlag.FAILED_OUTLIER_CHECK);
  return { sim, hosts, ps, detector, respond, ejected, events };
}

describe('OutlierDetector', () => {
  it('ejects exactly at the 5th consecutive 5xx, and a success in between resets the count', () => {
    const { hosts, respond, ejected, detector } = setup(2, { maxEjectionPercent: 100 });
    const h = hosts[0] as Host;
    respond(h, 500);
    respond(h, 200);
    respond(h, 500, 4);
    expect(ejected(h)).toBe(false);
    respond(h, 500);
    expect(ejected(h)).toBe(true);
    expect(detector.stats.ejections_active).toBe(1);
    expect(detector.stats.ejections_enforced_consecutive_5xx).toBe(1);
    expect(detector.stats.ejections_enforced_total).toBe(1);
    expect(detector.stats.ejections_total).toBe(1);
  });

  it('counts 4xx as success: 404s reset the consecutive counters', () => {
    const { hosts, respond, ejected } = setup(2, { maxEjectionPercent: 100 });
    const h = hosts[0] as Host;
    respond(h, 503, 4);
    respond(h, 404);
    respond(h, 503, 4);
    expect(ejected(h)).toBe(false);
  });

  it('a 503 counts as both a 5xx and a gateway failure; gateway detection runs first (BasicFlowGatewayFailure)', () => {
    // Istio's consecutiveGatewayErrors: 5 → consecutive_gateway_failure 5, enforcing 100.
    const a = setup(2, {
      maxEjectionPercent: 100,
      consecutiveGatewayFailure: 5,
      enforcingConsecutiveGatewayFailure: 100,
    });
    const h = a.hosts[0] as Host;
    a.respond(h, 503, 5);
    expect(a.ejected(h)).toBe(true);
    expect(a.detector.stats.ejections_enforced_consecutive_gateway_failure).toBe(1);
    // The 5xx trigger of the same response finds the host already ejected: not even detected.
    expect(a.detector.stats.ejections_detected_consecutive_5xx).toBe(0);
    expect(a.detector.monitor(h).consecutive5xx).toBe(5);

    // Envoy's defaults: gateway failure is detected but not enforced (enforcing 0), 5xx ejects.
    const b = setup(2, { maxEjectionPercent: 100 });
    const g = b.hosts[0] as Host;
    b.respond(g, 503, 5);
    expect(b.ejected(g)).toBe(true);
    expect(b.detector.stats.ejections_detected_consecutive_gateway_failure).toBe(1);
    expect(b.detector.stats.ejections_enforced_consecutive_gateway_failure).toBe(0);
    expect(b.detector.stats.ejections_enforced_consecutive_5xx).toBe(1);
    expect(b.events.map((e) => [e.type, e.enforced])).toEqual([
      ['CONSECUTIVE_GATEWAY_FAILURE', false],
      ['CONSECUTIVE_5XX', true],
    ]);
  });

  it('a 500 advances only the 5xx counter and resets the gateway counter', () => {
    const { hosts, respond, detector, ejected } = setup(2, {
      maxEjectionPercent: 100,
      consecutive5xx: 10,
      enforcingConsecutiveGatewayFailure: 100,
    });
    const h = hosts[0] as Host;
    respond(h, 503);
    respond(h, 500);
    respond(h, 503, 3);
    expect(detector.monitor(h).consecutiveGatewayFailure).toBe(3);
    expect(detector.monitor(h).consecutive5xx).toBe(5);
    respond(h, 503, 2);
    expect(ejected(h)).toBe(true);
    expect(detector.stats.ejections_enforced_consecutive_gateway_failure).toBe(1);
  });

  it('an unenforced detection still resets its counter (BasicFlowGatewayFailure with 5xx not enforced)', () => {
    const { hosts, respond, ejected, detector } = setup(2, {
      maxEjectionPercent: 100,
      enforcingConsecutive5xx: 0,
      enforcingConsecutiveGatewayFailure: 100,
    });
    const h = hosts[0] as Host;
    respond(h, 503);
    respond(h, 500); // gateway counter back to 0; 5xx at 2
    respond(h, 503, 3); // 5xx reaches 5: detected, not enforced, reset to 0
    expect(detector.stats.ejections_detected_consecutive_5xx).toBe(1);
    expect(detector.monitor(h).consecutive5xx).toBe(0);
    expect(ejected(h)).toBe(false);
    respond(h, 503, 2); // gateway failure reaches 5
    expect(ejected(h)).toBe(true);
    expect(detector.stats.ejections_enforced_consecutive_gateway_failure).toBe(1);
  });

  it('connect failures and timeouts count as 5xx and gateway failures when not split', () => {
    const { hosts, detector, ejected } = setup(2, { maxEjectionPercent: 100, enforcingConsecutiveGatewayFailure: 100 });
    const h = hosts[0] as Host;
    const m = detector.monitor(h);
    m.putResult('LocalOriginConnectFailed');
    m.putResult('LocalOriginTimeout');
    m.putResult('LocalOriginConnectSuccess'); // ignored when not split
    expect([m.consecutive5xx, m.consecutiveGatewayFailure]).toEqual([2, 2]);
    m.putResult('LocalOriginConnectFailed', 504);
    m.putResult('LocalOriginTimeout');
    m.putResult('LocalOriginConnectFailed');
    expect(ejected(h)).toBe(true);
  });

  it('in split mode connect failures only count toward consecutive_local_origin_failure', () => {
    const { hosts, detector, ejected } = setup(2, {
      maxEjectionPercent: 100,
      splitExternalLocalOriginErrors: true,
      consecutiveLocalOriginFailure: 3,
    });
    const h = hosts[0] as Host;
    const m = detector.monitor(h);
    m.putResult('LocalOriginConnectFailed');
    m.putResult('LocalOriginConnectFailed');
    expect([m.consecutive5xx, m.consecutiveLocalOriginFailure]).toEqual([0, 2]);
    m.putResult('LocalOriginConnectFailed');
    expect(ejected(h)).toBe(true);
    expect(detector.stats.ejections_enforced_consecutive_local_origin_failure).toBe(1);
  });

  it('is ejected for 30 s, then 60 s when it fails again at once; backoff decays per healthy interval', () => {
    const { sim, hosts, respond, ejected, detector } = setup(2, { maxEjectionPercent: 100 });
    const h = hosts[0] as Host;
    respond(h, 500, 5); // t = 0
    expect(ejected(h)).toBe(true);
    sim.run({ until: s(29) });
    expect(ejected(h)).toBe(true);
    sim.run({ until: s(30) }); // tick at 30 s: 30 s ≥ base × 1
    expect(ejected(h)).toBe(false);
    expect(detector.monitor(h).lastUnejectionTime).toBe(s(30));
    sim.run({ until: s(35) });
    respond(h, 500, 5); // re-ejected before any decay: backoff 2
    expect(detector.monitor(h).ejectTimeBackoff).toBe(2);
    sim.run({ until: s(90) });
    expect(ejected(h)).toBe(true); // 55 s in
    sim.run({ until: s(100) }); // first tick at which 60 s have passed (ticks are every 10 s)
    expect(ejected(h)).toBe(false);
    sim.run({ until: s(110) });
    expect(detector.monitor(h).ejectTimeBackoff).toBe(1);
    sim.run({ until: s(120) });
    expect(detector.monitor(h).ejectTimeBackoff).toBe(0);
    sim.run({ until: s(125) });
    respond(h, 500, 5);
    expect(detector.monitor(h).ejectTimeBackoff).toBe(1); // back to a 30 s ejection
    sim.run({ until: s(150) });
    expect(ejected(h)).toBe(true);
    sim.run({ until: s(160) });
    expect(ejected(h)).toBe(false);
  });

  it('caps the ejection at max_ejection_time; backoff stops at max/base + 1', () => {
    const { sim, hosts, respond, ejected, detector } = setup(2, {
      maxEjectionPercent: 100,
      interval: '1s',
      baseEjectionTime: '1s',
      maxEjectionTime: '3s',
    });
    const h = hosts[0] as Host;
    const durations: number[] = [];
    for (let k = 0; k < 6; k++) {
      respond(h, 500, 5);
      const start = sim.now;
      while (ejected(h)) sim.step();
      durations.push((sim.now - start) / 1e6);
    }
    expect(durations).toEqual([1, 2, 3, 3, 3, 3]);
    expect(detector.monitor(h).ejectTimeBackoff).toBe(4);
  });

  it('draws one random() per enforced ejection, jitter or not, and adds the jitter to the ejection', () => {
    const random = fixedRandom([1234]);
    const { sim, hosts, respond, ejected, detector } = setup(
      2,
      { maxEjectionPercent: 100, maxEjectionTimeJitter: '10s' },
      { random },
    );
    const h = hosts[0] as Host;
    respond(h, 500, 5);
    expect(random.drawn).toBe(1);
    expect(detector.monitor(h).jitterMs).toBe(1234 % 10001);
    sim.run({ until: s(30) });
    expect(ejected(h)).toBe(true); // 30 s + 1.234 s not yet passed
    sim.run({ until: s(40) });
    expect(ejected(h)).toBe(false);
  });

  describe('max_ejection_percent (default 10)', () => {
    it('current rule: no ejection in a cluster of fewer than 10 hosts', () => {
      const { hosts, respond, ejected, detector } = setup(9);
      respond(hosts[0] as Host, 500, 5);
      expect(ejected(hosts[0] as Host)).toBe(false);
      expect(detector.stats.ejections_overflow).toBe(1);
      expect(detector.stats.ejections_detected_consecutive_5xx).toBe(1);
    });

    it('legacy rule (Envoy ≤ 1.26): one ejection is always allowed, then overflow', () => {
      const { hosts, respond, ejected, detector } = setup(9, {}, { legacy: true });
      respond(hosts[0] as Host, 500, 5);
      respond(hosts[1] as Host, 500, 5);
      expect([ejected(hosts[0] as Host), ejected(hosts[1] as Host)]).toEqual([true, false]);
      expect(detector.stats.ejections_overflow).toBe(1);
    });

    it('current rule: 10 hosts allow one ejection; always_eject_one_host restores one in small clusters', () => {
      const ten = setup(10);
      ten.respond(ten.hosts[0] as Host, 500, 5);
      ten.respond(ten.hosts[1] as Host, 500, 5);
      expect([ten.ejected(ten.hosts[0] as Host), ten.ejected(ten.hosts[1] as Host)]).toEqual([true, false]);
      const one = setup(3, { alwaysEjectOneHost: true });
      one.respond(one.hosts[0] as Host, 500, 5);
      one.respond(one.hosts[1] as Host, 500, 5);
      expect([one.ejected(one.hosts[0] as Host), one.ejected(one.hosts[1] as Host)]).toEqual([true, false]);
    });

    it('legacy rule can overshoot: 2 of 3 hosts at 50 %', () => {
      const { hosts, respond, ejected } = setup(3, { maxEjectionPercent: 50 }, { legacy: true });
      for (const h of hosts) respond(h, 500, 5);
      expect(hosts.map(ejected)).toEqual([true, true, false]);
    });

    it('counts the hosts of all priorities together', () => {
      const sim = new Simulation();
      const p0 = hostsOnPorts(1);
      const p1 = hostsOnPorts(1, { firstPort: 90, priority: 1 });
      const detector = new OutlierDetector({
        prioritySet: prioritySetOf(p0, p1),
        config: { maxEjectionPercent: 50 },
        random: constantRandom(0),
        dispatcher: sim,
      });
      for (let i = 0; i < 5; i++) detector.monitor(p0[0] as Host).putHttpResponseCode(500);
      for (let i = 0; i < 5; i++) detector.monitor(p1[0] as Host).putHttpResponseCode(500);
      expect(detector.stats.ejections_active).toBe(1);
      expect(detector.stats.ejections_overflow).toBe(1);
    });
  });

  it('un-ejection resets every consecutive counter, including one that ran past the threshold', () => {
    const { sim, hosts, respond, ejected, detector } = setup(2, { maxEjectionPercent: 100 });
    const h = hosts[0] as Host;
    respond(h, 500, 5);
    respond(h, 500, 7); // ejected hosts still count, past the threshold: no second trigger
    expect(detector.monitor(h).consecutive5xx).toBe(7);
    sim.run({ until: s(30) });
    expect(ejected(h)).toBe(false);
    expect(detector.monitor(h).consecutive5xx).toBe(0);
    respond(h, 500, 4);
    expect(ejected(h)).toBe(false);
    respond(h, 500);
    expect(ejected(h)).toBe(true);
  });

  it('removing an ejected host lowers ejections_active', () => {
    const { hosts, ps, respond, detector } = setup(2, { maxEjectionPercent: 100 });
    respond(hosts[0] as Host, 500, 5);
    expect(detector.stats.ejections_active).toBe(1);
    ps.updateHosts(0, { hosts: [hosts[1] as Host] }, [], [hosts[0] as Host], 0);
    expect(detector.stats.ejections_active).toBe(0);
    expect(detector.hosts).toEqual([hosts[1]]);
  });

  it('a host removed by EDS has no monitor any more: results of requests still in flight go nowhere', () => {
    const { hosts, ps, detector } = setup(2, { maxEjectionPercent: 100 });
    expect(detector.monitorIfPresent(hosts[0] as Host)).toBe(detector.monitor(hosts[0] as Host));
    ps.updateHosts(0, { hosts: [hosts[1] as Host] }, [], [hosts[0] as Host], 0);
    expect(detector.monitorIfPresent(hosts[0] as Host)).toBeUndefined();
    expect(detector.monitorIfPresent(hosts[1] as Host)).toBeDefined();
  });

  it('a successful active health check un-ejects at once', () => {
    const { hosts, respond, ejected, detector } = setup(2, { maxEjectionPercent: 100 });
    const h = hosts[0] as Host;
    respond(h, 500, 5);
    detector.onHealthCheckComplete(h, true);
    expect(ejected(h)).toBe(false);
    expect(detector.stats.ejections_active).toBe(0);
  });

  it('rejects max_ejection_time below base_ejection_time', () => {
    expect(() => setup(1, { baseEjectionTime: '60s', maxEjectionTime: '30s' })).toThrow(ConfigError);
  });

  it('successRateEjectionThreshold({50,100,100,100,100}, 1.9) is mean 90, threshold 52', () => {
    expect(successRateEjectionThreshold([50, 100, 100, 100, 100], 1.9)).toEqual({ average: 90, ejectionThreshold: 52 });
  });

  it('success-rate detection reads the interval just ended at each tick (enforcing_success_rate 100)', () => {
    const { sim, hosts, respond, ejected, detector } = setup(5, { maxEjectionPercent: 100 });
    for (const h of hosts.slice(1)) respond(h, 200, 100);
    respond(hosts[0] as Host, 200, 50);
    for (let i = 0; i < 50; i++) respond(hosts[0] as Host, i % 2 === 0 ? 500 : 200); // never 5 in a row
    sim.run({ until: s(9.999) });
    expect(ejected(hosts[0] as Host)).toBe(false); // only evaluated on the tick
    sim.run({ until: s(10) });
    expect(ejected(hosts[0] as Host)).toBe(true); // 75 % vs mean 95, stdev 10: threshold 76
    expect(detector.stats.ejections_enforced_success_rate).toBe(1);
    expect(detector.successRateNumbers.ExternalOrigin.average).toBe(95);
    expect(detector.successRateNumbers.ExternalOrigin.ejectionThreshold).toBeCloseTo(95 - 1.9 * 10, 10);
    expect(detector.monitor(hosts[0] as Host).successRates.ExternalOrigin).toBe(75);
  });

  it("with Istio's enforcing_success_rate 0 the success-rate outlier is detected but stays in", () => {
    const { sim, hosts, respond, ejected, detector } = setup(5, { maxEjectionPercent: 100, enforcingSuccessRate: 0 });
    for (const h of hosts.slice(1)) respond(h, 200, 100);
    for (let i = 0; i < 100; i++) respond(hosts[0] as Host, i % 2 === 0 ? 500 : 200);
    sim.run({ until: s(10) });
    expect(ejected(hosts[0] as Host)).toBe(false);
    expect(detector.stats.ejections_detected_success_rate).toBe(1);
    expect(detector.stats.ejections_enforced_total).toBe(0);
  });

  it('failure-percentage detection ejects hosts failing ≥ 85 % of a full interval when enforced', () => {
    const { sim, hosts, respond, ejected, detector } = setup(5, {
      maxEjectionPercent: 100,
      consecutive5xx: 1000,
      enforcingFailurePercentage: 100,
    });
    for (const h of hosts.slice(1)) respond(h, 200, 60); // 60 ≥ failure_percentage_request_volume 50
    for (let i = 0; i < 60; i++) respond(hosts[0] as Host, i % 10 === 0 ? 200 : 500); // 90 % failures
    sim.run({ until: s(10) });
    expect(ejected(hosts[0] as Host)).toBe(true);
    expect(detector.stats.ejections_enforced_failure_percentage).toBe(1);
    expect(detector.stats.ejections_detected_success_rate).toBe(0); // volume 60 < 100: no success-rate pass
  });
});
