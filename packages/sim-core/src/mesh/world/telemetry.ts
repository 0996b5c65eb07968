/**
 * The world's telemetry, fed as things happen and never kept per request: each Envoy stream that ends is
 * counted in Istio's standard metrics (`reporter="source"` on the client-side proxy — a sidecar's outbound
 * side or a gateway — and `reporter="destination"` on the server sidecar, labels as Istio's stats filter
 * sets them) and written to the access log in Istio's default format; each call an application or a
 * traffic generator makes ends in one {@link RequestOutcome} (aggregated per destination with HDR
 * histograms, folded into the outcome digest, and passed to an optional listener).
 */
import type { SimTime } from '../../engine/time.js';
import type { ActiveStream } from '../../envoy/http/activeStream.js';
import {
  formatIstioAccessLog,
  NULL_SINK,
  type AccessLogClock,
  type AccessLogEntry,
  type AccessLogSink,
} from '../../envoy/observability/accessLog.js';
import { canonicalService, istioRequestLabels, type WorkloadMetadata } from '../../envoy/observability/istioLabels.js';
import { IstioMetrics, type IstioSeries } from '../../envoy/observability/istioMetrics.js';
import {
  OutcomeAggregator,
  type OutcomeDestination,
  type OutcomeSummary,
  type RequestOutcome,
} from '../../envoy/observability/outcome.js';
import type { LatencyHistogramOptions } from '../../envoy/observability/latencyHistogram.js';
import { parseSubsetKey } from '../../istio/xds/names.js';
import type { Host } from '../../envoy/upstream/host.js';
import type { EnvoyProxy } from '../sidecar/envoyProxy.js';
import type { CallRecord } from './httpClient.js';
import type { Instance } from './instance.js';
import type { StreamContext } from './servers.js';

/** Options of the world's telemetry. */
export interface TelemetryOptions {
  /** Where access-log lines go. @defaultValue {@link NULL_SINK} (access logging off, Istio's default) */
  readonly accessLog?: AccessLogSink;
  readonly accessLogClock?: AccessLogClock;
  /** Every outcome, as it happens (streaming). */
  readonly onOutcome?: (outcome: RequestOutcome) => void;
  readonly histogram?: LatencyHistogramOptions;
  /** Istio metrics' histogram buckets and series cap. */
  readonly metrics?: ConstructorParameters<typeof IstioMetrics>[0];
}

/** Looks up instances by address (the world's). */
export interface InstanceLookup {
  instanceByIp(ip: string): Instance | undefined;
  instanceOfProxy(proxy: EnvoyProxy): Instance | undefined;
}

/** Per-generator and overall counters for conservation checks. */
export interface OutcomeCounts {
  /** Outcomes of calls traffic generators made. */
  generated: number;
  /** Outcomes of calls apps made to other services. */
  downstreamCalls: number;
  /** Outcomes whose client had an Envoy (sidecar or gateway) in front of it. */
  throughProxy: number;
}

/** A destination as outcomes name it, with an id for the digest and its summary in each aggregator. */
interface Destination {
  readonly destination: OutcomeDestination;
  readonly id: number;
  groups?: Map<OutcomeAggregator, OutcomeSummary>;
}

function groupOf(d: Destination, agg: OutcomeAggregator): OutcomeSummary {
  let m = d.groups;
  if (m === undefined) d.groups = m = new Map();
  let g = m.get(agg);
  if (g === undefined) m.set(agg, (g = agg.group(d.destination)));
  return g;
}

const FAILURE_DETAILS = {
  dns: 'dns_resolution_failure',
  connect: 'connection_failure',
  reset: 'connection_reset',
  cancelled: 'client_timeout',
} as const;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

// Rough wire sizes: Istio's request/response size metrics count headers too (`request.total_size`).
function headerBytes(headers: Readonly<Record<string, string>>): number {
  let n = 0;
  for (const k in headers) n += k.length + (headers[k] as string).length + 4;
  return n;
}

