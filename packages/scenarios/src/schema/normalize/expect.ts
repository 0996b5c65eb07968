/** Normalizer of the `expect` section. */
import type { FieldPath } from '@meshsim/sim-core';
import { ALL_RESPONSE_STRINGS_FLAGS } from '@meshsim/sim-core/envoy';
import { suggestion } from '../didYouMean.js';
import type { Bounds, DurationBounds } from '../types/common.js';
import { EXPECT_CHECKS, type Expectation, type RequestFilter, type ShareCheck } from '../types/expect.js';
import { bounds, durationBounds } from './common.js';
import { arr, num, obj, opt, str, type Context, type RawObject } from './context.js';

/**
 * Envoy's response flags by short name, in Envoy's print order — sim-core's table of
 * `ResponseFlagUtils::CORE_RESPONSE_FLAGS` (envoyproxy/envoy source/common/stream_info/utility.h).
 */
export const RESPONSE_FLAGS: readonly string[] = ALL_RESPONSE_STRINGS_FLAGS.map((f) => f.short);

/** The default significance level of `share` tests. */
export const DEFAULT_ALPHA = 0.001;

/** One expectation; `index` gives the default name `expect[<index>]`. */
export function expectation(ctx: Context, path: FieldPath, raw: RawObject, index: number): Expectation {
  const present = EXPECT_CHECKS.filter((c) => raw[c] !== undefined);
  if (present.length === 0)
    ctx.fail(path, `missing check: an expectation needs at least one of ${EXPECT_CHECKS.join(', ')}`);
  const boundsAt = (key: string): Bounds | undefined => {
    const o = obj(raw, key);
    return o === undefined ? undefined : bounds(ctx, [...path, key], o);
  };
  const mapOf = <T>(
    key: string,
    read: (p: FieldPath, o: RawObject) => T,
    checkKey?: (k: string) => string | undefined,
  ) => {
    const o = obj(raw, key);
    if (o === undefined) return undefined;
    const out: Record<string, T> = {};
    for (const k of Object.keys(o)) {
      const problem = checkKey?.(k);
      if (problem !== undefined) ctx.fail([...path, key, k], problem, 'scenario/semantic', 'key');
      out[k] = read([...path, key, k], o[k] as RawObject);
    }
    return out;
  };
  return {
    name: str(raw, 'name') ?? `expect[${index}]`,
    ...opt('variants', arr(raw, 'variants') as readonly string[] | undefined),
    of: requestFilter(ctx, [...path, 'of'], obj(raw, 'of') ?? {}),
    ...opt('count', boundsAt('count')),
    ...opt(
      'share',
      obj(raw, 'share') === undefined ? undefined : shareCheck(ctx, [...path, 'share'], obj(raw, 'share') ?? {}),
    ),
    ...opt('errorRate', boundsAt('errorRate')),
    ...opt(
      'statusCodes',
      mapOf<Bounds>('statusCodes', (p, o) => bounds(ctx, p, o), statusKeyProblem),
    ),
    ...opt(
      'responseFlags',
      mapOf<Bounds>('responseFlags', (p, o) => bounds(ctx, p, o), flagProblem),
    ),
    ...opt(
      'latency',
      mapOf<DurationBounds>('latency', (p, o) => durationBounds(ctx, p, o), latencyKeyProblem),
    ),
    ...opt('retries', boundsAt('retries')),
    ...opt('ejections', boundsAt('ejections')),
  };
}

function shareCheck(ctx: Context, path: FieldPath, raw: RawObject): ShareCheck {
  const percent = num(raw, 'percent');
  const min = num(raw, 'min');
  const max = num(raw, 'max');
  if (percent === undefined && min === undefined && max === undefined) {
    ctx.fail(path, 'missing percent (an exact binomial test at alpha) or min/max (bounds in percent)');
  } else if (percent !== undefined && (min !== undefined || max !== undefined)) {
    ctx.fail(
      [...path, min !== undefined ? 'min' : 'max'],
      'use percent (a statistical test) or min/max (plain bounds), not both',
      'scenario/semantic',
      'key',
    );
  }
  if (raw['alpha'] !== undefined && percent === undefined) {
    ctx.fail(
      [...path, 'alpha'],
      'alpha is the significance level of the percent test; it has no effect on min/max',
      'scenario/semantic',
      'key',
    );
  }
  if (min !== undefined && max !== undefined && max < min) ctx.fail([...path, 'max'], `must be at least min (${min})`);
  return {
    to: requestFilter(ctx, [...path, 'to'], obj(raw, 'to') ?? {}),
    ...opt('percent', percent),
    alpha: num(raw, 'alpha') ?? DEFAULT_ALPHA,
    ...opt('min', min),
    ...opt('max', max),
  };
}

/** A request filter. */
export function requestFilter(ctx: Context, path: FieldPath, raw: RawObject): RequestFilter {
  const code = raw['responseCode'];
  if (typeof code === 'number' && code !== 0 && code < 100) {
    ctx.fail([...path, 'responseCode'], `must be a status code (100–599) or 0 for no response, not ${code}`);
  }
  const flag = str(raw, 'responseFlag');
  if (flag !== undefined) {
    const problem = flagProblem(flag);
    if (problem !== undefined) ctx.fail([...path, 'responseFlag'], problem);
  }
  const window = obj(raw, 'window');
  let windowOut: RequestFilter['window'];
  if (window !== undefined) {
    const start =
      window['start'] === undefined ? undefined : ctx.duration([...path, 'window', 'start'], window['start']);
    const end = window['end'] === undefined ? undefined : ctx.duration([...path, 'window', 'end'], window['end']);
    if (start !== undefined && end !== undefined && end <= start) {
      ctx.fail([...path, 'window', 'end'], `must be after start (${String(window['start'])})`);
    }
    windowOut = { ...opt('start', start), ...opt('end', end) };
  }
  const source = obj(raw, 'source');
  const destination = obj(raw, 'destination');
  return {
    ...opt('traffic', str(raw, 'traffic')),
    ...opt(
      'source',
      source === undefined
        ? undefined
        : { ...opt('namespace', str(source, 'namespace')), ...opt('workload', str(source, 'workload')) },
    ),
    ...opt(
      'destination',
      destination === undefined
        ? undefined
        : {
            ...opt('service', str(destination, 'service')),
            ...opt('namespace', str(destination, 'namespace')),
            ...opt('subset', str(destination, 'subset')),
            ...opt('workload', str(destination, 'workload')),
            ...opt('version', str(destination, 'version')),
            ...opt('port', num(destination, 'port')),
          },
    ),
    ...opt('responseCode', code as number | string | undefined),
    ...opt('responseFlag', flag),
    ...opt('window', windowOut),
  };
}

function flagProblem(flag: string): string | undefined {
  if (flag === '-' || RESPONSE_FLAGS.includes(flag)) return undefined;
  return `unknown Envoy response flag ${JSON.stringify(flag)}${suggestion(flag, RESPONSE_FLAGS)} (flags: ${RESPONSE_FLAGS.join(', ')}; - for none)`;
}

function statusKeyProblem(key: string): string | undefined {
  const n = Number(key);
  return Number.isInteger(n) && n !== 0 && n < 100
    ? `invalid status code ${JSON.stringify(key)}: codes are 100–599, or 0 for no response`
    : undefined;
}

function latencyKeyProblem(key: string): string | undefined {
  if (!key.startsWith('p')) return undefined;
  const q = Number(key.slice(1));
  return q > 100 ? `invalid percentile ${JSON.stringify(key)}: at most p100` : undefined;
}
