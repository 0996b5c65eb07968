/**
 * The timeline's data: what happened to the mesh over simulated time — outlier ejections as spans (eject →
 * uneject, Envoy's outlier event log `logEject`/`logUneject`), circuit-breaker overflows and fault
 * injections as counts per time bin (they happen per request, thousands of times), config pushes and
 * scenario events as marks.
 */
import type { ManifestRef } from './sourceRef.js';

/**
 * What happened. Overflows carry the Envoy stat in `detail` (`upstream_rq_pending_overflow`,
 * `upstream_cx_overflow`, `upstream_rq_retry_overflow`); faults are the fault filter's `delays_injected` /
 * `aborts_injected`.
 */
export type TimelineEventKind =
  | 'ejection' // outlier detection ejected a host (enforced)
  | 'ejection_detected' // detected but not enforced (enforcing_* said no)
  | 'unejection' // the host returned after its ejection time
  | 'overflow' // a circuit breaker rejected a request or connection (503 UO)
  | 'fault_delay' // the fault filter delayed a request (DI)
  | 'fault_abort' // the fault filter aborted a request (FI)
  | 'config_push' // istiod pushed new configuration (xDS)
  | 'scenario'; // a scenario event: scale, kill a pod, make a replica fail…

/** One happening. */
export interface TimelineEvent {
  /** Simulated time, µs. */
  readonly time: number;
  readonly kind: TimelineEventKind;
  /** What it happened to: a host `ip:port (pod)`, a cluster, a route, a resource. */
  readonly subject: string;
  readonly detail?: string;
  readonly decidedBy?: ManifestRef;
  /** For counted kinds (overflows, faults): how many happened at this instant. @defaultValue 1 */
  readonly count?: number;
}

/** A time interval in a lane, e.g. one ejection; `open` when it had not ended by the end of the run. */
export interface TimelineSpan {
  readonly start: number;
  readonly end: number;
  readonly label: string;
  readonly open: boolean;
}

/** Events counted in one time bin. */
export interface TimelineBin {
  readonly start: number;
  readonly end: number;
  readonly count: number;
}

/** A point event. */
export interface TimelineMark {
  readonly time: number;
  readonly label: string;
  readonly decidedBy?: ManifestRef;
}

/** The group a lane belongs to; the chart draws each in its own way and colour. */
export type TimelineLaneKind = 'ejections' | 'overflows' | 'faults' | 'events';

/** One row of the timeline. */
export interface TimelineLane {
  readonly id: string;
  readonly kind: TimelineLaneKind;
  readonly label: string;
  /** For counted lanes: the Envoy stat counted (`upstream_rq_pending_overflow`, `delays_injected`, …). */
  readonly stat?: string;
  readonly spans: readonly TimelineSpan[];
  readonly bins: readonly TimelineBin[];
  readonly marks: readonly TimelineMark[];
  /** Events of this lane. */
  readonly total: number;
}

/** The timeline's model. */
export interface Timeline {
  readonly start: number;
  readonly end: number;
  readonly lanes: readonly TimelineLane[];
}

/** Options of {@link buildTimeline}. */
export interface TimelineOptions {
  /** Start of the run, µs. @defaultValue 0 */
  readonly start?: number;
  /** End of the run, µs. @defaultValue the last event's time */
  readonly end?: number;
  /** Bins over [start, end] for counted events. @defaultValue 60 */
  readonly bins?: number;
}

const LANE_ORDER: readonly TimelineLaneKind[] = ['events', 'ejections', 'overflows', 'faults'];

const laneKindOf = (k: TimelineEventKind): TimelineLaneKind =>
  k === 'ejection' || k === 'ejection_detected' || k === 'unejection'
    ? 'ejections'
    : k === 'overflow'
      ? 'overflows'
      : k === 'fault_delay' || k === 'fault_abort'
        ? 'faults'
        : 'events';

/**
 * Builds lanes: one per ejected host, one per (cluster, overflow stat), one per (route, fault kind), one
 * for config pushes and scenario events. Lanes are ordered by kind, then by first appearance. Pure.
 */
