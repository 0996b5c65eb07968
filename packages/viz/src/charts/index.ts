/**
 * `charts/`: d3 components, each usable alone in d3's reusable-chart style — configure with chained
 * accessors, then `selection.datum(model).call(chart)`. They draw SVG with `<title>`s and an accessible
 * name, in the Okabe–Ito palette, and set every user string with `.text()`.
 */
export { accessor, type Accessor } from './accessor.js';
export {
  defaultSeriesStyle,
  latencyCdf,
  tailCoordinate,
  type LatencyCdfChart,
  type SeriesStyle,
  type SeriesStyleOf,
} from './cdf.js';
export { flowChart, type FlowChart } from './flowChart.js';
export { drawLatencyAxis, latencyScale, latencyTicks, MIN_LATENCY } from './latencyAxis.js';
export { latencyHistogram, percentileText, type LatencyHistogramChart } from './latencyHistogram.js';
export { GREY, OKABE_ITO, SERIES_COLORS, seriesColor, STATUS_COLORS } from './palette.js';
export { sankeyChart, type SankeyChart } from './sankey.js';
export { BADGE_TEXT, serviceGraphChart, type ServiceGraphChart } from './serviceGraph.js';
export { chartId, chartRoot, FONT, resetChartIds, textWidth, truncate, wrapText, type ChartContainer } from './svg.js';
export { laneColor, timelineChart, type TimelineChart } from './timeline.js';
