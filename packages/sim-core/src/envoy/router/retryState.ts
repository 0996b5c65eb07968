/**
 * One request's retry state: which responses and resets are retriable (`retry_on`, merged with the
 * `x-envoy-retry-on` family of request headers), how many retries remain, the retry circuit breaker, the
 * jittered backoff and the host predicates. Mirrors `RetryStateImpl` (envoyproxy/envoy
 * source/common/router/retry_state_impl.cc) and the router's use of it. The caller (the simulated router)
 * arms the backoff timer with the returned delay; the retry slot stays taken until the next
 * `shouldRetry*` call or {@link RetryState.dispose}, as Envoy holds it through the backoff and the retry.
 */
import type { RandomSource } from '../../engine/rng.js';
import { firstHeaderValue, parseUnsignedHeader, type HeaderMap } from '../common.js';
import type { RetryPolicy } from '../config/retry.js';
import type { LoadBalancerContext } from '../lb/loadBalancer.js';
import { PreviousHostsPredicate, type RetryHostPredicate } from '../lb/previousHosts.js';
import type { ResponseFlag } from '../observability/responseFlags.js';
import type { ClusterTrafficStats } from '../upstream/clusterStats.js';
import type { Host } from '../upstream/host.js';
import type { ResourceManager } from '../upstream/resourceManager.js';
import { JitteredExponentialBackOffStrategy, LegacyJitteredBackOffStrategy, type BackOffStrategy } from './backoff.js';
import {
  matchRetryHeader,
  parseRetryGrpcOn,
  parseRetryOn,
  resolveRetryPolicy,
  RetryOn,
  type ResolvedRetryPolicy,
} from './retryPolicy.js';

/** `Http::StreamResetReason`. */
export type StreamResetReason =
  | 'LocalReset'
  | 'LocalRefusedStreamReset'
  | 'Overflow'
  | 'RemoteReset'
  | 'RemoteRefusedStreamReset'
  | 'LocalConnectionFailure'
  | 'RemoteConnectionFailure'
  | 'ConnectionTimeout'
  | 'ConnectionTermination'
  | 'ProtocolError'
  | 'OverloadManager';

/** `RetryState::RetryDecision`. */
export type RetryDecision = 'NoRetry' | 'RetryWithBackoff' | 'RetryImmediately';

/** `RetryStatus`. */
export type RetryStatus = 'No' | 'NoOverflow' | 'NoRetryLimitExceeded' | 'Yes';

/** The outcome of a `shouldRetry*` call: the status, and for `Yes` how long to wait (ms) before retrying. */
export interface RetryResult {
  readonly status: RetryStatus;
  readonly backoffMs?: number;
}

/** The response flag the router adds for a retry status: UO for a breaker-denied retry, URX at the limit. */
export function retryStatusResponseFlag(status: RetryStatus): ResponseFlag | undefined {
  if (status === 'NoOverflow') return 'UO';
  if (status === 'NoRetryLimitExceeded') return 'URX';
  return undefined;
}

/** What a {@link RetryState} needs. */
export interface RetryStateOptions {
  /** The route's retry policy (Envoy config or already resolved). */
  readonly policy: RetryPolicy | ResolvedRetryPolicy;
  /** The downstream request headers (`x-envoy-retry-on`, `x-envoy-max-retries`, …). */
  readonly requestHeaders?: HeaderMap;
  /** The cluster's resource manager for the request's priority (`retries()`). */
  readonly resources: ResourceManager;
  readonly stats: ClusterTrafficStats;
  /** One `random()` per backoff. */
  readonly random: RandomSource;
  /** Backoff formula. @defaultValue `'current'` (pre-2021 Envoy: `'legacy'`) */
  readonly backoff?: 'current' | 'legacy';
}

const isResolved = (p: RetryPolicy | ResolvedRetryPolicy): p is ResolvedRetryPolicy =>
  typeof (p as ResolvedRetryPolicy).retryOn === 'number';

