/**
 * Chart tests in a DOM shim (happy-dom): render a chart into a fresh document, read back its SVG, and
 * format it one element per line for readable snapshot diffs.
 */
import { select } from 'd3';
import { Window } from 'happy-dom';
import { resetChartIds } from '../charts/svg.js';

/** A chart rendered into a detached document. */
export interface Rendered {
  readonly window: Window;
  readonly container: HTMLElement;
  readonly svg: SVGSVGElement;
}

/** Renders `chart` with `datum` into a `<div>` of a new happy-dom document (chart ids restart at 1). */
export function renderInShim<D>(datum: D, chart: (selection: never) => void): Rendered {
  resetChartIds();
  const window = new Window();
  const container = window.document.createElement('div') as unknown as HTMLElement;
  window.document.body.appendChild(container as never);
  (select(container).datum(datum) as unknown as { call(f: (s: never) => void): void }).call(chart);
  const svg = container.querySelector('svg');
  if (svg === null) throw new Error('the chart drew no <svg>');
  return { window, container, svg };
}

/** The SVG markup with one tag per line (a stable, diffable snapshot). */
export function prettySvg(svg: SVGSVGElement): string {
  return `${svg.outerHTML.replace(/></g, '>\n<')}\n`;
}

/** Every text node's content in document order (what a reader sees). */
export function textsOf(root: Element, selector: string): string[] {
  return Array.from(root.querySelectorAll(selector)).map((e) => e.textContent ?? '');
}
