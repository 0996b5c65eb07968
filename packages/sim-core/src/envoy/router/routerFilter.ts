/**
 * The router filter (`envoy.filters.http.router`, `Router::Filter` in envoyproxy/envoy
 * source/common/router/router.cc), the last HTTP filter of every Istio connection manager. For one request:
 * the route's action (404 NR with no route, direct response, redirect, 503 NC for an unknown cluster), the
 * weighted-cluster pick by the stream id, `finalTimeout`, the first host (503 UH when none), the retry state
 * (created after the first host, so the first pick has no host-selection retries), header rewrites, then the
 * first try; when the request is complete the global timer (route timeout: all tries and backoffs) and the
 * mirrors. Responses go through `onUpstreamHeaders` (outlier report, retry on status, URX/UO, stats),
 * resets and pool failures through `onUpstreamReset` (outlier report unless an overflow, retry on reset,
 * else 503 with the reset's flag and `upstream_reset_before_response_started{…}`), timeouts through
 * `onPerTryTimeout`/`onResponseTimeout` (504 UT).
 */
import type { TimerHandle } from '../common.js';
import { generateHash } from '../lb/hashPolicy.js';
import type { LoadBalancerContext } from '../lb/loadBalancer.js';
import type { Host } from '../upstream/host.js';
import { ResponseCodeDetails } from '../http/streamInfo.js';
import {
  applyHeaderMutations,
  pickCompiledCluster,
  rewritePath,
  type CompiledRoute,
  type HeaderMutations,
} from './compiledRoute.js';
import { DEFAULT_RETRY_POLICY, type ResolvedRetryPolicy } from './retryPolicy.js';
import { RetryState, type StreamResetReason } from './retryState.js';
import { finalTimeout, hasTimeoutHeaders, NO_TIMEOUTS, type RequestTimeouts } from './routeTimeouts.js';
import { redirectLocation } from './routeOutcome.js';
import type { PoolConnection, ThreadLocalCluster, UpstreamHttpResponse } from './routerContext.js';
import { evaluateFractionalPercent } from './routeMatch.js';
import { UpstreamRequest, type UpstreamRequestOwner } from './upstreamRequest.js';
import { noSpaces, resetReasonToString, streamResetReasonToResponseFlag } from './resetReason.js';
import type { RouterDeps, RouterStream } from './routerDeps.js';
import {
  describeRouteSource,
  EMPTY_HEADERS,
  mayRetryResponse,
  retryHeadersOf,
  shadowAuthority,
  stripRetryHeaders,
} from './routerHeaders.js';

export { resetReasonToString, streamResetReasonToResponseFlag } from './resetReason.js';
export { createRouterStats, type RouterStats } from './routerStats.js';
export type { RouterDeps, RouterStream, RouterTraceFn, ShadowWriter } from './routerDeps.js';
export { shadowAuthority } from './routerHeaders.js';

/** The router filter of one stream. */
export class RouterFilter implements UpstreamRequestOwner {
  private readonly deps: RouterDeps;
  private readonly s: RouterStream;
  private route: CompiledRoute | undefined;
  private clusterName = '';
  private cluster: ThreadLocalCluster | undefined;
  private clusterHeaders: HeaderMutations | undefined;
  private timeouts: RequestTimeouts = NO_TIMEOUTS;
  private retryState: RetryState | null = null;
  // Until the retry state is built (on the first failure): the policy it will use (undefined: none will be
  // built) and the request's retry headers, read before they were stripped.
  private pendingRetryPolicy: ResolvedRetryPolicy | undefined;
  private pendingRetryHeaders: Readonly<Record<string, string>> = EMPTY_HEADERS;
  // The first try's host, replayed into the retry state when it is built. Only the first try can run before
  // the retry state exists (a retry needs the state's Yes), so one field holds every such host.
  private firstTryHost: Host | undefined;
  private upstream: UpstreamRequest | undefined;
  private retryTimer: TimerHandle | undefined;
  private responseTimer: TimerHandle | undefined;
  private pendingRetries = 0;
  private attemptCount = 0;
  private isRetry = false;
  private downstreamResponseStarted = false;
  private cleanedUp = false;
  private hash: bigint | undefined | null = null;

  constructor(deps: RouterDeps, stream: RouterStream) {
    this.deps = deps;
    this.s = stream;
  }

