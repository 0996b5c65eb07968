/**
 * The classroom page's read-only views of a run: the lesson route's shares (declared beside observed),
 * the Sankey, latency histogram and CDF, timeline, summary table, and the scenario's manifests with line
 * numbers. Every string is set as text (`textContent`, d3's `.text()`), never parsed as markup.
 */
import { select } from 'd3';
import { latencyCdf } from '../../charts/cdf.js';
import { latencyHistogram } from '../../charts/latencyHistogram.js';
import { sankeyChart } from '../../charts/sankey.js';
import { timelineChart } from '../../charts/timeline.js';
import { formatCount, formatMicros, formatShare } from '../../model/format.js';
import { destinationLabel } from '../../model/outcomeAdapters.js';
import type { FlowHop } from '../../model/requestFlow.js';
import type { ClassroomFile, ClassroomRun } from '../types.js';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls !== undefined) e.className = cls;
  return e;
}

function row(cells: readonly (string | { text: string; num?: boolean })[], header = false): HTMLTableRowElement {
  const tr = el('tr');
  for (const c of cells) {
    const td = el(header ? 'th' : 'td', typeof c === 'string' ? c : c.text);
    if (!header) td.setAttribute('scope', 'row');
    if (typeof c !== 'string' && c.num === true) td.className = 'num';
    tr.append(td);
  }
  return tr;
}

/** Width a chart may take in `host`. */
const widthOf = (host: HTMLElement, min: number, max: number): number =>
  Math.max(min, Math.min(max, Math.floor(host.clientWidth || min)));

/** The lesson route's requests per destination: observed count and share, beside the declared share. */
export function drawShares(table: HTMLTableElement, run: ClassroomRun, route: string): void {
  table.replaceChildren();
  const total = run.routeShares.filter((r) => r.declared !== undefined).reduce((a, r) => a + r.count, 0);
  const all = run.routeShares.reduce((a, r) => a + r.count, 0);
  const cap = el('caption', `${route}: ${formatCount(all)} requests`);
  table.append(cap, row(['destination', 'requests', 'observed', 'declared'], true));
  for (const r of run.routeShares) {
    const tr = row([
      r.label,
      { text: formatCount(r.count), num: true },
      {
        text:
          r.declared !== undefined
            ? formatShare(total === 0 ? 0 : r.count / total)
            : formatShare(all === 0 ? 0 : r.count / all),
        num: true,
      },
      { text: r.declared !== undefined ? formatShare(r.declared, 0) : '—', num: true },
    ]);
    tr.dataset['destination'] = r.destination;
    tr.dataset['count'] = String(r.count);
    // Observed shares of declared destinations are among the requests that reached one (not aborted).
    tr.dataset['total'] = String(r.declared !== undefined ? total : all);
    table.append(tr);
  }
}

/** The run's charts: Sankey, latency histogram and CDF, timeline. */
export function drawCharts(
  run: ClassroomRun,
  hosts: { sankey: HTMLElement; histogram: HTMLElement; cdf: HTMLElement; timeline: HTMLElement },
): void {
  for (const h of Object.values(hosts)) h.replaceChildren();
  if (run.trafficSplit !== undefined)
    select(hosts.sankey)
      .datum(run.trafficSplit)
      .call(sankeyChart().width(widthOf(hosts.sankey, 640, 1300)));
  const series = run.latency.filter((s) => s.count > 0);
  if (series.length > 0) {
    select(hosts.histogram)
      .datum(series)
      .call(
        latencyHistogram()
          .width(widthOf(hosts.histogram, 420, 760))
          .title('Latency per destination'),
      );
    select(hosts.cdf)
      .datum(series)
      .call(
        latencyCdf()
          .tail(true)
          .width(widthOf(hosts.cdf, 420, 760))
          .title('Latency percentiles'),
      );
  }
  if (run.timeline !== undefined && run.timeline.lanes.length > 0)
    select(hosts.timeline)
      .datum(run.timeline)
      .call(timelineChart().width(widthOf(hosts.timeline, 480, 1300)));
}

/** Requests per destination, as the clients saw them. */
export function drawSummary(table: HTMLTableElement, run: ClassroomRun): void {
  table.replaceChildren();
  table.append(
    el('caption', 'What the clients got, per destination'),
    row(['destination', 'requests', 'status codes', 'flags', 'p50', 'p99'], true),
  );
  for (const r of run.summary) {
    table.append(
      row([
        destinationLabel(r.service, r.subset),
        { text: formatCount(r.requests), num: true },
        r.statusCodes.map(([c, n]) => `${c === 0 ? 'none' : c}×${n}`).join(' '),
        r.responseFlags.map(([f, n]) => `${f}×${n}`).join(' '),
        { text: r.p50 !== undefined ? formatMicros(r.p50) : '–', num: true },
        { text: r.p99 !== undefined ? formatMicros(r.p99) : '–', num: true },
      ]),
    );
  }
}

/** The scenario's files, one collapsible block each, every line numbered (`data-line`). */
export function drawFiles(host: HTMLElement, files: readonly ClassroomFile[]): void {
  host.replaceChildren();
  files.forEach((f, i) => {
    const details = el('details');
    details.dataset['file'] = f.file;
    if (i === 0) details.open = true;
    details.append(el('summary', f.file));
    const pre = el('pre');
    f.text
      .replace(/\n$/, '')
      .split('\n')
      .forEach((line, n) => {
        const span = el('span', line, 'line');
        span.dataset['line'] = String(n + 1);
        pre.append(span);
      });
    details.append(pre);
    host.append(details);
  });
}

/** Highlights the manifest line that decided `hop` (its first reference into a shown file). */
export function highlightRef(host: HTMLElement, hop: FlowHop | undefined): void {
  for (const e of Array.from(host.querySelectorAll('.line.current'))) e.classList.remove('current');
  if (hop === undefined) return;
  for (const ref of hop.decidedBy) {
    const file = Array.from(host.querySelectorAll<HTMLDetailsElement>('details')).find(
      (d) => d.dataset['file'] === ref.file,
    );
    const line = file?.querySelector<HTMLElement>(`.line[data-line="${ref.line}"]`);
    if (file === undefined || line === undefined || line === null) continue;
    file.open = true;
    line.classList.add('current');
    const pre = line.parentElement;
    if (pre !== null) pre.scrollTop = Math.max(0, line.offsetTop - pre.offsetTop - pre.clientHeight / 3);
    return;
  }
}
