/**
 * RANDOM: one `random()` value `r` per pick, used both for the priority (`r % 100 + 1`) and for the host
 * (`hosts[r % n]`). Host weights are ignored. No draw at construction. Mirrors `RandomLoadBalancer`
 * (envoyproxy/envoy source/extensions/load_balancing_policies/random/random_lb.cc).
 */
import type { Host } from '../upstream/host.js';
import type { LoadBalancerContext, LoadBalancerOptions } from './loadBalancer.js';
import { tooManyPreconnects, ZoneAwareLoadBalancerBase } from './loadBalancerBase.js';

/** The RANDOM load balancer. */
export class RandomLoadBalancer extends ZoneAwareLoadBalancerBase {
  constructor(options: LoadBalancerOptions) {
    super(options);
  }

  protected chooseHostOnce(context: LoadBalancerContext | undefined): Host | null {
    return this.peekOrChoose(context, false);
  }

  peekAnotherHost(context?: LoadBalancerContext): Host | null {
    if (tooManyPreconnects(this.stashedRandom.length, this.state.totalHealthyHosts)) return null;
    return this.peekOrChoose(context, true);
  }

  private peekOrChoose(context: LoadBalancerContext | undefined, peek: boolean): Host | null {
    const r = this.random(peek);
    const source = this.hostSourceToUse(context, r);
    if (source === null) return null;
    const hosts = this.hostSourceToHosts(source);
    if (hosts.length === 0) return null;
    return hosts[r % hosts.length] ?? null;
  }
}
