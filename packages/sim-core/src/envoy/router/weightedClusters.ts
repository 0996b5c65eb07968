/**
 * Weighted cluster selection, as `RouteEntryImplBase::pickWeightedCluster` (envoyproxy/envoy
 * source/common/router/config_impl.cc): `selected = random_value % total_weight`, where `total_weight` is
 * the **sum of the weights** (the `total_weight` field is deprecated and ignored), then the clusters are
 * walked in configuration order over `[0, w1), [w1, w1 + w2), …` and the interval containing `selected`
 * wins. `random_value` is the request's stream id — or, when `header_name` is configured and the request
 * carries exactly one numeric value in it, that value. A cluster of weight 0 never receives traffic.
 *
 * Exposed two ways: {@link pickWeightedCluster} / {@link sampleWeightedCluster} for the data plane (a
 * random value or a {@link RandomSource}), and {@link weightedCandidates} analytically (each cluster with
 * probability weight/total) for explanations and property checks.
 */
import type { RandomSource } from '../../engine/rng.js';
import type { HeaderMap } from '../common.js';
import type { WeightedCluster } from './types.js';

/** A weighted cluster's candidate with its exact share of requests. */
export interface WeightedCandidate {
  /** The cluster name, e.g. `outbound|80|v2|canary.canary.svc.cluster.local`. */
  readonly name: string;
  readonly weight: number;
  /** `weight / total` — Envoy's long-run share for this cluster. */
  readonly probability: number;
  /** Position in the configured list (the order that lays out the intervals). */
  readonly index: number;
}

function weightOf(w: number | undefined): number {
  return w === undefined || !Number.isFinite(w) || w < 0 ? 0 : Math.floor(w);
}

/** The sum of the weights; Envoy rejects a weighted cluster whose sum is 0. */
export function totalWeight(wc: WeightedCluster): number {
  let total = 0;
  for (const c of wc.clusters) total += weightOf(c.weight);
  return total;
}

/**
 * Each configured cluster with its probability `weight / total`, in configuration order (weight-0 entries
 * included, with probability 0). Empty when the total is 0 (an invalid configuration).
 */
export function weightedCandidates(wc: WeightedCluster): readonly WeightedCandidate[] {
  const total = totalWeight(wc);
  if (total === 0) return [];
  return wc.clusters.map((c, index) => {
    const weight = weightOf(c.weight);
    return { name: c.name, weight, probability: weight / total, index };
  });
}

/**
 * The random value Envoy uses for this request: the `header_name` header's value when it is configured
 * and carries a single unsigned decimal value, else the stream id.
 */
export function weightedClusterRandomValue(wc: WeightedCluster, headers: HeaderMap, streamId: number): number {
  if (wc.headerName === undefined || wc.headerName === '') return streamId;
  const v = headers[wc.headerName.toLowerCase()];
  const single = typeof v === 'string' ? v : v !== undefined && v.length === 1 ? v[0] : undefined;
  if (single === undefined || !/^\d+$/.test(single)) return streamId;
  const n = Number(single);
  return Number.isSafeInteger(n) ? n : streamId;
}

/** The cluster chosen for `randomValue` (undefined only when the total weight is 0). */
export function pickWeightedCluster(wc: WeightedCluster, randomValue: number): string | undefined {
  const total = totalWeight(wc);
  if (total === 0) return undefined;
  const selected = randomValue % total;
  let begin = 0;
  for (const c of wc.clusters) {
    const end = begin + weightOf(c.weight);
    if (selected >= begin && selected < end) return c.name;
    begin = end;
  }
  return undefined;
}

/** Draws one random value (a new stream id) from `random` and picks the cluster for it. */
export function sampleWeightedCluster(wc: WeightedCluster, random: RandomSource): string | undefined {
  return pickWeightedCluster(wc, random.random());
}
