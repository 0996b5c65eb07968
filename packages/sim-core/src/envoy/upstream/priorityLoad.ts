/**
 * Per-priority load and panic, as every Envoy load balancer computes them on each host-set update. A
 * priority's health is `min(100, 140 × healthy / (hosts − excluded))` (integer arithmetic, the 1.4
 * overprovisioning factor); load is handed out in priority order; a priority whose healthy+degraded share
 * is below the panic threshold balances over *all* its hosts. Mirrors `LoadBalancerBase::
 * recalculatePerPriorityState`, `recalculatePerPriorityPanic`, `recalculateLoadInTotalPanic`,
 * `isHostSetInPanic`, `choosePriority` and `distributeLoad` (envoyproxy/envoy
 * source/extensions/load_balancing_policies/common/load_balancer_impl.cc).
 */
import type { HostSet } from './hostSet.js';
import type { PrioritySet } from './prioritySet.js';

/** Whether a pick targets the healthy or the degraded hosts of the chosen priority. */
export type HostAvailability = 'healthy' | 'degraded';

/** `HealthyAndDegradedLoad`: percent of traffic per priority (sums to 100 across both arrays). */
export interface PriorityLoad {
  readonly healthy: readonly number[];
  readonly degraded: readonly number[];
}

/** `LoadBalancerBase::choosePriority`: `hash % 100 + 1` against the cumulative healthy, then degraded, load. */
export function choosePriority(
  hash: number | bigint,
  healthyLoad: readonly number[],
  degradedLoad: readonly number[],
): { priority: number; availability: HostAvailability } {
  const packed = choosePriorityPacked(hash, healthyLoad, degradedLoad);
  return { priority: packed >> 1, availability: (packed & 1) === 1 ? 'degraded' : 'healthy' };
}

/** {@link choosePriority} as one number, `priority × 2 + (degraded ? 1 : 0)`, for the per-pick hot path. */
export function choosePriorityPacked(
  hash: number | bigint,
  healthyLoad: readonly number[],
  degradedLoad: readonly number[],
): number {
  const h = (typeof hash === 'bigint' ? Number(hash % 100n) : hash % 100) + 1;
  let aggregate = 0;
  for (let p = 0; p < healthyLoad.length; p++) {
    aggregate += healthyLoad[p] as number;
    if (h <= aggregate) return p * 2;
  }
  for (let p = 0; p < degradedLoad.length; p++) {
    aggregate += degradedLoad[p] as number;
    if (h <= aggregate) return p * 2 + 1;
  }
  // Envoy: IS_ENVOY_BUG("unexpected load error") and P0.
  return 0;
}

// distributeLoad(): as much load as availability allows, in priority order; integer division.
function distributeLoad(
  load: number[],
  availability: readonly number[],
  totalLoad: number,
  normalizedTotal: number,
): { firstAvailable: number; remaining: number } {
  let firstAvailable = -1;
  for (let i = 0; i < availability.length; i++) {
    const a = availability[i] as number;
    if (firstAvailable < 0 && a > 0) firstAvailable = i;
    load[i] = Math.min(totalLoad, Math.floor((a * 100) / normalizedTotal));
    totalLoad -= load[i] as number;
  }
  return { firstAvailable, remaining: totalLoad };
}

/**
 * The mutable per-priority state one load balancer keeps: health, degraded availability, loads and panic
 * flags. Arrays are updated in place exactly as Envoy's are, including its habit of leaving loads from an
 * earlier computation untouched when nothing is available.
 */
export class PriorityLoadState {
  readonly healthyLoad: number[] = [];
  readonly degradedLoad: number[] = [];
  readonly health: number[] = [];
  readonly degraded: number[] = [];
  readonly panic: boolean[] = [];
  /** Healthy hosts across all priorities (`total_healthy_hosts_`). */
  totalHealthyHosts = 0;
  private threshold: number;

  constructor(panicThreshold: number) {
    this.threshold = Math.min(100, panicThreshold);
  }

  /**
   * The panic threshold, 0–100: `min(100, runtime upstream.healthy_panic_threshold ?? healthy_panic_threshold)`.
   * Settable, as Envoy's runtime override is; takes effect at the next recalculation.
   */
  get panicThreshold(): number {
    return this.threshold;
  }

  set panicThreshold(t: number) {
    this.threshold = Math.min(100, t);
  }