// gRPC status codes the retry conditions name.
const GRPC = { CANCELLED: 1, DEADLINE_EXCEEDED: 4, RESOURCE_EXHAUSTED: 8, UNAVAILABLE: 14, INTERNAL: 13 } as const;

/** `RetryStateImpl`. Build it with {@link RetryState.create}. */
export class RetryState {
  /** `RETRY_ON_*` bits in force (route OR headers, or 0 when `retriable_request_headers` do not match). */
  readonly retryOn: number;
  /** `host_selection_retry_max_attempts`. */
  readonly hostSelectionMaxAttempts: number;
  private retriesRemaining: number;
  private readonly retriableStatusCodes: number[];
  private readonly policy: ResolvedRetryPolicy;
  private readonly resources: ResourceManager;
  private readonly stats: ClusterTrafficStats;
  private readonly backoff: BackOffStrategy;
  private readonly predicates: RetryHostPredicate[] = [];
  private slotHeld = false;

  /**
   * `RetryStateImpl::create`: a retry state when the route or the request asks for retries, else null.
   * (Envoy also auto-configures one for HTTP/3-safe requests; meshsim does not simulate HTTP/3.)
   */
  static create(options: RetryStateOptions): RetryState | null {
    const policy = isResolved(options.policy) ? options.policy : resolveRetryPolicy(options.policy);
    const h = options.requestHeaders;
    if (
      policy.retryOn === 0 &&
      firstHeaderValue(h, 'x-envoy-retry-on') === undefined &&
      firstHeaderValue(h, 'x-envoy-retry-grpc-on') === undefined
    ) {
      return null;
    }
    return new RetryState(policy, options);
  }

  private constructor(policy: ResolvedRetryPolicy, options: RetryStateOptions) {
    this.policy = policy;
    this.resources = options.resources;
    this.stats = options.stats;
    this.hostSelectionMaxAttempts = policy.hostSelectionMaxAttempts;
    this.retriableStatusCodes = [...policy.retriableStatusCodes];
    const base = policy.baseIntervalMs ?? 25; // runtime upstream.base_retry_backoff_ms
    const max = policy.maxIntervalMs ?? base * 10;
    this.backoff =
      options.backoff === 'legacy'
        ? new LegacyJitteredBackOffStrategy(base, max, options.random)
        : new JitteredExponentialBackOffStrategy(base, max, options.random);
    if (policy.previousHosts) this.predicates.push(new PreviousHostsPredicate());
    const h = options.requestHeaders;
    let retryOn = policy.retryOn;
    const headerOn = firstHeaderValue(h, 'x-envoy-retry-on');
    if (headerOn !== undefined) retryOn |= parseRetryOn(headerOn).bits;
    const headerGrpcOn = firstHeaderValue(h, 'x-envoy-retry-grpc-on');
    if (headerGrpcOn !== undefined) retryOn |= parseRetryGrpcOn(headerGrpcOn).bits;
    if (policy.retriableRequestHeaders.length > 0 && h !== undefined) {
      if (!policy.retriableRequestHeaders.some((m) => matchRetryHeader(m, h))) retryOn = 0;
    } else if (policy.retriableRequestHeaders.length > 0) {
      retryOn = 0;
    }
    this.retryOn = retryOn;
    this.retriesRemaining = policy.numRetries;
    // The header replaces num_retries (0 allowed), but only when some retry condition is set.
    const maxRetries = parseUnsignedHeader(firstHeaderValue(h, 'x-envoy-max-retries'));
    if (retryOn !== 0 && maxRetries !== undefined) this.retriesRemaining = maxRetries;
    const codes = firstHeaderValue(h, 'x-envoy-retriable-status-codes');
    if (codes !== undefined) {
      for (const c of codes.split(',')) {
        const n = parseUnsignedHeader(c.trim());
        if (n !== undefined) this.retriableStatusCodes.push(n);
      }
    }
  }

