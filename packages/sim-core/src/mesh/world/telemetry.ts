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
  accessLogEntry,
  formatIstioAccessLog,
  NULL_SINK,
  type AccessLogClock,
  type AccessLogSink,
} from '../../envoy/observability/accessLog.js';
import { canonicalService, istioRequestLabels, type WorkloadMetadata } from '../../envoy/observability/istioLabels.js';
import { IstioMetrics, type IstioSeries } from '../../envoy/observability/istioMetrics.js';
import { IstioSeriesTable } from '../../envoy/observability/istioSeriesTable.js';
import {
  OutcomeAggregator,
  type OutcomeDestination,
  type OutcomeSummary,
  type RequestOutcome,
} from '../../envoy/observability/outcome.js';
import type { LatencyHistogramOptions } from '../../envoy/observability/latencyHistogram.js';
import { OutcomeDigest } from '../../envoy/observability/outcomeDigest.js';
import type { ResponseFlags } from '../../envoy/observability/responseFlags.js';
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
  /** Its summary in the world's aggregator, once it had an outcome. */
  group: OutcomeSummary | undefined;
  /** Its summaries in the per-generator aggregators. */
  generatorGroups: Map<OutcomeAggregator, OutcomeSummary> | undefined;
}

function generatorGroupOf(d: Destination, agg: OutcomeAggregator): OutcomeSummary {
  let m = d.generatorGroups;
  if (m === undefined) d.generatorGroups = m = new Map();
  let g = m.get(agg);
  if (g === undefined) m.set(agg, (g = agg.group(d.destination)));
  return g;
}

/** The destinations of calls that ended at one upstream host: nearly always one cluster's. */
interface HostDestinations {
  readonly cluster: string;
  readonly destination: Destination;
  /** Further clusters the host was reached through. */
  others: Map<string, Destination> | undefined;
}

/** `%RESPONSE_FLAGS%` of a flag mask, and its digest id once interned. */
interface FlagsText {
  readonly text: string;
  id: number;
}

/** The Istio series one proxy reports for one upstream target, and the workload at an upstream host. */
class TargetSeries extends IstioSeriesTable<Instance> {
  /** The workload at the upstream host (outbound), once resolved. */
  hostWorkload: Instance | undefined;
  hostWorkloadResolved = false;

  constructor(readonly proxy: EnvoyProxy) {
    super();
  }
}

