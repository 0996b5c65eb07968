/**
 * Base of the consistent-hash policies (RING_HASH, MAGLEV): on every host-set update each priority's
 * ring/table is rebuilt from its healthy hosts — or all hosts when that priority is in panic — with host
 * weights normalised to sum to 1 (times the locality weight when locality weighted). A pick uses the
 * request's hash (or one `random()` when it has none) both for the priority and for the ring. Mirrors
 * `ThreadAwareLoadBalancerBase` (envoyproxy/envoy
 * source/extensions/load_balancing_policies/common/thread_aware_lb_impl.cc). Bounded-load hashing
 * (`hash_balance_factor`) is not simulated.
 */
import { ConfigError } from '../../errors.js';
import type { Host } from '../upstream/host.js';
import type { HostSet } from '../upstream/hostSet.js';
import { choosePriority } from '../upstream/priorityLoad.js';
import type { LoadBalancerContext, LoadBalancerOptions } from './loadBalancer.js';
import { LoadBalancerBase } from './loadBalancerBase.js';

/** A host and its normalised weight (all weights of a priority sum to 1). */
export type NormalizedHostWeight = readonly [host: Host, weight: number];

/** A built ring or table: `chooseHost(hash, attempt)` (`HashingLoadBalancer`). */
export interface HashingLoadBalancer {
  chooseHost(hash: bigint, attempt: number): Host | null;
}

/** Options shared by RING_HASH and MAGLEV. */
export interface ThreadAwareOptions extends LoadBalancerOptions {
  /** `consistent_hashing_lb_config.use_hostname_for_hashing`. @defaultValue false */
  readonly useHostnameForHashing?: boolean;
}

/**
 * Envoy's `random()` is a uint64; meshsim's is uniform below 2^53. A consistent-hash pick without a hash key
 * uses the random value as a ring position, so it is stretched over the full 64 bits as
 * `r + 100·⌊2047·r / 100⌋` (≈ 2048·r, never past 2^64). The stretch keeps `r mod 100`, so the priority
 * choice (`h % 100 + 1`) is exactly Envoy's for the same draw, and small replayed values stay small.
 */
export function stretchTo64(r: number): bigint {
  const b = BigInt(r);
  return b + 100n * ((2047n * b) / 100n);
}

/** `hashKey(host, use_hostname)`: the string a host is placed on the ring by. */
export function hostHashKey(host: Host, useHostname: boolean): string {
  return useHostname ? host.hostname : host.addressString;
}

function normalizeHostWeights(
  hosts: readonly Host[],
  localityWeight: number,
  out: NormalizedHostWeight[],
  range: { min: number; max: number },
): void {
  let sum = 0;
  for (const h of hosts) sum += h.weight;
  if (sum > 0xffffffff) {
    throw new ConfigError(`The sum of weights of all upstream hosts in a locality exceeds ${0xffffffff}`);
  }
  for (const h of hosts) {
    const w = (h.weight * localityWeight) / sum;
    out.push([h, w]);
    range.min = Math.min(range.min, w);
    range.max = Math.max(range.max, w);
  }
}

/** `normalizeWeights(host_set, in_panic, …)`. */
export function normalizeWeights(
  hostSet: HostSet,
  inPanic: boolean,
  localityWeighted: boolean,
): { weights: NormalizedHostWeight[]; min: number; max: number } {
  const weights: NormalizedHostWeight[] = [];
  const range = { min: 1.0, max: 0.0 };
  const lw = hostSet.localityWeights;
  if (!localityWeighted || lw === null || lw.length === 0) {
    normalizeHostWeights(inPanic ? hostSet.hosts : hostSet.healthyHosts, 1.0, weights, range);
  } else {
    const perLocality = inPanic ? hostSet.hostsPerLocality : hostSet.healthyHostsPerLocality;
    let sum = 0;
    for (const w of lw) sum += w;
    if (sum > 0) {
      for (let i = 0; i < lw.length; i++) {
        const w = lw[i] as number;
        if (w !== 0) normalizeHostWeights(perLocality[i] ?? [], w / sum, weights, range);
      }
    }
  }
  return { weights, min: range.min, max: range.max };
}

/** `ThreadAwareLoadBalancerBase` plus its per-worker `LoadBalancerImpl::chooseHost`. */
export abstract class ThreadAwareLoadBalancerBase extends LoadBalancerBase {
  protected readonly useHostnameForHashing: boolean;
  private readonly localityWeighted: boolean;
  private perPriority: { panic: boolean; lb: HashingLoadBalancer }[] = [];

  constructor(options: ThreadAwareOptions) {
    super(options);
    this.useHostnameForHashing = options.useHostnameForHashing ?? false;
    this.localityWeighted = options.localityWeightedBalancing ?? false;
  }

  /** Builds the rings; subclasses call it at the end of their constructor (`initialize()`). */
  protected initialize(): void {
    this.refresh();
  }

  protected override onPriorityUpdate(priority: number): void {
    super.onPriorityUpdate(priority);
    this.refresh();
  }

  private refresh(): void {
    this.perPriority = this.prioritySet.hostSetsPerPriority.map((hs) => {
      const panic = this.state.panic[hs.priority] ?? false;
      const n = normalizeWeights(hs, panic, this.localityWeighted);
      return { panic, lb: this.createLoadBalancer(n.weights, n.min, n.max) };
    });
  }

  /** The ring or table currently used for `priority`. */
  hashingLoadBalancer(priority: number): HashingLoadBalancer | undefined {
    return this.perPriority[priority]?.lb;
  }

  /** Builds one priority's ring or table. */
  protected abstract createLoadBalancer(
    weights: readonly NormalizedHostWeight[],
    minWeight: number,
    maxWeight: number,
  ): HashingLoadBalancer;

  chooseHost(context?: LoadBalancerContext): Host | null {
    const hash = context?.computeHashKey?.();
    const h = hash !== undefined ? hash : stretchTo64(this.randomSource.random());
    const { priority } = choosePriority(h, this.state.healthyLoad, this.state.degradedLoad);
    const pp = this.perPriority[priority];
    if (pp === undefined) return null;
    if (pp.panic) this.stats.lb_healthy_panic++;
    const maxAttempts = context !== undefined ? (context.hostSelectionRetryCount?.() ?? 0) + 1 : 1;
    let host: Host | null = null;
    for (let i = 0; i < maxAttempts; i++) {
      host = pp.lb.chooseHost(h, i);
      if (host === null || context?.shouldSelectAnotherHost === undefined || !context.shouldSelectAnotherHost(host)) {
        return host;
      }
    }
    return host;
  }

  /** Consistent-hash LBs do not preconnect. */
  peekAnotherHost(): Host | null {
    return null;
  }
}