  /** Retries left before `upstream_rq_retry_limit_exceeded`. */
  get remaining(): number {
    return this.retriesRemaining;
  }

  /**
   * `wouldRetryFromHeaders`: `x-envoy-ratelimited` decides alone when present; then 5xx, gateway-error
   * (502/503/504), retriable-4xx (409), retriable-status-codes, retriable-headers, gRPC status.
   */
  wouldRetryFromHeaders(
    status: number,
    responseHeaders: HeaderMap = {},
    requestHeaders: HeaderMap = {},
  ): RetryDecision {
    const on = this.retryOn;
    if (firstHeaderValue(responseHeaders, 'x-envoy-ratelimited') !== undefined) {
      return on & RetryOn.ENVOY_RATE_LIMITED ? 'RetryWithBackoff' : 'NoRetry';
    }
    if (on & RetryOn['5XX'] && status >= 500 && status < 600) return 'RetryWithBackoff';
    if (on & RetryOn.GATEWAY_ERROR && status >= 502 && status < 505) return 'RetryWithBackoff';
    if (on & RetryOn.RETRIABLE_4XX && status === 409) return 'RetryWithBackoff';
    if (on & RetryOn.RETRIABLE_STATUS_CODES) {
      for (const code of this.retriableStatusCodes) {
        if (status !== code) continue;
        if (code !== 425) return 'RetryWithBackoff';
        // 425 Too Early: retry at once unless the downstream request itself came as early data.
        if (firstHeaderValue(requestHeaders, 'early-data') === undefined) return 'RetryImmediately';
      }
    }
    if (on & RetryOn.RETRIABLE_HEADERS) {
      for (const m of this.policy.retriableHeaders) if (matchRetryHeader(m, responseHeaders)) return 'RetryWithBackoff';
    }
    const grpcBits =
      RetryOn.GRPC_CANCELLED |
      RetryOn.GRPC_DEADLINE_EXCEEDED |
      RetryOn.GRPC_RESOURCE_EXHAUSTED |
      RetryOn.GRPC_UNAVAILABLE |
      RetryOn.GRPC_INTERNAL;
    if (on & grpcBits) {
      const g = parseUnsignedHeader(firstHeaderValue(responseHeaders, 'grpc-status'));
      if (
        (g === GRPC.CANCELLED && on & RetryOn.GRPC_CANCELLED) ||
        (g === GRPC.DEADLINE_EXCEEDED && on & RetryOn.GRPC_DEADLINE_EXCEEDED) ||
        (g === GRPC.RESOURCE_EXHAUSTED && on & RetryOn.GRPC_RESOURCE_EXHAUSTED) ||
        (g === GRPC.UNAVAILABLE && on & RetryOn.GRPC_UNAVAILABLE) ||
        (g === GRPC.INTERNAL && on & RetryOn.GRPC_INTERNAL)
      ) {
        return 'RetryWithBackoff';
      }
    }
    return 'NoRetry';
  }

  /**
   * `wouldRetryFromReset`: Overflow (a circuit breaker) never; connect failures with `connect-failure`;
   * then `reset-before-request` if nothing was sent, `reset`, `5xx`/`gateway-error` (any reset), and
   * `refused-stream` for a remote refused stream. A per-try timeout is a `LocalReset`.
   */
  wouldRetryFromReset(reason: StreamResetReason, upstreamRequestStarted = true): RetryDecision {
    const on = this.retryOn;
    if (reason === 'Overflow') return 'NoRetry';
    if (reason === 'LocalConnectionFailure' || reason === 'RemoteConnectionFailure' || reason === 'ConnectionTimeout') {
      if (on & RetryOn.CONNECT_FAILURE) return 'RetryWithBackoff';
    }
    if (on & RetryOn.RESET_BEFORE_REQUEST && !upstreamRequestStarted) return 'RetryWithBackoff';
    if (on & RetryOn.RESET) return 'RetryWithBackoff';
    if (on & (RetryOn['5XX'] | RetryOn.GATEWAY_ERROR)) return 'RetryWithBackoff';
    if (on & RetryOn.REFUSED_STREAM && reason === 'RemoteRefusedStreamReset') return 'RetryWithBackoff';
    return 'NoRetry';
  }

