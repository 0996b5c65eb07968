/**
 * Base of ROUND_ROBIN and LEAST_REQUEST: one random `seed_` drawn at construction, and per hosts source
 * either an unweighted pick (all weights equal, or ≤ 1 host) or an EDF scheduler pre-advanced by `seed_`
 * picks, rebuilt from scratch on every host-set update. Mirrors `EdfLoadBalancerBase`
 * (envoyproxy/envoy source/extensions/load_balancing_policies/common/load_balancer_impl.cc), with
 * `envoy.reloadable_features.edf_lb_host_scheduler_init_fix` on (the default). Slow start is not simulated.
 */
import type { Host } from '../upstream/host.js';
import type { HostSet } from '../upstream/hostSet.js';
import { EdfScheduler } from './edfScheduler.js';
import {
  hostsSourceKey,
  SourceType,
  type HostsSource,
  type LoadBalancerContext,
  type LoadBalancerOptions,
} from './loadBalancer.js';
import { tooManyPreconnects, ZoneAwareLoadBalancerBase } from './loadBalancerBase.js';

function hostWeightsAreEqual(hosts: readonly Host[]): boolean {
  if (hosts.length <= 1) return true;
  const w = (hosts[0] as Host).weight;
  for (let i = 1; i < hosts.length; i++) if ((hosts[i] as Host).weight !== w) return false;
  return true;
}

/** `EdfLoadBalancerBase`. Subclasses call {@link initialize} at the end of their constructor. */
export abstract class EdfLoadBalancerBase extends ZoneAwareLoadBalancerBase {
  /** `seed_`: desynchronises load balancers across a fleet. Drawn once, at construction. */
  readonly seed: number;
  private readonly schedulers = new Map<number, EdfScheduler<Host> | null>();
  private readonly weightFn = (h: Host): number => this.hostWeight(h);

  constructor(options: LoadBalancerOptions) {
    super(options);
    this.seed = this.randomSource.random();
  }

  /** `initialize()`: refreshes every priority. */
  protected initialize(): void {
    const n = this.prioritySet.hostSetsPerPriority.length;
    for (let p = 0; p < n; p++) this.refresh(p);
  }

  protected override onPriorityUpdate(priority: number): void {
    super.onPriorityUpdate(priority);
    this.refresh(priority);
  }

  /** `EdfLoadBalancerBase::refresh(priority)`: rebuilds the state of every hosts source of `priority`. */
  protected refresh(priority: number): void {
    const hs = this.prioritySet.hostSetsPerPriority[priority] as HostSet;
    const add = (source: HostsSource, hosts: readonly Host[]): void => {
      const key = hostsSourceKey(source);
      this.schedulers.set(key, null);
      this.refreshHostSource(key);
      if (hostWeightsAreEqual(hosts)) return;
      this.schedulers.set(key, EdfScheduler.createWithPicks(hosts, this.weightFn, this.seed));
    };
    add({ priority, sourceType: SourceType.AllHosts, localityIndex: 0 }, hs.hosts);
    add({ priority, sourceType: SourceType.HealthyHosts, localityIndex: 0 }, hs.healthyHosts);
    add({ priority, sourceType: SourceType.DegradedHosts, localityIndex: 0 }, hs.degradedHosts);
    hs.healthyHostsPerLocality.forEach((hosts, i) =>
      add({ priority, sourceType: SourceType.LocalityHealthyHosts, localityIndex: i }, hosts),
    );
    hs.degradedHostsPerLocality.forEach((hosts, i) =>
      add({ priority, sourceType: SourceType.LocalityDegradedHosts, localityIndex: i }, hosts),
    );
  }

  /** `EdfLoadBalancerBase::chooseHostOnce`: one `random()` for the priority, then EDF or unweighted pick. */
  protected chooseHostOnce(context: LoadBalancerContext | undefined): Host | null {
    const source = this.hostSourceToUse(context, this.random(false));
    if (source === null) return null;
    const key = source.key ?? hostsSourceKey(source);
    const edf = this.schedulers.get(key);
    if (edf !== undefined && edf !== null) return edf.pickAndAdd(this.weightFn) ?? null;
    const hosts = this.hostSourceToHosts(source);
    if (hosts.length === 0) return null;
    return this.unweightedHostPick(hosts, key);
  }

  /** `EdfLoadBalancerBase::peekAnotherHost`. */
  peekAnotherHost(context?: LoadBalancerContext): Host | null {
    if (tooManyPreconnects(this.stashedRandom.length, this.state.totalHealthyHosts)) return null;
    const source = this.hostSourceToUse(context, this.random(true));
    if (source === null) return null;
    const key = source.key ?? hostsSourceKey(source);
    const edf = this.schedulers.get(key);
    if (edf !== undefined && edf !== null) return edf.peekAgain(this.weightFn) ?? null;
    const hosts = this.hostSourceToHosts(source);
    if (hosts.length === 0) return null;
    return this.unweightedHostPeek(hosts, key);
  }

  /** Called for each hosts source on refresh, before its scheduler is rebuilt. */
  protected abstract refreshHostSource(sourceKey: number): void;
  /** The weight the EDF schedules a host with. */
  protected abstract hostWeight(host: Host): number;
  /** The pick when all weights are equal. */
  protected abstract unweightedHostPick(hosts: readonly Host[], sourceKey: number): Host | null;
  /** The peek when all weights are equal. */
  protected abstract unweightedHostPeek(hosts: readonly Host[], sourceKey: number): Host | null;
}
