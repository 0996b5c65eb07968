/**
 * Circuit-breaker resources of one cluster and routing priority: connections, pending requests, requests,
 * retries (a plain limit, or a retry budget scaled by the active + pending requests) and connection pools.
 * The limits are shared by every host of the cluster — `maxConnections: 1` means one connection to the whole
 * service, not per pod. Mirrors `ResourceManagerImpl`, `ManagedResourceImpl` and `RetryBudgetImpl`
 * (envoyproxy/envoy source/common/upstream/resource_manager_impl.h) and the defaults of
 * `ClusterInfoImpl::ResourceManagers::load` (1024/1024/1024/3; Istio raises all four to 2^32−1).
 */
import type { CircuitBreakers, CircuitBreakerThresholds, RoutingPriority } from '../config/cluster.js';

/** A counted resource with a limit (`ResourceLimit`). */
export interface ResourceLimit {
  /** `canCreate()`: `count < max`. */
  canCreate(): boolean;
  inc(): void;
  dec(): void;
  /** `max()`. */
  max(): number;
  /** `count()`. */
  count(): number;
}

/** `circuit_breakers.<priority>.*` gauges for one resource. */
export interface CircuitBreakerGauges {
  /** 1 while the breaker is open (count ≥ max). */
  open: number;
  /** `remaining_*`: max − count (0 for a retry budget, whose max moves with traffic). */
  remaining: number;
}

/** `ManagedResourceImpl`: a limit with its open and remaining gauges kept current. */
export class ManagedResource implements ResourceLimit {
  readonly gauges: CircuitBreakerGauges;
  private current = 0;
  private readonly limit: number;

  constructor(max: number) {
    this.limit = max;
    this.gauges = { open: 0, remaining: max };
  }

  canCreate(): boolean {
    return this.current < this.limit;
  }

  inc(): void {
    this.current++;
    this.update();
  }

  dec(): void {
    this.current--;
    this.update();
  }

  max(): number {
    return this.limit;
  }

  count(): number {
    return this.current;
  }

  private update(): void {
    this.gauges.remaining = this.limit > this.current ? this.limit - this.current : 0;
    this.gauges.open = this.current < this.limit ? 0 : 1;
  }
}

/**
 * `RetryBudgetImpl`: without a budget, the `max_retries` limit; with one,
 * `max(budget_percent/100 × (requests + pending), min_retry_concurrency)` (truncated to an integer), and the
 * `remaining_retries` gauge pinned at 0.
 */
export class RetryResource implements ResourceLimit {
  private readonly plain: ManagedResource;
  private readonly budgetPercent: number | undefined;
  private readonly minRetryConcurrency: number | undefined;
  private readonly requests: ResourceLimit;
  private readonly pending: ResourceLimit;

  constructor(
    maxRetries: number,
    budget: { budgetPercent?: number; minRetryConcurrency?: number } | undefined,
    requests: ResourceLimit,
    pending: ResourceLimit,
  ) {
    this.plain = new ManagedResource(maxRetries);
    this.budgetPercent = budget?.budgetPercent;
    this.minRetryConcurrency = budget?.minRetryConcurrency;
    this.requests = requests;
    this.pending = pending;
    this.clearRemaining();
  }

  /** True when a retry budget replaces `max_retries`. */
  get usesBudget(): boolean {
    return this.budgetPercent !== undefined || this.minRetryConcurrency !== undefined;
  }

  get gauges(): CircuitBreakerGauges {
    return this.plain.gauges;
  }

  canCreate(): boolean {
    if (!this.usesBudget) return this.plain.canCreate();
    this.clearRemaining();
    return this.count() < this.max();
  }

  inc(): void {
    this.plain.inc();
    this.clearRemaining();
  }

  dec(): void {
    this.plain.dec();
    this.clearRemaining();
  }

  max(): number {
    if (!this.usesBudget) return this.plain.max();
    const active = this.requests.count() + this.pending.count();
    const percent = this.budgetPercent ?? 20.0;
    const min = this.minRetryConcurrency ?? 3;
    return Math.max(Math.trunc((percent / 100.0) * active), min);
  }

  count(): number {
    return this.plain.count();
  }

  private clearRemaining(): void {
    if (this.usesBudget) this.plain.gauges.remaining = 0;
  }
}

/** Envoy's default thresholds (`ClusterInfoImpl::ResourceManagers::load`). */
export const ENVOY_DEFAULT_THRESHOLDS = {
  maxConnections: 1024,
  maxPendingRequests: 1024,
  maxRequests: 1024,
  maxRetries: 3,
  maxConnectionPools: Number.MAX_SAFE_INTEGER,
} as const;

/** `ResourceManagerImpl`: the five resources of one routing priority. */
export class ResourceManager {
  readonly priority: RoutingPriority;
  readonly connections: ManagedResource;
  readonly pendingRequests: ManagedResource;
  readonly requests: ManagedResource;
  readonly retries: RetryResource;
  readonly connectionPools: ManagedResource;

  constructor(priority: RoutingPriority, thresholds: CircuitBreakerThresholds = {}) {
    this.priority = priority;
    const d = ENVOY_DEFAULT_THRESHOLDS;
    this.connections = new ManagedResource(thresholds.maxConnections ?? d.maxConnections);
    this.pendingRequests = new ManagedResource(thresholds.maxPendingRequests ?? d.maxPendingRequests);
    this.requests = new ManagedResource(thresholds.maxRequests ?? d.maxRequests);
    this.connectionPools = new ManagedResource(thresholds.maxConnectionPools ?? d.maxConnectionPools);
    const b = thresholds.retryBudget;
    this.retries = new RetryResource(
      thresholds.maxRetries ?? d.maxRetries,
      b === undefined
        ? undefined
        : {
            budgetPercent: b.budgetPercent?.value ?? 20.0,
            minRetryConcurrency: b.minRetryConcurrency ?? 3,
          },
      this.requests,
      this.pendingRequests,
    );
  }

  /** The `circuit_breakers.<priority>.*` gauges, named as Envoy names them. */
  gauges(): Record<string, number> {
    return {
      cx_open: this.connections.gauges.open,
      rq_pending_open: this.pendingRequests.gauges.open,
      rq_open: this.requests.gauges.open,
      rq_retry_open: this.retries.gauges.open,
      cx_pool_open: this.connectionPools.gauges.open,
      remaining_cx: this.connections.gauges.remaining,
      remaining_pending: this.pendingRequests.gauges.remaining,
      remaining_rq: this.requests.gauges.remaining,
      remaining_retries: this.retries.gauges.remaining,
      remaining_cx_pools: this.connectionPools.gauges.remaining,
    };
  }
}

/** `ClusterInfoImpl::ResourceManagers`: DEFAULT and HIGH, each from the matching `thresholds` entry. */
export class ClusterResourceManagers {
  readonly default: ResourceManager;
  readonly high: ResourceManager;

  constructor(circuitBreakers?: CircuitBreakers) {
    const byPriority = (p: RoutingPriority): CircuitBreakerThresholds | undefined =>
      circuitBreakers?.thresholds?.find((t) => (t.priority ?? 'DEFAULT') === p);
    this.default = new ResourceManager('DEFAULT', byPriority('DEFAULT'));
    this.high = new ResourceManager('HIGH', byPriority('HIGH'));
  }

  /** `resourceManager(priority)`. */
  get(priority: RoutingPriority = 'DEFAULT'): ResourceManager {
    return priority === 'HIGH' ? this.high : this.default;
  }
}
