/**
 * Observability: access-log lines in Istio's format, Istio's standard metrics as Prometheus text, Envoy's
 * /stats, Envoy-compatible histograms, HDR latency histograms and request outcomes. (Response flags,
 * responseFlags.ts, are exported by the envoy barrel directly.)
 */
export {
  callbackSink,
  formatIstioAccessLog,
  formatStartTime,
  NULL_SINK,
  TailSink,
  type AccessLogClock,
  type AccessLogEntry,
  type AccessLogSink,
} from './accessLog.js';
export { binKey, binLower, binMidpoint, binWidth, Circllhist } from './circllhist.js';
export {
  chargeDownstreamRequest,
  chargeDownstreamResponse,
  chargeResponseStat,
  chargeResponseTiming,
  clusterStatPrefix,
  httpStatPrefix,
  listenerHttpStatPrefix,
  responseCodeClass,
} from './codeStats.js';
export {
  canonicalService,
  ISTIO_REQUEST_LABELS,
  istioRequestLabels,
  type IstioLabelInput,
  type IstioRequestLabelName,
  type IstioRequestLabels,
  type WorkloadMetadata,
} from './istioLabels.js';
export {
  ENVOY_DEFAULT_BUCKETS,
  IstioMetrics,
  IstioSeries,
  labelText,
  type IstioMetricsOptions,
} from './istioMetrics.js';
export { LatencyHistogram, type HistogramBucket, type LatencyHistogramOptions } from './latencyHistogram.js';
export { formatG32, formatG6, formatShortest } from './numberFormat.js';
export {
  OutcomeAggregator,
  OutcomeSummary,
  type DestinationSummary,
  type HopTiming,
  type OutcomeDestination,
  type RequestOutcome,
} from './outcome.js';
export {
  escapeLabelValue,
  parsePrometheusText,
  type PrometheusFamily,
  type PrometheusSample,
} from './prometheusText.js';
export {
  StatsStore,
  SUPPORTED_QUANTILES,
  type Counter,
  type Gauge,
  type Histogram,
  type HistogramUnit,
} from './statsStore.js';
