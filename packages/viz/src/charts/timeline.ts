/**
 * The timeline: simulated time left to right, one row per lane — config pushes and scenario events as
 * marks (with a faint line across all rows, since a push changes everything after it), outlier ejections
 * as bars from eject to uneject (open-ended bars end in an arrow), circuit-breaker overflows and fault
 * injections as count bars per time bin, scaled within their row.
 *
 * Usage: `select(div).datum(timeline).call(timelineChart().width(960))`.
 */
import { axisBottom, max, scaleLinear, select, symbol, symbolDiamond } from 'd3';
import { formatCount, formatMicros, px } from '../model/format.js';
import { formatManifestRef } from '../model/sourceRef.js';
import type { Timeline, TimelineLane } from '../model/timeline.js';
import { accessor, type Accessor } from './accessor.js';
import { GREY, OKABE_ITO } from './palette.js';
import { chartRoot, emptyNote, textWidth, truncate, type ChartContainer } from './svg.js';

/** A configured timeline; call it on a selection whose datum is a {@link Timeline}. */
export interface TimelineChart {
  (selection: ChartContainer<Timeline>): void;
  /** @defaultValue 960 */
  width: Accessor<number, TimelineChart>;
  /** Row height, px. @defaultValue 26 */
  rowHeight: Accessor<number, TimelineChart>;
  /** Characters of a lane label before it is cut. @defaultValue 44 */
  maxChars: Accessor<number, TimelineChart>;
}

const FONT_SIZE = 12;

/** The colour of a lane's marks: ejections vermillion, overflows orange, delays sky blue, aborts purple. */
export function laneColor(l: TimelineLane): string {
  switch (l.kind) {
    case 'ejections':
      return OKABE_ITO.vermillion;
    case 'overflows':
      return OKABE_ITO.orange;
    case 'faults':
      return l.stat === 'aborts_injected' ? OKABE_ITO.reddishPurple : OKABE_ITO.skyBlue;
    default:
      return OKABE_ITO.blue;
  }
}

