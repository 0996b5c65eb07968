/**
 * The service graph (Kiali-like): workloads as boxes in the model's layers (callers left of callees),
 * edges as curves whose width grows with the request rate and whose colour follows Kiali's default health
 * thresholds for 5xx (kiali.io/docs/configuration/health: degraded above 0 %, failure from 10 %; meshsim
 * also counts requests that got no response), each labelled with its rate and error share; badges under a
 * workload name the traffic policies acting on it (fault, circuit breaker, outlier detection, retries,
 * timeout, mirror), with the manifest that sets them in their tooltip.
 *
 * Usage: `select(div).datum(graph).call(serviceGraphChart())`.
 */
import { max, select } from 'd3';
import { formatRate, formatShare, px } from '../model/format.js';
import type { GraphBadge, GraphEdge, GraphNode, ServiceGraph } from '../model/serviceGraph.js';
import { formatManifestRef } from '../model/sourceRef.js';
import { accessor, type Accessor } from './accessor.js';
import { GREY, OKABE_ITO } from './palette.js';
import { chartId, chartRoot, truncate, type ChartContainer } from './svg.js';

/** A configured service graph; call it on a selection whose datum is a {@link ServiceGraph}. */
export interface ServiceGraphChart {
  (selection: ChartContainer<ServiceGraph>): void;
  /** Horizontal distance between layers, px. @defaultValue 300 */
  columnWidth: Accessor<number, ServiceGraphChart>;
  /** Vertical distance between rows, px. @defaultValue 100 */
  rowHeight: Accessor<number, ServiceGraphChart>;
  /** Error share from which an edge or node shows failure. @defaultValue 0.1 (Kiali's default for 5xx) */
  failureThreshold: Accessor<number, ServiceGraphChart>;
}

const BOX_W = 160;
const BOX_H = 42;
const FONT_SIZE = 12;

/** Short badge texts. */
export const BADGE_TEXT: Readonly<Record<GraphBadge['kind'], string>> = {
  fault: 'fault',
  circuit_breaker: 'CB',
  outlier_detection: 'OD',
  retries: 'retries',
  timeout: 'timeout',
  mirror: 'mirror',
};

