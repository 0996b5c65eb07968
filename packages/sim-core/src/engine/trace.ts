/**
 * The optional event trace. Off by default and then free: the engine checks one field per event. When on,
 * every fired event and every record a component adds feeds a running {@link Digest}; in `records` mode
 * the records are also kept for flow charts and debugging.
 */
import { Digest } from './digest.js';
import type { SimTime } from './time.js';

/** `off`: nothing. `digest`: only the running digest (bounded memory). `records`: digest and every record. */
export type TraceMode = 'off' | 'digest' | 'records';

/** One line of the trace. */
export interface TraceRecord {
  readonly time: SimTime;
  /** What happened, e.g. `event`, `lb.pick`, `outlier.eject`. */
  readonly kind: string;
  /** Free text that identifies the happening, e.g. an event label or a host address. */
  readonly detail: string;
}

/** The trace of one run. */
export class Trace {
  readonly mode: Exclude<TraceMode, 'off'>;
  /** Every record, in order (`records` mode); empty in `digest` mode. */
  readonly records: TraceRecord[] = [];
  private readonly digest = new Digest();
  private count = 0;

  constructor(mode: Exclude<TraceMode, 'off'>) {
    this.mode = mode;
  }

  /** Appends a record. */
  record(time: SimTime, kind: string, detail: string): void {
    this.count++;
    this.digest.update(`${time}\t${kind}\t${detail}`);
    if (this.mode === 'records') this.records.push({ time, kind, detail });
  }

  /** Number of records so far. */
  get length(): number {
    return this.count;
  }

  /** Stable hash of the ordered records so far (16 hex digits). */
  get digestHex(): string {
    return this.digest.hex();
  }
}
