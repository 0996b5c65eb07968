/**
 * Small contracts shared by the Envoy components: the event loop they arm timers on (Envoy's
 * `Event::Dispatcher`) and the request-header view they read. A {@link Simulation} satisfies
 * {@link Dispatcher} as it is, so components run inside the simulated world and standalone in unit tests.
 */
import { ConfigError } from '../errors.js';
import { parseDuration, type Duration, type SimTime } from '../engine/time.js';

/** A timer handle, as Envoy's `Event::Timer::disableTimer()`. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * The clock and timer source of a component. Mirrors what Envoy components take from `Event::Dispatcher`
 * (`createTimer`, `timeSource().monotonicTime()`); `Simulation` implements it.
 */
export interface Dispatcher {
  /** The current simulated time (µs). */
  readonly now: SimTime;
  /** Runs `callback` after `delay` µs. */
  schedule(delay: Duration, callback: () => void, priority?: number, label?: string): TimerHandle;
}

/** Something that only tells the time. */
export interface Clock {
  readonly now: SimTime;
}

/**
 * Request or response headers as the filters read them: lower-case names to one value or several (Envoy's
 * `HeaderMap` keeps repeated headers; the router and fault filter only ever use the first value).
 */
export type HeaderMap = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The first value of header `name` (lower-case), as Envoy's `headers.get(name)[0]`; undefined when absent. */
export function firstHeaderValue(headers: HeaderMap | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  const v = headers[name];
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : v[0];
}

/**
 * Parses an unsigned decimal integer the way `absl::SimpleAtoi` does for the `x-envoy-*` headers: optional
 * surrounding ASCII whitespace, an optional `+`, then digits only. Returns undefined for anything else.
 */
export function parseUnsignedHeader(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^[ \t\n\v\f\r]*\+?(\d+)[ \t\n\v\f\r]*$/.exec(value);
  if (m === null) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * A `google.protobuf.Duration` in its proto3 JSON form (`"30s"`, `"0.025s"`), as Envoy config carries it.
 * meshsim also accepts Go-style strings (`"250ms"`), since istiod copies Istio durations through.
 */
export type ProtoDuration = string;

/**
 * A proto duration in whole milliseconds, truncated as Envoy's `DurationUtil::durationToMilliseconds`
 * (used by `PROTOBUF_GET_MS_OR_DEFAULT`) does. `field` names the config field for the error message.
 */
export function protoDurationToMs(value: ProtoDuration, field: string): number {
  const us = parseDuration(value, { field });
  if (us < 0) throw new ConfigError(`${field} must not be negative (got ${JSON.stringify(value)})`, { field });
  return Math.floor(us / 1000);
}

/**
 * Envoy's runtime percent check `SnapshotImpl::featureEnabled(key, pct)` with no runtime override: the
 * cutoff is `min(pct, 100)`; 0 is false and 100 is true without drawing; otherwise one `random() % 100 <
 * cutoff` (envoyproxy/envoy source/common/runtime/runtime_impl.cc).
 */
export function featureEnabled(percent: number, random: { random(): number }): boolean {
  const cutoff = Math.min(percent, 100);
  if (cutoff <= 0) return false;
  if (cutoff === 100) return true;
  return random.random() % 100 < cutoff;
}

/**
 * A duration (µs) in proto3 JSON form, as Envoy's config dump prints `google.protobuf.Duration`: whole
 * seconds, or 3 / 6 fractional digits (`"30s"`, `"0.025s"`, `"1.500s"`, `"0.000100s"`).
 */
export function formatProtoDuration(us: Duration): string {
  const neg = us < 0;
  const a = Math.abs(Math.round(us));
  const sec = Math.floor(a / 1_000_000);
  const frac = a % 1_000_000;
  let text: string;
  if (frac === 0) text = `${sec}s`;
  else if (frac % 1000 === 0) text = `${sec}.${String(frac / 1000).padStart(3, '0')}s`;
  else text = `${sec}.${String(frac).padStart(6, '0')}s`;
  return neg ? `-${text}` : text;
}

/** Re-spells an Istio/Go duration string (`"5m"`, `"250ms"`) in proto3 JSON form (`"300s"`, `"0.250s"`). */
export function toProtoDuration(text: string, field: string): ProtoDuration {
  return formatProtoDuration(parseDuration(text, { field }));
}