/** Creates a timeline chart with default settings. */
export function timelineChart(): TimelineChart {
  let width = 960;
  let rowHeight = 26;
  let maxChars = 44;

  function chart(selection: ChartContainer<Timeline>): void {
    selection.each(function (this: Element, t: Timeline) {
      const labelW = Math.min(
        300,
        Math.max(120, ...t.lanes.map((l) => textWidth(truncate(l.label, maxChars), FONT_SIZE) + 12)),
      );
      const m = { top: 10, right: 20, bottom: 40, left: labelW };
      const rows = Math.max(1, t.lanes.length);
      const height = m.top + rows * rowHeight + m.bottom;
      const counts = t.lanes.map((l) => `${l.label}: ${formatCount(l.total)}`).join('; ');
      const svg = chartRoot(
        select<Element, Timeline>(this),
        'meshsim-timeline',
        { width, height },
        'Timeline',
        `Events from ${formatMicros(t.start)} to ${formatMicros(t.end)} of simulated time. ${t.lanes.length === 0 ? 'Nothing happened.' : counts}`,
      );
      const plotW = width - m.left - m.right;
      const x = scaleLinear()
        .domain([t.start, t.end > t.start ? t.end : t.start + 1])
        .range([0, plotW]);
      const plot = svg.append('g').attr('transform', `translate(${m.left},${m.top})`);
      const axis = plot
        .append('g')
        .attr('class', 'axis x')
        .attr('transform', `translate(0,${rows * rowHeight})`)
        .call(
          axisBottom(x)
            .offset(0.5)
            .ticks(Math.max(2, Math.floor(plotW / 90)))
            .tickFormat((d) => formatMicros(Number(d))),
        );
      axis.selectAll('text').attr('fill', GREY.text);
      axis.selectAll('line,path').attr('stroke', GREY.rule);
      axis
        .append('text')
        .attr('class', 'axis-label')
        .attr('x', plotW)
        .attr('y', 32)
        .attr('text-anchor', 'end')
        .attr('fill', GREY.muted)
        .text('simulated time');
      if (t.lanes.length === 0) {
        emptyNote(plot, { x: plotW / 2, y: rowHeight / 2 + 4 }, 'no ejections, overflows, faults or config pushes');
        return;
      }
      // Marks of the events lane are drawn across every row too.
      const across = plot.append('g').attr('class', 'event-rules');
      for (const l of t.lanes.filter((x) => x.kind === 'events')) {
        for (const mk of l.marks)
          across
            .append('line')
            .attr('x1', px(x(mk.time)))
            .attr('x2', px(x(mk.time)))
            .attr('y1', 0)
            .attr('y2', rows * rowHeight)
            .attr('stroke', OKABE_ITO.blue)
            .attr('stroke-opacity', 0.35)
            .attr('stroke-dasharray', '3 3');
      }
      t.lanes.forEach((l, i) => {
        const top = i * rowHeight;
        const color = laneColor(l);
        const g = plot.append('g').attr('class', `lane lane-${l.kind}`).attr('data-lane', l.id);
        g.append('title').text(
          `${l.label}: ${formatCount(l.total)} ${l.kind === 'ejections' ? 'ejection(s)' : l.kind === 'events' ? 'event(s)' : 'request(s)'}`,
        );
        g.append('rect')
          .attr('x', 0)
          .attr('y', top + 1)
          .attr('width', plotW)
          .attr('height', rowHeight - 2)
          .attr('fill', i % 2 === 0 ? '#FAFAFA' : '#FFFFFF');
        g.append('text')
          .attr('class', 'lane-label')
          .attr('x', -8)
          .attr('y', px(top + rowHeight / 2 + 4))
          .attr('text-anchor', 'end')
          .attr('font-size', FONT_SIZE)
          .attr('fill', GREY.text)
          .text(truncate(l.label, maxChars));
        for (const s of l.spans) {
          const sg = g.append('g').attr('class', `span${s.open ? ' open' : ''}`);
          sg.append('title').text(
            `${l.label}: ${s.label}, ${formatMicros(s.start)} → ${s.open ? 'still ejected at the end' : formatMicros(s.end)} (${formatMicros(s.end - s.start)})`,
          );
          const x0 = px(x(s.start));
          const x1 = px(Math.max(x(s.end), x(s.start) + 2));
          sg.append('rect')
            .attr('x', x0)
            .attr('y', top + 6)
            .attr('width', px(x1 - x0))
            .attr('height', rowHeight - 12)
            .attr('rx', 3)
            .attr('fill', color)
            .attr('fill-opacity', 0.75);
          if (s.open)
            sg.append('path')
              .attr('d', `M${x1},${top + 4}L${px(x1 + 7)},${top + rowHeight / 2}L${x1},${top + rowHeight - 4}Z`)
              .attr('fill', color);
        }
        const peak = max(l.bins, (b) => b.count) ?? 0;
        for (const b of l.bins) {
          const bh = Math.max(2, ((rowHeight - 6) * b.count) / Math.max(1, peak));
          const bg = g.append('g').attr('class', 'bin');
          bg.append('title').text(
            `${l.label}: ${formatCount(b.count)} between ${formatMicros(b.start)} and ${formatMicros(b.end)}`,
          );
          bg.append('rect')
            .attr('x', px(x(b.start)))
            .attr('y', px(top + rowHeight - 3 - bh))
            .attr('width', px(Math.max(1, x(b.end) - x(b.start) - 1)))
            .attr('height', px(bh))
            .attr('fill', color);
        }
        for (const mk of l.marks) {
          const mg = g.append('g').attr('class', 'mark');
          mg.append('title').text(
            `${formatMicros(mk.time)}: ${mk.label}${mk.decidedBy !== undefined ? `\ndecided by ${formatManifestRef(mk.decidedBy)}` : ''}`,
          );
          mg.append('path')
            .attr('transform', `translate(${px(x(mk.time))},${px(top + rowHeight / 2)})`)
            .attr('d', symbol(symbolDiamond, 60)() ?? '')
            .attr('fill', l.kind === 'ejections' ? '#FFFFFF' : color)
            .attr('stroke', color)
            .attr('stroke-width', 1.5);
        }
      });
    });
  }

  const api: TimelineChart = Object.assign(chart, {
    width: accessor<number, TimelineChart>(
      () => width,
      (v) => (width = v),
      () => api,
    ),
    rowHeight: accessor<number, TimelineChart>(
      () => rowHeight,
      (v) => (rowHeight = v),
      () => api,
    ),
    maxChars: accessor<number, TimelineChart>(
      () => maxChars,
      (v) => (maxChars = v),
      () => api,
    ),
  });
  return api;
}
