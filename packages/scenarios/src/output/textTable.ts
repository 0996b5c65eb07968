/**
 * Plain-text tables and number formats for the CLI's readable output, in the style of `kubectl get` and
 * `istioctl proxy-config`: upper-case headers, columns separated by two spaces, numbers right-aligned.
 */

/** A column: its header and whether its cells are right-aligned (numbers). */
export interface Column {
  readonly header: string;
  readonly right?: boolean;
}

/** Renders rows under headers; trailing spaces are trimmed. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    columns
      .map((c, i) => {
        const cell = cells[i] ?? '';
        const w = widths[i] ?? 0;
        return c.right === true ? cell.padStart(w) : cell.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join('\n') + '\n';
}

/** A latency in µs with three significant digits and a unit: `850µs`, `12.6ms`, `1.78s`; `-` for none. */
export function formatLatency(us: number | null | undefined): string {
  if (us === null || us === undefined || !Number.isFinite(us)) return '-';
  if (Math.round(us) < 1000) return `${Math.round(us)}µs`;
  if (Number(sig3(us / 1000)) < 1000) return `${sig3(us / 1000)}ms`;
  return `${sig3(us / 1_000_000)}s`;
}

function sig3(v: number): string {
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return String(Number(v.toFixed(digits)));
}

/** A percentage with one decimal: `45.7%`. */
export function formatPercent(p: number): string {
  return Number.isFinite(p) ? `${p.toFixed(1)}%` : '-';
}

/** A count map as `200×839 503×12` (or `-` when empty). */
export function formatCounts(counts: Readonly<Record<string, number>>): string {
  const parts = Object.entries(counts).map(([k, v]) => `${k}×${v}`);
  return parts.length === 0 ? '-' : parts.join(' ');
}