/** The world's telemetry. */
export class WorldTelemetry {
  readonly metrics: IstioMetrics;
  readonly outcomes: OutcomeAggregator;
  /** Outcomes per traffic generator (only generated requests). */
  readonly byGenerator = new Map<string, OutcomeAggregator>();
  readonly counts: OutcomeCounts = { generated: 0, downstreamCalls: 0, throughProxy: 0 };
  private readonly accessLog: AccessLogSink;
  private readonly clock: AccessLogClock;
  private readonly onOutcome: ((o: RequestOutcome) => void) | undefined;
  private readonly histogram: LatencyHistogramOptions;
  private readonly series = new WeakMap<
    EnvoyProxy,
    Map<object | string, Map<Instance | null, Map<string, Map<number, IstioSeries | null>>>>
  >();
  private readonly hostPeers = new WeakMap<Host, Instance | null>();
  private readonly destinations = new WeakMap<Host, Map<string, Destination>>();
  private readonly clusterDestinations = new Map<string, Destination>();
  private readonly interned = new Map<string, number>();
  private h1 = 0x9e3779b9;
  private h2 = 0x85ebca6b;
  private nextId = 0;
  private lastTime: SimTime = 0;

  constructor(
    private readonly lookup: InstanceLookup,
    options: TelemetryOptions = {},
  ) {
    this.metrics = new IstioMetrics(options.metrics ?? {});
    this.histogram = options.histogram ?? {};
    this.outcomes = new OutcomeAggregator({ histogram: this.histogram });
    this.accessLog = options.accessLog ?? NULL_SINK;
    this.clock = options.accessLogClock ?? {};
    this.onOutcome = options.onOutcome;
  }

  /** Hex digest of every outcome so far, in order (16 hex digits). */
  get outcomeDigest(): string {
    const a = fmix(this.h1 ^ Math.imul(this.h2, 0x27d4eb2f));
    const b = fmix(this.h2 ^ Math.imul(a, 0x165667b1));
    return (b >>> 0).toString(16).padStart(8, '0') + (a >>> 0).toString(16).padStart(8, '0');
  }

  /** Outcomes recorded. */
  get outcomeCount(): number {
    return this.nextId;
  }

  /** An Envoy stream ended: Istio metrics and the access log. */
  onStreamComplete(proxy: EnvoyProxy, stream: ActiveStream): void {
    const ctx = stream.context as StreamContext | undefined;
    if (ctx === undefined) return;
    const info = stream.info;
    const inbound = ctx.direction === 'inbound';
    const host = info.upstreamHost;
    let peer: Instance | undefined;
    let mtls = false;
    // Whether the peer's workload came by metadata exchange (else from its endpoint's metadata).
    let exchanged = true;
    if (inbound) {
      peer = ctx.downstreamIsEnvoy ? ctx.downstream : undefined;
      mtls = ctx.peerPrincipal !== undefined;
    } else if (host !== undefined) {
      peer = this.workloadAt(host);
      // The upstream's Envoy sends its metadata in the response headers, read in `encodeHeaders` by Istio's
      // peer-metadata filter (istio/proxy source/extensions/filters/http/peer_metadata/filter.cc): a local
      // reply, or a downstream disconnect before the response, never carries it.
      exchanged = peer !== undefined && peer.proxy !== undefined && info.responseCodeDetails === 'via_upstream';
      const cluster = info.upstreamCluster === undefined ? undefined : proxy.cluster(info.upstreamCluster);
      mtls = cluster !== undefined && cluster.tlsFor(host) === 'mtls';
    }
    // Series lookup without building a key string: host (or cluster, or authority) → peer → route → the rest.
    let byProxy = this.series.get(proxy);
    if (byProxy === undefined) {
      byProxy = new Map();
      this.series.set(proxy, byProxy);
    }
    const k1: object | string = host ?? info.upstreamCluster ?? `@${stream.headers[':authority'] ?? ''}`;
    let l2 = byProxy.get(k1);
    if (l2 === undefined) byProxy.set(k1, (l2 = new Map()));
    const k2 = peer ?? null;
    let l3 = l2.get(k2);
    if (l3 === undefined) l2.set(k2, (l3 = new Map()));
    const k3 = info.routeName ?? '';
    let l4 = l3.get(k3);
    if (l4 === undefined) l3.set(k3, (l4 = new Map()));
    // flags (29 bits), mTLS, metadata exchange and the code in one exact number: no key string per stream.
    const k4 = ((info.flags.mask * 2 + (mtls ? 1 : 0)) * 2 + (exchanged ? 1 : 0)) * 1000 + info.responseCode;
    let s = l4.get(k4);
    if (s === undefined) {
      s = this.newSeries(proxy, stream, inbound, peer, mtls, info.flags.toString(), exchanged) ?? null;
      l4.set(k4, s);
    }
    const h = stream.headers;
    if (s !== null)
      s.record(info.duration, stream.bodyBytes + headerBytes(h), info.bytesSent + headerBytes(stream.responseHeaders));
    if (this.accessLog !== NULL_SINK) {
      const entry = this.accessLogEntry(stream, info.flags.toString());
      this.accessLog.write(proxy.name, formatIstioAccessLog(entry, this.clock), entry);
    }
  }

