/**
 * Latency histograms: one outlined, lightly filled step shape per series (destination or variant) on a
 * shared log axis, heights as the share of the series' requests in each bucket (buckets have equal width
 * on the log axis, so shapes compare), with p50 and p99 marked and a legend giving count and percentiles.
 *
 * Usage: `select(div).datum(seriesArray).call(latencyHistogram().width(640))`.
 */
import { axisLeft, format, max, scaleLinear } from 'd3';
import { formatCount, formatMicros, px } from '../model/format.js';
import type { LatencySeries } from '../model/latency.js';
import { accessor, type Accessor } from './accessor.js';
import { MIN_LATENCY } from './latencyAxis.js';
import { drawFrameAxes, drawLatencyLegend, eachLatencyChart, latencyFrame, type LatencyChart } from './latencyFrame.js';
import { GREY, seriesColor } from './palette.js';
import { truncate, type ChartContainer } from './svg.js';

/** A configured histogram; call it on a selection whose datum is an array of {@link LatencySeries}. */
export interface LatencyHistogramChart extends LatencyChart<LatencyHistogramChart> {
  /** Chart title. @defaultValue `'Latency'` */
  title: Accessor<string, LatencyHistogramChart>;
  /** Mark p50 and p99 of each series when there are at most this many series. @defaultValue 4 */
  markPercentilesUpTo: Accessor<number, LatencyHistogramChart>;
}

/** `p50 12.3 ms · p99 40 ms` for a legend. */
export function percentileText(s: LatencySeries, ps: readonly number[] = [50, 99]): string {
  return ps
    .map((p) => s.percentiles.find((x) => x.p === p))
    .filter((x) => x !== undefined)
    .map((x) => `p${x.p} ${formatMicros(x.value)}`)
    .join(' · ');
}

/** Creates a latency histogram with default settings. */
export function latencyHistogram(): LatencyHistogramChart {
  let width = 640;
  let height = 280;
  let title = 'Latency';
  let markUpTo = 4;

  function chart(selection: ChartContainer<readonly LatencySeries[]>): void;
  function chart(selection: ChartContainer<LatencySeries[]>): void;
  function chart(selection: ChartContainer<readonly LatencySeries[]> | ChartContainer<LatencySeries[]>): void {
    eachLatencyChart(selection, (element, series) => {
      const frame = latencyFrame(element, series, {
        className: 'meshsim-latency-histogram',
        width,
        height,
        title,
        description: `Latency histogram of ${series.length} series: ${series.map((s) => `${s.label} (${formatCount(s.count)} requests${s.count > 0 ? `, ${percentileText(s)}` : ''})`).join('; ')}.`,
      });
      if (frame === undefined) return;
      const { plot, plotH, x } = frame;
      const shareOf = (s: LatencySeries, count: number): number => (s.count === 0 ? 0 : count / s.count);
      const top = max(series, (s) => max(s.buckets, (b) => shareOf(s, b.count))) ?? 1;
      const y = scaleLinear().domain([0, top]).nice().range([plotH, 0]);
      drawFrameAxes(frame, axisLeft(y).offset(0.5).ticks(5).tickFormat(format('.0%')), 'share of requests');
      const xb = (v: number): number => px(x(Math.max(MIN_LATENCY, v)));
      series.forEach((s, i) => {
        const color = seriesColor(i);
        const g = plot.append('g').attr('class', 'series').attr('data-series', s.id);
        g.append('title').text(
          `${s.label}: ${formatCount(s.count)} requests${s.count > 0 ? `, ${percentileText(s, [50, 90, 99, 99.9])}` : ''}`,
        );
        let d = '';
        let prev: number | undefined;
        for (const b of s.buckets) {
          const yy = px(y(shareOf(s, b.count)));
          if (prev === undefined) d += `M${xb(b.lower)},${px(plotH)}`;
          else if (b.lower > prev) d += `L${xb(prev)},${px(plotH)}L${xb(b.lower)},${px(plotH)}`;
          d += `L${xb(b.lower)},${yy}L${xb(b.upper)},${yy}`;
          prev = b.upper;
        }
        if (prev !== undefined) d += `L${xb(prev)},${px(plotH)}Z`;
        g.append('path')
          .attr('d', d)
          .attr('fill', color)
          .attr('fill-opacity', 0.15)
          .attr('stroke', color)
          .attr('stroke-width', 1.5);
        if (series.length > markUpTo) return;
        for (const p of s.percentiles.filter((q) => q.p === 50 || q.p === 99)) {
          const xx = xb(p.value);
          g.append('line')
            .attr('class', `percentile p${p.p}`)
            .attr('x1', xx)
            .attr('x2', xx)
            .attr('y1', plotH)
            .attr('y2', 0)
            .attr('stroke', color)
            .attr('stroke-dasharray', p.p === 50 ? '5 3' : '2 2');
          g.append('text')
            .attr('x', xx + 3)
            .attr('y', 10 + i * 12)
            .attr('font-size', 10)
            .attr('fill', color)
            .text(`p${p.p}`);
        }
      });
      drawLatencyLegend(frame, series, height, (row, s, i) => {
        row
          .append('rect')
          .attr('width', 12)
          .attr('height', 12)
          .attr('y', -1)
          .attr('fill', seriesColor(i))
          .attr('fill-opacity', 0.5)
          .attr('stroke', seriesColor(i));
        row
          .append('text')
          .attr('x', 18)
          .attr('y', 10)
          .attr('fill', GREY.text)
          .text(
            `${truncate(s.label, 48)} — ${formatCount(s.count)} requests${s.count > 0 ? ` · ${percentileText(s)}` : ''}`,
          );
      });
    });
  }

  const api: LatencyHistogramChart = Object.assign(chart, {
    width: accessor<number, LatencyHistogramChart>(
      () => width,
      (v) => (width = v),
      () => api,
    ),
    height: accessor<number, LatencyHistogramChart>(
      () => height,
      (v) => (height = v),
      () => api,
    ),
    title: accessor<string, LatencyHistogramChart>(
      () => title,
      (v) => (title = v),
      () => api,
    ),
    markPercentilesUpTo: accessor<number, LatencyHistogramChart>(
      () => markUpTo,
      (v) => (markUpTo = v),
      () => api,
    ),
  });
  return api;
}
