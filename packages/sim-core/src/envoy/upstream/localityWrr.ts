/**
 * Locality weighted round robin: with `locality_weighted_lb_config`, each pick first chooses a locality by
 * EDF over the localities' *effective* weights — the configured weight scaled by the locality's available
 * share (`min(1, 1.4 × eligible / (hosts − excluded))`). Mirrors `LocalityWrr`
 * (envoyproxy/envoy source/extensions/load_balancing_policies/common/locality_wrr.cc).
 */
import { EdfScheduler } from '../lb/edfScheduler.js';
import type { Host } from './host.js';

interface LocalityEntry {
  readonly index: number;
  readonly effectiveWeight: number;
}

/** `LocalityWrr::effectiveLocalityWeight`. */
export function effectiveLocalityWeight(
  index: number,
  eligiblePerLocality: readonly (readonly Host[])[],
  excludedPerLocality: readonly (readonly Host[])[],
  allPerLocality: readonly (readonly Host[])[],
  localityWeights: readonly number[],
  overprovisioningFactor: number,
): number {
  const eligible = eligiblePerLocality[index]?.length ?? 0;
  const excluded = excludedPerLocality[index]?.length ?? 0;
  const hostCount = (allPerLocality[index]?.length ?? 0) - excluded;
  if (hostCount === 0) return 0;
  const availability = (1.0 * eligible) / hostCount;
  const weight = localityWeights[index] ?? 0;
  return weight * Math.min(1.0, (overprovisioningFactor / 100.0) * availability);
}

function buildScheduler(
  eligiblePerLocality: readonly (readonly Host[])[],
  eligibleCount: number,
  excludedPerLocality: readonly (readonly Host[])[],
  allPerLocality: readonly (readonly Host[])[],
  localityWeights: readonly number[] | null,
  overprovisioningFactor: number,
  seed: number,
): EdfScheduler<LocalityEntry> | null {
  if (localityWeights === null || localityWeights.length === 0 || eligibleCount === 0) return null;
  const entries: LocalityEntry[] = [];
  for (let i = 0; i < allPerLocality.length; i++) {
    const w = effectiveLocalityWeight(
      i,
      eligiblePerLocality,
      excludedPerLocality,
      allPerLocality,
      localityWeights,
      overprovisioningFactor,
    );
    if (w > 0) entries.push({ index: i, effectiveWeight: w });
  }
  if (entries.length === 0) return null;
  return EdfScheduler.createWithPicks(entries, (e) => e.effectiveWeight, seed);
}

/** The healthy and degraded locality schedulers of one host set. */
export class LocalityWrr {
  private readonly healthy: EdfScheduler<LocalityEntry> | null;
  private readonly degraded: EdfScheduler<LocalityEntry> | null;

  constructor(
    lists: {
      readonly hostsPerLocality: readonly (readonly Host[])[];
      readonly healthyHostsPerLocality: readonly (readonly Host[])[];
      readonly degradedHostsPerLocality: readonly (readonly Host[])[];
      readonly excludedHostsPerLocality: readonly (readonly Host[])[];
      readonly healthyHosts: readonly Host[];
      readonly degradedHosts: readonly Host[];
      readonly localityWeights: readonly number[] | null;
      readonly overprovisioningFactor: number;
    },
    seed: number,
  ) {
    this.healthy = buildScheduler(
      lists.healthyHostsPerLocality,
      lists.healthyHosts.length,
      lists.excludedHostsPerLocality,
      lists.hostsPerLocality,
      lists.localityWeights,
      lists.overprovisioningFactor,
      seed,
    );
    this.degraded = buildScheduler(
      lists.degradedHostsPerLocality,
      lists.degradedHosts.length,
      lists.excludedHostsPerLocality,
      lists.hostsPerLocality,
      lists.localityWeights,
      lists.overprovisioningFactor,
      seed,
    );
  }

  /** Index of the next healthy locality, or undefined when there is no weighted healthy locality. */
  chooseHealthyLocality(): number | undefined {
    return this.healthy?.pickAndAdd((e) => e.effectiveWeight)?.index;
  }

  /** Index of the next degraded locality, or undefined. */
  chooseDegradedLocality(): number | undefined {
    return this.degraded?.pickAndAdd((e) => e.effectiveWeight)?.index;
  }
}