  // The workload (pod or VM) at an upstream host, cached per host: its Envoy tells its metadata by exchange;
  // without one, istiod's endpoint metadata still names it.
  private workloadAt(host: Host): Instance | undefined {
    let p = this.hostPeers.get(host);
    if (p === undefined) {
      const i = this.lookup.instanceByIp(host.address);
      p = i !== undefined && i.kind !== 'external' ? i : null;
      this.hostPeers.set(host, p);
    }
    return p ?? undefined;
  }

  private newSeries(
    proxy: EnvoyProxy,
    stream: ActiveStream,
    inbound: boolean,
    peer: Instance | undefined,
    mtls: boolean,
    flags: string,
    exchanged: boolean,
  ): IstioSeries | undefined {
    const info = stream.info;
    const ctx = stream.context as StreamContext;
    const local = this.lookup.instanceOfProxy(proxy);
    const localMeta: WorkloadMetadata = local?.metadata ?? {
      workload: proxy.meshProxy.workloadName,
      namespace: proxy.meshProxy.namespace,
      labels: proxy.meshProxy.labels,
    };
    const cluster = info.upstreamCluster === undefined ? undefined : proxy.cluster(info.upstreamCluster);
    const service = cluster?.service;
    const labels = istioRequestLabels({
      reporter: inbound ? 'destination' : 'source',
      local: localMeta,
      ...(peer !== undefined ? { peer: exchanged ? peer.metadata : endpointMetadata(peer) } : {}),
      ...(mtls ? { localPrincipal: proxy.meshProxy.serviceAccount } : {}),
      ...(mtls
        ? { peerPrincipal: inbound ? (ctx.peerPrincipal as string) : (peer?.meshProxy?.serviceAccount ?? '') }
        : {}),
      ...(service !== undefined ? { service } : {}),
      ...(info.upstreamCluster !== undefined ? { clusterName: info.upstreamCluster } : {}),
      ...(info.routeName !== undefined ? { routeName: info.routeName } : {}),
      authority: stream.headers[':authority'] ?? '',
      responseCode: info.responseCode,
      responseFlags: flags,
    });
    return this.metrics.series(labels);
  }

