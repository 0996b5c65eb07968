/**
 * The traffic-split Sankey (d3-sankey): source → VirtualService route → destination subset → pod, link
 * widths proportional to requests. Each node says its requests and share of all requests; under each
 * destination, every route that sends to it gives the share its weight declares beside the share of the
 * route's requests observed there, marked `≠` when the observed count fails the exact binomial test of the
 * declared share at the model's alpha (the link's tooltip has the interval and the test).
 *
 * Usage: `select(div).datum(split).call(sankeyChart().width(900))`.
 */
import { linkHorizontal, select } from 'd3';
import { sankey as d3Sankey, type SankeyLink, type SankeyNode } from 'd3-sankey';
import { formatCount, formatShare, px } from '../model/format.js';
import { formatManifestRef } from '../model/sourceRef.js';
import { columnIndex, type SplitLink, type SplitNode, type TrafficSplit } from '../model/trafficSplit.js';
import { accessor, type Accessor } from './accessor.js';
import { GREY, OKABE_ITO, seriesColor } from './palette.js';
import { chartRoot, emptyNote, textWidth, truncate, wrapText, type ChartContainer } from './svg.js';

/** A configured Sankey; call it on a selection whose datum is a {@link TrafficSplit}. */
export interface SankeyChart {
  (selection: ChartContainer<TrafficSplit>): void;
  /** @defaultValue 960 */
  width: Accessor<number, SankeyChart>;
  /** Height, px; by default from the number of nodes in the fullest column. */
  height: Accessor<number | undefined, SankeyChart>;
  /** Node bar width, px. @defaultValue 14 */
  nodeWidth: Accessor<number, SankeyChart>;
  /** Vertical gap between nodes, px (room for a three-line label). @defaultValue 44 */
  nodePadding: Accessor<number, SankeyChart>;
  /** Characters of a node label before it is cut (full text in its tooltip). @defaultValue 40 */
  maxChars: Accessor<number, SankeyChart>;
}

type N = SplitNode & { order: number };
type L = Omit<SplitLink, 'source' | 'target'> & { key: string; value: number };

const FONT_SIZE = 12;

function linkTitle(l: SplitLink, source: SplitNode, target: SplitNode, alpha: number): string {
  const lines = [
    `${source.label} → ${target.label}`,
    `${formatCount(l.count)} requests, ${formatShare(l.observedShare)} of ${source.label}`,
  ];
  if (l.declaredShare !== undefined) {
    lines.push(`declared: weight ${l.declaredWeight ?? 0} → ${formatShare(l.declaredShare)}`);
    if (l.interval !== undefined)
      lines.push(
        `observed ${formatShare(l.observedShare)}, ${formatShare(1 - alpha, 0)} interval ${formatShare(l.interval.lower)}–${formatShare(l.interval.upper)}`,
      );
    if (l.consistent !== undefined) {
      lines.push(
        l.consistent
          ? `consistent with the declared share (exact binomial test, alpha ${alpha})`
          : `NOT consistent with the declared share (exact binomial test, alpha ${alpha})`,
      );
    }
  }
  if (l.decidedBy !== undefined) lines.push(`decided by ${formatManifestRef(l.decidedBy)}`);
  return lines.join('\n');
}