  /** `shouldRetryHeaders`: decide on a response. */
  shouldRetryHeaders(status: number, responseHeaders: HeaderMap = {}, requestHeaders: HeaderMap = {}): RetryResult {
    return this.shouldRetry(this.wouldRetryFromHeaders(status, responseHeaders, requestHeaders));
  }

  /** `shouldRetryReset`: decide on a reset or connect failure. */
  shouldRetryReset(reason: StreamResetReason, upstreamRequestStarted = true): RetryResult {
    return this.shouldRetry(this.wouldRetryFromReset(reason, upstreamRequestStarted));
  }

  /** `shouldHedgeRetryPerTryTimeout`: a hedged per-try timeout always asks for a retry. */
  shouldHedgeRetryPerTryTimeout(): RetryResult {
    return this.shouldRetry('RetryWithBackoff');
  }

  /**
   * `RetryStateImpl::shouldRetry`: releases the slot of the previous retry (counting
   * `upstream_rq_retry_success` when that retry's result is not retried); a non-retriable result is `No`
   * even with no retries left; then the limit (URX), then the retry breaker (UO, which also uses up a
   * retry); else takes a slot, counts `upstream_rq_retry` and draws the backoff.
   */
  private shouldRetry(decision: RetryDecision): RetryResult {
    if (this.slotHeld && decision === 'NoRetry') this.stats.upstream_rq_retry_success++;
    this.resetRetry();
    if (decision === 'NoRetry') return { status: 'No' };
    if (this.retriesRemaining === 0) {
      this.stats.upstream_rq_retry_limit_exceeded++;
      return { status: 'NoRetryLimitExceeded' };
    }
    this.retriesRemaining--;
    if (!this.resources.retries.canCreate()) {
      this.stats.upstream_rq_retry_overflow++;
      return { status: 'NoOverflow' };
    }
    this.resources.retries.inc();
    this.slotHeld = true;
    this.stats.upstream_rq_retry++;
    if (decision === 'RetryImmediately') return { status: 'Yes', backoffMs: 0 };
    this.stats.upstream_rq_retry_backoff_exponential++;
    return { status: 'Yes', backoffMs: this.backoff.nextBackOffMs() };
  }

  /** `onHostAttempted(host)`: every host an attempt goes to (feeds `previous_hosts`). */
  onHostAttempted(host: Host): void {
    for (const p of this.predicates) p.onHostAttempted(host);
  }

  /** `shouldSelectAnotherHost(host)`: any predicate rejects the host. */
  shouldSelectAnotherHost(host: Host): boolean {
    return this.predicates.some((p) => p.shouldSelectAnotherHost(host));
  }

  /**
   * The load-balancer context the router passes for an attempt (`Router::Filter`): on the first attempt the
   * predicates are not consulted (one pick); on retries up to `hostSelectionMaxAttempts + 1` picks.
   */
  loadBalancerContext(isRetry: boolean, hash?: () => bigint | undefined): LoadBalancerContext {
    return {
      hostSelectionRetryCount: () => (isRetry ? this.hostSelectionMaxAttempts : 1),
      shouldSelectAnotherHost: (h) => isRetry && this.shouldSelectAnotherHost(h),
      ...(hash !== undefined ? { computeHashKey: hash } : {}),
    };
  }

  /** `~RetryStateImpl`: releases a held retry slot. */
  dispose(): void {
    this.resetRetry();
  }

  private resetRetry(): void {
    if (this.slotHeld) {
      this.resources.retries.dec();
      this.slotHeld = false;
    }
  }
}
