/**
 * Latency CDFs: for each series the share of requests at or below each latency, as a step line on the
 * shared log axis. `tail(true)` switches the y axis to HdrHistogram's percentile view (−log10(1 − q):
 * 90 %, 99 %, 99.9 % equally spaced), where tail differences between variants show.
 *
 * Usage: `select(div).datum(seriesArray).call(latencyCdf().tail(true))`.
 */
import { axisLeft, curveStepAfter, line, scaleLinear } from 'd3';
import { formatCount, px } from '../model/format.js';
import { cdfPoints, type CdfPoint, type LatencySeries } from '../model/latency.js';
import { accessor, type Accessor } from './accessor.js';
import { percentileText } from './latencyHistogram.js';
import { MIN_LATENCY } from './latencyAxis.js';
import { drawFrameAxes, drawLatencyLegend, eachLatencyChart, latencyFrame, type LatencyChart } from './latencyFrame.js';
import { GREY, seriesColor } from './palette.js';
import { truncate, type ChartContainer } from './svg.js';

/** A configured CDF chart; call it on a selection whose datum is an array of {@link LatencySeries}. */
export interface LatencyCdfChart extends LatencyChart<LatencyCdfChart> {
  /** @defaultValue `'Latency CDF'` */
  title: Accessor<string, LatencyCdfChart>;
  /** Percentile (tail) axis instead of a linear one. @defaultValue false */
  tail: Accessor<boolean, LatencyCdfChart>;
  /** Colour and dash pattern of series `i`. @defaultValue palette colour `i`, every other series dashed */
  seriesStyle: Accessor<SeriesStyleOf, LatencyCdfChart>;
}

/** How a series is stroked: a colour and an optional SVG dash pattern. */
export interface SeriesStyle {
  readonly color: string;
  readonly dash?: string;
}

/** Picks the style of a series. */
export type SeriesStyleOf = (s: LatencySeries, i: number) => SeriesStyle;

/** Palette colour by index, every other series dashed (so neighbours differ without colour too). */
export const defaultSeriesStyle: SeriesStyleOf = (_s, i) =>
  i % 2 === 1 ? { color: seriesColor(i), dash: '6 3' } : { color: seriesColor(i) };

const TICK_LABELS = {
  tail: ['0%', '90%', '99%', '99.9%', '99.99%'],
  linear: ['0%', '25%', '50%', '75%', '90%', '100%'],
} as const;

/** Deepest percentile the tail axis shows: 99.99 %. */
const TAIL_NINES = 4;

/** The tail axis' coordinate of a fraction: −log10(1 − q), capped at {@link TAIL_NINES}. */
export function tailCoordinate(fraction: number): number {
  return fraction >= 1 - 10 ** -TAIL_NINES ? TAIL_NINES : -Math.log10(1 - fraction);
}

/** Creates a CDF chart with default settings. */
export function latencyCdf(): LatencyCdfChart {
  let width = 640;
  let height = 280;
  let title = 'Latency CDF';
  let tail = false;
  let styleOf: SeriesStyleOf = defaultSeriesStyle;

  function chart(selection: ChartContainer<readonly LatencySeries[]>): void;
  function chart(selection: ChartContainer<LatencySeries[]>): void;
  function chart(selection: ChartContainer<readonly LatencySeries[]> | ChartContainer<LatencySeries[]>): void {
    eachLatencyChart(selection, (element, series) => {
      const frame = latencyFrame(element, series, {
        className: 'meshsim-latency-cdf',
        width,
        height,
        title,
        description: `Cumulative latency distribution of ${series.length} series${tail ? ' (percentile axis)' : ''}: ${series.map((s) => `${s.label} (${percentileText(s, [50, 90, 99])})`).join('; ')}.`,
      });
      if (frame === undefined) return;
      const { plot, plotW, plotH, x } = frame;
      const y = scaleLinear()
        .domain(tail ? [0, TAIL_NINES] : [0, 1])
        .range([plotH, 0]);
      const yOf = (f: number): number => px(y(tail ? tailCoordinate(f) : f));
      const ticks = tail ? [0, 0.9, 0.99, 0.999, 0.9999] : [0, 0.25, 0.5, 0.75, 0.9, 1];
      const grid = plot.append('g').attr('class', 'grid');
      for (const t of ticks)
        grid
          .append('line')
          .attr('x1', 0)
          .attr('x2', plotW)
          .attr('y1', yOf(t))
          .attr('y2', yOf(t))
          .attr('stroke', GREY.faint);
      drawFrameAxes(
        frame,
        axisLeft(y)
          .offset(0.5)
          .tickValues(ticks.map((t) => (tail ? tailCoordinate(t) : t)))
          .tickFormat((_, i) => TICK_LABELS[tail ? 'tail' : 'linear'][i] ?? ''),
        'requests at or below',
      );
      const path = line<CdfPoint>()
        .x((p) => px(x(Math.max(MIN_LATENCY, p.value))))
        .y((p) => yOf(p.fraction))
        .curve(curveStepAfter)
        .digits(2);
      series.forEach((s, i) => {
        const g = plot.append('g').attr('class', 'series').attr('data-series', s.id);
        g.append('title').text(
          `${s.label}: ${formatCount(s.count)} requests, ${percentileText(s, [50, 90, 99, 99.9])}`,
        );
        const st = styleOf(s, i);
        g.append('path')
          .attr('d', path(cdfPoints(s)) ?? '')
          .attr('fill', 'none')
          .attr('stroke', st.color)
          .attr('stroke-width', 2)
          .attr('stroke-dasharray', st.dash ?? null);
      });
      drawLatencyLegend(frame, series, height, (row, s, i) => {
        const st = styleOf(s, i);
        row
          .append('line')
          .attr('x1', 0)
          .attr('x2', 20)
          .attr('y1', 5)
          .attr('y2', 5)
          .attr('stroke', st.color)
          .attr('stroke-width', 2)
          .attr('stroke-dasharray', st.dash ?? null);
        row
          .append('text')
          .attr('x', 26)
          .attr('y', 10)
          .attr('fill', GREY.text)
          .text(`${truncate(s.label, 48)} — ${percentileText(s, [50, 90, 99])}`);
      });
    });
  }

  const api: LatencyCdfChart = Object.assign(chart, {
    width: accessor<number, LatencyCdfChart>(
      () => width,
      (v) => (width = v),
      () => api,
    ),
    height: accessor<number, LatencyCdfChart>(
      () => height,
      (v) => (height = v),
      () => api,
    ),
    title: accessor<string, LatencyCdfChart>(
      () => title,
      (v) => (title = v),
      () => api,
    ),
    tail: accessor<boolean, LatencyCdfChart>(
      () => tail,
      (v) => (tail = v),
      () => api,
    ),
    seriesStyle: accessor<SeriesStyleOf, LatencyCdfChart>(
      () => styleOf,
      (v) => (styleOf = v),
      () => api,
    ),
  });
  return api;
}
