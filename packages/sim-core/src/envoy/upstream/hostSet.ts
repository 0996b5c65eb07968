/**
 * The hosts of one priority of a cluster, partitioned by health into the lists load balancers pick from:
 * all, healthy, degraded and excluded, each also per locality. Rebuilt (never patched) whenever membership
 * or health changes. Mirrors `HostSetImpl` and `ClusterImplBase::partitionHostList`
 * (envoyproxy/envoy source/common/upstream/upstream_impl.cc).
 */
import { isExcluded } from './healthFlags.js';
import type { Locality } from '../config/core.js';
import { localityKey, type Host } from './host.js';
import { LocalityWrr } from './localityWrr.js';

/** Envoy's default overprovisioning factor: 140 (i.e. 1.4), `kDefaultOverProvisioningFactor`. */
export const DEFAULT_OVERPROVISIONING_FACTOR = 140;

/** One locality's endpoints, as an EDS `LocalityLbEndpoints` entry carries them. */
export interface LocalityHosts {
  readonly locality: Locality;
  /** `load_balancing_weight` of the locality; only used with locality-weighted LB. */
  readonly weight?: number;
  readonly hosts: readonly Host[];
}

/** A new membership for a host set: either localities with their hosts, or a flat host list. */
export type HostSetMembership =
  | { readonly localities: readonly LocalityHosts[] }
  | { readonly hosts: readonly Host[]; readonly localityWeights?: undefined };

/** One priority's partitioned host lists. */
export class HostSet {
  readonly priority: number;
  /** `overprovisioning_factor` in percent. @defaultValue 140 */
  overprovisioningFactor = DEFAULT_OVERPROVISIONING_FACTOR;
  /** `weighted_priority_health`: priority health counted in weights instead of hosts. @defaultValue false */
  weightedPriorityHealth = false;

  hosts: readonly Host[] = [];
  healthyHosts: readonly Host[] = [];
  degradedHosts: readonly Host[] = [];
  excludedHosts: readonly Host[] = [];
  /** The localities in EDS order; every per-locality list below is aligned with it. */
  localities: readonly Locality[] = [];
  /** Per-locality weights, or null when EDS gave none. */
  localityWeights: readonly number[] | null = null;
  hostsPerLocality: readonly (readonly Host[])[] = [];
  healthyHostsPerLocality: readonly (readonly Host[])[] = [];
  degradedHostsPerLocality: readonly (readonly Host[])[] = [];
  excludedHostsPerLocality: readonly (readonly Host[])[] = [];
  private localityWrr: LocalityWrr | null = null;

  constructor(priority: number) {
    this.priority = priority;
  }

  /**
   * `HostSetImpl::updateHosts` with `ClusterImplBase::partitionHosts`: replaces the membership and
   * recomputes every list from the hosts' current flags. `seed` seeds the locality scheduler.
   */
  update(membership: HostSetMembership, seed: number): void {
    const groups = 'localities' in membership ? membership.localities : groupByLocality(membership.hosts);
    const hosts: Host[] = [];
    const healthy: Host[] = [];
    const degraded: Host[] = [];
    const excluded: Host[] = [];
    const perLocality: Host[][] = [];
    const healthyPer: Host[][] = [];
    const degradedPer: Host[][] = [];
    const excludedPer: Host[][] = [];
    let weights: number[] | null = null;
    for (const g of groups) {
      const all: Host[] = [];
      const h: Host[] = [];
      const d: Host[] = [];
      const x: Host[] = [];
      for (const host of g.hosts) {
        all.push(host);
        const health = host.coarseHealth();
        if (health === 'healthy') h.push(host);
        else if (health === 'degraded') d.push(host);
        if (isExcluded(host.healthFlags)) x.push(host);
      }
      hosts.push(...all);
      healthy.push(...h);
      degraded.push(...d);
      excluded.push(...x);
      perLocality.push(all);
      healthyPer.push(h);
      degradedPer.push(d);
      excludedPer.push(x);
      if (g.weight !== undefined) (weights ??= []).push(g.weight);
    }
    this.hosts = hosts;
    this.healthyHosts = healthy;
    this.degradedHosts = degraded;
    this.excludedHosts = excluded;
    this.localities = groups.map((g) => g.locality);
    this.localityWeights = weights !== null && weights.length === groups.length ? weights : null;
    this.hostsPerLocality = perLocality;
    this.healthyHostsPerLocality = healthyPer;
    this.degradedHostsPerLocality = degradedPer;
    this.excludedHostsPerLocality = excludedPer;
    this.localityWrr = new LocalityWrr(this, seed);
  }

  /** The membership as it stands, for a rebuild after a health change. */
  membership(): HostSetMembership {
    return {
      localities: this.hostsPerLocality.map((hosts, i) => ({
        locality: this.localities[i] ?? {},
        ...(this.localityWeights !== null ? { weight: this.localityWeights[i] as number } : {}),
        hosts,
      })),
    };
  }

  /** `HostSet::chooseHealthyLocality()`: the next locality by effective weight, or undefined. */
  chooseHealthyLocality(): number | undefined {
    return this.localityWrr?.chooseHealthyLocality();
  }

  /** `HostSet::chooseDegradedLocality()`. */
  chooseDegradedLocality(): number | undefined {
    return this.localityWrr?.chooseDegradedLocality();
  }
}

// Hosts grouped by locality in order of first appearance (EDS lists localities in a fixed order).
function groupByLocality(hosts: readonly Host[]): LocalityHosts[] {
  const byKey = new Map<string, { locality: Locality; hosts: Host[] }>();
  for (const h of hosts) {
    const k = localityKey(h.locality);
    let g = byKey.get(k);
    if (g === undefined) {
      g = { locality: h.locality, hosts: [] };
      byKey.set(k, g);
    }
    g.hosts.push(h);
  }
  return [...byKey.values()];
}
