/** Normalizers of the shared building blocks: distributions, selectors, targets, manifests, bounds, headers. */
import type { FieldPath } from '@meshsim/sim-core';
import type {
  Bounds,
  Distribution,
  DurationBounds,
  InstanceTarget,
  LabelSelector,
  LabelSelectorRequirement,
  ManifestSource,
  ObjectRef,
  StringMap,
} from '../types/common.js';
import { arr, num, obj, opt, str, type Context, type RawObject } from './context.js';

/** A distribution: a duration string is a constant; otherwise its one key. */
export function distribution(ctx: Context, path: FieldPath, raw: unknown): Distribution {
  if (typeof raw === 'string') return { constant: ctx.duration(path, raw) };
  const o = raw as RawObject;
  if ('constant' in o) return { constant: ctx.duration([...path, 'constant'], o['constant']) };
  if ('exponential' in o) {
    const at = [...path, 'exponential', 'mean'];
    return {
      exponential: {
        mean: ctx.positiveDuration(at, (o['exponential'] as RawObject)['mean'], 'use constant: 0s for no delay'),
      },
    };
  }
  if ('lognormal' in o) {
    const l = o['lognormal'] as RawObject;
    const median = ctx.positiveDuration([...path, 'lognormal', 'median'], l['median'], 'a lognormal is positive');
    const p99 = ctx.duration([...path, 'lognormal', 'p99'], l['p99']);
    if (p99 < median) ctx.fail([...path, 'lognormal', 'p99'], `must be at least the median (${String(l['median'])})`);
    return { lognormal: { median, p99 } };
  }
  if ('uniform' in o) {
    const u = o['uniform'] as RawObject;
    const min = ctx.duration([...path, 'uniform', 'min'], u['min']);
    const max = ctx.duration([...path, 'uniform', 'max'], u['max']);
    if (max < min) ctx.fail([...path, 'uniform', 'max'], `must be at least min (${String(u['min'])})`);
    return { uniform: { min, max } };
  }
  const e = o['empirical'] as RawObject;
  if ('samples' in e) {
    return {
      empirical: {
        samples: (e['samples'] as readonly unknown[]).map((v, i) =>
          ctx.duration([...path, 'empirical', 'samples', i], v),
        ),
      },
    };
  }
  return {
    empirical: {
      percentiles: percentileTable(ctx, [...path, 'empirical', 'percentiles'], e['percentiles'] as RawObject),
    },
  };
}

// A percentile table: p0 and p100 present, values not decreasing as p grows; keys in increasing order.
function percentileTable(ctx: Context, path: FieldPath, raw: RawObject): Readonly<Record<string, number>> {
  const points = Object.keys(raw)
    .map((key) => ({ key, p: Number(key.slice(1)), value: ctx.duration([...path, key], raw[key]) }))
    .sort((a, b) => a.p - b.p);
  if (points[0]?.p !== 0) ctx.fail(path, 'a percentile table starts at p0 (the minimum)');
  if (points[points.length - 1]?.p !== 100) ctx.fail(path, 'a percentile table ends at p100 (the maximum)');
  const out: Record<string, number> = {};
  points.forEach((pt, i) => {
    const prev = points[i - 1];
    if (prev !== undefined && pt.p === prev.p)
      ctx.fail([...path, pt.key], `${pt.key} is the same percentile as ${prev.key}`, 'scenario/semantic', 'key');
    if (prev !== undefined && pt.value < prev.value)
      ctx.fail([...path, pt.key], `must not be below ${prev.key} (${String(raw[prev.key])})`);
    out[pt.key] = pt.value;
  });
  return out;
}

/** A label selector, with the apiserver's rule on `values`. */
export function labelSelector(ctx: Context, path: FieldPath, raw: RawObject): LabelSelector {
  const matchLabels = obj(raw, 'matchLabels') as StringMap | undefined;
  const exprs = arr(raw, 'matchExpressions')?.map((e, i): LabelSelectorRequirement => {
    const r = e as RawObject;
    const operator = r['operator'] as LabelSelectorRequirement['operator'];
    const values = arr(r, 'values') as readonly string[] | undefined;
    const at = [...path, 'matchExpressions', i, 'values'];
    if ((operator === 'In' || operator === 'NotIn') && (values === undefined || values.length === 0)) {
      ctx.fail(at, `must be specified when \`operator\` is 'In' or 'NotIn'`);
    }
    if ((operator === 'Exists' || operator === 'DoesNotExist') && values !== undefined && values.length > 0) {
      ctx.fail(at, `may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`);
    }
    return { key: String(r['key']), operator, ...opt('values', values) };
  });
  return { ...opt('matchLabels', matchLabels), ...opt('matchExpressions', exprs) };
}