/** Creates a Sankey chart with default settings. */
export function sankeyChart(): SankeyChart {
  let width = 960;
  let height: number | undefined;
  let nodeWidth = 14;
  let nodePadding = 44;
  let maxChars = 40;

  function chart(selection: ChartContainer<TrafficSplit>): void {
    selection.each(function (this: Element, split: TrafficSplit) {
      const byColumn = new Map<number, number>();
      for (const n of split.nodes) byColumn.set(columnIndex(n.column), (byColumn.get(columnIndex(n.column)) ?? 0) + 1);
      const fullest = Math.max(1, ...byColumn.values());
      const h = height ?? Math.max(220, fullest * (nodePadding + 44) + 40);
      const columns = Math.max(1, ...byColumn.keys()) + 1;
      const last = split.nodes.filter((n) => columnIndex(n.column) === columns - 1);
      // Bold labels run ~10 % wider than the estimate for regular text.
      const right = Math.min(
        300,
        Math.max(80, ...last.map((n) => 1.1 * textWidth(truncate(n.label, maxChars), FONT_SIZE) + 16)),
      );
      const m = { top: 24, right, bottom: 44, left: 8 };
      const destinations = split.nodes.filter((n) => n.column === 'destination').map((n) => n.id);
      const colorOf = (id: string): string => {
        const i = destinations.indexOf(id);
        return i < 0 ? OKABE_ITO.black : seriesColor(i);
      };
      const svg = chartRoot(
        select<Element, TrafficSplit>(this),
        'meshsim-sankey',
        { width, height: h },
        'Traffic split',
        `${formatCount(split.total)} requests from ${split.nodes.filter((n) => n.column === 'source').length} source(s) through ${split.nodes.filter((n) => n.column === 'route').length} route(s) to ${destinations.length} destination(s).`,
      );
      const headers = ['source', 'route', 'destination', 'pod'].slice(0, columns);
      const routeCount = split.nodes.filter((n) => n.column === 'route').length;
      if (split.total === 0) {
        emptyNote(svg, { x: width / 2, y: h / 2 }, 'no requests');
        return;
      }
      const nodes: N[] = split.nodes.map((n, order) => ({ ...n, order }));
      const byId = new Map(split.nodes.map((n) => [n.id, n]));
      const links = split.links.map((l) => ({ ...l, key: `${l.source}→${l.target}`, value: l.count }));
      const layout = d3Sankey<N, L>()
        .nodeId((n) => n.id)
        .nodeAlign((n) => columnIndex((n as N).column))
        .nodeWidth(nodeWidth)
        .nodePadding(nodePadding)
        .nodeSort((a, b) => a.order - b.order)
        .extent([
          [m.left, m.top],
          [width - m.right, h - m.bottom],
        ]);
      const graph = layout({ nodes: nodes.map((n) => ({ ...n })), links: links.map((l) => ({ ...l })) });
      // Columns are placed by what their labels need (d3-sankey spaces them evenly): each gap gets the
      // width of its column's widest label, scaled down to fit; labels are then cut to their gap.
      // A label may wrap onto two lines, so a gap needs about half its width (and the declared line).
      const labelPx = (n: SplitNode): number =>
        Math.max(
          (1.1 * textWidth(n.label, FONT_SIZE)) / ([...n.label].length > 24 ? 1.8 : 1),
          n.column === 'destination'
            ? textWidth('observed 100.0% · declared 100% ≠', FONT_SIZE - 1) + (routeCount > 1 ? 150 : 0)
            : 0,
        ) + 16;
      const want = Array.from({ length: columns - 1 }, (_, c) =>
        Math.min(360, Math.max(60, ...split.nodes.filter((n) => columnIndex(n.column) === c).map(labelPx))),
      );
      const avail = width - m.left - m.right - columns * nodeWidth;
      const sum = want.reduce((a, b) => a + b, 0);
      const gaps = want.map((w) => (sum <= avail ? w + (avail - sum) / Math.max(1, want.length) : (w * avail) / sum));
      const colStart = [m.left];
      gaps.forEach((g, c) => colStart.push((colStart[c] as number) + nodeWidth + g));
      for (const n of graph.nodes) {
        n.x0 = colStart[columnIndex(n.column)] ?? m.left;
        n.x1 = n.x0 + nodeWidth;
      }
      const charsFor = (n: SankeyNode<N, L>): number => {
        const c = columnIndex(n.column);
        return c === columns - 1
          ? maxChars
          : Math.max(8, Math.min(maxChars, Math.floor(((gaps[c] ?? 0) - 12) / (FONT_SIZE * 0.62))));
      };
      const x0 = (n: SankeyNode<N, L>): number => n.x0 ?? 0;
      const colX = new Map<number, number>();
      for (const n of graph.nodes) colX.set(columnIndex(n.column), x0(n));
      svg
        .append('g')
        .attr('class', 'column-headers')
        .selectAll('text')
        .data(headers)
        .join('text')
        .attr('x', (_, i) => px(colX.get(i) ?? 0))
        .attr('y', 14)
        .attr('font-size', FONT_SIZE - 1)
        .attr('fill', GREY.muted)
        .text((d) => d);
      const path = linkHorizontal<SankeyLink<N, L>, [number, number]>()
        .source((l) => [(l.source as SankeyNode<N, L>).x1 ?? 0, l.y0 ?? 0])
        .target((l) => [(l.target as SankeyNode<N, L>).x0 ?? 0, l.y1 ?? 0])
        .digits(2);
      const linkG = svg.append('g').attr('class', 'links').attr('fill', 'none');
      const linkSel = linkG
        .selectAll<SVGGElement, SankeyLink<N, L>>('g')
        .data(graph.links, (l) => (l as SankeyLink<N, L>).key)
        .join('g')
        .attr('class', (l) => `link${l.consistent === false ? ' inconsistent' : ''}${l.count === 0 ? ' empty' : ''}`)
        .attr('data-source', (l) => (l.source as N).id)
        .attr('data-target', (l) => (l.target as N).id);
      linkSel
        .append('title')
        .text((l) =>
          linkTitle(
            { ...l, source: (l.source as N).id, target: (l.target as N).id },
            byId.get((l.source as N).id) as SplitNode,
            byId.get((l.target as N).id) as SplitNode,
            split.alpha,
          ),
        );
      linkSel
        .append('path')
        .attr('d', (l) => path(l))
        .attr('stroke', (l) =>
          (l.source as N).column === 'source'
            ? GREY.rule
            : colorOf((l.source as N).column === 'destination' ? (l.source as N).id : (l.target as N).id),
        )
        .attr('stroke-opacity', (l) => (l.count === 0 ? 0.9 : 0.45))
        .attr('stroke-width', (l) => px(Math.max(1, l.width ?? 0)))
        .attr('stroke-dasharray', (l) => (l.count === 0 ? '4 3' : null));
      const declaredLines = (id: string): number =>
        split.links.filter((x) => x.target === id && x.declaredShare !== undefined).length;
      const nodeSel = svg
        .append('g')
        .attr('class', 'nodes')
        .selectAll<SVGGElement, SankeyNode<N, L>>('g')
        .data(graph.nodes, (n) => (n as N).id)
        .join('g')
        .attr('class', (n) => `node column-${n.column}`)
        .attr('data-node', (n) => n.id);
      nodeSel
        .append('title')
        .text(
          (n) =>
            `${n.label}\n${formatCount(n.count)} requests, ${formatShare(n.share)} of all${n.decidedBy !== undefined ? `\ndecided by ${formatManifestRef(n.decidedBy)}` : ''}`,
        );
      nodeSel
        .append('rect')
        .attr('x', (n) => px(x0(n)))
        .attr('y', (n) => px(n.y0 ?? 0))
        .attr('width', nodeWidth)
        .attr('height', (n) => px(Math.max(2, (n.y1 ?? 0) - (n.y0 ?? 0))))
        .attr('fill', (n) =>
          n.column === 'destination'
            ? colorOf(n.id)
            : n.column === 'pod'
              ? colorOf(podParent(graph.links, n.id))
              : n.column === 'route'
                ? OKABE_ITO.blue
                : GREY.muted,
        );
      const text = nodeSel
        .append('text')
        .attr('class', 'node-label')
        .attr('x', (n) => px((n.x1 ?? 0) + 6))
        .attr('y', (n) =>
          px(
            ((n.y0 ?? 0) + (n.y1 ?? 0)) / 2 -
              2 -
              ((FONT_SIZE + 2) *
                (wrapText(n.label, charsFor(n)).length - 1 + (n.column === 'destination' ? declaredLines(n.id) : 0))) /
                2,
          ),
        )
        .attr('font-size', FONT_SIZE)
        .attr('paint-order', 'stroke')
        .attr('stroke', '#FFFFFF')
        .attr('stroke-width', 3)
        .attr('stroke-linejoin', 'round')
        .attr('fill', GREY.text);
      text.each(function (n) {
        wrapText(n.label, charsFor(n)).forEach((line, i) => {
          select(this)
            .append('tspan')
            .attr('class', 'node-name')
            .attr('font-weight', 600)
            .attr('x', px((n.x1 ?? 0) + 6))
            .attr('dy', i === 0 ? 0 : FONT_SIZE + 2)
            .text(line);
        });
      });
      text
        .append('tspan')
        .attr('class', 'node-count')
        .attr('x', (n) => px((n.x1 ?? 0) + 6))
        .attr('dy', FONT_SIZE + 2)
        .text((n) => `${formatCount(n.count)} · ${formatShare(n.share)}`);
      // Declared beside observed, under each destination: one line per route that declares a weight for it.
      text.each(function (n) {
        if (n.column !== 'destination') return;
        for (const l of split.links.filter((x) => x.target === n.id && x.declaredShare !== undefined)) {
          const route = byId.get(l.source);
          const prefix =
            routeCount > 1 && route !== undefined
              ? `${truncate(route.label.replace(/^VirtualService /, ''), 24)}: `
              : '';
          select(this)
            .append('tspan')
            .attr('class', `declared${l.consistent === false ? ' inconsistent' : ''}`)
            .attr('data-route', l.source)
            .attr('x', px((n.x1 ?? 0) + 6))
            .attr('dy', FONT_SIZE + 2)
            .attr('font-size', FONT_SIZE - 1)
            .attr('fill', l.consistent === false ? OKABE_ITO.vermillion : GREY.text)
            .text(
              `${prefix}observed ${formatShare(l.observedShare)} · declared ${formatShare(l.declaredShare ?? 0, 0)}${l.consistent === false ? ' ≠' : ''}`,
            );
        }
      });
    });
  }

  const api: SankeyChart = Object.assign(chart, {
    width: accessor<number, SankeyChart>(
      () => width,
      (v) => (width = v),
      () => api,
    ),
    height: accessor<number | undefined, SankeyChart>(
      () => height,
      (v) => (height = v),
      () => api,
    ),
    nodeWidth: accessor<number, SankeyChart>(
      () => nodeWidth,
      (v) => (nodeWidth = v),
      () => api,
    ),
    nodePadding: accessor<number, SankeyChart>(
      () => nodePadding,
      (v) => (nodePadding = v),
      () => api,
    ),
    maxChars: accessor<number, SankeyChart>(
      () => maxChars,
      (v) => (maxChars = v),
      () => api,
    ),
  });
  return api;
}

/** The destination a pod's requests came from (its first incoming link). */
function podParent(links: readonly SankeyLink<N, L>[], pod: string): string {
  const l = links.find((x) => (x.target as N).id === pod);
  return l === undefined ? '' : (l.source as N).id;
}