export function buildTimeline(events: readonly TimelineEvent[], options: TimelineOptions = {}): Timeline {
  const sorted = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.time - b.e.time || a.i - b.i)
    .map((x) => x.e);
  const start = options.start ?? 0;
  const end = options.end ?? Math.max(start, sorted.at(-1)?.time ?? start);
  const nBins = options.bins ?? 60;
  if (!(Number.isInteger(nBins) && nBins > 0)) throw new RangeError(`bins must be a positive integer, got ${nBins}`);
  if (!(end >= start)) throw new RangeError(`end (${end}) must not precede start (${start})`);
  const width = (end - start) / nBins;
  interface Acc {
    id: string;
    kind: TimelineLaneKind;
    label: string;
    stat?: string;
    spans: TimelineSpan[];
    counts: number[];
    marks: TimelineMark[];
    total: number;
    open?: { start: number; label: string };
  }
  const lanes = new Map<string, Acc>();
  const lane = (kind: TimelineLaneKind, key: string, label: string, stat?: string): Acc => {
    const id = `${kind}:${key}`;
    let l = lanes.get(id);
    if (l === undefined)
      lanes.set(
        id,
        (l = { id, kind, label, ...(stat !== undefined ? { stat } : {}), spans: [], counts: [], marks: [], total: 0 }),
      );
    return l;
  };
  for (const e of sorted) {
    if (!(e.time >= start && e.time <= end))
      throw new RangeError(`event at ${e.time} µs lies outside [${start}, ${end}]`);
    const kind = laneKindOf(e.kind);
    if (kind === 'ejections') {
      const l = lane(kind, e.subject, e.subject);
      if (e.kind === 'ejection') {
        // Envoy never ejects an ejected host again (DetectorImpl::ejectHost checks the flag); keep the first.
        if (l.open === undefined) l.open = { start: e.time, label: e.detail ?? 'ejected' };
        l.total++;
      } else if (e.kind === 'unejection') {
        if (l.open !== undefined) l.spans.push({ start: l.open.start, end: e.time, label: l.open.label, open: false });
        l.open = undefined;
      } else {
        l.marks.push({ time: e.time, label: `detected, not enforced${e.detail !== undefined ? `: ${e.detail}` : ''}` });
      }
      continue;
    }
    if (kind === 'events') {
      const l = lane(kind, 'events', 'config pushes and events');
      l.marks.push({
        time: e.time,
        label: `${e.kind === 'config_push' ? 'push' : 'event'}: ${e.subject}${e.detail !== undefined ? ` — ${e.detail}` : ''}`,
        ...(e.decidedBy !== undefined ? { decidedBy: e.decidedBy } : {}),
      });
      l.total++;
      continue;
    }
    const what =
      e.kind === 'overflow'
        ? (e.detail ?? 'overflow')
        : e.kind === 'fault_delay'
          ? 'delays_injected'
          : 'aborts_injected';
    const l = lane(kind, `${e.subject}\u0000${what}`, `${e.subject} ${what}`, what);
    const bin = width === 0 ? 0 : Math.min(nBins - 1, Math.floor((e.time - start) / width));
    const n = e.count ?? 1;
    if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`event count must be an integer ≥ 1, got ${n}`);
    l.counts[bin] = (l.counts[bin] ?? 0) + n;
    l.total += n;
  }
  const out: TimelineLane[] = [...lanes.values()]
    .map((l) => {
      if (l.open !== undefined) l.spans.push({ start: l.open.start, end, label: l.open.label, open: true });
      const bins: TimelineBin[] = [];
      l.counts.forEach((count, i) => {
        if (count > 0)
          bins.push({ start: start + i * width, end: i === nBins - 1 ? end : start + (i + 1) * width, count });
      });
      return {
        id: l.id,
        kind: l.kind,
        label: l.label,
        ...(l.stat !== undefined ? { stat: l.stat } : {}),
        spans: l.spans,
        bins,
        marks: l.marks,
        total: l.total,
      };
    })
    .sort((a, b) => LANE_ORDER.indexOf(a.kind) - LANE_ORDER.indexOf(b.kind));
  return { start, end, lanes: out };
}

/** What the adapter reads from sim-core's `OutlierEvent` (envoy/upstream/outlierDetector.ts). */
export interface OutlierEventLike {
  readonly time: number;
  readonly action: 'EJECT' | 'UNEJECT';
  readonly host: { readonly addressString: string };
  readonly type?: string;
  readonly enforced: boolean;
}

/**
 * Timeline events from an outlier detector's event log. `podOf` names the pod behind an address for the
 * lane label (`10.244.1.7:80 (default/reviews-v2-1)`).
 */
export function timelineEventsFromOutlier(
  events: readonly OutlierEventLike[],
  cluster: string,
  podOf: (address: string) => string | undefined = () => undefined,
): TimelineEvent[] {
  return events.map((e) => {
    const pod = podOf(e.host.addressString);
    const subject = `${e.host.addressString}${pod !== undefined ? ` (${pod})` : ''}`;
    if (e.action === 'UNEJECT') return { time: e.time, kind: 'unejection', subject, detail: cluster };
    return {
      time: e.time,
      kind: e.enforced ? 'ejection' : 'ejection_detected',
      subject,
      detail: `${e.type ?? 'ejected'} in ${cluster}`,
    };
  });
}