  private accessLogEntry(stream: ActiveStream, flags: string): AccessLogEntry {
    const info = stream.info;
    const h = stream.headers;
    const c = stream.connection;
    const original = h['x-envoy-original-path'];
    return {
      startTime: info.startTime,
      method: h[':method'] ?? '-',
      path: h[':path'] ?? stream.originalPath,
      ...(original !== undefined ? { originalPath: original } : {}),
      protocol: c.protocol,
      responseCode: info.responseCode,
      responseFlags: flags,
      responseCodeDetails: info.responseCodeDetails,
      ...(info.connectionTerminationDetails !== undefined
        ? { connectionTerminationDetails: info.connectionTerminationDetails }
        : {}),
      ...(info.upstreamTransportFailureReason !== undefined
        ? { upstreamTransportFailureReason: info.upstreamTransportFailureReason }
        : {}),
      bytesReceived: info.bytesReceived,
      bytesSent: info.bytesSent,
      duration: info.duration,
      ...(info.upstreamServiceTime !== undefined && info.responseCodeDetails === 'via_upstream'
        ? { upstreamServiceTime: info.upstreamServiceTime }
        : {}),
      ...(h['x-forwarded-for'] !== undefined ? { xForwardedFor: h['x-forwarded-for'] } : {}),
      ...(h['user-agent'] !== undefined ? { userAgent: h['user-agent'] } : {}),
      ...(h['x-request-id'] !== undefined ? { requestId: h['x-request-id'] } : {}),
      ...(h[':authority'] !== undefined ? { authority: h[':authority'] } : {}),
      ...(info.upstreamHost !== undefined ? { upstreamHost: info.upstreamHost.addressString } : {}),
      ...(info.upstreamCluster !== undefined ? { upstreamCluster: info.upstreamCluster } : {}),
      ...(info.upstreamLocalAddress !== undefined ? { upstreamLocalAddress: info.upstreamLocalAddress } : {}),
      downstreamLocalAddress: c.localAddress,
      downstreamRemoteAddress: c.remoteAddress,
      ...(c.requestedServerName !== undefined ? { requestedServerName: c.requestedServerName } : {}),
      ...(info.routeName !== undefined ? { routeName: info.routeName } : {}),
    };
  }

  /** A call ended: one outcome. */
  onCall(call: CallRecord): void {
    const id = this.nextId++;
    const stream = call.stream;
    const info = stream?.info;
    let dest: Destination;
    if (info !== undefined) {
      const host = info.upstreamHost;
      const cluster = info.upstreamCluster ?? '';
      dest = this.destinationOf(cluster, host, stream?.headers[':authority'] ?? call.request.authority);
    } else {
      dest = this.directDestination(call);
    }
    const flags = info !== undefined ? info.flags.toString() : '-';
    const attempts = info !== undefined ? info.attemptCount : call.failure === 'dns' ? 0 : 1;
    const duration = call.endTime - call.startTime;
    // One literal, no spreads (hot path); absent optional fields stay undefined.
    const outcome: RequestOutcome = {
      id,
      generator: call.generator,
      source: call.sourceLabel,
      destination: dest.destination,
      status: call.status,
      responseFlags: flags,
      responseCodeDetails:
        info !== undefined
          ? info.responseCodeDetails
          : call.failure === undefined
            ? 'via_upstream'
            : FAILURE_DETAILS[call.failure],
      attempts,
      upstreamHost: info?.upstreamHost?.addressString,
      startTime: call.startTime,
      duration,
    };
    if (call.generator !== undefined) {
      this.counts.generated++;
      let g = this.byGenerator.get(call.generator);
      if (g === undefined) {
        g = new OutcomeAggregator({ histogram: this.histogram });
        this.byGenerator.set(call.generator, g);
      }
      g.addToGroup(groupOf(dest, g), outcome);
    } else this.counts.downstreamCalls++;
    if (stream !== undefined) this.counts.throughProxy++;
    // An abandoned call is recorded when its sidecar logs it, a little after it ended for the app.
    if (call.endTime > this.lastTime) this.lastTime = call.endTime;
    this.outcomes.addToGroup(groupOf(dest, this.outcomes), outcome);
    this.mix(id);
    this.mix(call.endTime);
    this.mix(this.intern(call.sourceLabel));
    this.mix(dest.id);
    this.mix(call.status);
    this.mix(this.intern(flags));
    this.mix(attempts);
    this.mix(duration);
    this.onOutcome?.(outcome);
  }