/** The instance-target fields of an object (namespace, pod | selector, replica). */
export function instanceTarget(ctx: Context, path: FieldPath, raw: RawObject): InstanceTarget {
  const pod = str(raw, 'pod');
  const selectorRaw = obj(raw, 'selector');
  const replica = num(raw, 'replica');
  if (pod !== undefined && selectorRaw !== undefined) {
    ctx.fail([...path, 'selector'], 'set either pod (one pod by name) or selector (instances by label), not both');
  } else if (pod === undefined && selectorRaw === undefined) {
    ctx.fail(path, 'missing pod or selector: name a pod, or select instances by label (selector: {} selects all)');
  }
  if (pod !== undefined && replica !== undefined) {
    ctx.fail([...path, 'replica'], 'replica picks one of the instances a selector matches; pod already names one');
  }
  return {
    namespace: str(raw, 'namespace') ?? 'default',
    ...opt('pod', pod),
    ...opt('selector', selectorRaw === undefined ? undefined : labelSelector(ctx, [...path, 'selector'], selectorRaw)),
    ...opt('replica', replica),
  };
}

/** A manifest list: strings are paths, objects are inline manifests. */
export function manifestList(ctx: Context, path: FieldPath, raw: readonly unknown[] | undefined): ManifestSource[] {
  return (raw ?? []).map((item, i) =>
    typeof item === 'string' ? { path: item } : { inline: ctx.readInline([...path, i], item as RawObject) },
  );
}

/** An object reference. */
export function objectRef(raw: RawObject): ObjectRef {
  return {
    ...opt('apiVersion', str(raw, 'apiVersion')),
    kind: String(raw['kind']),
    ...opt('namespace', str(raw, 'namespace')),
    name: String(raw['name']),
  };
}

/** Count or percent bounds, with min ≤ max. */
export function bounds(ctx: Context, path: FieldPath, raw: RawObject): Bounds {
  const min = num(raw, 'min');
  const max = num(raw, 'max');
  if (min !== undefined && max !== undefined && max < min) ctx.fail([...path, 'max'], `must be at least min (${min})`);
  return { ...opt('min', min), ...opt('max', max) };
}

/** Duration bounds, with min ≤ max. */
export function durationBounds(ctx: Context, path: FieldPath, raw: RawObject): DurationBounds {
  const min = raw['min'] === undefined ? undefined : ctx.duration([...path, 'min'], raw['min']);
  const max = raw['max'] === undefined ? undefined : ctx.duration([...path, 'max'], raw['max']);
  if (min !== undefined && max !== undefined && max < min)
    ctx.fail([...path, 'max'], `must be at least min (${String(raw['min'])})`);
  return { ...opt('min', min), ...opt('max', max) };
}

/** Headers with lower-cased names; two spellings of one name are an error. */
export function headers(ctx: Context, path: FieldPath, raw: RawObject | undefined): StringMap {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const lower = name.toLowerCase();
    if (lower in out)
      ctx.fail(
        [...path, name],
        `header ${JSON.stringify(lower)} is given twice (header names are case-insensitive)`,
        'scenario/semantic',
        'key',
      );
    out[lower] = String(value);
  }
  return sortKeys(out);
}

/** Validates an http(s) URL beyond the schema's pattern (port range, parseable host). */
export function url(ctx: Context, path: FieldPath, text: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(text);
  } catch {
    ctx.fail(path, `invalid URL ${JSON.stringify(text)}`);
    return text;
  }
  if (parsed.username !== '' || parsed.password !== '')
    ctx.fail(path, 'a URL with user info is not supported; send an authorization header instead');
  if (parsed.hash !== '') ctx.fail(path, 'a URL fragment (#…) is never sent to a server; remove it');
  return text;
}

/** A copy of `o` with keys in code-unit order, so printing and digests never depend on input order. */
export function sortKeys<T>(o: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k] as T;
  return out;
}