  /** `recalculatePerPriorityState(priority)`: re-derives `priority`'s health, then every priority's load. */
  recalculatePerPriorityState(priority: number, prioritySet: PrioritySet): void {
    const sets = prioritySet.hostSetsPerPriority;
    resize(this.healthyLoad, sets.length, 0);
    resize(this.degradedLoad, sets.length, 0);
    resize(this.health, sets.length, 0);
    resize(this.degraded, sets.length, 0);
    this.totalHealthyHosts = 0;
    const hostSet = sets[priority] as HostSet;
    this.health[priority] = 0;
    this.degraded[priority] = 0;
    const hostCount = hostSet.hosts.length - hostSet.excludedHosts.length;
    if (hostCount > 0) {
      let healthyW: number;
      let degradedW: number;
      let totalW: number;
      if (hostSet.weightedPriorityHealth) {
        healthyW = sumWeights(hostSet.healthyHosts);
        degradedW = sumWeights(hostSet.degradedHosts);
        totalW = sumWeights(hostSet.hosts) - sumWeights(hostSet.excludedHosts);
      } else {
        healthyW = hostSet.healthyHosts.length;
        degradedW = hostSet.degradedHosts.length;
        totalW = hostCount;
      }
      const f = hostSet.overprovisioningFactor;
      this.health[priority] = Math.min(100, Math.floor((f * healthyW) / totalW));
      this.degraded[priority] = Math.min(100, Math.floor((f * degradedW) / totalW));
    }
    const normalized = this.normalizedTotalAvailability();
    if (normalized === 0) return; // Envoy leaves the loads alone; panic handling below decides.
    const h = distributeLoad(this.healthyLoad, this.health, 100, normalized);
    const d = distributeLoad(this.degradedLoad, this.degraded, h.remaining, normalized);
    if (d.remaining !== 0) {
      if (h.firstAvailable !== -1) addAt(this.healthyLoad, h.firstAvailable, d.remaining);
      else addAt(this.degradedLoad, d.firstAvailable, d.remaining);
    }
    for (const s of sets) this.totalHealthyHosts += s.healthyHosts.length;
  }

  /** `recalculatePerPriorityPanic()`: sets each priority's panic flag, and total-panic loads. */
  recalculatePerPriorityPanic(prioritySet: PrioritySet): void {
    const sets = prioritySet.hostSetsPerPriority;
    resize(this.panic, sets.length, false);
    const normalized = this.normalizedTotalAvailability();
    if (this.panicThreshold === 0 && normalized === 0) {
      // Panic disabled and nothing available: P0 gets everything and finds no host (503 UH).
      this.healthyLoad[0] = 100;
      return;
    }
    let totalPanic = true;
    for (let i = 0; i < sets.length; i++) {
      // Never panic while the priorities together still cover 100 % of the load.
      this.panic[i] = normalized === 100 ? false : this.isHostSetInPanic(sets[i] as HostSet);
      totalPanic = totalPanic && (this.panic[i] as boolean);
    }
    if (totalPanic) this.recalculateLoadInTotalPanic(prioritySet);
  }

  /** `isHostSetInPanic`: healthy% + degraded% (of hosts − excluded) below the threshold. */
  isHostSetInPanic(hostSet: HostSet): boolean {
    const hostCount = hostSet.hosts.length - hostSet.excludedHosts.length;
    const healthyPercent = hostCount === 0 ? 0.0 : (100.0 * hostSet.healthyHosts.length) / hostCount;
    const degradedPercent = hostCount === 0 ? 0.0 : (100.0 * hostSet.degradedHosts.length) / hostCount;
    return healthyPercent + degradedPercent < this.panicThreshold;
  }

  /** `recalculateLoadInTotalPanic`: every priority panics, so load follows raw host counts. */
  private recalculateLoadInTotalPanic(prioritySet: PrioritySet): void {
    const sets = prioritySet.hostSetsPerPriority;
    let total = 0;
    for (const s of sets) total += s.hosts.length;
    if (total === 0) {
      this.healthyLoad[0] = 100;
      return;
    }
    let totalLoad = 100;
    let firstNonEmpty = -1;
    for (let i = 0; i < this.panic.length; i++) {
      const n = (sets[i] as HostSet).hosts.length;
      if (firstNonEmpty === -1 && n !== 0) firstNonEmpty = i;
      const load = Math.floor((100 * n) / total);
      this.healthyLoad[i] = load;
      this.degradedLoad[i] = 0;
      totalLoad -= load;
    }
    addAt(this.healthyLoad, firstNonEmpty, totalLoad);
  }

  private normalizedTotalAvailability(): number {
    let sum = 0;
    for (const h of this.health) sum += h;
    for (const d of this.degraded) sum += d;
    return Math.min(sum, 100);
  }
}

function sumWeights(hosts: readonly { readonly weight: number }[]): number {
  let s = 0;
  for (const h of hosts) s += h.weight;
  return s;
}

function addAt(a: number[], i: number, n: number): void {
  a[i] = (a[i] ?? 0) + n;
}

function resize<T>(a: T[], n: number, fill: T): void {
  while (a.length < n) a.push(fill);
  a.length = n;
}
