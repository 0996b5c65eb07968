/**
 * Helpers shared by the charts: the root `<svg>` with its accessible name, text width estimates (charts
 * never measure text, so they lay out the same in a DOM shim, a headless browser and on screen), and
 * truncation. All text goes through d3's `.text()`, which sets `textContent`: user strings from manifests
 * are never parsed as markup.
 */
import type { BaseType, Selection } from 'd3';
import { GREY } from './palette.js';

/** A selection of chart containers (any element; the chart draws into an `<svg>` child). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ChartContainer<Datum> = Selection<any, Datum, any, any>;

/** The font stacks charts use; widths below assume them. */
export const FONT = {
  sans: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  mono: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace',
} as const;

/** Estimated width of `text` in px: 0.6 em per character for monospace, 0.56 em for sans-serif. */
export function textWidth(text: string, fontSize: number, mono = false): number {
  return [...text].length * fontSize * (mono ? 0.6 : 0.56);
}

/** `text` cut to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/**
 * `text` in at most `lines` lines of `max` characters, broken at spaces (a word longer than a line is cut);
 * the last line is truncated with an ellipsis when the text does not fit.
 */
export function wrapText(text: string, max: number, lines = 2): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest !== '' && out.length < lines - 1 && [...rest].length > max) {
    const head = [...rest].slice(0, max + 1).join('');
    const cut = head.lastIndexOf(' ');
    if (cut <= 0) break;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut + 1);
  }
  if (rest !== '') out.push(truncate(rest, max));
  return out;
}

let uid = 0;

/** Resets the id counter (tests and server-side rendering want stable ids). */
export function resetChartIds(): void {
  uid = 0;
}

/** A document-unique id with a prefix, for `aria-labelledby` and markers. */
export function chartId(prefix: string): string {
  uid += 1;
  return `${prefix}-${uid}`;
}

/**
 * The chart's `<svg>` inside `container` (created once, then reused): sized, with `role="img"`, a
 * `<title>` and a `<desc>` as its accessible name and description, and its previous drawing removed.
 */
export function chartRoot<Datum>(
  container: Selection<Element, Datum, null, undefined>,
  className: string,
  size: { width: number; height: number },
  title: string,
  description: string,
): Selection<SVGSVGElement, Datum, null, undefined> {
  const svg = container
    .selectAll<SVGSVGElement, Datum>(`svg.${className}`)
    .data([container.datum()])
    .join('svg')
    .attr('class', `meshsim-chart ${className}`)
    .attr('xmlns', 'http://www.w3.org/2000/svg')
    .attr('width', size.width)
    .attr('height', size.height)
    .attr('viewBox', `0 0 ${size.width} ${size.height}`)
    .attr('role', 'img')
    .attr('font-family', FONT.sans) as unknown as Selection<SVGSVGElement, Datum, null, undefined>;
  svg.selectAll('*').remove();
  const id = chartId(className);
  svg.attr('aria-labelledby', `${id}-title ${id}-desc`);
  svg.append('title').attr('id', `${id}-title`).text(title);
  svg.append('desc').attr('id', `${id}-desc`).text(description);
  return svg;
}

/** The muted, centred note a chart draws instead of its plot when it has nothing to show (`class="empty"`). */
export function emptyNote<E extends SVGElement, Datum, P extends BaseType, PDatum>(
  parent: Selection<E, Datum, P, PDatum>,
  at: { readonly x: number; readonly y: number },
  text: string,
): void {
  parent
    .append('text')
    .attr('class', 'empty')
    .attr('x', at.x)
    .attr('y', at.y)
    .attr('text-anchor', 'middle')
    .attr('fill', GREY.muted)
    .text(text);
}
