/**
 * Sampling requests from a run's trace for the request-path flow chart: the records of each candidate
 * request are buffered while it is routed, and kept when it is the first of its route (per client proxy)
 * or the first that was retried, hit a fault or failed. Two legs carry no request id and are matched by
 * their timing: the app's leg to its own sidecar (it reaches the sidecar's decode after its network and
 * the proxy's pass) and the sidecar's response to the app (it leaves at the client's `hcm.complete`).
 * Memory is bounded by the requests in flight; sampling stops after a budget of candidates.
 */
import { detailNumber as num, detailString as str, type ParsedRecord } from './traceRecord.js';

/** Why a sample was kept. */
export type SampleReason = 'first' | 'retried' | 'fault' | 'failed';

/** One request's records, for its flow chart. */
export interface SampleRequest {
  readonly requestId: string;
  readonly reason: SampleReason;
  /** The client-side Envoy (sidecar or gateway) that routed it first. */
  readonly proxy: string;
  /** Every record of the request in order: the client app's leg to its sidecar, then all with its id. */
  readonly records: readonly ParsedRecord[];
}

/** Options of {@link SampleKeeper}. */
export interface SampleOptions {
  /** Whether a request the proxy decoded at `time` may become a sample. @defaultValue every request */
  readonly sampleIf?: (proxy: string, time: number) => boolean;
  /** @defaultValue true */
  readonly keepSamples?: boolean;
  /** Distinct routes (per client proxy) whose first request is kept. @defaultValue 3 */
  readonly routesSampled?: number;
  /**
   * Candidate requests looked at before sampling stops (a retried or failed request later in the run is
   * then not sought; the wire's records are no longer read). @defaultValue 500
   */
  readonly sampleBudget?: number;
}

/** Keeps a few requests' records. */
export class SampleKeeper {
  private readonly buffers = new Map<string, ParsedRecord[]>();
  private readonly kept: SampleRequest[] = [];
  private readonly keptIds = new Map<string, ParsedRecord[]>();
  // The latest app → own sidecar legs (no request id yet), per pod.
  private readonly appLegs = new Map<string, ParsedRecord[]>();
  // Kept samples waiting for the response's last leg (sidecar → app, no request id), per client pod.
  private readonly lastLeg = new Map<string, { time: number; records: ParsedRecord[] }[]>();
  private readonly sampledRoutes = new Set<string>();
  private readonly sampleIf: (proxy: string, time: number) => boolean;
  private readonly routesSampled: number;
  private budget: number;
  private wanting: boolean;
  private haveInteresting = false;

  constructor(options: SampleOptions = {}) {
    this.sampleIf = options.sampleIf ?? (() => true);
    this.wanting = options.keepSamples ?? true;
    this.routesSampled = options.routesSampled ?? 3;
    this.budget = options.sampleBudget ?? 500;
  }

  /** Whether records of the wire (`net.*`) still matter. */
  get needsWire(): boolean {
    return this.wanting || this.lastLeg.size > 0;
  }

  /** A record without a request id: an app's leg to its sidecar, or a sidecar's response to its app. */
  onAnonymous(rec: ParsedRecord): void {
    const from = str(rec.detail, 'from');
    if (from === undefined || from !== str(rec.detail, 'to')) return;
    if (rec.kind === 'net.request' && this.wanting) {
      const legs = this.appLegs.get(from) ?? [];
      legs.push(rec);
      if (legs.length > 64) legs.shift();
      this.appLegs.set(from, legs);
    } else if (rec.kind === 'net.response') {
      const queue = this.lastLeg.get(from);
      if (queue === undefined) return;
      // Legs of requests that completed earlier never come (their client went away): drop them.
      while (queue.length > 0 && (queue[0] as { time: number }).time < rec.time) queue.shift();
      const next = queue[0];
      if (next !== undefined && next.time === rec.time) {
        next.records.push(rec);
        queue.shift();
      }
      if (queue.length === 0) this.lastLeg.delete(from);
    }
  }

  /** A record of request `requestId` (any proxy). */
  onRecord(requestId: string, rec: ParsedRecord): void {
    this.keptIds.get(requestId)?.push(rec);
    this.buffers.get(requestId)?.push(rec);
  }

  /** A client proxy decoded request `requestId` (its decode record already seen): returns whether it is a candidate. */
  begin(proxy: string, requestId: string, decode: ParsedRecord): boolean {
    if (
      !this.wanting ||
      this.buffers.has(requestId) ||
      this.keptIds.has(requestId) ||
      !this.sampleIf(proxy, decode.time)
    )
      return false;
    // The app's leg reaches the sidecar's decode after its network time and the proxy's own pass.
    const legs = this.appLegs.get(proxy);
    const i =
      legs?.findIndex(
        (l) => l.time + (num(l.detail, 'networkUs') ?? NaN) + (num(l.detail, 'serverPassUs') ?? NaN) === decode.time,
      ) ?? -1;
    const leg = i >= 0 ? legs?.splice(i, 1)[0] : undefined;
    this.buffers.set(requestId, [...(leg !== undefined ? [leg] : []), decode]);
    return true;
  }

  /**
   * A candidate ended at its client proxy (`route` identifies its route there). Keeps it when it is the
   * first of its route, or the first that went wrong (`reason`).
   */
  finish(proxy: string, requestId: string, route: string, reason: SampleReason | undefined): void {
    const records = this.buffers.get(requestId);
    this.buffers.delete(requestId);
    if (records === undefined || !this.wanting) return;
    if (--this.budget <= 0) this.stop();
    const key = `${proxy}\u0000${route}`;
    const newRoute = !this.sampledRoutes.has(key) && this.sampledRoutes.size < this.routesSampled;
    // The first request that went wrong, and the first of each route (whatever happened to it).
    if (reason !== undefined && !this.haveInteresting) this.haveInteresting = true;
    else if (!newRoute) return;
    if (newRoute) this.sampledRoutes.add(key);
    this.kept.push({ requestId, reason: reason ?? 'first', proxy, records });
    this.keptIds.set(requestId, records);
    const complete = records.at(-1);
    if (complete !== undefined)
      this.lastLeg.set(proxy, [...(this.lastLeg.get(proxy) ?? []), { time: complete.time, records }]);
    if (this.haveInteresting && this.sampledRoutes.size >= this.routesSampled) this.stop();
  }

  private stop(): void {
    this.wanting = false;
    this.buffers.clear();
    this.appLegs.clear();
  }

  /** The samples kept, in the order the requests started. */
  samples(): readonly SampleRequest[] {
    return [...this.kept].sort((a, b) => (a.records[0]?.time ?? 0) - (b.records[0]?.time ?? 0));
  }
}
