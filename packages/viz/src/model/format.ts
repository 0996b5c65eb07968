/**
 * Number and time formatting for chart labels and report tables. Deterministic on purpose: no
 * `toLocaleString` or `Intl` (their output depends on the machine's locale and ICU data), so the same
 * result renders byte-identical SVG and HTML everywhere.
 */

/** Microseconds per millisecond and per second; meshsim's times are integer microseconds (engine/time.ts). */
const MS = 1_000;
const S = 1_000_000;

/** `value` with `digits` significant digits, trailing zeros kept off (`12.3`, `0.5`, `120`). */
export function significant(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return trimZeros(value.toFixed(Math.min(decimals, 20)));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/**
 * A duration in microseconds as a person reads it: `850 µs`, `12.3 ms`, `5.02 s`, `2m05s`.
 * Three significant digits below a minute; zero prints `0`, NaN (an empty histogram's percentile) `–`.
 */
export function formatMicros(us: number): string {
  if (Number.isNaN(us)) return '–';
  if (us === 0) return '0';
  const a = Math.abs(us);
  if (a < MS) return `${significant(us)} µs`;
  if (a < S) return `${significant(us / MS)} ms`;
  if (a < 60 * S) return `${significant(us / S)} s`;
  const total = Math.round(us / S);
  const minutes = Math.floor(total / 60);
  return `${minutes}m${String(total - minutes * 60).padStart(2, '0')}s`;
}

/** A share in [0, 1] as a percentage with `decimals` decimals: `0.8973 → "89.7%"`. */
export function formatShare(share: number, decimals = 1): string {
  if (Number.isNaN(share)) return '–';
  return `${(share * 100).toFixed(decimals)}%`;
}

/** An integer with thousands separators: `12345 → "12,345"` (locale-independent). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  const [int = '0', frac] = Math.abs(n).toString().split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? `${sign}${grouped}` : `${sign}${grouped}.${frac}`;
}

/** A rate in requests per second: `12.5 rps`, `1,200 rps`. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 1000) return `${formatCount(Math.round(perSecond))} rps`;
  return `${significant(perSecond)} rps`;
}

/** Rounds a coordinate to 1/100 px, so SVG output is short and stable across refactors of the arithmetic. */
export function px(value: number): number {
  return Math.round(value * 100) / 100;
}
