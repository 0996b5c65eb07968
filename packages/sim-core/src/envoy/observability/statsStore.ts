/**
 * A proxy's stats store: counters, gauges and histograms by Envoy's dotted names, printed as Envoy's admin
 * `/stats` prints them (envoyproxy/envoy source/server/admin/stats_request.cc and stats_render.cc):
 * counters and gauges together in byte order of their names as `name: value`, then histograms in name
 * order as `name: P0(interval,cumulative) P25(…) … P100(…)` (`ParentHistogramImpl::quantileSummary`), or
 * `name: No recorded values`.
 *
 * Components either take a {@link Counter}/{@link Gauge}/{@link Histogram} by name, or attach a plain
 * object of numbers under a prefix (the cluster stats blocks of envoy/upstream/clusterStats.ts), which is
 * read when printing.
 *
 * Histogram "interval" and "cumulative": Envoy merges its histograms on each stats flush (every 5 s by
 * default); `/stats` shows the last interval and everything so far. Here {@link StatsStore.flush} ends an
 * interval, and printing behaves as if a flush had just run: the interval column covers the values since
 * the previous flush (`nan` when there were none), the cumulative column everything.
 */
import { binOf, Circllhist } from './circllhist.js';
import { formatG6, formatShortest } from './numberFormat.js';

/** A monotonically increasing count. */
export interface Counter {
  readonly name: string;
  readonly value: number;
  inc(n?: number): void;
}

/** A value that goes up and down. */
export interface Gauge {
  readonly name: string;
  readonly value: number;
  set(v: number): void;
  add(n: number): void;
  sub(n: number): void;
}

/** Unit of a histogram (Envoy's `Stats::Histogram::Unit`). */
export type HistogramUnit = 'Milliseconds' | 'Microseconds' | 'Bytes' | 'Unspecified';

/** A distribution of non-negative integer values. */
export interface Histogram {
  readonly name: string;
  readonly unit: HistogramUnit;
  record(value: number): void;
  /** Everything recorded so far. */
  readonly cumulative: Circllhist;
}

/** The quantiles `/stats` prints (`HistogramStatisticsImpl::supportedQuantiles`). */
export const SUPPORTED_QUANTILES: readonly number[] = [0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 1];

class CounterImpl implements Counter {
  value = 0;
  constructor(readonly name: string) {}
  inc(n = 1): void {
    this.value += n;
  }
}

class GaugeImpl implements Gauge {
  value = 0;
  constructor(readonly name: string) {}
  set(v: number): void {
    this.value = v;
  }
  add(n: number): void {
    this.value += n;
  }
  sub(n: number): void {
    this.value -= n;
  }
}

class HistogramImpl implements Histogram {
  readonly cumulative = new Circllhist();
  readonly interval = new Circllhist();
  constructor(
    readonly name: string,
    readonly unit: HistogramUnit,
  ) {}
  record(value: number): void {
    const bin = binOf(value);
    this.cumulative.recordBin(bin);
    this.interval.recordBin(bin);
  }
}

/** Numbers exposed under a prefix: a plain object's (its keys as they are when read), or a live source's. */
interface Attached {
  readonly prefix: string;
  /** The object read when printing. */
  read(): Readonly<Record<string, unknown>> | undefined;
  /** The keys exposed; `undefined`: the object's own keys at that time. */
  readonly keys: ReadonlySet<string> | undefined;
  readonly gauges: ReadonlySet<string>;
}

/** The stats of one proxy. */
export class StatsStore {
  private readonly counters = new Map<string, CounterImpl>();
  private readonly gauges = new Map<string, GaugeImpl>();
  private readonly histograms = new Map<string, HistogramImpl>();
  private readonly attached: Attached[] = [];

  /** The counter called `name`, created at 0 on first use. */
  counter(name: string): Counter {
    let c = this.counters.get(name);
    if (c === undefined) this.counters.set(name, (c = new CounterImpl(name)));
    return c;
  }

  /** The gauge called `name`, created at 0 on first use. */
  gauge(name: string): Gauge {
    let g = this.gauges.get(name);
    if (g === undefined) this.gauges.set(name, (g = new GaugeImpl(name)));
    return g;
  }