  /** `Filter::decodeHeaders` for a complete (header-only or buffered) request. */
  decodeHeaders(): void {
    const s = this.s;
    const stats = this.deps.stats;
    stats.rq_total++;
    const sel = s.selection;
    if (sel === undefined) {
      stats.no_route++;
      s.info.flags.set('NR');
      s.sendLocalReply(404, '', ResponseCodeDetails.RouteNotFound);
      return;
    }
    const route = sel.route;
    this.route = route;
    s.info.routeName = route.name;
    const action = route.action;
    if (action.kind === 'direct_response') {
      stats.rq_direct_response++;
      s.sendLocalReply(action.status, action.body, ResponseCodeDetails.DirectResponse);
      return;
    }
    if (action.kind === 'redirect') {
      stats.rq_direct_response++;
      const redirect = action.route.redirect;
      const status = {
        MOVED_PERMANENTLY: 301,
        FOUND: 302,
        SEE_OTHER: 303,
        TEMPORARY_REDIRECT: 307,
        PERMANENT_REDIRECT: 308,
      }[redirect?.responseCode ?? 'MOVED_PERMANENTLY'];
      const location = redirect === undefined ? '' : redirectLocation(redirect, action.route, s.headers);
      s.sendLocalReply(status, '', ResponseCodeDetails.DirectResponse, { location });
      return;
    }
    if (action.kind === 'invalid') {
      stats.no_route++;
      s.info.flags.set('NR');
      s.sendLocalReply(404, '', ResponseCodeDetails.RouteNotFound);
      return;
    }
    let name: string | undefined;
    if (action.kind === 'cluster') name = action.cluster;
    else if (action.kind === 'cluster_header') name = s.headers[action.header];
    else {
      const hv = action.headerName === undefined ? undefined : s.headers[action.headerName];
      const random = hv !== undefined && /^\d+$/.test(hv) && Number.isSafeInteger(Number(hv)) ? Number(hv) : s.streamId;
      const picked = pickCompiledCluster(action, random);
      name = picked?.name;
      this.clusterHeaders = picked?.headers;
    }
    const cluster =
      name === undefined || name === ''
        ? undefined
        : name === s.info.upstreamCluster && s.routeCluster !== undefined
          ? s.routeCluster
          : this.deps.clusters.threadLocalCluster(name, s.worker);
    if (cluster === undefined) {
      stats.no_cluster++;
      s.info.flags.set('NC');
      s.sendLocalReply(
        action.kind === 'cluster_header' ? action.notFoundStatus : 503,
        '',
        ResponseCodeDetails.ClusterNotFound,
      );
      return;
    }
    this.clusterName = name as string;
    this.cluster = cluster;
    s.info.upstreamCluster = this.clusterName;
    s.trace?.('router.route', {
      route: route.name ?? null,
      routeIndex: sel.index,
      virtualHost: sel.virtualHost.name,
      cluster: this.clusterName,
      ...(route.source !== undefined ? { source: describeRouteSource(route.source) } : {}),
    });
    const policy = route.retryPolicy;
    // The route's timeouts are resolved once per route; only override headers need finalTimeout per request.
    this.timeouts = hasTimeoutHeaders(s.headers)
      ? finalTimeout(route.timeoutMs, policy?.perTryTimeoutMs ?? 0, s.headers, s.trustEnvoyHeaders)
      : route.timeouts;
    if (route.hashPolicy.length > 0)
      this.hash = generateHash(route.hashPolicy, { headers: s.headers, sourceIp: s.sourceIp });
    const host = cluster.chooseHost(this.firstContext(), s.originalDestination);
    if (host === null) {
      this.sendNoHealthyUpstream();
      return;
    }
    this.finalizeRequestHeaders();
    // The retry state is built when first consulted (the first failure): nothing it does before then is
    // observable — its headers are read now, and the hosts tried meanwhile are replayed into it.
    const retryHeaders = retryHeadersOf(s.headers);
    if (policy !== undefined || retryHeaders !== undefined) {
      this.pendingRetryPolicy = policy ?? DEFAULT_RETRY_POLICY;
      if (s.trustEnvoyHeaders && retryHeaders !== undefined) this.pendingRetryHeaders = retryHeaders;
      if (policy !== undefined && policy.retriableRequestHeaders.length > 0) this.retryStateNow();
    }
    if (retryHeaders !== undefined) stripRetryHeaders(s.headers);
    this.startAttempt(cluster, host);
    this.onRequestComplete();
  }

  /** The downstream went away (`onDestroy`): reset every upstream try and stop timers. */
  onDestroy(): void {
    if (this.upstream !== undefined) {
      this.upstream.resetStream();
      this.upstream = undefined;
    }
    this.cleanup();
  }

