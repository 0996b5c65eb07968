/**
 * What one proxy knows about one HTTP stream by the time it logs it — the fields behind Istio's
 * access-log line and standard metrics. Mirrors the parts of Envoy's `StreamInfo::StreamInfoImpl`
 * (envoyproxy/envoy source/common/stream_info/stream_info_impl.h) that the simulation fills: timings,
 * response code and details, response flags, byte counts, the upstream host and cluster, the route name and
 * the attempt count. Mutable; owned by its stream.
 */
import type { Duration, SimTime } from '../../engine/time.js';
import { ResponseFlags } from '../observability/responseFlags.js';
import type { Host } from '../upstream/host.js';

/** `StreamInfo::ResponseCodeDetails` values meshsim produces (envoyproxy/envoy envoy/stream_info/stream_info.h). */
export const ResponseCodeDetails = {
  ViaUpstream: 'via_upstream',
  RouteNotFound: 'route_not_found',
  ClusterNotFound: 'cluster_not_found',
  NoHealthyUpstream: 'no_healthy_upstream',
  ResponseTimeout: 'response_timeout',
  UpstreamPerTryTimeout: 'upstream_per_try_timeout',
  DirectResponse: 'direct_response',
  FaultAbort: 'fault_filter_abort',
  EarlyUpstreamReset: 'upstream_reset_before_response_started',
  LateUpstreamReset: 'upstream_reset_after_response_started',
  DownstreamRemoteDisconnect: 'downstream_remote_disconnect',
  FilterChainNotFound: 'filter_chain_not_found',
} as const;

/** `StreamInfo` of one stream on one proxy. */
export class StreamInfo {
  /** When the first byte of the request reached the proxy. */
  startTime: SimTime = 0;
  /** When the downstream request was complete (`downstream_request_complete_time_`); -1 until then. */
  requestCompleteTime: SimTime = -1;
  /** When the last byte of the response left the proxy (or the stream was reset); -1 until then. */
  endTime: SimTime = -1;
  /** `%RESPONSE_CODE%`: the status sent downstream; 0 when none was. */
  responseCode = 0;
  /** `%RESPONSE_CODE_DETAILS%`. */
  responseCodeDetails = '';
  /** `%RESPONSE_FLAGS%`. */
  readonly flags = new ResponseFlags();
  /** Request body bytes received from downstream (`%BYTES_RECEIVED%`). */
  bytesReceived = 0;
  /** Response body bytes sent downstream (`%BYTES_SENT%`). */
  bytesSent = 0;
  /** The last host a try went to (`%UPSTREAM_HOST%`). */
  upstreamHost: Host | undefined;
  /** The cluster routed to (`%UPSTREAM_CLUSTER_RAW%`). */
  upstreamCluster: string | undefined;
  upstreamLocalAddress: string | undefined;
  upstreamTransportFailureReason: string | undefined;
  /** `x-envoy-upstream-service-time`: from request completion to the upstream's response headers. */
  upstreamServiceTime: Duration | undefined;
  /** `%ROUTE_NAME%`. */
  routeName: string | undefined;
  /** Tries sent upstream (`x-envoy-attempt-count`); 0 when the request never left the proxy. */
  attemptCount = 0;
  connectionTerminationDetails: string | undefined;

  /** Whole-stream duration (`%DURATION%`), once the stream ended. */
  get duration(): Duration {
    return this.endTime < 0 ? 0 : this.endTime - this.startTime;
  }
}
