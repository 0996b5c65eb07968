/**
 * The `traffic` section: load generators. Each sends requests from a pod or VM (through its sidecar, if it
 * has one) or from an external client through the ingress gateway, open loop (arrivals at a rate, whatever
 * the responses do) or closed loop (Fortio-style connections that wait for each response), for a duration
 * and/or a request count, with a weighted mix of requests.
 */
import type { Duration } from '@meshsim/sim-core';
import type { InstanceTarget, StringMap } from './common.js';

/** An external client connecting to an ingress gateway's Service, as `curl` from outside the cluster would. */
export interface GatewaySource {
  readonly gateway: {
    /** @defaultValue `'istio-system'` */
    readonly namespace: string;
    /** The gateway's name: its Service (and Deployment) in a default install. @defaultValue `'istio-ingressgateway'` */
    readonly name: string;
  };
}

/** Where requests start: an in-mesh pod or VM, or an external client via a gateway. */
export type TrafficSource = InstanceTarget | GatewaySource;

/** One kind of request in a generator's mix. */
export interface RequestTemplate {
  /** Relative frequency; a request is drawn with probability weight / Σ weights. @defaultValue 1 */
  readonly weight: number;
  /** `http://` or `https://` URL. Its authority is the Host header (and, for https, the SNI). */
  readonly url: string;
  /** @defaultValue `'GET'` */
  readonly method: string;
  /** Request headers, names lower-cased; `host` overrides the URL's authority. @defaultValue `{}` */
  readonly headers: StringMap;
}

/** One load generator. Exactly one of `rate` (open loop) and `connections` (closed loop) is set. */
export interface TrafficGenerator {
  /** Unique name, used by `expect` and in reports. @defaultValue `traffic-<index>` */
  readonly name: string;
  readonly from: TrafficSource;
  /** The requests sent; at least one. Written as `url`/`method`/`headers` and/or a `mix` list. */
  readonly mix: readonly RequestTemplate[];
  /** HTTP version the client speaks. @defaultValue `'http'` (HTTP/1.1) */
  readonly protocol: 'http' | 'http2';
  /** TLS server name for `https` URLs, when it should differ from the URL's host. */
  readonly sni?: string;
  /** Open loop: requests per second. */
  readonly rate?: number;
  /** Open loop: `poisson` (exponential gaps) or `constant` (evenly spaced). @defaultValue `'poisson'` with `rate` */
  readonly arrival?: 'poisson' | 'constant';
  /** Closed loop: connections, each sending its next request when the previous one completes (`fortio -c`). */
  readonly connections?: number;
  /** Closed loop: target requests per second over all connections; 0 = as fast as possible (`fortio -qps`). @defaultValue 8 with `connections` */
  readonly qps?: number;
  /** Closed loop: stagger the connections' starts over one period (`fortio -uniform`). @defaultValue false with `connections` */
  readonly uniform?: boolean;
  /** Closed loop: ±10 % random jitter on each wait (`fortio -jitter`). @defaultValue false with `connections` */
  readonly jitter?: boolean;
  /** Closed loop: skip requests a slow connection missed instead of catching up (`fortio -nocatchup`). @defaultValue false with `connections` */
  readonly noCatchUp?: boolean;
  /** When the generator starts. @defaultValue `0s` */
  readonly startAt: Duration;
  /** How long it sends (from `startAt`). Inherits the scenario's `duration`. */
  readonly duration?: Duration;
  /**
   * How many requests it sends in all. Inherits the scenario's `requests`. Open loop: it stops at the first
   * of `duration` and `requests`; closed loop (Fortio's `-n`): exactly this many, `duration` then ignored.
   */
  readonly requests?: number;
}

/** True when a traffic source is an external client through a gateway. */
export function isGatewaySource(source: TrafficSource): source is GatewaySource {
  return 'gateway' in source;
}
