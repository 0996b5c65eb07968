/**
 * The report's tables, rendered to HTML when the report is assembled (readable without scripts): the
 * summary per destination of each variant, the comparison of variants per destination, and the
 * scenario's expectations. Every value is escaped.
 */
import { formatCount, formatMicros, formatShare } from '../model/format.js';
import { destinationLabel, type SummaryRow } from '../model/outcomeAdapters.js';
import type { ReportExpectation, ReportVariant } from '../model/report.js';
import { escapeHtml as h } from './escape.js';

/** `200 ×3,920 · 503 ×80`. */
export function countsText(pairs: readonly (readonly [string | number, number])[]): string {
  return pairs.map(([k, n]) => `${k === 0 ? 'none' : k} ×${formatCount(n)}`).join(' · ');
}

const failed = (r: SummaryRow): number =>
  r.statusCodes.reduce((a, [code, n]) => a + (code === 0 || code >= 500 ? n : 0), 0);

/** The summary table of one variant: one row per destination, then the total. */
export function summaryTable(v: ReportVariant): string {
  const rows = v.summary;
  const total = rows.reduce((a, r) => a + r.requests, 0);
  const head = [
    'destination',
    'pod',
    'requests',
    'share',
    'status codes',
    'response flags',
    'retried',
    'p50',
    'p90',
    'p99',
    'max',
  ];
  const body = rows.map(
    (r) => `<tr>
<td class="name">${h(destinationLabel(r.service, r.subset))}</td>
<td class="name">${h(r.pod ?? '–')}</td>
<td class="num">${formatCount(r.requests)}</td>
<td class="num">${formatShare(r.share)}</td>
<td class="${failed(r) > 0 ? 'bad' : ''}">${h(countsText(r.statusCodes))}</td>
<td>${h(countsText(r.responseFlags))}</td>
<td class="num">${formatCount(r.retried)}</td>
<td class="num">${r.p50 !== undefined ? formatMicros(r.p50) : '–'}</td>
<td class="num">${r.p90 !== undefined ? formatMicros(r.p90) : '–'}</td>
<td class="num">${r.p99 !== undefined ? formatMicros(r.p99) : '–'}</td>
<td class="num">${r.max !== undefined ? formatMicros(r.max) : '–'}</td>
</tr>`,
  );
  const errors = rows.reduce((a, r) => a + failed(r), 0);
  return `<table class="summary" data-variant-name="${h(v.name)}">
<caption>${h(v.name)}: ${formatCount(total)} requests, ${formatShare(total === 0 ? 0 : errors / total)} failed (5xx or no response)</caption>
<thead><tr>${head.map((c) => `<th scope="col">${c}</th>`).join('')}</tr></thead>
<tbody>
${body.join('\n')}
</tbody>
</table>`;
}

/**
 * The variants side by side per destination (service and subset): each variant's share of requests,
 * failure share and p99 there. Percentiles cannot be merged from rows, so p99 is shown per destination
 * only when the variant has exactly one row for it.
 */
export function comparisonTable(variants: readonly ReportVariant[]): string {
  const keys: string[] = [];
  const labels = new Map<string, string>();
  for (const v of variants) {
    for (const r of v.summary) {
      const k = `${r.service}|${r.subset ?? ''}`;
      if (!labels.has(k)) {
        keys.push(k);
        labels.set(k, destinationLabel(r.service, r.subset));
      }
    }
  }
  const cell = (v: ReportVariant, k: string): string => {
    const rows = v.summary.filter((r) => `${r.service}|${r.subset ?? ''}` === k);
    const total = v.summary.reduce((a, r) => a + r.requests, 0);
    const n = rows.reduce((a, r) => a + r.requests, 0);
    if (n === 0) return '<td class="num">–</td><td class="num">–</td><td class="num">–</td>';
    const bad = rows.reduce((a, r) => a + failed(r), 0);
    const p99 = rows.length === 1 && rows[0]?.p99 !== undefined ? formatMicros(rows[0].p99) : '–';
    return `<td class="num">${formatShare(n / total)}</td><td class="num${bad > 0 ? ' bad' : ''}">${formatShare(bad / n)}</td><td class="num">${p99}</td>`;
  };
  return `<table class="comparison">
<caption>Variants side by side: share of requests, failures (5xx or no response) and p99 per destination</caption>
<thead>
<tr><th scope="col" rowspan="2">destination</th>${variants.map((v) => `<th scope="colgroup" colspan="3">${h(v.name)}</th>`).join('')}</tr>
<tr>${variants.map(() => '<th scope="col">share</th><th scope="col">failed</th><th scope="col">p99</th>').join('')}</tr>
</thead>
<tbody>
${keys.map((k) => `<tr><td class="name">${h(labels.get(k) ?? k)}</td>${variants.map((v) => cell(v, k)).join('')}</tr>`).join('\n')}
</tbody>
</table>`;
}

/** The expectations as a list with a verdict each. */
export function expectationList(list: readonly ReportExpectation[]): string {
  if (list.length === 0) return '';
  return `<ul class="expectations">
${list.map((e) => `<li class="${e.passed ? 'pass' : 'fail'}"><span class="verdict">${e.passed ? '✓ pass' : '✗ FAIL'}</span> ${h(e.name)}${e.detail !== undefined ? ` — ${h(e.detail)}` : ''}</li>`).join('\n')}
</ul>`;
}
