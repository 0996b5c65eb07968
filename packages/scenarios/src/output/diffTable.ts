/**
 * `meshsim diff`'s readable output: per traffic generator, the change in split (share of its requests per
 * destination), error rate and latency from variant A to variant B, each with its interval and whether it
 * is significant at the stated alpha, and the tests used.
 */
import type { DiffResult, ProportionChange } from '../runner/diff.js';
import { formatLatency, renderTable, type Column } from './textTable.js';

const pp = (v: number): string => `${v > 0 ? '+' : ''}${v.toFixed(1)} pp`;
const pc = (v: number): string => `${v.toFixed(1)}%`;
const lat = (v: number): string => (v === 0 ? '0' : `${v > 0 ? '+' : '−'}${formatLatency(Math.abs(v))}`);
const bound = (v: number, show: (x: number) => string): string =>
  v === Infinity ? '∞' : v === -Infinity ? '−∞' : show(v);
const verdict = (s: boolean): string => (s ? 'yes' : 'no');
const pvalue = (p: number): string => (p < 0.0001 ? '<0.0001' : p.toFixed(4));

/** The columns of a comparison table whose first column, `first`, names what is compared. */
function comparisonColumns(first: string, d: DiffResult): Column[] {
  return [
    { header: first },
    { header: d.a.toUpperCase(), right: true },
    { header: d.b.toUpperCase(), right: true },
    { header: 'CHANGE', right: true },
    { header: 'INTERVAL' },
    { header: 'P', right: true },
    { header: 'SIGNIFICANT' },
  ];
}

/** An interval's ends, each shown by `show` (infinite ends as ∞). */
const intervalText = (i: { lower: number; upper: number }, show: (x: number) => string): string =>
  `[${bound(i.lower, show)}, ${bound(i.upper, show)}]`;

function proportionRow(label: string, c: ProportionChange): string[] {
  return [
    label,
    pc(c.a),
    pc(c.b),
    pp(c.difference),
    `[${pp(c.interval.lower)}, ${pp(c.interval.upper)}]`,
    pvalue(c.p),
    verdict(c.significant),
  ];
}

/** The whole comparison. */
export function renderDiffTable(d: DiffResult): string {
  const level = `${Math.round((1 - d.alpha) * 1000) / 10} %`;
  const parts: string[] = [];
  parts.push(
    `${d.scenario}: ${d.a} → ${d.b} · seed${d.seeds.length > 1 ? `s ${d.seeds[0]}–${d.seeds[d.seeds.length - 1]}` : ` ${d.seeds[0]}`} · ${level} intervals, α = ${d.alpha}\n`,
  );
  for (const g of d.generators) {
    parts.push(
      `\ntraffic ${g.name}: ${g.pairs} paired requests${g.unpaired.a + g.unpaired.b > 0 ? ` (unpaired: ${g.unpaired.a} in ${d.a}, ${g.unpaired.b} in ${d.b})` : ''}\n`,
    );
    const rows = g.shares.map((s) =>
      proportionRow(
        `${s.service === '' ? '(no destination)' : s.service}${s.subset !== undefined ? ` ${s.subset}` : ''}`,
        s,
      ),
    );
    rows.push(proportionRow('error rate (5xx or no response)', g.errorRate));
    parts.push(renderTable(comparisonColumns('SPLIT', d), rows));
    const latRows = g.percentiles.map((x) => [
      `p${x.percentile}`,
      formatLatency(x.a),
      formatLatency(x.b),
      lat(x.difference),
      intervalText(x.interval, lat),
      '',
      verdict(x.significant),
    ]);
    const s = g.latencyShift;
    latRows.push([
      `median of paired changes (${s.slower} slower, ${s.faster} faster, ${s.ties} equal)`,
      '',
      '',
      lat(s.median),
      intervalText(s.interval, lat),
      pvalue(s.p),
      verdict(s.significant),
    ]);
    parts.push(renderTable(comparisonColumns('LATENCY', d), latRows));
  }
  parts.push(`\n${d.significant ? 'Significant differences found.' : 'No significant difference.'}\n`);
  parts.push(`Tests: ${d.methods.join('; ')}.\n`);
  return parts.join('');
}