/** Creates a service graph chart with default settings. */
export function serviceGraphChart(): ServiceGraphChart {
  let columnWidth = 300;
  let rowHeight = 100;
  let failure = 0.1;

  const health = (share: number): 'healthy' | 'degraded' | 'failure' =>
    share >= failure ? 'failure' : share > 0 ? 'degraded' : 'healthy';
  const healthColor = { healthy: GREY.muted, degraded: OKABE_ITO.orange, failure: OKABE_ITO.vermillion } as const;

  function chart(selection: ChartContainer<ServiceGraph>): void {
    selection.each(function (this: Element, g: ServiceGraph) {
      const m = { top: 20, right: 20, bottom: 20, left: 20 };
      const width = m.left + Math.max(0, g.layers - 1) * columnWidth + BOX_W + m.right;
      const height = m.top + Math.max(1, g.rows) * rowHeight + m.bottom;
      const perLayer = new Map<number, number>();
      for (const n of g.nodes) perLayer.set(n.layer, (perLayer.get(n.layer) ?? 0) + 1);
      const pos = new Map<string, { x: number; y: number }>();
      for (const n of g.nodes) {
        const offset = ((g.rows - (perLayer.get(n.layer) ?? 1)) * rowHeight) / 2;
        pos.set(n.id, { x: m.left + n.layer * columnWidth, y: m.top + offset + n.row * rowHeight + 8 });
      }
      const totalRps = g.edges.reduce((a, e) => a + e.rps, 0);
      const svg = chartRoot(
        select<Element, ServiceGraph>(this),
        'meshsim-service-graph',
        { width, height },
        'Service graph',
        `${g.nodes.length} workloads, ${g.edges.length} edges, ${formatRate(totalRps)} in total. ${g.edges.map((e) => `${e.source} → ${e.target}: ${formatRate(e.rps)}, ${formatShare(e.errorShare)} errors`).join('; ')}.`,
      );
      const markerId = chartId('arrow');
      const defs = svg.append('defs');
      for (const h of ['healthy', 'degraded', 'failure'] as const) {
        defs
          .append('marker')
          .attr('id', `${markerId}-${h}`)
          .attr('viewBox', '0 0 10 10')
          .attr('refX', 9)
          .attr('refY', 5)
          .attr('markerUnits', 'userSpaceOnUse') // not scaled by the edge's (rate-dependent) width
          .attr('markerWidth', 10)
          .attr('markerHeight', 10)
          .attr('orient', 'auto-start-reverse')
          .append('path')
          .attr('d', 'M0,0L10,5L0,10Z')
          .attr('fill', healthColor[h]);
      }
      const peak = max(g.edges, (e) => e.rps) ?? 0;
      const edgeG = svg.append('g').attr('class', 'edges').attr('fill', 'none');
      const labels = svg
        .append('g')
        .attr('class', 'edge-labels')
        .attr('font-size', FONT_SIZE - 1)
        .attr('text-anchor', 'middle')
        .attr('paint-order', 'stroke')
        .attr('stroke', '#FFFFFF')
        .attr('stroke-width', 3)
        .attr('stroke-linejoin', 'round');
      for (const e of g.edges) {
        const a = pos.get(e.source) as { x: number; y: number };
        const b = pos.get(e.target) as { x: number; y: number };
        const h = health(e.errorShare);
        let d: string;
        let mid: [number, number];
        let anchor: 'middle' | 'start' = 'middle';
        if (e.forward) {
          const [x0, y0, x1, y1] = [a.x + BOX_W, a.y + BOX_H / 2, b.x - 2, b.y + BOX_H / 2];
          const cx = (x0 + x1) / 2;
          d = `M${px(x0)},${px(y0)}C${px(cx)},${px(y0)} ${px(cx)},${px(y1)} ${px(x1)},${px(y1)}`;
          // Above a level edge; beside the steep middle of an S-curve (to its right, where it is clear).
          mid = Math.abs(y1 - y0) < 20 ? [cx, Math.min(y0, y1) - 8] : [cx + 8, (y0 + y1) / 2 + 4];
          anchor = Math.abs(y1 - y0) < 20 ? 'middle' : 'start';
        } else {
          // A call back to an earlier layer (or itself): a loop under the boxes.
          const [x0, y0, x1, y1] = [a.x + BOX_W / 2, a.y + BOX_H, b.x + BOX_W / 2, b.y + BOX_H + 2];
          const dip = Math.max(y0, y1) + rowHeight * 0.35;
          d = `M${px(x0)},${px(y0)}C${px(x0)},${px(dip)} ${px(x1)},${px(dip)} ${px(x1)},${px(y1)}`;
          mid = [(x0 + x1) / 2, dip - 10];
        }
        const eg = edgeG
          .append('g')
          .attr('class', `edge ${h}`)
          .attr('data-source', e.source)
          .attr('data-target', e.target);
        eg.append('title').text(edgeTitle(e));
        eg.append('path')
          .attr('d', d)
          .attr('stroke', healthColor[h])
          .attr('stroke-width', px(1.5 + 4 * Math.sqrt(peak === 0 ? 0 : e.rps / peak)))
          .attr('stroke-dasharray', h === 'failure' ? '7 3' : null)
          .attr('marker-end', `url(#${markerId}-${h})`);
        labels
          .append('text')
          .attr('class', `edge-label ${h}`)
          .attr('x', px(mid[0]))
          .attr('y', px(mid[1]))
          .attr('text-anchor', anchor)
          .attr('fill', h === 'healthy' ? GREY.text : healthColor[h])
          .text(`${formatRate(e.rps)}${e.errors > 0 ? ` · ${formatShare(e.errorShare)} err` : ''}`);
      }
      const nodeG = svg.append('g').attr('class', 'nodes');
      for (const n of g.nodes) {
        const p = pos.get(n.id) as { x: number; y: number };
        const h = health(n.errorShareIn);
        const ng = nodeG
          .append('g')
          .attr('class', `node kind-${n.kind} ${h}`)
          .attr('data-node', n.id)
          .attr('transform', `translate(${px(p.x)},${px(p.y)})`);
        ng.append('title').text(nodeTitle(n));
        ng.append('rect')
          .attr('width', BOX_W)
          .attr('height', BOX_H)
          .attr('rx', 8)
          .attr('fill', '#FFFFFF')
          .attr('stroke', h === 'healthy' ? OKABE_ITO.blue : healthColor[h])
          .attr('stroke-width', h === 'healthy' ? 1.5 : 2.5)
          .attr('stroke-dasharray', n.kind === 'workload' ? null : '4 3');
        ng.append('text')
          .attr('class', 'node-label')
          .attr('x', 10)
          .attr('y', 18)
          .attr('font-size', FONT_SIZE)
          .attr('font-weight', 600)
          .attr('fill', GREY.text)
          .text(truncate(n.label, 22));
        const sub = [n.namespace, n.version].filter((x) => x !== undefined && x !== '').join(' · ');
        ng.append('text')
          .attr('class', 'node-sub')
          .attr('x', 10)
          .attr('y', 34)
          .attr('font-size', FONT_SIZE - 2)
          .attr('fill', GREY.muted)
          .text(truncate(sub === '' ? n.kind : sub, 26));
        let bx = 0;
        for (const b of dedupeBadges(n.badges)) {
          const text = BADGE_TEXT[b.kind];
          const w = text.length * 6.2 + 10;
          const bg = ng
            .append('g')
            .attr('class', `badge badge-${b.kind}`)
            .attr('transform', `translate(${px(bx)},${BOX_H + 4})`);
          bg.append('title').text(
            `${b.label}${b.decidedBy !== undefined ? `\n${formatManifestRef(b.decidedBy)}` : ''}`,
          );
          bg.append('rect').attr('width', px(w)).attr('height', 15).attr('rx', 7).attr('fill', badgeColor(b.kind));
          bg.append('text')
            .attr('x', px(w / 2))
            .attr('y', 11)
            .attr('text-anchor', 'middle')
            .attr('font-size', 10)
            .attr('fill', '#FFFFFF')
            .attr('font-weight', 600)
            .text(text);
          bx += w + 4;
        }
      }
    });
  }

  const api: ServiceGraphChart = Object.assign(chart, {
    columnWidth: accessor<number, ServiceGraphChart>(
      () => columnWidth,
      (v) => (columnWidth = v),
      () => api,
    ),
    rowHeight: accessor<number, ServiceGraphChart>(
      () => rowHeight,
      (v) => (rowHeight = v),
      () => api,
    ),
    failureThreshold: accessor<number, ServiceGraphChart>(
      () => failure,
      (v) => (failure = v),
      () => api,
    ),
  });
  return api;
}

