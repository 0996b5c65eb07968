/**
 * Istio's standard HTTP metrics for one mesh — `istio_requests_total`, `istio_request_duration_milliseconds`,
 * `istio_request_bytes` and `istio_response_bytes` — aggregated per label combination (a series), never per
 * request, and printed as Envoy prints them on `/stats/prometheus` (envoyproxy/envoy
 * source/server/admin/prometheus_stats.cc: one `# TYPE` line per metric, counters before histograms, metrics
 * in name order; histogram buckets `le="{:.32g}"`, then `+Inf`, `_sum` (`{:.32g}`), `_count`. Envoy releases
 * from 2023 on print no blank line between metrics — test/server/admin/prometheus_stats_test.cc). Series are sorted by their label text — stable across runs; Envoy sorts by its internal stat
 * names, which can order the same lines differently.
 *
 * What is recorded (istio_stats.cc, `IstioStatsFilter::log`): one count per request; the duration from the
 * first request byte to the last response byte in whole milliseconds (an integer division, so 0.9 ms
 * records 0); request and response sizes as wire bytes (headers included). Histograms use Envoy's default
 * buckets, since Istio's bootstrap sets none unless the pod has the
 * `sidecar.istio.io/statsHistogramBuckets` annotation.
 */
import type { Duration } from '../../engine/time.js';
import { Circllhist } from './circllhist.js';
import { ISTIO_REQUEST_LABELS, type IstioRequestLabels } from './istioLabels.js';
import { formatG32 } from './numberFormat.js';
import { escapeLabelValue } from './prometheusText.js';

/** Envoy's default histogram buckets (`HistogramSettingsImpl::defaultBuckets`, source/common/stats/histogram_impl.cc). */
export const ENVOY_DEFAULT_BUCKETS: readonly number[] = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
];

/** One label combination's aggregates. */
export class IstioSeries {
  /** `istio_requests_total`. */
  requests = 0;
  readonly duration = new Circllhist();
  readonly requestBytes = new Circllhist();
  readonly responseBytes = new Circllhist();

  constructor(
    readonly labels: IstioRequestLabels,
    /** The rendered `{…}` label text, also the sort key. */
    readonly labelText: string,
  ) {}

  /** Records one request: its duration (µs, truncated to whole ms as Istio does) and wire sizes. */
  record(duration: Duration, requestBytes: number, responseBytes: number): void {
    this.requests++;
    this.duration.record(Math.floor(duration / 1000));
    this.requestBytes.record(requestBytes);
    this.responseBytes.record(responseBytes);
  }
}

/** Construction options of {@link IstioMetrics}. */
export interface IstioMetricsOptions {
  /**
   * Histogram buckets (the `sidecar.istio.io/statsHistogramBuckets` annotation's values).
   * @defaultValue {@link ENVOY_DEFAULT_BUCKETS}
   */
  readonly buckets?: readonly number[];
  /**
   * Most series kept; requests of further new label combinations are counted in `droppedRequests` only.
   * @defaultValue 10000
   */
  readonly maxSeries?: number;
}

/** Istio's standard metrics of a whole simulated mesh (every reporting proxy). */
export class IstioMetrics {
  readonly buckets: readonly number[];
  private readonly maxSeries: number;
  private readonly byKey = new Map<string, IstioSeries>();
  private dropped = 0;

  constructor(options: IstioMetricsOptions = {}) {
    this.buckets = options.buckets ?? ENVOY_DEFAULT_BUCKETS;
    this.maxSeries = options.maxSeries ?? 10_000;
  }

  /**
   * The series of a label combination, created on first use — keep it and call `record` on it for speed.
   * `undefined` once `maxSeries` series exist and this combination is new.
   */
  series(labels: IstioRequestLabels): IstioSeries | undefined {
    const text = labelText(labels);
    let s = this.byKey.get(text);
    if (s === undefined) {
      if (this.byKey.size >= this.maxSeries) return undefined;
      this.byKey.set(text, (s = new IstioSeries(labels, text)));
    }
    return s;
  }

  /** Records one request under `labels`. */
  record(labels: IstioRequestLabels, duration: Duration, requestBytes: number, responseBytes: number): void {
    const s = this.series(labels);
    if (s === undefined) this.dropped++;
    else s.record(duration, requestBytes, responseBytes);
  }

  /** Number of series. */
  get seriesCount(): number {
    return this.byKey.size;
  }

  /** Requests not recorded because `maxSeries` was reached. */
  get droppedRequests(): number {
    return this.dropped;
  }

  /** Every series, sorted by label text. */
  allSeries(): IstioSeries[] {
    return [...this.byKey.values()].sort((a, b) =>
      a.labelText < b.labelText ? -1 : a.labelText > b.labelText ? 1 : 0,
    );
  }

  /** Sum of `istio_requests_total` over the series whose labels satisfy `where`. */
  requestsTotal(where: (labels: IstioRequestLabels) => boolean = () => true): number {
    let n = 0;
    for (const s of this.byKey.values()) if (where(s.labels)) n += s.requests;
    return n;
  }

  /**
   * The Prometheus text. With `write`, the text is streamed out metric by metric and series by series (and
   * `''` returned), so a large mesh never needs the whole text in memory.
   */
  renderPrometheus(write?: (chunk: string) => void): string {
    const parts: string[] = [];
    const out = write ?? ((c: string) => void parts.push(c));
    const series = this.allSeries();
    if (series.length === 0) return '';
    out('# TYPE istio_requests_total counter\n');
    for (const s of series) out(`istio_requests_total{${s.labelText}} ${s.requests}\n`);
    const histograms: [string, (s: IstioSeries) => Circllhist][] = [
      ['istio_request_bytes', (s) => s.requestBytes],
      ['istio_request_duration_milliseconds', (s) => s.duration],
      ['istio_response_bytes', (s) => s.responseBytes],
    ];
    for (const [name, pick] of histograms) {
      out(`# TYPE ${name} histogram\n`);
      for (const s of series) out(histogramLines(name, s.labelText, pick(s), this.buckets));
    }
    return parts.join('');
  }
}

/** `name="value",…` in Istio's label order. */
export function labelText(labels: IstioRequestLabels): string {
  let text = '';
  for (let i = 0; i < ISTIO_REQUEST_LABELS.length; i++) {
    const name = ISTIO_REQUEST_LABELS[i] as (typeof ISTIO_REQUEST_LABELS)[number];
    text += `${i === 0 ? '' : ','}${name}="${escapeLabelValue(labels[name])}"`;
  }
  return text;
}

function histogramLines(name: string, labels: string, h: Circllhist, buckets: readonly number[]): string {
  const counts = h.cumulativeCounts(buckets);
  let text = '';
  buckets.forEach((b, i) => (text += `${name}_bucket{${labels},le="${formatG32(b)}"} ${counts[i]}\n`));
  text += `${name}_bucket{${labels},le="+Inf"} ${h.count}\n`;
  text += `${name}_sum{${labels}} ${formatG32(h.approxSum())}\n`;
  text += `${name}_count{${labels}} ${h.count}\n`;
  return text;
}
