/**
 * The frame the latency histogram and the latency CDF share: the root `<svg>` sized for the plot plus a
 * legend row per series, the "no requests" state, the log latency scale, the plot group, the share (y) and
 * latency (x) axes, and the legend rows under the plot. Each chart draws only its own marks into it.
 */
import { select, type Axis, type NumberValue, type ScaleLogarithmic, type Selection } from 'd3';
import { latencyExtent, type LatencySeries } from '../model/latency.js';
import { drawLatencyAxis, latencyScale, styleShareAxis } from './latencyAxis.js';
import type { Accessor } from './accessor.js';
import { chartRoot, emptyNote, type ChartContainer } from './svg.js';

type Series = readonly LatencySeries[];

/** What both latency charts are: called on a selection whose datum is an array of {@link LatencySeries}. */
export interface LatencyChart<Self> {
  (selection: ChartContainer<readonly LatencySeries[]>): void;
  (selection: ChartContainer<LatencySeries[]>): void;
  /** @defaultValue 640 */
  width: Accessor<number, Self>;
  /** @defaultValue 280 */
  height: Accessor<number, Self>;
  /** Chart title. */
  title: Accessor<string, Self>;
}

/** Calls `draw` with each element of `selection` and its series array (where both overloads of a chart meet). */
export function eachLatencyChart(
  selection: ChartContainer<Series> | ChartContainer<LatencySeries[]>,
  draw: (element: Element, series: Series) => void,
): void {
  (selection as ChartContainer<Series>).each(function (this: Element, series: Series) {
    draw(this, series);
  });
}

/** Plot margins of both latency charts, px. */
const MARGIN = { top: 16, right: 16, bottom: 44, left: 52 } as const;

/** Height of one legend row, px. */
const LEGEND_ROW = 18;

/** What a latency chart draws into: the root, the translated plot group, its size and the latency scale. */
export interface LatencyFrame {
  readonly svg: Selection<SVGSVGElement, Series, null, undefined>;
  readonly plot: Selection<SVGGElement, Series, null, undefined>;
  readonly plotW: number;
  readonly plotH: number;
  readonly x: ScaleLogarithmic<number, number>;
}

/**
 * Creates the chart's root in `element` and its plot group; returns `undefined` (after drawing the
 * "no requests" note) when no series has a latency to show.
 */
export function latencyFrame(
  element: Element,
  series: Series,
  opts: { className: string; width: number; height: number; title: string; description: string },
): LatencyFrame | undefined {
  const svg = chartRoot(
    select<Element, Series>(element),
    opts.className,
    { width: opts.width, height: opts.height + LEGEND_ROW * series.length + 8 },
    opts.title,
    opts.description,
  );
  const extent = latencyExtent(series);
  if (extent === undefined) {
    emptyNote(svg, { x: opts.width / 2, y: opts.height / 2 }, 'no requests');
    return undefined;
  }
  const plotW = opts.width - MARGIN.left - MARGIN.right;
  const plotH = opts.height - MARGIN.top - MARGIN.bottom;
  const x = latencyScale(extent, [0, plotW]);
  const plot = svg.append('g').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
  return { svg, plot, plotW, plotH, x };
}

/** Draws the share axis `yAxis` (labelled `yLabel`) and then the latency axis under the plot. */
export function drawFrameAxes(frame: LatencyFrame, yAxis: Axis<NumberValue>, yLabel: string): void {
  const y = frame.plot.append('g').attr('class', 'axis y').call(yAxis);
  styleShareAxis(y, yLabel, MARGIN.left);
  drawLatencyAxis(
    frame.plot.append('g').attr('class', 'axis x').attr('transform', `translate(0,${frame.plotH})`),
    frame.x,
    'latency (log scale)',
    frame.plotW,
  );
}

/** Draws the legend under a plot of `height` px: one row group per series, filled in by `drawRow`. */
export function drawLatencyLegend(
  frame: LatencyFrame,
  series: Series,
  height: number,
  drawRow: (row: Selection<SVGGElement, Series, null, undefined>, s: LatencySeries, i: number) => void,
): void {
  const legend = frame.svg
    .append('g')
    .attr('class', 'legend')
    .attr('transform', `translate(${MARGIN.left},${height + 4})`)
    .attr('font-size', 12);
  series.forEach((s, i) => {
    drawRow(
      legend
        .append('g')
        .attr('class', 'legend-item')
        .attr('transform', `translate(0,${i * LEGEND_ROW})`),
      s,
      i,
    );
  });
}
