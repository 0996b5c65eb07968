/**
 * What a run's trace says, gathered as it streams by: the routing decision of every request each Envoy
 * routed (counted per proxy, VirtualService route, cluster and host — bounded by the topology), the
 * timeline's happenings (outlier ejections, xDS pushes, scenario changes, pod deaths, circuit-breaker
 * overflows and fault injections), and the full records of a few sample requests (the first one, and the
 * first that was retried, faulted or failed) for the request-path flow chart.
 *
 * Reads the records sim-core's world writes with `trace: 'records'`: `hcm.decode` (listener, route, the
 * VirtualService behind it), `router.route` (the cluster picked), `router.attempt` (the load balancer's
 * host), `router.retry`, `router.reset`, `router.per_try_timeout`, `fault.delay`, `fault.abort`,
 * `hcm.complete` (status and `%RESPONSE_FLAGS%`), `net.request`/`net.response` (the wire, with Envoy's
 * `x-request-id`), `outlier.eject`/`uneject`, `xds.push`, `change`, `instance.*`. Records are keyed by the
 * proxy that wrote them and by `x-request-id`, which Envoy assigns at the first sidecar and forwards.
 */
import { timelineEventsFromTrace, type TraceRecordLike } from './traceAdapters.js';
import type { TimelineEvent } from './timeline.js';
import {
  detailNumber as num,
  detailString as str,
  parseDetail,
  parseRouteProvenance,
  provenanceKey,
  type ParsedRecord,
  type RouteProvenance,
} from './traceRecord.js';
import { SampleKeeper, type SampleOptions, type SampleReason, type SampleRequest } from './traceSamples.js';

/** Requests one Envoy routed the same way and that ended the same way. */
export interface RoutedRequests {
  /** The routing Envoy: `namespace/pod`. */
  readonly proxy: string;
  readonly listener: string;
  readonly virtualHost?: string;
  /** The resource behind the matched route; absent when no route matched (404 `NR`). */
  readonly route?: RouteProvenance;
  /** The cluster the router picked (weighted clusters resolved); absent when the request never reached it. */
  readonly cluster?: string;
  /** `ip:port` of the last upstream try. */
  readonly host?: string;
  readonly status: number;
  /** `%RESPONSE_FLAGS%`, `-` for none. */
  readonly flags: string;
  /** Whether the fault filter aborted the request (`FI`). */
  readonly aborted: boolean;
  readonly count: number;
}

/** Options of {@link RunTraceCollector}: which requests may be sampled for flow charts. */
export type RunTraceOptions = SampleOptions;

/** What is known of a request an Envoy is routing. */
interface Pending {
  readonly proxy: string;
  readonly listener: string;
  readonly virtualHost?: string;
  route?: RouteProvenance;
  cluster?: string;
  host?: string;
  attempts: number;
  fault?: 'delay' | 'abort';
  readonly sample: boolean;
  /**
   * Inbound streams of the same request open on the same proxy (a workload calling itself through its
   * own sidecar): their records share proxy and request id, and nest inside the outbound stream.
   */
  nested: number;
}

/** Listeners where a sidecar receives requests for its own workload (not a routing decision to count). */
const INBOUND_LISTENERS = new Set(['virtualInbound']);

/** Gathers a run's routing counts, timeline and samples from its trace records, one record at a time. */
export class RunTraceCollector {
  private readonly pending = new Map<string, Pending>();
  private readonly counts = new Map<string, { key: Omit<RoutedRequests, 'count'>; count: number }>();
  private readonly events: TimelineEvent[] = [];
  // Counted happenings (overflows, faults): per (kind, subject, stat), exact times with their counts.
  private readonly counted = new Map<
    string,
    { kind: TimelineEvent['kind']; subject: string; detail: string; at: Map<number, number> }
  >();
  private readonly sampler: SampleKeeper;
  private seen = 0;

  constructor(options: RunTraceOptions = {}) {
    this.sampler = new SampleKeeper(options);
  }

  /** Records read so far. */
  get records(): number {
    return this.seen;
  }

  /** Reads records (any order the world wrote them in). */
  addAll(records: Iterable<TraceRecordLike>): void {
    for (const r of records) this.add(r);
  }

  /** Reads one record. */
  add(r: TraceRecordLike): void {
    this.seen++;
    switch (r.kind) {
      case 'event':
      case 'tcp.connect':
        return;
      case 'outlier.eject':
      case 'outlier.uneject':
      case 'xds.push':
      case 'change':
      case 'instance.dead':
      case 'instance.state':
        this.events.push(...timelineEventsFromTrace([r]));
        return;
    }
    // The wire's records matter only to samples: once they are all kept, skip parsing them.
    if ((r.kind === 'net.request' || r.kind === 'net.response') && !this.sampler.needsWire) return;
    const d = parseDetail(r.detail);
    if (d === undefined) return;
    const rec: ParsedRecord = { time: r.time, kind: r.kind, detail: d };
    const requestId = str(d, 'requestId');
    if (requestId === undefined) {
      this.sampler.onAnonymous(rec);
      return;
    }
    this.sampler.onRecord(requestId, rec);
    const proxy = str(d, 'proxy');
    if (proxy === undefined) return;
    const key = `${proxy}\u0000${requestId}`;
    if (r.kind === 'hcm.decode') {
      this.onDecode(rec, proxy, requestId, key);
      return;
    }
    const p = this.pending.get(key);
    if (p === undefined) return;
    if (p.nested > 0) {
      // The nested inbound stream's records; its completion closes it.
      if (r.kind === 'hcm.complete') p.nested--;
      return;
    }
    switch (r.kind) {
      case 'router.route': {
        const cluster = str(d, 'cluster');
        if (cluster !== undefined) p.cluster = cluster;
        p.route ??= parseRouteProvenance(d['source']);
        break;
      }
      case 'router.attempt': {
        p.attempts++;
        const host = str(d, 'host');
        if (host !== undefined) p.host = host;
        break;
      }
      case 'router.reset':
        // Both circuit-breaker overflows of a request count upstream_rq_pending_overflow (sim-core
        // envoy/upstream/connPoolAdmission.ts, after Envoy's conn_pool_base.cc).
        if (str(d, 'reason') === 'overflow')
          this.count(r.time, 'overflow', p.cluster ?? proxy, 'upstream_rq_pending_overflow');
        break;
      case 'fault.delay':
        p.fault = 'delay';
        this.count(r.time, 'fault_delay', routeSubject(p), 'delays_injected');
        break;
      case 'fault.abort':
        p.fault = 'abort';
        this.count(r.time, 'fault_abort', routeSubject(p), 'aborts_injected');
        break;
      case 'hcm.complete':
        this.onComplete(p, key, requestId, num(d, 'status') ?? 0, str(d, 'flags') ?? '-');
        break;
    }
  }

