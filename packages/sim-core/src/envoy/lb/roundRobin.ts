/**
 * ROUND_ROBIN. With equal weights each hosts source keeps an index that starts at the LB's random `seed_`
 * and keeps counting across host-set changes (the next pick after an ejection is `index % new_size`); with
 * differing weights an EDF schedule pre-advanced by `seed_` picks, rebuilt on every change. Random draws:
 * one at construction (`seed_`), one per pick (priority). Mirrors `RoundRobinLoadBalancer`
 * (envoyproxy/envoy source/extensions/load_balancing_policies/round_robin/round_robin_lb.h).
 */
import type { Host } from '../upstream/host.js';
import { EdfLoadBalancerBase } from './edfLoadBalancerBase.js';
import type { LoadBalancerOptions } from './loadBalancer.js';

/** The ROUND_ROBIN load balancer. */
export class RoundRobinLoadBalancer extends EdfLoadBalancerBase {
  // One index per hosts source, created at seed_ and never reset (Envoy inserts only if absent).
  private readonly rrIndexes = new Map<number, { index: number }>();
  private peekaheadIndex = 0;

  constructor(options: LoadBalancerOptions) {
    super(options);
    this.initialize();
  }

  protected refreshHostSource(sourceKey: number): void {
    if (!this.rrIndexes.has(sourceKey)) this.rrIndexes.set(sourceKey, { index: this.seed });
    // The order of picks changed: discard the peek-ahead.
    this.peekaheadIndex = 0;
  }

  protected hostWeight(host: Host): number {
    return host.weight;
  }

  protected unweightedHostPeek(hosts: readonly Host[], sourceKey: number): Host | null {
    const rr = this.rrIndexes.get(sourceKey);
    if (rr === undefined) return null;
    return hosts[(rr.index + this.peekaheadIndex++) % hosts.length] ?? null;
  }

  protected unweightedHostPick(hosts: readonly Host[], sourceKey: number): Host | null {
    if (this.peekaheadIndex > 0) this.peekaheadIndex--;
    let rr = this.rrIndexes.get(sourceKey);
    if (rr === undefined) {
      rr = { index: this.seed };
      this.rrIndexes.set(sourceKey, rr);
    }
    return hosts[rr.index++ % hosts.length] ?? null;
  }
}
