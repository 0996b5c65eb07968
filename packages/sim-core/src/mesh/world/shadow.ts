/**
 * Mirrored requests (Istio's `mirror`/`mirrors`, Envoy's `request_mirror_policies`): the router hands a copy
 * of the request, `:authority` suffixed with `-shadow`, to the proxy's async HTTP client
 * (`ShadowWriterImpl::shadow`, envoyproxy/envoy source/common/router/shadow_writer_impl.cc), which routes it
 * straight to the mirror cluster with the route's timeout and no retries, and discards the response. The
 * async client has no connection manager: no access-log line and no Istio metric on the sending proxy; the
 * mirror's own sidecar reports it like any request.
 */
import type { Duration } from '../../engine/time.js';
import type { RouteSelection } from '../../envoy/http/routeTable.js';
import { StreamInfo } from '../../envoy/http/streamInfo.js';
import { compileRoute } from '../../envoy/router/compiledRoute.js';
import {
  createRouterStats,
  RouterFilter,
  type RouterDeps,
  type RouterStream,
  type RouterTraceFn,
  type ShadowWriter,
} from '../../envoy/router/routerFilter.js';
import { httpStatPrefix } from '../../envoy/observability/codeStats.js';
import type { EnvoyProxy } from '../sidecar/envoyProxy.js';

/** Mirrors of one proxy (stats under `http.async-client.`). */
export class ShadowRouter implements ShadowWriter {
  private readonly deps: RouterDeps;

  constructor(private readonly proxy: EnvoyProxy) {
    const stats = createRouterStats();
    proxy.stats.attach(httpStatPrefix('async-client'), stats);
    this.deps = { dispatcher: proxy.dispatcher, clusters: proxy, retryRandom: proxy.faultRandom, stats };
  }

  shadow(cluster: string, headers: Record<string, string>, bodyBytes: number, timeout: Duration, worker: number): void {
    const route = compileRoute({
      match: { prefix: '/' },
      route: { cluster, timeout: `${timeout / 1_000_000}s` },
    });
    const selection: RouteSelection = { virtualHost: { name: 'shadow', domains: ['*'] }, route, index: 0 };
    const t = this.proxy.trace;
    const stream: RouterStream = {
      headers,
      bodyBytes,
      info: new StreamInfo(),
      streamId: this.proxy.streamIdRandom.random(),
      worker,
      selection,
      sourceIp: this.proxy.meshProxy.ip,
      originalDestination: '',
      trustEnvoyHeaders: true,
      sendLocalReply: () => undefined,
      encodeUpstreamResponse: () => undefined,
      trace: t === undefined ? undefined : (((kind, detail) => t(`shadow.${kind}`, detail)) as RouterTraceFn),
    };
    stream.info.startTime = this.proxy.dispatcher.now;
    new RouterFilter(this.deps, stream).decodeHeaders();
  }
}
