/**
 * `meshsim run --runs N`: the estimates over N seeds — mean and Student-t confidence interval of each
 * generator's requests, error rate and latency percentiles, and of each destination's share — and how often
 * each expectation passed.
 */
import type { Estimate, ReplicationResult } from '../runner/replications.js';
import { formatLatency, renderTable } from './textTable.js';

function est(e: Estimate, show: (v: number) => string): string {
  if (e.values.length === 0) return '-';
  if (!Number.isFinite(e.interval.lower)) return show(e.mean);
  return `${show(e.mean)} [${show(e.interval.lower)}, ${show(e.interval.upper)}]`;
}

const pct = (v: number): string => `${v.toFixed(1)}%`;
const num = (v: number): string => v.toFixed(1);

/** The replication summary. */
export function renderReplicationTable(r: ReplicationResult): string {
  const level = `${Math.round((1 - r.alpha) * 1000) / 10} %`;
  const parts: string[] = [];
  parts.push(
    `${r.scenario} · variant ${r.variant} · ${r.seeds.length} runs (seeds ${r.seeds[0]}–${r.seeds[r.seeds.length - 1]}) · means with ${level} Student-t intervals\n\n`,
  );
  parts.push(
    renderTable(
      [
        { header: 'TRAFFIC' },
        { header: 'REQUESTS' },
        { header: 'ERRORS' },
        { header: 'P50' },
        { header: 'P90' },
        { header: 'P99' },
      ],
      r.generators.map((g) => [
        g.name,
        est(g.requests, num),
        est(g.errorRate, pct),
        est(g.p50, formatLatency),
        est(g.p90, formatLatency),
        est(g.p99, formatLatency),
      ]),
    ),
  );
  parts.push('\n');
  parts.push(
    renderTable(
      [
        { header: 'DESTINATION' },
        { header: 'SUBSET' },
        { header: 'SHARE' },
        { header: 'ERRORS' },
        { header: 'P50' },
        { header: 'P99' },
      ],
      r.destinations.map((d) => [
        d.service === '' ? '(no destination)' : d.service,
        d.subset ?? '-',
        est(d.share, pct),
        est(d.errorRate, pct),
        est(d.p50, formatLatency),
        est(d.p99, formatLatency),
      ]),
    ),
  );
  parts.push('\n');
  for (const x of r.expectations)
    parts.push(`${x.passed === x.runs ? '✔' : '✘'} ${x.name}: passed in ${x.passed} of ${x.runs} runs\n`);
  return parts.join('');
}