  // --- UpstreamRequestOwner -------------------------------------------------------------------------------

  armTimer(delay: number, callback: () => void): TimerHandle {
    return this.deps.dispatcher.schedule(delay, callback);
  }

  onUpstreamHostSelected(request: UpstreamRequest): void {
    if (this.retryState !== null) this.retryState.onHostAttempted(request.host);
    else if (this.pendingRetryPolicy !== undefined) this.firstTryHost = request.host;
    this.s.info.upstreamHost = request.host;
  }

  onUpstreamSent(request: UpstreamRequest, connection: PoolConnection): void {
    request.sentAt = this.deps.dispatcher.now;
    this.s.info.upstreamLocalAddress = connection.localAddress;
  }

  onUpstreamHeaders(request: UpstreamRequest, response: UpstreamHttpResponse): void {
    const s = this.s;
    const cluster = request.cluster;
    const code = response.status;
    const od = cluster.info.outlierDetector;
    od?.monitorIfPresent(request.host)?.putHttpResponseCode(code);
    const pending = this.pendingRetryPolicy;
    const rs =
      this.retryState ??
      (pending !== undefined && mayRetryResponse(code, response.headers, pending, this.pendingRetryHeaders)
        ? this.retryStateNow()
        : null);
    if (rs !== null) {
      const r = rs.shouldRetryHeaders(code, response.headers ?? EMPTY_HEADERS, s.headers);
      if (r.status === 'Yes') {
        this.pendingRetries++;
        request.host.stats.rq_error++;
        cluster.info.chargeResponseCode(code, true);
        if (this.upstream === request) this.upstream = undefined;
        s.trace?.('router.retry', {
          attempt: request.attempt,
          reason: `response ${code}`,
          backoffMs: r.backoffMs ?? 0,
        });
        this.scheduleRetry(r.backoffMs ?? 0);
        return;
      }
      if (r.status === 'NoOverflow') s.info.flags.set('UO');
      else if (r.status === 'NoRetryLimitExceeded') s.info.flags.set('URX');
    }
    this.retryState?.dispose();
    this.retryState = null;
    const now = this.deps.dispatcher.now;
    if (s.info.requestCompleteTime >= 0) s.info.upstreamServiceTime = now - s.info.requestCompleteTime;
    cluster.info.chargeResponseCode(code, false);
    if (code >= 500 && code < 600) request.host.stats.rq_error++;
    else request.host.stats.rq_success++;
    s.info.responseCodeDetails = ResponseCodeDetails.ViaUpstream;
    this.downstreamResponseStarted = true;
    if (this.upstream === request) this.upstream = undefined;
    // onUpstreamComplete: the response arrives whole.
    if (s.info.requestCompleteTime >= 0) cluster.info.chargeResponseTime(now - s.info.requestCompleteTime);
    this.cleanup();
    s.encodeUpstreamResponse(response);
  }

  onUpstreamReset(request: UpstreamRequest, reason: StreamResetReason, transportFailureReason: string): void {
    const s = this.s;
    const dropped = reason === 'Overflow';
    const od = request.cluster.info.outlierDetector;
    // Overflows are a cluster-wide condition, never the host's fault (envoyproxy/envoy#25487).
    if (!dropped) od?.monitorIfPresent(request.host)?.putResult('LocalOriginConnectFailed');
    if (this.upstream === request) this.upstream = undefined;
    s.trace?.('router.reset', {
      attempt: request.attempt,
      reason: resetReasonToString(reason),
      host: request.host.addressString,
    });
    if (this.maybeRetryReset(reason, request)) return;
    const code = reason === 'ProtocolError' ? 502 : 503;
    this.chargeUpstreamAbort(code, request);
    if (transportFailureReason !== '') s.info.upstreamTransportFailureReason = transportFailureReason;
    const why = resetReasonToString(reason);
    const body =
      `upstream connect error or disconnect/reset before headers. ${this.isRetry ? 'retried and the latest ' : ''}` +
      `reset reason: ${why}${transportFailureReason !== '' ? `, transport failure reason: ${transportFailureReason}` : ''}`;
    const details = noSpaces(
      `${ResponseCodeDetails.EarlyUpstreamReset}{${why}${transportFailureReason === '' ? '' : `|${transportFailureReason}`}}`,
    );
    s.info.flags.set(streamResetReasonToResponseFlag(reason));
    this.cleanup();
    s.sendLocalReply(code, body, details, dropped ? { 'x-envoy-overloaded': 'true' } : undefined);
  }