function badgeColor(kind: GraphBadge['kind']): string {
  switch (kind) {
    case 'fault':
      return OKABE_ITO.vermillion;
    case 'circuit_breaker':
      return OKABE_ITO.blue;
    case 'outlier_detection':
      return OKABE_ITO.bluishGreen;
    case 'mirror':
      return OKABE_ITO.reddishPurple;
    default:
      return GREY.muted;
  }
}

/** One badge per kind (the first), the others' labels folded into its tooltip. */
function dedupeBadges(badges: readonly GraphBadge[]): GraphBadge[] {
  const out = new Map<GraphBadge['kind'], GraphBadge>();
  for (const b of badges) {
    const prev = out.get(b.kind);
    if (prev === undefined) out.set(b.kind, b);
    else out.set(b.kind, { ...prev, label: `${prev.label}\n${b.label}` });
  }
  return [...out.values()];
}

function edgeTitle(e: GraphEdge): string {
  const lines = [
    `${e.source} → ${e.target}${e.service !== undefined ? ` (${e.service})` : ''}`,
    `${formatRate(e.rps)}: ${e.requests} requests, ${e.errors} failed (${formatShare(e.errorShare)})`,
  ];
  for (const b of e.badges)
    lines.push(`${b.label}${b.decidedBy !== undefined ? ` — ${formatManifestRef(b.decidedBy)}` : ''}`);
  return lines.join('\n');
}

function nodeTitle(n: GraphNode): string {
  const lines = [
    `${n.label}${n.label !== n.id ? ` — ${n.id}` : ''}${n.version !== undefined ? ` (${n.version})` : ''}`,
    `received ${n.requestsIn} requests, ${formatShare(n.errorShareIn)} failed`,
  ];
  for (const b of n.badges)
    lines.push(`${b.label}${b.decidedBy !== undefined ? ` — ${formatManifestRef(b.decidedBy)}` : ''}`);
  return lines.join('\n');
}
