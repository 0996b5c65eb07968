/**
 * LEAST_REQUEST — Istio's default policy since 1.14. With equal weights: sample `choice_count` hosts
 * uniformly with replacement (`random() % n` each) and keep the one with the fewest active requests; a
 * later sample replaces the candidate only if strictly lower, so ties keep the first. FULL_SCAN takes the
 * minimum over all hosts, ties broken by reservoir sampling. With differing weights: an EDF schedule whose
 * weights are `weight / (rq_active + 1)^bias`, evaluated when a host is (re)inserted. Random draws: one at
 * construction (`seed_`), per pick one for the priority then `choice_count`. Mirrors
 * `LeastRequestLoadBalancer` (envoyproxy/envoy source/extensions/load_balancing_policies/least_request/).
 */
import type { LeastRequestLbConfig } from '../config/cluster.js';
import type { Host } from '../upstream/host.js';
import { EdfLoadBalancerBase } from './edfLoadBalancerBase.js';
import type { LoadBalancerOptions } from './loadBalancer.js';

/** Options of {@link LeastRequestLoadBalancer}: the common ones plus `LeastRequestLbConfig`. */
export interface LeastRequestOptions extends LoadBalancerOptions {
  readonly config?: LeastRequestLbConfig;
}

/** The LEAST_REQUEST load balancer. */
export class LeastRequestLoadBalancer extends EdfLoadBalancerBase {
  /** `choice_count`. @defaultValue 2 */
  readonly choiceCount: number;
  /** `active_request_bias`; negative or NaN falls back to 1.0 as Envoy does. @defaultValue 1.0 */
  readonly activeRequestBias: number;
  /** @defaultValue `'N_CHOICES'` */
  readonly selectionMethod: 'N_CHOICES' | 'FULL_SCAN';

  constructor(options: LeastRequestOptions) {
    super(options);
    const c = options.config ?? {};
    this.choiceCount = c.choiceCount ?? 2;
    const bias = c.activeRequestBias?.defaultValue ?? 1.0;
    this.activeRequestBias = bias < 0 || Number.isNaN(bias) ? 1.0 : bias;
    this.selectionMethod = c.selectionMethod ?? 'N_CHOICES';
    this.initialize();
  }

  protected refreshHostSource(): void {
    // No per-source state.
  }

  /** `weight / (rq_active + 1)^bias`; bias 1 divides, bias 0 is plain weighted round robin. */
  protected hostWeight(host: Host): number {
    const active = host.stats.rq_active + 1;
    if (this.activeRequestBias === 1.0) return host.weight / active;
    if (this.activeRequestBias !== 0.0) return host.weight / Math.pow(active, this.activeRequestBias);
    return host.weight;
  }

  protected unweightedHostPeek(): Host | null {
    // Another worker could change rq_active between peek and pick: Envoy does not preconnect here.
    return null;
  }

  protected unweightedHostPick(hosts: readonly Host[]): Host | null {
    return this.selectionMethod === 'FULL_SCAN' ? this.pickFullScan(hosts) : this.pickNChoices(hosts);
  }

  private pickNChoices(hosts: readonly Host[]): Host | null {
    let candidate: Host | null = null;
    for (let i = 0; i < this.choiceCount; i++) {
      const sampled = hosts[this.randomSource.random() % hosts.length] as Host;
      if (candidate === null) candidate = sampled;
      else if (sampled.stats.rq_active < candidate.stats.rq_active) candidate = sampled;
    }
    return candidate;
  }

  private pickFullScan(hosts: readonly Host[]): Host | null {
    let candidate: Host | null = null;
    let tied = 0;
    for (const sampled of hosts) {
      if (candidate === null) {
        tied = 1;
        candidate = sampled;
        continue;
      }
      const c = candidate.stats.rq_active;
      const s = sampled.stats.rq_active;
      if (s < c) {
        tied = 1;
        candidate = sampled;
      } else if (s === c) {
        tied++;
        // Reservoir sampling: each of the k tied hosts ends up chosen with probability 1/k.
        if (this.randomSource.random() % tied === 0) candidate = sampled;
      }
    }
    return candidate;
  }
}