  private mix(v: number): void {
    const lo = v >>> 0;
    const hi = Math.floor(v / 4294967296) >>> 0;
    this.h1 = Math.imul(rotl(this.h1 ^ Math.imul(lo, 0xcc9e2d51), 15), 0x1b873593) ^ hi;
    this.h2 = Math.imul(rotl(this.h2 ^ Math.imul(lo ^ this.h1, 0x85ebca6b), 13), 0xc2b2ae35) + hi;
  }

  private intern(s: string): number {
    let n = this.interned.get(s);
    if (n === undefined) this.interned.set(s, (n = this.interned.size + 1));
    return n;
  }

  // Where a call through an Envoy went: the cluster's service and subset, and the upstream host's workload.
  private destinationOf(cluster: string, host: Host | undefined, authority: string): Destination {
    if (host === undefined) {
      const key = cluster === '' ? `@${authority}` : cluster;
      let d = this.clusterDestinations.get(key);
      if (d === undefined) {
        d = this.makeDestination(cluster, undefined, authority);
        this.clusterDestinations.set(key, d);
      }
      return d;
    }
    let byCluster = this.destinations.get(host);
    if (byCluster === undefined) this.destinations.set(host, (byCluster = new Map()));
    let d = byCluster.get(cluster);
    if (d === undefined) {
      d = this.makeDestination(cluster, this.lookup.instanceByIp(host.address)?.key, authority);
      byCluster.set(cluster, d);
    }
    return d;
  }

  private makeDestination(cluster: string, pod: string | undefined, authority: string): Destination {
    const key = cluster === '' ? undefined : parseSubsetKey(cluster);
    let service = key?.hostname ?? '';
    if (service === '' && cluster !== '') service = authorityHost(authority);
    const subset = key !== undefined && key.subset !== '' ? key.subset : undefined;
    const destination: OutcomeDestination = {
      service,
      ...(subset !== undefined ? { subset } : {}),
      ...(pod !== undefined ? { pod } : {}),
    };
    return { destination, id: this.intern(`${service}\u0000${subset ?? ''}\u0000${pod ?? ''}`) };
  }

  // A call with no Envoy in front: the host the app asked for, and the workload kube-proxy led to.
  private directDestination(call: CallRecord): Destination {
    const service =
      call.failure === undefined || call.directPeer !== undefined ? authorityHost(call.request.authority) : '';
    const key = `direct\u0000${service}\u0000${call.directPeer ?? ''}`;
    let d = this.clusterDestinations.get(key);
    if (d === undefined) {
      d = {
        destination: { service, ...(call.directPeer !== undefined ? { pod: call.directPeer } : {}) },
        id: this.intern(key),
      };
      this.clusterDestinations.set(key, d);
    }
    return d;
  }

  /** The latest end of the calls recorded (when the last outcome ended). */
  get lastOutcomeTime(): SimTime {
    return this.lastTime;
  }
}

/**
 * What the client's stats filter knows of an upstream workload without metadata exchange: the endpoint's
 * `istio.workload` metadata, `<workload>;<namespace>;<canonical name>;<canonical revision>;<cluster>`
 * (istio/istio pilot/pkg/networking/util/util.go `AppendLbEndpointMetadata`), read by istio/proxy
 * `istio_stats.cc` `extractEndpointMetadata` — no app or version labels, so those read `unknown`.
 */
function endpointMetadata(i: Instance): WorkloadMetadata {
  const c = canonicalService(i.labels, i.workload);
  return {
    workload: i.workload,
    namespace: i.namespace,
    labels: { 'service.istio.io/canonical-name': c.name, 'service.istio.io/canonical-revision': c.revision },
  };
}

function authorityHost(authority: string): string {
  const colon = authority.lastIndexOf(':');
  const bracket = authority.lastIndexOf(']');
  return colon > 0 && colon > bracket ? authority.slice(0, colon) : authority;
}
