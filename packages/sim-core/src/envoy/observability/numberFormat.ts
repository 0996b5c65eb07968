/**
 * Number formatting as Envoy's C++ prints it, so meshsim's text outputs match byte for byte:
 * `{:.32g}` (Prometheus `le` bounds and `_sum`), `{:g}` (the `P99.5` quantile labels of /stats) and `{}`
 * (the quantile values of /stats).
 */

// printf-style %g with `precision` significant digits: exponent form when exp < −4 or exp ≥ precision,
// trailing zeros (and a trailing point) removed.
function formatG(x: number, precision: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // toExponential gives correctly rounded digits; its exponent (after rounding) decides the notation.
  const fixed = x.toExponential(precision - 1); // d.ddd…e±x
  const [mant, e] = fixed.split('e') as [string, string];
  const realExp = Number(e);
  if (realExp < -4 || realExp >= precision) {
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const sign = realExp < 0 ? '-' : '+';
    const abs = Math.abs(realExp);
    return `${m}e${sign}${abs < 10 ? `0${abs}` : abs}`;
  }
  const digits = x.toFixed(Math.max(0, precision - 1 - realExp));
  return digits.includes('.') ? digits.replace(/0+$/, '').replace(/\.$/, '') : digits;
}

/** fmt's `{:.32g}`: up to 32 significant digits, which exposes a double's binary expansion (`5.05` → `5.0499999999999998223643160599749535`). */
export function formatG32(x: number): string {
  return formatG(x, 32);
}

/** fmt's `{:g}` (6 significant digits). */
export function formatG6(x: number): string {
  return formatG(x, 6);
}

/**
 * fmt's `{}` for a double: the shortest representation that reads back to the same value, `nan` for NaN.
 * JavaScript's `String(x)` is also the shortest round-trip form; the two differ only in when they switch to
 * exponent notation (fmt at 1e16 and below 1e-4), which quantiles of latencies and sizes never reach.
 */
export function formatShortest(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return String(x);
}
