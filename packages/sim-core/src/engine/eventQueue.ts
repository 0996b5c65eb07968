/**
 * The future event list: a binary min-heap ordered by (time, priority, insertion sequence), as SimPy's
 * `(time, priority, eid)` key — so events at equal times and priorities come out FIFO.
 *
 * Cancellation is O(1): a cancelled event is only marked, and skipped when it reaches the top. Timeouts and
 * per-try timers are cancelled far more often than they fire, so the heap is compacted (rebuilt in O(n))
 * whenever dead entries outnumber live ones; memory stays bounded by live work.
 */
import type { SimTime } from './time.js';

/** Smaller runs first among events at the same time. */
export const Priority = {
  /** Before ordinary events at the same instant (e.g. config pushes, stop markers). */
  URGENT: 0,
  /** The default. */
  NORMAL: 1,
  /** After ordinary events at the same instant (e.g. periodic sweeps such as outlier-detection ticks). */
  LATE: 2,
} as const;

// priority and sequence share one double: priority × 2^48 + seq (seq < 2^48 ≈ 2.8e14 events).
const PRIORITY_SHIFT = 2 ** 48;
const MAX_PRIORITY = 31;

const PENDING = 0;
const FIRED = 1;
const CANCELLED = 2;

/** A scheduled event. Keep it to cancel it; cancelling a fired or cancelled event does nothing. */
export class ScheduledEvent {
  /** When it fires. */
  readonly time: SimTime;
  /** @internal ordering key after time: priority × 2^48 + sequence. */
  readonly order: number;
  /** Trace label (empty when not given). */
  readonly label: string;
  /** @internal */
  callback: (() => void) | null;
  /** @internal 0 pending, 1 fired, 2 cancelled. */
  state: number = PENDING;
  private readonly queue: EventQueue;

  constructor(queue: EventQueue, time: SimTime, order: number, callback: () => void, label: string) {
    this.queue = queue;
    this.time = time;
    this.order = order;
    this.callback = callback;
    this.label = label;
  }

  /** True until the event fires or is cancelled. */
  get pending(): boolean {
    return this.state === PENDING;
  }

  get cancelled(): boolean {
    return this.state === CANCELLED;
  }

  /** Prevents the event from firing. O(1). */
  cancel(): void {
    if (this.state !== PENDING) return;
    this.state = CANCELLED;
    this.callback = null;
    this.queue.noteCancelled();
  }
}

/** Binary heap of {@link ScheduledEvent}s with lazy deletion. */
export class EventQueue {
  private heap: ScheduledEvent[] = [];
  private dead = 0;
  private seq = 0;

  /** Number of pending (not cancelled) events. */
  get size(): number {
    return this.heap.length - this.dead;
  }

  /** Adds an event. `priority` is an integer in [0, 31]; smaller first. */
  push(time: SimTime, priority: number, callback: () => void, label: string): ScheduledEvent {
    if (!(priority >= 0 && priority <= MAX_PRIORITY && priority % 1 === 0)) {
      throw new RangeError(`event priority must be an integer in [0, ${MAX_PRIORITY}], got ${priority}`);
    }
    const ev = new ScheduledEvent(this, time, priority * PRIORITY_SHIFT + this.seq++, callback, label);
    const heap = this.heap;
    heap.push(ev);
    this.siftUp(heap.length - 1);
    return ev;
  }

  /** Time of the next pending event, or `Infinity` when none. */
  peekTime(): number {
    this.dropDeadTop();
    const top = this.heap[0];
    return top === undefined ? Infinity : top.time;
  }

  /** Removes and returns the next pending event, marked fired; `undefined` when none. */
  pop(): ScheduledEvent | undefined {
    this.dropDeadTop();
    const top = this.removeTop();
    if (top !== undefined) top.state = FIRED;
    return top;
  }

  /** @internal called by {@link ScheduledEvent.cancel}. */
  noteCancelled(): void {
    this.dead++;
    if (this.dead > 64 && this.dead * 2 > this.heap.length) this.compact();
  }

  private dropDeadTop(): void {
    while (this.dead > 0) {
      const top = this.heap[0];
      if (top === undefined || top.state !== CANCELLED) return;
      this.removeTop();
      this.dead--;
    }
  }

  private removeTop(): ScheduledEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top !== undefined && last !== undefined && heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  // Rebuilds the heap from live entries (Floyd's heapify, O(n)).
  private compact(): void {
    this.heap = this.heap.filter((ev) => ev.state !== CANCELLED);
    this.dead = 0;
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const ev = heap[i] as ScheduledEvent;
    const t = ev.time;
    const o = ev.order;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = heap[parentIndex] as ScheduledEvent;
      if (parent.time < t || (parent.time === t && parent.order < o)) break;
      heap[i] = parent;
      i = parentIndex;
    }
    heap[i] = ev;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const ev = heap[i] as ScheduledEvent;
    const t = ev.time;
    const o = ev.order;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let c = heap[child] as ScheduledEvent;
      const right = child + 1;
      if (right < n) {
        const r = heap[right] as ScheduledEvent;
        if (r.time < c.time || (r.time === c.time && r.order < c.order)) {
          child = right;
          c = r;
        }
      }
      if (t < c.time || (t === c.time && o < c.order)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = ev;
  }
}
