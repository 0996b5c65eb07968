// Per-priority load and panic, checked against Envoy's LoadBalancerBaseTest
// (test/extensions/load_balancing_policies/common/load_balancer_impl_base_test.cc).
import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { HealthFlag } from './healthFlags.js';
import { Host } from './host.js';
import { choosePriority, PriorityLoadState } from './priorityLoad.js';
import { PrioritySet } from './prioritySet.js';

interface Step {
  readonly update: [number, number[]][];
  readonly load?: number[];
  readonly degraded?: number[];
  readonly panic?: boolean[];
  readonly panicThreshold?: number;
}
const data = JSON.parse(readFileSync(new URL('./testdata/priority-load.json', import.meta.url), 'utf8')) as {
  cases: { name: string; priorities: number; steps: Step[] }[];
};

/** Hosts with `healthy` healthy, then `degraded` degraded, then `excluded` excluded, the rest unhealthy. */
function makeHosts(n: number, healthy: number, degraded = 0, excluded = 0, priority = 0): Host[] {
  return Array.from({ length: n }, (_, i) => {
    let flags: number = HealthFlag.FAILED_ACTIVE_HC;
    if (i < healthy) flags = 0;
    else if (i < healthy + degraded) flags = HealthFlag.DEGRADED_EDS_HEALTH;
    else if (i < healthy + degraded + excluded) flags = HealthFlag.FAILED_ACTIVE_HC | HealthFlag.PENDING_ACTIVE_HC;
    return new Host({ address: '127.0.0.1', port: 80 + i, priority, healthFlags: flags });
  });
}

function harness(priorities: number, threshold = 50) {
  const ps = new PrioritySet();
  for (let p = 0; p < priorities; p++) ps.getOrCreateHostSet(p);
  const state = new PriorityLoadState(threshold);
  for (let p = 0; p < priorities; p++) state.recalculatePerPriorityState(p, ps);
  state.recalculatePerPriorityPanic(ps);
  ps.addPriorityUpdateCb((p) => {
    state.recalculatePerPriorityState(p, ps);
    state.recalculatePerPriorityPanic(ps);
  });
  const update = (p: number, [n, h, d, x]: number[]): void => {
    const hosts = makeHosts(n as number, h as number, d ?? 0, x ?? 0, p);
    ps.updateHosts(p, { hosts }, hosts, [], 0);
  };
  return { ps, state, update };
}

describe('PriorityLoadState', () => {
  for (const c of data.cases) {
    it(`reproduces LoadBalancerBaseTest.${c.name} step by step`, () => {
      const { state, update } = harness(c.priorities);
      c.steps.forEach((step, i) => {
        if (step.panicThreshold !== undefined) state.panicThreshold = step.panicThreshold;
        for (const [p, spec] of step.update) update(p, spec);
        const where = `${c.name} step ${i + 1}`;
        if (step.load) expect(state.healthyLoad, where).toEqual(step.load);
        if (step.degraded) expect(state.degradedLoad, where).toEqual(step.degraded);
        if (step.panic) expect(state.panic, where).toEqual(step.panic);
      });
    });
  }

  it('splits 70/30 with the 1.4 overprovisioning factor, 50/50 with factor 1.0 (OverProvisioningFactor)', () => {
    const { ps, state, update } = harness(2);
    update(0, [4, 2]);
    update(1, [4, 2]);
    expect(state.healthyLoad).toEqual([70, 30]);
    ps.getOrCreateHostSet(0).overprovisioningFactor = 100;
    ps.getOrCreateHostSet(1).overprovisioningFactor = 100;
    update(0, [4, 2]);
    update(1, [4, 2]);
    expect(state.healthyLoad).toEqual([50, 50]);
  });

  it('counts weights with weighted_priority_health (WeightedPriorityHealth, …Excluded, …Degraded)', () => {
    const { ps, state } = harness(2);
    for (const p of [0, 1]) {
      ps.getOrCreateHostSet(p).overprovisioningFactor = 100;
      ps.getOrCreateHostSet(p).weightedPriorityHealth = true;
    }
    const set = (p: number, hosts: Host[], weights: number[]): void => {
      hosts.forEach((h, i) => (h.weight = weights[i] as number));
      ps.updateHosts(p, { hosts }, hosts, [], 0);
    };
    set(1, makeHosts(1, 1, 0, 0, 1), [1]);
    set(0, makeHosts(4, 2), [3, 3, 2, 2]);
    expect(state.healthyLoad).toEqual([60, 40]);
    set(0, makeHosts(3, 1, 0, 1), [4, 10, 6]);
    expect(state.healthyLoad).toEqual([40, 60]);
    set(0, makeHosts(4, 1, 1), [4, 3, 2, 1]);
    set(1, makeHosts(2, 1, 1, 0, 1), [1, 9]);
    expect(state.healthyLoad).toEqual([40, 10]);
    expect(state.degradedLoad).toEqual([30, 20]);
  });

  it('with 2 hosts of which 1 is healthy, P0 health is 70 and a healthy P1 takes 30', () => {
    const { state, update } = harness(2);
    update(0, [2, 1]);
    update(1, [1, 1]);
    expect(state.health).toEqual([70, 100]);
    expect(state.healthyLoad).toEqual([70, 30]);
  });

  it("panics below 50 % healthy, and never with Istio's minHealthPercent 0", () => {
    for (const [threshold, n, healthy, panic] of [
      [50, 10, 4, true],
      [50, 10, 5, false],
      [50, 2, 0, true],
      [0, 10, 1, false],
      [0, 2, 0, false],
    ] as const) {
      const { state, update } = harness(1, threshold);
      update(0, [n, healthy]);
      expect(state.panic, `${healthy}/${n} healthy, threshold ${threshold}`).toEqual([panic]);
    }
  });

  it('choosePriority() maps hash % 100 + 1 onto the cumulative loads', () => {
    expect(choosePriority(69, [70, 30], [0, 0])).toEqual({ priority: 0, availability: 'healthy' });
    expect(choosePriority(70, [70, 30], [0, 0])).toEqual({ priority: 1, availability: 'healthy' });
    expect(choosePriority(99, [0, 0, 28], [28, 44, 0])).toEqual({ priority: 1, availability: 'degraded' });
    expect(choosePriority(1099n, [70, 30], [0, 0])).toEqual({ priority: 1, availability: 'healthy' });
  });

  test.prop([
    fc.array(
      fc.record({
        n: fc.integer({ min: 0, max: 30 }),
        h: fc.nat({ max: 30 }),
        d: fc.nat({ max: 30 }),
        x: fc.nat({ max: 30 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    fc.integer({ min: 0, max: 100 }),
  ])('loads always sum to 100 (BoundaryConditions, PrioritySelectionFuzz)', (sets, threshold) => {
    const { state, update } = harness(sets.length, threshold);
    sets.forEach((s, p) => {
      const h = Math.min(s.h, s.n);
      const d = Math.min(s.d, s.n - h);
      const x = Math.min(s.x, s.n - h - d);
      update(p, [s.n, h, d, x]);
    });
    // Envoy's invariant, except when panic is disabled and nothing is available (P0 forced to 100).
    const total = [...state.healthyLoad, ...state.degradedLoad].reduce((a, b) => a + b, 0);
    if (!(threshold === 0 && state.health.every((v) => v === 0) && state.degraded.every((v) => v === 0))) {
      expect(total).toBe(100);
    }
    expect(state.healthyLoad.every((v) => v >= 0 && v <= 100)).toBe(true);
  });
});
