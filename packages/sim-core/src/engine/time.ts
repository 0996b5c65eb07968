/**
 * Simulated time. Every instant and duration is an integer number of **microseconds**: integers never
 * drift, and a microsecond is finer than anything Envoy or the kernel schedules on.
 * Istio/Envoy duration strings are parsed once, at the config layer, with {@link parseDuration}.
 */
import { ConfigError, type SourceLocation } from '../errors.js';

/** An instant on the simulation clock, in integer microseconds since the start of the run. */
export type SimTime = number;
/** A span of simulated time, in integer microseconds. */
export type Duration = number;

export const MICROSECOND: Duration = 1;
export const MILLISECOND: Duration = 1_000;
export const SECOND: Duration = 1_000_000;
export const MINUTE: Duration = 60 * SECOND;
export const HOUR: Duration = 60 * MINUTE;

/** `n` microseconds, rounded to an integer. */
export const us = (n: number): Duration => Math.round(n);
/** `n` milliseconds as microseconds, e.g. `ms(1.5) === 1500`. */
export const ms = (n: number): Duration => Math.round(n * MILLISECOND);
/** `n` seconds as microseconds. */
export const s = (n: number): Duration => Math.round(n * SECOND);
/** A duration in (fractional) milliseconds, for display and for Istio's millisecond metrics. */
export const toMillis = (d: Duration): number => d / MILLISECOND;
/** A duration in (fractional) seconds. */
export const toSeconds = (d: Duration): number => d / SECOND;

// Units accepted by Go's time.ParseDuration, which is what Istio's config loader uses for
// google.protobuf.Duration fields ("1.5s", "250ms", "1m", "100us", "1h30m"). Values are nanoseconds.
const UNIT_NANOS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5 micro sign, as Go prints it
  μs: 1e3, // U+03BC Greek mu, also accepted by Go
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const UNIT_HINT = 'use a number with a unit: ns, us, ms, s, m or h, e.g. "1.5s", "250ms", "1m"';

/**
 * Parses an Istio/Envoy duration string with the grammar of Go's `time.ParseDuration`
 * (`[-+]?(\d*(\.\d*)?unit)+`, or `"0"`), returning integer microseconds. Sub-microsecond parts are rounded
 * to the nearest microsecond. Throws a {@link ConfigError} naming the value and, when given, the field.
 */
export function parseDuration(text: string, where: SourceLocation = {}): Duration {
  const fail = (why: string): never => {
    throw new ConfigError(`invalid duration ${JSON.stringify(text)}: ${why} (${UNIT_HINT})`, where, 'duration');
  };
  if (typeof text !== 'string') fail('not a string');
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') fail('empty');
  let nanos = 0;
  while (rest !== '') {
    const num = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const whole = num?.[1] ?? '';
    const frac = num?.[2];
    if (whole === '' && (frac === undefined || frac === '')) fail(`expected a number at ${JSON.stringify(rest)}`);
    rest = rest.slice(num?.[0].length ?? 0);
    const unit = /^[^\d.]*/.exec(rest)?.[0] ?? '';
    if (unit === '') fail('missing unit');
    const scale = UNIT_NANOS[unit];
    if (scale === undefined) fail(`unknown unit ${JSON.stringify(unit)}`);
    rest = rest.slice(unit.length);
    const value = Number(`${whole === '' ? '0' : whole}.${frac ?? ''}0`);
    nanos += value * (scale as number);
  }
  if (!Number.isFinite(nanos) || nanos > Number.MAX_SAFE_INTEGER) fail('out of range');
  return sign * Math.round(nanos / 1e3) || 0;
}

/**
 * Formats a duration as Go's `time.Duration.String()` does (`"1.5s"`, `"250ms"`, `"100µs"`, `"1m30s"`,
 * `"1h0m0s"`), the form istioctl and Istio's docs show. Inverse of {@link parseDuration} on its output.
 */
export function formatDuration(d: Duration): string {
  if (d === 0) return '0s';
  const neg = d < 0;
  let u = Math.abs(Math.round(d));
  let out: string;
  if (u < MILLISECOND) out = `${u}µs`;
  else if (u < SECOND) out = `${trimFraction(u, MILLISECOND)}ms`;
  else {
    const h = Math.floor(u / HOUR);
    u -= h * HOUR;
    const m = Math.floor(u / MINUTE);
    u -= m * MINUTE;
    const secs = `${trimFraction(u, SECOND)}s`;
    out = h > 0 ? `${h}h${m}m${secs}` : m > 0 ? `${m}m${secs}` : secs;
  }
  return neg ? `-${out}` : out;
}

// Exact decimal rendering of value/unit without trailing zeros (both are integers, unit a power of ten).
function trimFraction(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const rem = value - whole * unit;
  if (rem === 0) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rem).padStart(digits, '0').replace(/0+$/, '')}`;
}