  /** The histogram called `name`, created empty on first use. */
  histogram(name: string, unit: HistogramUnit = 'Unspecified'): Histogram {
    let h = this.histograms.get(name);
    if (h === undefined) this.histograms.set(name, (h = new HistogramImpl(name, unit)));
    return h;
  }

  /**
   * Exposes the numbers of `block` as `<prefix><key>` (e.g. prefix `cluster.outbound|9080||reviews.default.svc.cluster.local.`).
   * The object is read when printing, so its owner keeps incrementing it directly. Keys in `gauges` are gauges.
   */
  attach(prefix: string, block: Readonly<Record<string, number>>, gauges: Iterable<string> = []): void {
    this.attached.push({ prefix, read: () => block, keys: undefined, gauges: new Set(gauges) });
  }

  /**
   * Exposes `keys` of whatever `read()` returns when printing, as `<prefix><key>` (0 for a key it lacks, or
   * when it returns `undefined`): for stat objects their owner replaces, e.g. a cluster's on a CDS update.
   */
  attachLive(
    prefix: string,
    keys: Iterable<string>,
    read: () => object | undefined,
    gauges: Iterable<string> = [],
  ): void {
    this.attached.push({
      prefix,
      read: read as () => Readonly<Record<string, unknown>> | undefined,
      keys: new Set(keys),
      gauges: new Set(gauges),
    });
  }

  /** The current value of a counter or gauge (own or attached), or `undefined` when there is none. */
  value(name: string): number | undefined {
    const own = this.counters.get(name) ?? this.gauges.get(name);
    if (own !== undefined) return own.value;
    for (const a of this.attached) {
      if (name.startsWith(a.prefix)) {
        const key = name.slice(a.prefix.length);
        const v = a.keys === undefined ? a.read()?.[key] : a.keys.has(key) ? (a.read()?.[key] ?? 0) : undefined;
        if (typeof v === 'number') return v;
      }
    }
    return undefined;
  }

  /** Every counter and gauge as [name, value, kind], sorted by name. */
  numericStats(): [string, number, 'counter' | 'gauge'][] {
    const out: [string, number, 'counter' | 'gauge'][] = [];
    for (const c of this.counters.values()) out.push([c.name, c.value, 'counter']);
    for (const g of this.gauges.values()) out.push([g.name, g.value, 'gauge']);
    for (const a of this.attached) {
      const block = a.read();
      for (const key of a.keys ?? Object.keys(block ?? {})) {
        const v = a.keys === undefined ? block?.[key] : (block?.[key] ?? 0);
        if (typeof v === 'number') out.push([a.prefix + key, v, a.gauges.has(key) ? 'gauge' : 'counter']);
      }
    }
    return out.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  }

  /** Ends a stats interval (Envoy's periodic flush merges histograms and starts a new interval). */
  flush(): void {
    for (const h of this.histograms.values()) h.interval.clear();
  }

  /**
   * `/stats` as Envoy prints it. `usedOnly` drops counters and gauges that are 0 and never-recorded
   * histograms (`?usedonly`, approximated: Envoy tracks "used" separately from the value); `filter` keeps
   * names it matches (`?filter=`).
   */
  render(options: { readonly usedOnly?: boolean; readonly filter?: RegExp } = {}): string {
    const keep = (name: string): boolean => options.filter === undefined || options.filter.test(name);
    const lines: string[] = [];
    for (const [name, value] of this.numericStats()) {
      if (!keep(name) || (options.usedOnly === true && value === 0)) continue;
      lines.push(`${name}: ${value}`);
    }
    const hs = [...this.histograms.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const h of hs) {
      if (!keep(h.name)) continue;
      if (h.cumulative.count === 0) {
        if (options.usedOnly !== true) lines.push(`${h.name}: No recorded values`);
        continue;
      }
      // As if flushed now: the interval is what was recorded since the last flush (NaN when nothing was).
      const iq = h.interval.quantiles(SUPPORTED_QUANTILES);
      const cq = h.cumulative.quantiles(SUPPORTED_QUANTILES);
      const parts = SUPPORTED_QUANTILES.map(
        (q, i) => `P${formatG6(100 * q)}(${formatShortest(iq[i] as number)},${formatShortest(cq[i] as number)})`,
      );
      lines.push(`${h.name}: ${parts.join(' ')}`);
    }
    return lines.map((l) => `${l}\n`).join('');
  }
}
