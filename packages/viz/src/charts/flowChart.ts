/**
 * The request-path flow chart: one row per hop, top to bottom in time order; on the left, a track per
 * swimlane (client app, client iptables, client Envoy, network, server iptables, server Envoy, server app)
 * with the request's line moving between them like a metro map; on the right, each hop's label in Envoy/
 * Istio words, what happened, and the manifest field (file:line) that decided it. Upstream tries are shaded
 * blocks; a hop's status is shown by colour and by symbol (circle ok, diamond delay, cross failure,
 * triangle retry, square timeout).
 *
 * Usage (d3's reusable-chart convention): `select(div).datum(flow).call(flowChart().laneWidth(48))`.
 */
import {
  select,
  symbol,
  symbolCircle,
  symbolCross,
  symbolDiamond,
  symbolSquare,
  symbolTriangle,
  type SymbolType,
} from 'd3';
import { formatMicros, px } from '../model/format.js';
import {
  FLOW_LANE_LABELS,
  FLOW_LANES,
  lanesOf,
  type FlowHop,
  type FlowHopStatus,
  type FlowLane,
  type RequestFlow,
} from '../model/requestFlow.js';
import { formatManifestRef } from '../model/sourceRef.js';
import { accessor, type Accessor } from './accessor.js';
import { GREY, OKABE_ITO, STATUS_COLORS } from './palette.js';
import { chartRoot, FONT, textWidth, truncate, type ChartContainer } from './svg.js';

/** A configured flow chart; call it on a selection whose datum is a {@link RequestFlow}. */
export interface FlowChart {
  (selection: ChartContainer<RequestFlow>): void;
  /** Width of one lane track, px. @defaultValue 52 */
  laneWidth: Accessor<number, FlowChart>;
  /** Font size of hop labels, px. @defaultValue 12 */
  fontSize: Accessor<number, FlowChart>;
  /** Characters of detail and reference lines before they are cut (full text in the hop's tooltip). @defaultValue 100 */
  maxChars: Accessor<number, FlowChart>;
  /** Draw every lane, or only those the request touches. @defaultValue false (only used lanes) */
  allLanes: Accessor<boolean, FlowChart>;
  /** Manifest references shown under a hop (the rest in its tooltip). @defaultValue 2 */
  maxRefs: Accessor<number, FlowChart>;
}

const SYMBOLS: Readonly<Record<FlowHopStatus, SymbolType>> = {
  ok: symbolCircle,
  delay: symbolDiamond,
  abort: symbolCross,
  error: symbolCross,
  retry: symbolTriangle,
  timeout: symbolSquare,
};

const HEADER = 44;
const PAD = 8;

/** The text lines under a hop's label. */
function hopLines(h: FlowHop, maxChars: number, maxRefs: number): { detail?: string; refs: string[] } {
  const refs = h.decidedBy.slice(0, maxRefs).map((r) => `← ${truncate(formatManifestRef(r), maxChars)}`);
  if (h.decidedBy.length > maxRefs) refs.push(`← … ${h.decidedBy.length - maxRefs} more`);
  return { ...(h.detail !== undefined ? { detail: truncate(h.detail, maxChars) } : {}), refs };
}

/** The hop's tooltip: everything, untruncated. */
function hopTitle(h: FlowHop): string {
  const lines = [`${h.label} (${h.stage}, ${h.direction}${h.attempt !== undefined ? `, try ${h.attempt}` : ''})`];
  if (h.detail !== undefined) lines.push(h.detail);
  for (const n of h.notes ?? []) lines.push(`  ${n}`);
  if (h.duration !== undefined) lines.push(`time here: ${formatMicros(h.duration)}`);
  if (h.start !== undefined) lines.push(`at ${formatMicros(h.start)} after the request started`);
  for (const r of h.decidedBy) lines.push(`decided by ${formatManifestRef(r)}`);
  return lines.join('\n');
}

