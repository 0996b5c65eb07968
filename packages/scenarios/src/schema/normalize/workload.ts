/** Normalizer of `workloads` entries (and of the `setWorkload` event's entry). */
import type { FieldPath } from '@meshsim/sim-core';
import type {
  CallStep,
  DownstreamCall,
  ErrorResponse,
  OnFailure,
  Overload,
  WorkloadBehavior,
  WorkloadSpec,
} from '../types/workload.js';
import { distribution, headers, instanceTarget, url } from './common.js';
import { arr, num, obj, opt, str, type Context, type RawObject } from './context.js';

/** One entry: its target and behaviour. */
export function workloadSpec(ctx: Context, path: FieldPath, raw: RawObject): WorkloadSpec {
  return { ...instanceTarget(ctx, path, raw), ...workloadBehavior(ctx, path, raw) };
}

/** The behaviour fields of an entry. */
export function workloadBehavior(ctx: Context, path: FieldPath, raw: RawObject): WorkloadBehavior {
  const errors = arr(raw, 'errors')?.map((e): ErrorResponse => {
    const r = e as RawObject;
    return { httpStatus: Number(r['httpStatus']), percent: Number(r['percent']) };
  });
  const resets = num(raw, 'resets');
  // The app draws one outcome per request: a reset, one of the errors, or a normal answer (appSpec.ts).
  const total = (errors ?? []).reduce((sum, e) => sum + e.percent, 0) + (resets ?? 0);
  if (total > 100 + 1e-9) {
    ctx.fail(
      [...path, errors === undefined ? 'resets' : 'errors'],
      `errors and resets add up to ${round(total)} %, more than 100`,
    );
  }
  const propagate = arr(raw, 'propagateHeaders')?.map((h) => String(h).toLowerCase());
  propagate?.forEach((h, i) => {
    if (propagate.indexOf(h) !== i)
      ctx.fail([...path, 'propagateHeaders', i], `header ${JSON.stringify(h)} is listed twice`);
  });
  return {
    ...opt(
      'serviceTime',
      raw['serviceTime'] === undefined ? undefined : distribution(ctx, [...path, 'serviceTime'], raw['serviceTime']),
    ),
    ...opt('concurrency', num(raw, 'concurrency')),
    ...opt('queueLimit', num(raw, 'queueLimit')),
    ...opt('overload', raw['overload'] as Overload | undefined),
    ...opt('errors', errors),
    ...opt('resets', resets),
    ...opt(
      'calls',
      arr(raw, 'calls')?.map((c, i) => callStep(ctx, [...path, 'calls', i], c as RawObject)),
    ),
    ...opt('propagateHeaders', propagate),
  };
}

const CALL_FIELDS = ['url', 'method', 'headers', 'timeout', 'attempts', 'onFailure'] as const;

function callStep(ctx: Context, path: FieldPath, raw: RawObject): CallStep {
  const kinds = (['url', 'parallel', 'compute'] as const).filter((k) => raw[k] !== undefined);
  if (kinds.length !== 1) {
    ctx.fail(
      kinds.length === 0 ? path : [...path, kinds[1] as string],
      kinds.length === 0
        ? 'missing url, parallel or compute: a step is a call (url), a parallel group (parallel) or processing time (compute)'
        : `a step is one of a call (url), a parallel group (parallel) or processing time (compute), not ${kinds.join(' and ')}`,
      'scenario/semantic',
      kinds.length === 0 ? 'value' : 'key',
    );
    return { compute: { constant: 0 } };
  }
  if (kinds[0] === 'url') return downstreamCall(ctx, path, raw);
  for (const field of CALL_FIELDS) {
    if (raw[field] !== undefined) {
      ctx.fail(
        [...path, field],
        `${field} belongs to a call; in a ${kinds[0]} step put it on ${kinds[0] === 'parallel' ? 'each call of the group' : 'a call step'}`,
        'scenario/semantic',
        'key',
      );
    }
  }
  if (kinds[0] === 'compute') return { compute: distribution(ctx, [...path, 'compute'], raw['compute']) };
  return {
    parallel: (raw['parallel'] as readonly unknown[]).map((c, i) =>
      downstreamCall(ctx, [...path, 'parallel', i], c as RawObject),
    ),
  };
}

function downstreamCall(ctx: Context, path: FieldPath, raw: RawObject): DownstreamCall {
  return {
    url: url(ctx, [...path, 'url'], String(raw['url'])),
    method: str(raw, 'method') ?? 'GET',
    headers: headers(ctx, [...path, 'headers'], obj(raw, 'headers')),
    ...opt(
      'timeout',
      raw['timeout'] === undefined
        ? undefined
        : ctx.positiveDuration([...path, 'timeout'], raw['timeout'], 'omit it to wait forever'),
    ),
    attempts: num(raw, 'attempts') ?? 1,
    onFailure: (raw['onFailure'] as OnFailure | undefined) ?? 'propagate',
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