const FAILURE_DETAILS = {
  dns: 'dns_resolution_failure',
  connect: 'connection_failure',
  reset: 'connection_reset',
  cancelled: 'client_timeout',
} as const;

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
  private readonly series = new WeakMap<EnvoyProxy, Map<Host | string, TargetSeries>>();
  private readonly hostTargets = new WeakMap<Host, TargetSeries>();
  private readonly hostPeers = new WeakMap<Host, Instance | null>();
  private readonly destinations = new WeakMap<Host, HostDestinations>();
  private readonly clusterDestinations = new Map<string, Destination>();
  private readonly digest = new OutcomeDigest();
  // `%RESPONSE_FLAGS%` per flag mask: no string built per call. Mask 0 (`-`, nearly every call) apart.
  private readonly noFlags: FlagsText = { text: '-', id: 0 };
  private readonly flagsTexts = new Map<number, FlagsText>();
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
    return this.digest.hex;
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
    const target = this.targetOf(proxy, stream, host);
    let peer: Instance | undefined;
    let mtls = false;
    // Whether the peer's workload came by metadata exchange (else from its endpoint's metadata).
    let exchanged = true;
    if (inbound) {
      peer = ctx.downstreamIsEnvoy ? ctx.downstream : undefined;
      mtls = ctx.peerPrincipal !== undefined;
    } else if (host !== undefined) {
      if (!target.hostWorkloadResolved) {
        target.hostWorkload = this.workloadAt(host);
        target.hostWorkloadResolved = true;
      }
      peer = target.hostWorkload;
      // The upstream's Envoy sends its metadata in the response headers, read in `encodeHeaders` by Istio's
      // peer-metadata filter (istio/proxy source/extensions/filters/http/peer_metadata/filter.cc): a local
      // reply, or a downstream disconnect before the response, never carries it.
      exchanged = peer !== undefined && peer.proxy !== undefined && info.responseCodeDetails === 'via_upstream';
      // Looked up per stream, not cached: a push can replace the cluster, an EDS update the host's tlsMode.
      const cluster = info.upstreamCluster === undefined ? undefined : proxy.cluster(info.upstreamCluster);
      mtls = cluster !== undefined && cluster.tlsFor(host) === 'mtls';
    }
    const peerKey = peer ?? null;
    const route = info.routeName ?? '';
    // flags (29 bits), mTLS, metadata exchange and the code in one exact number: no key string per stream.
    const key = ((info.flags.mask * 2 + (mtls ? 1 : 0)) * 2 + (exchanged ? 1 : 0)) * 1000 + info.responseCode;
    let s = target.get(peerKey, route, key);
    if (s === undefined) {
      s = this.newSeries(proxy, stream, inbound, peer, mtls, info.flags.toString(), exchanged) ?? null;
      target.set(peerKey, route, key, s);
    }
    if (s !== null)
      s.record(
        info.duration,
        stream.bodyBytes + headerBytes(stream.headers),
        info.bytesSent + headerBytes(stream.responseHeaders),
      );
    if (this.accessLog !== NULL_SINK) {
      const entry = accessLogEntry(stream, info.flags.toString());
      this.accessLog.write(proxy.name, formatIstioAccessLog(entry, this.clock), entry);
    }
  }

  // The series of `proxy` for a stream's upstream target: its host, else its cluster, else its authority.
  private targetOf(proxy: EnvoyProxy, stream: ActiveStream, host: Host | undefined): TargetSeries {
    // A host belongs to one proxy's cluster: one lookup, no per-proxy map, nearly always.
    if (host !== undefined) {
      const t = this.hostTargets.get(host);
      if (t !== undefined && t.proxy === proxy) return t;
    }
    const key = host ?? stream.info.upstreamCluster ?? `@${stream.headers[':authority'] ?? ''}`;
    let byTarget = this.series.get(proxy);
    if (byTarget === undefined) this.series.set(proxy, (byTarget = new Map()));
    let t = byTarget.get(key);
    if (t === undefined) byTarget.set(key, (t = new TargetSeries(proxy)));
    if (host !== undefined && !this.hostTargets.has(host)) this.hostTargets.set(host, t);
    return t;
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

  /** A call ended: one outcome. */
  onCall(call: CallRecord): void {
    const id = this.nextId++;
    const stream = call.stream;
    const info = stream?.info;
    let dest: Destination;
    if (info !== undefined) {
      const host = info.upstreamHost;
      const cluster = info.upstreamCluster ?? '';
      dest =
        host === undefined
          ? this.clusterDestination(cluster, stream?.headers[':authority'] ?? call.request.authority)
          : this.hostDestination(host, cluster, stream, call);
    } else {
      dest = this.directDestination(call);
    }
    const flags = info !== undefined ? this.flagsText(info.flags) : this.noFlags;
    const attempts = info !== undefined ? info.attemptCount : call.failure === 'dns' ? 0 : 1;
    const duration = call.endTime - call.startTime;
    const status = call.status;
    if (call.generator !== undefined) {
      this.counts.generated++;
      let g = this.byGenerator.get(call.generator);
      if (g === undefined) {
        g = new OutcomeAggregator({ histogram: this.histogram });
        this.byGenerator.set(call.generator, g);
      }
      g.addCallToGroup(generatorGroupOf(dest, g), status, flags.text, attempts, duration);
    } else this.counts.downstreamCalls++;
    if (stream !== undefined) this.counts.throughProxy++;
    // An abandoned call is recorded when its sidecar logs it, a little after it ended for the app.
    if (call.endTime > this.lastTime) this.lastTime = call.endTime;
    const group = dest.group ?? (dest.group = this.outcomes.group(dest.destination));
    this.outcomes.addCallToGroup(group, status, flags.text, attempts, duration);
    const digest = this.digest;
    digest.mix(id);
    digest.mix(call.endTime);
    digest.mix(digest.intern(call.sourceLabel));
    digest.mix(dest.id);
    digest.mix(status);
    // Interned here, on first use, so ids are handed out in the same order as if interned every time.
    digest.mix(flags.id === 0 ? (flags.id = digest.intern(flags.text)) : flags.id);
    digest.mix(attempts);
    digest.mix(duration);
    // The outcome object is built only for a listener: the aggregates above need none.
    if (this.onOutcome !== undefined) this.onOutcome(this.outcomeOf(id, call, dest, flags.text, attempts));
  }

  // One literal, no spreads; absent optional fields stay undefined.
  private outcomeOf(id: number, call: CallRecord, dest: Destination, flags: string, attempts: number): RequestOutcome {
    const info = call.stream?.info;
    return {
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
      duration: call.endTime - call.startTime,
    };
  }

  // `%RESPONSE_FLAGS%` of a stream's flags, formatted once per flag mask.
  private flagsText(flags: ResponseFlags): FlagsText {
    const mask = flags.mask;
    if (mask === 0) return this.noFlags;
    let f = this.flagsTexts.get(mask);
    if (f === undefined) this.flagsTexts.set(mask, (f = { text: flags.toString(), id: 0 }));
    return f;
  }

  // Where a call through an Envoy went when no host was picked: the cluster's service and subset (or the
  // authority's host when there was no cluster).
  private clusterDestination(cluster: string, authority: string): Destination {
    const key = cluster === '' ? `@${authority}` : cluster;
    let d = this.clusterDestinations.get(key);
    if (d === undefined) {
      d = this.makeDestination(cluster, undefined, authority);
      this.clusterDestinations.set(key, d);
    }
    return d;
  }

  // Where a call through an Envoy went: the cluster's service and subset, and the upstream host's workload.
  // A host belongs to one cluster object, so the per-host entry nearly always answers without a map.
  private hostDestination(
    host: Host,
    cluster: string,
    stream: ActiveStream | undefined,
    call: CallRecord,
  ): Destination {
    const byHost = this.destinations.get(host);
    if (byHost !== undefined && byHost.cluster === cluster) return byHost.destination;
    let d = byHost?.others?.get(cluster);
    if (d === undefined) {
      const authority = stream?.headers[':authority'] ?? call.request.authority;
      d = this.makeDestination(cluster, this.lookup.instanceByIp(host.address)?.key, authority);
      if (byHost === undefined) this.destinations.set(host, { cluster, destination: d, others: undefined });
      else (byHost.others ??= new Map()).set(cluster, d);
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
    return {
      destination,
      id: this.digest.intern(`${service}\u0000${subset ?? ''}\u0000${pod ?? ''}`),
      group: undefined,
      generatorGroups: undefined,
    };
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
        id: this.digest.intern(key),
        group: undefined,
        generatorGroups: undefined,
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