/** Creates a flow chart with default settings. */
export function flowChart(): FlowChart {
  let laneWidth = 52;
  let fontSize = 12;
  let maxChars = 100;
  let allLanes = false;
  let maxRefs = 2;

  function chart(selection: ChartContainer<RequestFlow>): void {
    selection.each(function (this: Element, flow: RequestFlow) {
      const lanes: readonly FlowLane[] = allLanes ? FLOW_LANES : lanesOf(flow);
      const laneX = (l: FlowLane): number => PAD + (lanes.indexOf(l) + 0.5) * laneWidth;
      const textX = PAD + lanes.length * laneWidth + 12;
      const lineH = Math.round(fontSize * 1.35);
      const rows = flow.hops.map((h) => ({ h, ...hopLines(h, maxChars, maxRefs) }));
      let y = HEADER + 6;
      const laid = rows.map((r) => {
        const height = lineH * (1 + (r.detail !== undefined ? 1 : 0) + r.refs.length) + 8;
        const top = y;
        y += height;
        return { ...r, top, height, cy: top + lineH / 2 + 2 };
      });
      const footer = y + 8;
      const widest = Math.max(
        textWidth(flow.title, fontSize + 2),
        ...laid.map((r) =>
          Math.max(
            textWidth(`${r.h.label}   ${formatMicros(r.h.duration ?? 0)}`, fontSize, true),
            textWidth(r.detail ?? '', fontSize - 1),
            ...r.refs.map((t) => textWidth(t, fontSize - 1)),
          ),
        ),
      );
      const width = Math.ceil(textX + widest + PAD * 2);
      const height = Math.ceil(footer + lineH + PAD);
      const o = flow.outcome;
      const summary = `${o.status === 0 ? 'no response' : o.status}${o.responseFlags !== '-' ? ` ${o.responseFlags}` : ''} after ${o.attempts} ${o.attempts === 1 ? 'try' : 'tries'}${o.duration !== undefined ? ` in ${formatMicros(o.duration)}` : ''}`;
      const svg = chartRoot(
        select<Element, RequestFlow>(this),
        'meshsim-flow',
        { width, height },
        `Request path: ${flow.title}`,
        `${flow.request}. ${flow.hops.length} hops; ${summary}.`,
      );
      // Lane tracks and headers.
      const head = svg.append('g').attr('class', 'lanes');
      lanes.forEach((l) => {
        const x = laneX(l);
        head
          .append('line')
          .attr('x1', x)
          .attr('x2', x)
          .attr('y1', HEADER)
          .attr('y2', footer - 4)
          .attr('stroke', GREY.faint)
          .attr('stroke-width', laneWidth - 8);
        const [a, b] = FLOW_LANE_LABELS[l];
        const t = head
          .append('text')
          .attr('class', 'lane-label')
          .attr('x', x)
          .attr('y', 16)
          .attr('text-anchor', 'middle')
          .attr('font-size', fontSize - 2)
          .attr('fill', GREY.muted);
        t.append('tspan').attr('x', x).text(a);
        t.append('tspan').attr('x', x).attr('dy', fontSize).text(b);
      });
      // Upstream tries as shaded blocks.
      const tries = new Map<number, { top: number; bottom: number }>();
      for (const r of laid) {
        if (r.h.attempt === undefined) continue;
        const t = tries.get(r.h.attempt);
        tries.set(r.h.attempt, {
          top: Math.min(t?.top ?? Infinity, r.top),
          bottom: Math.max(t?.bottom ?? -Infinity, r.top + r.height),
        });
      }
      const blocks = svg.append('g').attr('class', 'tries');
      for (const [n, t] of [...tries].sort((a, b) => a[0] - b[0])) {
        const g = blocks.append('g').attr('class', 'try').attr('data-try', n);
        g.append('rect')
          .attr('x', 2)
          .attr('y', px(t.top - 2))
          .attr('width', width - 4)
          .attr('height', px(t.bottom - t.top))
          .attr('rx', 6)
          .attr('fill', n % 2 === 1 ? '#F4F8FC' : '#FBF5F9')
          .attr('stroke', GREY.rule)
          .attr('stroke-dasharray', '3 3');
        g.append('text')
          .attr('x', width - PAD)
          .attr('y', px(t.top + fontSize))
          .attr('text-anchor', 'end')
          .attr('font-size', fontSize - 2)
          .attr('fill', GREY.muted)
          .text(`try ${n}`);
      }
      // The line through the hops: request legs solid blue, response legs dashed orange.
      const legs = svg.append('g').attr('class', 'legs').attr('fill', 'none').attr('stroke-width', 2.5);
      for (let i = 1; i < laid.length; i++) {
        const a = laid[i - 1] as (typeof laid)[number];
        const b = laid[i] as (typeof laid)[number];
        const response = b.h.direction === 'response';
        legs
          .append('path')
          .attr('class', response ? 'leg response' : 'leg request')
          .attr(
            'd',
            `M${px(laneX(a.h.lane))},${px(a.cy)}L${px(laneX(a.h.lane))},${px(Math.max(a.cy, b.cy - 10))}L${px(laneX(b.h.lane))},${px(b.cy)}`,
          )
          .attr('stroke', response ? OKABE_ITO.orange : OKABE_ITO.blue)
          .attr('stroke-dasharray', response ? '6 3' : null);
      }
      // Hops.
      const hops = svg.append('g').attr('class', 'hops').attr('role', 'list');
      for (const r of laid) {
        const h = r.h;
        const g = hops
          .append('g')
          .attr('class', `hop stage-${h.stage} status-${h.status}`)
          .attr('role', 'listitem')
          .attr('data-hop', h.id)
          .attr('data-stage', h.stage)
          .attr('data-lane', h.lane)
          .attr('data-status', h.status);
        g.append('title').text(hopTitle(h));
        g.append('path')
          .attr('class', 'hop-mark')
          .attr('transform', `translate(${px(laneX(h.lane))},${px(r.cy)})`)
          .attr('d', symbol(SYMBOLS[h.status], h.status === 'ok' ? 64 : 110)() ?? '')
          .attr('fill', STATUS_COLORS[h.status])
          .attr('stroke', '#FFFFFF')
          .attr('stroke-width', 1.5);
        let ty = r.top + lineH - 2;
        const label = g
          .append('text')
          .attr('class', 'hop-label')
          .attr('x', textX)
          .attr('y', px(ty))
          .attr('font-size', fontSize)
          .attr('font-family', FONT.mono)
          .attr('font-weight', 600)
          .attr('fill', GREY.text)
          .text(h.label);
        if (h.duration !== undefined && h.duration > 0)
          label
            .append('tspan')
            .attr('class', 'hop-duration')
            .attr('font-weight', 400)
            .attr('fill', GREY.muted)
            .text(`   ${formatMicros(h.duration)}`);
        if (r.detail !== undefined) {
          ty += lineH;
          g.append('text')
            .attr('class', 'hop-detail')
            .attr('x', textX)
            .attr('y', px(ty))
            .attr('font-size', fontSize - 1)
            .attr('fill', h.status === 'ok' ? GREY.text : STATUS_COLORS[h.status])
            .text(r.detail);
        }
        for (const ref of r.refs) {
          ty += lineH;
          g.append('text')
            .attr('class', 'hop-ref')
            .attr('x', textX)
            .attr('y', px(ty))
            .attr('font-size', fontSize - 1)
            .attr('fill', GREY.muted)
            .text(ref);
        }
      }
      svg
        .append('text')
        .attr('class', 'flow-outcome')
        .attr('x', PAD)
        .attr('y', px(footer + lineH - 4))
        .attr('font-size', fontSize)
        .attr('font-weight', 600)
        .attr('fill', o.status === 0 || o.status >= 500 ? STATUS_COLORS.error : GREY.text)
        .text(`⇒ ${summary}`);
    });
  }

  const api: FlowChart = Object.assign(chart, {
    laneWidth: accessor<number, FlowChart>(
      () => laneWidth,
      (v) => (laneWidth = v),
      () => api,
    ),
    fontSize: accessor<number, FlowChart>(
      () => fontSize,
      (v) => (fontSize = v),
      () => api,
    ),
    maxChars: accessor<number, FlowChart>(
      () => maxChars,
      (v) => (maxChars = v),
      () => api,
    ),
    allLanes: accessor<boolean, FlowChart>(
      () => allLanes,
      (v) => (allLanes = v),
      () => api,
    ),
    maxRefs: accessor<number, FlowChart>(
      () => maxRefs,
      (v) => (maxRefs = v),
      () => api,
    ),
  });
  return api;
}
