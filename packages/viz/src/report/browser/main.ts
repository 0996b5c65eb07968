/**
 * The report page's script (bundled into the report by report/bundle.ts): reads the embedded report data,
 * draws every chart placeholder (`<div class="chart" data-chart=… data-variant=…>`), and wires the variant
 * switch (all variants side by side, or one at full width). Data is read with `JSON.parse` from a
 * non-executed JSON element; all text reaches the page through d3's `.text()`.
 */
import { select } from 'd3';
import { latencyCdf } from '../../charts/cdf.js';
import { flowChart } from '../../charts/flowChart.js';
import { latencyHistogram } from '../../charts/latencyHistogram.js';
import { seriesColor } from '../../charts/palette.js';
import { sankeyChart } from '../../charts/sankey.js';
import { serviceGraphChart } from '../../charts/serviceGraph.js';
import { timelineChart } from '../../charts/timeline.js';
import type { LatencySeries } from '../../model/latency.js';
import type { ReportInput, ReportVariant } from '../../model/report.js';
import { DATA_ELEMENT_ID } from './dataElement.js';

type Draw = (el: HTMLElement, v: ReportVariant | undefined, data: ReportInput) => void;

/** Charts fill their column (at least `min` px wide; narrower columns scroll). */
const fit = (el: HTMLElement, min: number): number => Math.max(min, Math.floor(el.clientWidth));

/** Dash patterns for variants on one chart: solid for the baseline, then dashed, dotted, dash-dot. */
const VARIANT_DASH = [undefined, '7 3', '2 3', '8 3 2 3'] as const;

const DRAW: Readonly<Record<string, Draw>> = {
  sankey: (el, v) => {
    if (v?.trafficSplit !== undefined)
      select(el)
        .datum(v.trafficSplit)
        .call(sankeyChart().width(Math.min(1400, fit(el, 560))));
  },
  histogram: (el, v) => {
    if (v?.latency !== undefined)
      select(el)
        .datum(v.latency)
        .call(latencyHistogram().width(fit(el, 420)).title(`Latency — ${v.name}`));
  },
  'cdf-all': (el, _v, data) => {
    // One colour per destination (as in the histograms), one dash pattern per variant.
    const destinations: string[] = [];
    const series: LatencySeries[] = data.variants.flatMap((x) =>
      (x.latency ?? []).map((s) => ({ ...s, label: `${x.name} · ${s.label}` })),
    );
    for (const s of series)
      if (!destinations.includes(s.destination ?? s.label)) destinations.push(s.destination ?? s.label);
    const variantOf = (s: LatencySeries): number =>
      Math.max(
        0,
        data.variants.findIndex((x) => x.name === s.variant),
      );
    select(el)
      .datum(series)
      .call(
        latencyCdf()
          .tail(true)
          .width(Math.min(1100, fit(el, 480)))
          .title('Latency percentiles, every variant')
          .seriesStyle((s) => {
            const dash = VARIANT_DASH[variantOf(s) % VARIANT_DASH.length];
            return {
              color: seriesColor(destinations.indexOf(s.destination ?? s.label)),
              ...(dash !== undefined ? { dash } : {}),
            };
          }),
      );
  },
  graph: (el, v) => {
    if (v?.serviceGraph !== undefined) select(el).datum(v.serviceGraph).call(serviceGraphChart());
  },
  timeline: (el, v) => {
    if (v?.timeline !== undefined)
      select(el)
        .datum(v.timeline)
        .call(timelineChart().width(fit(el, 480)));
  },
  flow: (el, v) => {
    const f = v?.flows?.[Number(el.dataset['index'] ?? '0')];
    if (f !== undefined) select(el).datum(f).call(flowChart());
  },
};

function drawAll(data: ReportInput): void {
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('.chart[data-chart]'))) {
    const kind = el.dataset['chart'] ?? '';
    const v = el.dataset['variant'] !== undefined ? data.variants[Number(el.dataset['variant'])] : undefined;
    const draw = DRAW[kind];
    try {
      if (draw === undefined) throw new Error(`unknown chart kind ${JSON.stringify(kind)}`);
      draw(el, v, data);
    } catch (error) {
      // Shown in place and reported; a report with a broken chart must not pass for a good one.
      select(el)
        .append('p')
        .attr('class', 'chart-error')
        .text(`This chart could not be drawn: ${String(error)}`);
      console.error(error);
    }
  }
}

/** Shows all variant columns (`all`) or only the one with index `show`, and updates the buttons. */
function showVariants(show: string): void {
  for (const grid of Array.from(document.querySelectorAll<HTMLElement>('.variants[data-columns]'))) {
    grid.classList.toggle('single', show !== 'all');
    for (const col of Array.from(grid.querySelectorAll<HTMLElement>('figure.variant-col'))) {
      col.hidden = show !== 'all' && col.dataset['variant'] !== show;
    }
  }
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('.view-switch button'))) {
    b.setAttribute('aria-pressed', String(b.dataset['show'] === show));
  }
}

function main(): void {
  const el = document.getElementById(DATA_ELEMENT_ID);
  if (el === null) throw new Error(`the report has no #${DATA_ELEMENT_ID} element`);
  const data = JSON.parse(el.textContent ?? 'null') as ReportInput;
  drawAll(data);
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('.view-switch button'))) {
    b.addEventListener('click', () => showVariants(b.dataset['show'] ?? 'all'));
  }
  document.documentElement.dataset['rendered'] = 'true';
}

main();