  onPerTryTimeout(request: UpstreamRequest): void {
    const s = this.s;
    if (this.downstreamResponseStarted) return;
    request.cluster.info.trafficStats.upstream_rq_per_try_timeout++;
    request.host.stats.rq_timeout++;
    if (this.upstream === request) this.upstream = undefined;
    request.resetStream();
    const od = request.cluster.info.outlierDetector;
    od?.monitorIfPresent(request.host)?.putResult('LocalOriginTimeout', 504);
    request.outlierTimeoutRecorded = true;
    s.trace?.('router.per_try_timeout', { attempt: request.attempt, host: request.host.addressString });
    if (this.maybeRetryReset('LocalReset', request)) return;
    this.chargeUpstreamAbort(504, request);
    this.onUpstreamTimeoutAbort(ResponseCodeDetails.UpstreamPerTryTimeout);
  }

  // --- internals ----------------------------------------------------------------------------------------

  /** `createRetryState`, on first use; null when the request has no retry policy. */
  private retryStateNow(): RetryState | null {
    const policy = this.pendingRetryPolicy;
    if (policy === undefined || this.cluster === undefined) return this.retryState;
    this.pendingRetryPolicy = undefined;
    const info = this.cluster.info;
    const rs = RetryState.create({
      policy,
      requestHeaders: this.pendingRetryHeaders,
      resources: info.resources,
      stats: info.trafficStats,
      random: this.deps.retryRandom,
      ...(this.deps.backoff !== undefined ? { backoff: this.deps.backoff } : {}),
    });
    const first = this.firstTryHost;
    this.firstTryHost = undefined;
    if (rs !== null && first !== undefined) rs.onHostAttempted(first);
    this.retryState = rs;
    return rs;
  }

  private firstContext(): LoadBalancerContext | undefined {
    // The first pick happens before the retry state exists: no host-selection retries, no predicates.
    const hash = this.hash;
    if (hash === null || hash === undefined) return undefined;
    return { computeHashKey: () => hash };
  }

  private retryContext(): LoadBalancerContext {
    const rs = this.retryState as RetryState;
    const hash = this.hash;
    return {
      hostSelectionRetryCount: () => rs.hostSelectionMaxAttempts,
      shouldSelectAnotherHost: (h) => rs.shouldSelectAnotherHost(h),
      ...(hash !== null && hash !== undefined ? { computeHashKey: () => hash } : {}),
    };
  }

  private finalizeRequestHeaders(): void {
    const s = this.s;
    const route = this.route as CompiledRoute;
    const path = s.headers[':path'] ?? '/';
    const rewritten = rewritePath(route, path);
    if (rewritten !== undefined) {
      s.headers['x-envoy-original-path'] = path;
      s.headers[':path'] = rewritten;
    }
    if (route.headers !== undefined) applyHeaderMutations(route.headers, s.headers);
    if (this.clusterHeaders !== undefined) applyHeaderMutations(this.clusterHeaders, s.headers);
  }

  private startAttempt(cluster: ThreadLocalCluster, host: Host): void {
    const s = this.s;
    this.attemptCount++;
    s.info.attemptCount = this.attemptCount;
    s.trace?.('router.attempt', {
      attempt: this.attemptCount,
      cluster: this.clusterName,
      host: host.addressString,
    });
    // The stream is the request each try sends (its headers as they are when the try reaches a connection).
    const rq = new UpstreamRequest(this, cluster, host, this.attemptCount, this.timeouts.perTry, s);
    this.upstream = rq;
    rq.start();
  }

  /** `onRequestComplete`: the global timer and the mirrors start once the request is in. */
  private onRequestComplete(): void {
    const s = this.s;
    s.info.requestCompleteTime = this.deps.dispatcher.now;
    if (this.cleanedUp || this.upstream === undefined) return;
    this.maybeDoShadowing();
    if (this.timeouts.global > 0) {
      this.responseTimer = this.deps.dispatcher.schedule(this.timeouts.global, () => {
        this.responseTimer = undefined;
        this.onResponseTimeout();
      });
    }
  }

