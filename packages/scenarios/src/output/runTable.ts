/**
 * `meshsim run`'s readable summary: the run's header, what each traffic generator sent and saw, where
 * requests went (per destination service and subset, then per pod: requests, share, status codes, Envoy
 * response flags, p50/p90/p99, retries, ejections), and the verdict of each expectation.
 */
import { formatDuration } from '@meshsim/sim-core';
import type { CheckResult, ExpectationResult } from '../runner/expectations.js';
import type { RequestStats, RunResult } from '../runner/result.js';
import { formatCounts, formatLatency, formatPercent, renderTable, type Column } from './textTable.js';

/** The columns every row kind of the summary ends with: what its requests saw. */
const STATS_COLUMNS: readonly Column[] = [
  { header: 'CODES' },
  { header: 'FLAGS' },
  { header: 'P50', right: true },
  { header: 'P90', right: true },
  { header: 'P99', right: true },
  { header: 'RETRIES', right: true },
];

/** The cells under {@link STATS_COLUMNS}. */
function statsCells(x: RequestStats): string[] {
  return [
    formatCounts(x.statusCodes),
    formatCounts(x.responseFlags),
    formatLatency(x.latency?.p50),
    formatLatency(x.latency?.p90),
    formatLatency(x.latency?.p99),
    String(x.retries),
  ];
}

/** The observed value of a check, in the check's unit. */
export function formatObserved(c: CheckResult): string {
  if (Number.isNaN(c.observed)) return 'nothing observed';
  switch (c.check) {
    case 'share':
    case 'errorRate':
      return formatPercent(c.observed);
    case 'latency':
      return formatLatency(c.observed);
    default:
      return String(c.observed);
  }
}

/** One line per check: `share 10.4% (expected 10 % (…))`. */
export function formatCheck(c: CheckResult): string {
  const what = c.key === undefined ? c.check : `${c.check} ${c.key}`;
  return `${what} ${formatObserved(c)}, expected ${c.expected}`;
}

/** The expectation verdicts, one block each, and a closing count. */
export function expectationLines(expectations: readonly ExpectationResult[]): string {
  if (expectations.length === 0) return 'No expectations apply to this run.\n';
  const lines: string[] = [];
  for (const x of expectations) {
    lines.push(`${x.passed ? '✔' : '✘'} ${x.name} (${x.requests} requests)`);
    for (const c of x.checks) lines.push(`    ${c.passed ? 'ok  ' : 'FAIL'} ${formatCheck(c)}`);
  }
  const passed = expectations.filter((x) => x.passed).length;
  lines.push(`${passed} of ${expectations.length} expectations passed`);
  return `${lines.join('\n')}\n`;
}

/** The whole summary. */
export function renderRunTable(r: RunResult): string {
  const parts: string[] = [];
  parts.push(`${r.scenario}: ${r.description}\n`);
  parts.push(
    `variant ${r.variant} · seed ${r.seed} · simulated ${formatDuration(r.simulatedTime)} · ${r.eventsFired} events · digest ${r.digest}\n`,
  );
  parts.push('\n');
  parts.push(
    renderTable(
      [
        { header: 'TRAFFIC' },
        { header: 'FROM' },
        { header: 'SENT', right: true },
        { header: 'QPS', right: true },
        ...STATS_COLUMNS,
      ],
      r.generators.map((g) => [
        g.name,
        g.from.length === 1 ? (g.from[0] ?? '') : `${g.from.length} sources`,
        String(g.sent),
        g.actualQps.toFixed(1),
        ...statsCells(g),
      ]),
    ),
  );
  parts.push('\n');
  const rows: string[][] = [];
  for (const d of r.destinations) {
    rows.push([
      d.service === '' ? '(no destination)' : d.service,
      d.subset ?? '-',
      '',
      String(d.requests),
      formatPercent(d.share),
      ...statsCells(d),
      String(d.ejections),
    ]);
    if (d.pods.length > 1 || (d.pods.length === 1 && d.pods[0]?.pod !== '')) {
      for (const p of d.pods) {
        rows.push([
          '',
          '',
          p.pod === '' ? '(none)' : p.pod,
          String(p.requests),
          formatPercent(p.share),
          ...statsCells(p),
          '',
        ]);
      }
    }
  }
  parts.push(
    renderTable(
      [
        { header: 'DESTINATION' },
        { header: 'SUBSET' },
        { header: 'POD' },
        { header: 'REQUESTS', right: true },
        { header: 'SHARE', right: true },
        ...STATS_COLUMNS,
        { header: 'EJECTIONS', right: true },
      ],
      rows,
    ),
  );
  parts.push('\n');
  parts.push(expectationLines(r.expectations));
  return parts.join('');
}
