/**
 * What the split and status assertions read: counts of requests by destination or by response code, from
 * whatever holds them — a {@link RouteSample}, a list of per-request records (access-log entries of a
 * simulation: `upstream_cluster`/`upstreamCluster`, `response_code`/`status`), a `{ key: count }` map, or
 * an object carrying such a list (`outcomes`, `accessLog`, `requests`, `records`).
 */
import { parseClusterName } from '../explain/clusters.js';

/** How requests are grouped for a split: by subset (`v1`), cluster name, or destination host. */
export type SplitKey = 'subset' | 'cluster' | 'host';

type Rec = Readonly<Record<string, unknown>>;

const LIST_FIELDS = ['outcomes', 'accessLog', 'access_log', 'requests', 'records', 'entries'];

/** The per-request records inside `actual`, or undefined when it holds none. */
export function recordsOf(actual: unknown): readonly Rec[] | undefined {
  if (Array.isArray(actual)) return actual as Rec[];
  if (typeof actual !== 'object' || actual === null) return undefined;
  for (const f of LIST_FIELDS) {
    const v = (actual as Rec)[f];
    if (Array.isArray(v)) return v as Rec[];
  }
  return undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' && v !== '-' ? v : undefined);

/** The cluster a record went to. */
export function clusterOf(r: Rec): string | undefined {
  return str(r['cluster']) ?? str(r['upstreamCluster']) ?? str(r['upstream_cluster']);
}

/** The value of `key` for one record (`undefined`: the request reached no cluster). */
export function keyOf(r: Rec, key: SplitKey): string | undefined {
  const cluster = clusterOf(r);
  const parsed = cluster !== undefined ? parseClusterName(cluster) : undefined;
  // A simulation's RequestOutcome names its destination as { service, subset, pod }.
  const dest =
    typeof r['destination'] === 'object' && r['destination'] !== null ? (r['destination'] as Rec) : undefined;
  if (key === 'cluster') return cluster;
  if (key === 'host') return str(r['host']) ?? parsed?.host ?? str(dest?.['service']);
  return (
    str(r['subset']) ??
    (parsed?.subset !== undefined && parsed.subset !== '' ? parsed.subset : undefined) ??
    str(dest?.['subset'])
  );
}

/** The per-destination aggregates of a simulation result (`result.outcomes`, an `OutcomeAggregator`). */
interface AggregatorLike {
  bySubset(): readonly {
    readonly service: string;
    readonly subset?: string;
    readonly summary: { readonly count: number };
  }[];
  readonly overall: { statusCounts(): [number, number][] };
}

/** The aggregator of `actual` (a `simulate()` result, or an aggregator itself), if any. */
export function aggregatorOf(actual: unknown): AggregatorLike | undefined {
  const isAgg = (x: unknown): x is AggregatorLike =>
    typeof x === 'object' &&
    x !== null &&
    typeof (x as AggregatorLike).bySubset === 'function' &&
    typeof (x as AggregatorLike).overall === 'object';
  if (isAgg(actual)) return actual;
  const inner = typeof actual === 'object' && actual !== null ? (actual as Rec)['outcomes'] : undefined;
  return isAgg(inner) ? inner : undefined;
}

/** Counts of a simulation's requests by subset or host (cluster names are not aggregated). */
export function aggregatedCounts(agg: AggregatorLike, key: SplitKey): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of agg.bySubset()) {
    const k = (key === 'host' ? d.service : d.subset) || '(none)';
    out[k] = (out[k] ?? 0) + d.summary.count;
  }
  return out;
}

/** The HTTP status of one record (0: no response). */
export function statusOf(r: Rec): number | undefined {
  for (const f of ['status', 'responseCode', 'response_code', 'code']) {
    const v = r[f];
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  }
  return undefined;
}

/** The key a split's expected weights are written in: cluster names have `|`, hosts have dots, else subsets. */
export function guessKey(expected: readonly string[]): SplitKey {
  if (expected.length > 0 && expected.every((k) => k.includes('|') || k.includes('Cluster'))) return 'cluster';
  if (expected.length > 0 && expected.every((k) => k.includes('.'))) return 'host';
  return 'subset';
}

/** Counts of records by `key`; requests that reached no cluster count under `(none)`. */
export function countBy(records: readonly object[], key: SplitKey): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) {
    const k = keyOf(r as Rec, key) ?? '(none)';
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Counts from `actual` when it is a plain `{ key: count }` map of non-negative integers. */
export function countsMap(actual: unknown): Record<string, number> | undefined {
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return undefined;
  const entries = Object.entries(actual as Rec);
  if (entries.length === 0 || !entries.every(([, v]) => typeof v === 'number' && Number.isInteger(v) && v >= 0))
    return undefined;
  return Object.fromEntries(entries) as Record<string, number>;
}