  private onDecode(rec: ParsedRecord, proxy: string, requestId: string, key: string): void {
    const d = rec.detail;
    const listener = str(d, 'listener') ?? '';
    if (INBOUND_LISTENERS.has(listener)) {
      const outer = this.pending.get(key);
      if (outer !== undefined) outer.nested++;
      return;
    }
    const vh = str(d, 'virtualHost');
    const route = parseRouteProvenance(d['source']);
    this.pending.set(key, {
      proxy,
      listener,
      ...(vh !== undefined ? { virtualHost: vh } : {}),
      ...(route !== undefined ? { route } : {}),
      attempts: 0,
      sample: this.sampler.begin(proxy, requestId, rec),
      nested: 0,
    });
  }

  private onComplete(p: Pending, key: string, requestId: string, status: number, flags: string): void {
    this.pending.delete(key);
    const entry: Omit<RoutedRequests, 'count'> = {
      proxy: p.proxy,
      listener: p.listener,
      ...(p.virtualHost !== undefined ? { virtualHost: p.virtualHost } : {}),
      ...(p.route !== undefined ? { route: p.route } : {}),
      ...(p.cluster !== undefined && p.fault !== 'abort' ? { cluster: p.cluster } : {}),
      ...(p.host !== undefined ? { host: p.host } : {}),
      status,
      flags,
      aborted: p.fault === 'abort',
    };
    const k = [
      p.proxy,
      p.listener,
      p.virtualHost ?? '',
      provenanceKey(p.route),
      entry.cluster ?? '',
      p.host ?? '',
      status,
      flags,
      entry.aborted,
    ].join('\u0001');
    const c = this.counts.get(k);
    if (c === undefined) this.counts.set(k, { key: entry, count: 1 });
    else c.count++;
    if (!p.sample) return;
    const reason: SampleReason | undefined =
      p.attempts > 1
        ? 'retried'
        : p.fault !== undefined
          ? 'fault'
          : status === 0 || status >= 500
            ? 'failed'
            : undefined;
    this.sampler.finish(p.proxy, requestId, provenanceKey(p.route), reason);
  }

  private count(time: number, kind: TimelineEvent['kind'], subject: string, detail: string): void {
    const k = `${kind}\u0000${subject}\u0000${detail}`;
    let c = this.counted.get(k);
    if (c === undefined) this.counted.set(k, (c = { kind, subject, detail, at: new Map() }));
    c.at.set(time, (c.at.get(time) ?? 0) + 1);
  }

  /** Routing decisions, counted; in a stable order (proxy, listener, virtual host, route, cluster, host, status). */
  routed(): RoutedRequests[] {
    return [...this.counts.values()]
      .map((c) => ({ ...c.key, count: c.count }))
      .sort(
        (a, b) =>
          cmp(a.proxy, b.proxy) ||
          cmp(a.listener, b.listener) ||
          cmp(a.virtualHost ?? '', b.virtualHost ?? '') ||
          cmp(provenanceKey(a.route), provenanceKey(b.route)) ||
          cmp(a.cluster ?? '', b.cluster ?? '') ||
          cmp(a.host ?? '', b.host ?? '') ||
          a.status - b.status ||
          cmp(a.flags, b.flags) ||
          Number(a.aborted) - Number(b.aborted),
      );
  }

  /** The timeline's events: marks and ejections as they came, counted happenings by time. */
  timelineEvents(): TimelineEvent[] {
    const out = [...this.events];
    for (const c of this.counted.values()) {
      for (const [time, count] of [...c.at].sort((a, b) => a[0] - b[0])) {
        out.push({ time, kind: c.kind, subject: c.subject, detail: c.detail, ...(count > 1 ? { count } : {}) });
      }
    }
    return out;
  }

  /**
   * The samples kept, in the order the requests started: the first request of each route (up to
   * `routesSampled`), and the first retried, faulted or failed one (if any).
   */
  samples(): readonly SampleRequest[] {
    return this.sampler.samples();
  }

  /** Requests still being routed (the run stopped before they ended). */
  get inFlight(): number {
    return this.pending.size;
  }
}

function routeSubject(p: Pending): string {
  const r = p.route;
  if (r === undefined) return p.virtualHost ?? p.proxy;
  return `${r.kind} ${r.namespace !== undefined ? `${r.namespace}/` : ''}${r.name}${r.field !== undefined ? ` ${r.field}` : ''}`;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