  private maybeDoShadowing(): void {
    const route = this.route as CompiledRoute;
    const writer = this.deps.shadow;
    if (route.mirrors.length === 0 || writer === undefined) return;
    const s = this.s;
    for (const m of route.mirrors) {
      // FilterUtility::shouldShadow: the mirror's runtime fraction, decided by the stream id.
      if (m.runtimeFraction !== undefined && !evaluateFractionalPercent(m.runtimeFraction.defaultValue, s.streamId))
        continue;
      const headers: Record<string, string> = {};
      for (const k in s.headers) headers[k] = s.headers[k] as string;
      headers[':authority'] = shadowAuthority(headers[':authority'] ?? '');
      s.trace?.('router.mirror', { cluster: m.cluster });
      writer.shadow(m.cluster, headers, s.bodyBytes, this.timeouts.global, s.worker);
    }
  }

  private onResponseTimeout(): void {
    const s = this.s;
    const rq = this.upstream;
    if (rq !== undefined) {
      rq.cluster.info.countGlobalTimeout();
      rq.host.stats.rq_timeout++;
      if (rq.awaitingHeaders) {
        const od = rq.cluster.info.outlierDetector;
        if (!rq.outlierTimeoutRecorded) od?.monitorIfPresent(rq.host)?.putResult('LocalOriginTimeout', 504);
        this.chargeUpstreamAbort(504, rq);
      }
      rq.resetStream();
      this.upstream = undefined;
    }
    s.trace?.('router.timeout', { timeoutMs: this.timeouts.global / 1000 });
    this.onUpstreamTimeoutAbort(ResponseCodeDetails.ResponseTimeout);
  }

  private onUpstreamTimeoutAbort(details: string): void {
    this.s.info.flags.set('UT');
    this.cleanup();
    this.s.sendLocalReply(504, 'upstream request timeout', details);
  }

  private maybeRetryReset(reason: StreamResetReason, request: UpstreamRequest): boolean {
    if (this.downstreamResponseStarted) return false;
    const rs = this.retryStateNow();
    if (rs === null) return false;
    const r = rs.shouldRetryReset(reason, request.sent);
    if (r.status === 'Yes') {
      this.pendingRetries++;
      request.host.stats.rq_error++;
      this.s.trace?.('router.retry', {
        attempt: request.attempt,
        reason: resetReasonToString(reason),
        backoffMs: r.backoffMs ?? 0,
      });
      this.scheduleRetry(r.backoffMs ?? 0);
      return true;
    }
    if (r.status === 'NoOverflow') this.s.info.flags.set('UO');
    else if (r.status === 'NoRetryLimitExceeded') this.s.info.flags.set('URX');
    return false;
  }

  private scheduleRetry(backoffMs: number): void {
    this.retryTimer = this.deps.dispatcher.schedule(backoffMs * 1000, () => {
      this.retryTimer = undefined;
      this.doRetry();
    });
  }

  /** `doRetry`: a new try on a host the predicates accept, when the cluster still exists. */
  private doRetry(): void {
    const s = this.s;
    this.isRetry = true;
    this.pendingRetries--;
    const cluster = this.deps.clusters.threadLocalCluster(this.clusterName, s.worker);
    const host = cluster === undefined ? null : cluster.chooseHost(this.retryContext(), s.originalDestination);
    if (cluster === undefined || host === null) {
      if (cluster !== undefined) this.cluster = cluster;
      this.sendNoHealthyUpstream();
      return;
    }
    this.cluster = cluster;
    this.startAttempt(cluster, host);
  }

  private sendNoHealthyUpstream(): void {
    const s = this.s;
    const cluster = this.cluster as ThreadLocalCluster;
    cluster.info.countNoHealthyUpstream();
    cluster.info.chargeResponseCode(503, false);
    s.info.flags.set('UH');
    this.cleanup();
    s.sendLocalReply(503, 'no healthy upstream', ResponseCodeDetails.NoHealthyUpstream);
  }

  /** `chargeUpstreamAbort`: the local reply's code counts in the cluster's code stats. */
  private chargeUpstreamAbort(code: number, request: UpstreamRequest): void {
    if (this.downstreamResponseStarted) return;
    request.cluster.info.chargeResponseCode(code, false);
  }

  private cleanup(): void {
    this.cleanedUp = true;
    this.pendingRetryPolicy = undefined;
    this.firstTryHost = undefined;
    if (this.retryState !== null) {
      this.retryState.dispose();
      this.retryState = null;
    }
    if (this.retryTimer !== undefined) {
      this.retryTimer.cancel();
      this.retryTimer = undefined;
    }
    if (this.responseTimer !== undefined) {
      this.responseTimer.cancel();
      this.responseTimer = undefined;
    }
  }
}
