/** Normalizer of the `traffic` section. */
import type { FieldPath } from '@meshsim/sim-core';
import type { RequestTemplate, TrafficGenerator, TrafficSource } from '../types/traffic.js';
import { headers, instanceTarget, sortKeys, url } from './common.js';
import { arr, bool, num, obj, opt, str, type Context, type RawObject } from './context.js';

/** Fortio's defaults (`periodic.DefaultRunnerOptions` in fortio/fortio periodic/periodic.go): 8 qps. */
export const FORTIO_DEFAULT_QPS = 8;

/** One generator; `index` gives the default name `traffic-<index>`. */
export function trafficGenerator(ctx: Context, path: FieldPath, raw: RawObject, index: number): TrafficGenerator {
  const rate = num(raw, 'rate');
  const connections = num(raw, 'connections');
  if (rate !== undefined && connections !== undefined) {
    ctx.fail(
      [...path, 'connections'],
      'set either rate (open loop: requests/s) or connections (closed loop, like fortio -c), not both',
      'scenario/semantic',
      'key',
    );
  } else if (rate === undefined && connections === undefined) {
    ctx.fail(
      path,
      'missing rate or connections: set rate (open loop: requests/s) or connections (closed loop, like fortio -c)',
    );
  }
  if (raw['arrival'] !== undefined && rate === undefined)
    ctx.fail([...path, 'arrival'], 'arrival applies to open-loop traffic (with rate)', 'scenario/semantic', 'key');
  for (const key of ['qps', 'uniform', 'jitter', 'noCatchUp']) {
    if (raw[key] !== undefined && connections === undefined) {
      ctx.fail(
        [...path, key],
        `${key} applies to closed-loop traffic (with connections)${key === 'qps' ? '; for open loop use rate' : ''}`,
        'scenario/semantic',
        'key',
      );
    }
  }

  const mix = requestMix(ctx, path, raw);
  const sni = str(raw, 'sni');
  if (sni !== undefined && !mix.some((m) => m.url.startsWith('https://'))) {
    ctx.fail([...path, 'sni'], 'sni applies to https:// URLs only', 'scenario/semantic', 'key');
  }
  return {
    name: str(raw, 'name') ?? `traffic-${index}`,
    from: trafficSource(ctx, [...path, 'from'], obj(raw, 'from') ?? {}),
    mix,
    protocol: (str(raw, 'protocol') as TrafficGenerator['protocol'] | undefined) ?? 'http',
    ...opt('sni', sni),
    ...opt('rate', rate),
    ...opt(
      'arrival',
      rate === undefined ? undefined : ((str(raw, 'arrival') as TrafficGenerator['arrival']) ?? 'poisson'),
    ),
    ...opt('connections', connections),
    ...opt('qps', connections === undefined ? undefined : (num(raw, 'qps') ?? FORTIO_DEFAULT_QPS)),
    ...opt('uniform', connections === undefined ? undefined : (bool(raw, 'uniform') ?? false)),
    ...opt('jitter', connections === undefined ? undefined : (bool(raw, 'jitter') ?? false)),
    ...opt('noCatchUp', connections === undefined ? undefined : (bool(raw, 'noCatchUp') ?? false)),
    startAt: raw['startAt'] === undefined ? 0 : ctx.duration([...path, 'startAt'], raw['startAt']),
    ...opt(
      'duration',
      raw['duration'] === undefined
        ? undefined
        : ctx.positiveDuration([...path, 'duration'], raw['duration'], 'a generator that runs for 0s sends nothing'),
    ),
    ...opt('requests', num(raw, 'requests')),
  };
}

function trafficSource(ctx: Context, path: FieldPath, raw: RawObject): TrafficSource {
  const gateway = obj(raw, 'gateway');
  if (gateway === undefined) return instanceTarget(ctx, path, raw);
  for (const key of ['namespace', 'pod', 'selector', 'replica']) {
    if (raw[key] !== undefined) {
      ctx.fail(
        [...path, key],
        `a gateway source takes no ${key}: the client is outside the cluster (set the gateway's namespace and name inside gateway)`,
        'scenario/semantic',
        'key',
      );
    }
  }
  return {
    gateway: {
      namespace: str(gateway, 'namespace') ?? 'istio-system',
      name: str(gateway, 'name') ?? 'istio-ingressgateway',
    },
  };
}

// url/method/headers on the generator are the defaults of every mix entry; without a mix they are the request.
function requestMix(ctx: Context, path: FieldPath, raw: RawObject): RequestTemplate[] {
  const baseUrl = str(raw, 'url');
  const baseMethod = str(raw, 'method') ?? 'GET';
  const baseHeaders = headers(ctx, [...path, 'headers'], obj(raw, 'headers'));
  const entries = arr(raw, 'mix');
  if (entries === undefined) {
    if (baseUrl === undefined) {
      ctx.fail(path, 'missing url: give the URL to request (or a mix of requests)');
      return [];
    }
    return [{ weight: 1, url: url(ctx, [...path, 'url'], baseUrl), method: baseMethod, headers: baseHeaders }];
  }
  const mix = entries.map((e, i): RequestTemplate => {
    const r = e as RawObject;
    const at = [...path, 'mix', i];
    const entryUrl = str(r, 'url') ?? baseUrl;
    if (entryUrl === undefined) ctx.fail(at, 'missing url: set it on this entry or on the generator');
    return {
      weight: num(r, 'weight') ?? 1,
      url: entryUrl === undefined ? '' : url(ctx, [...at, 'url'], entryUrl),
      method: str(r, 'method') ?? baseMethod,
      headers: sortKeys({ ...baseHeaders, ...headers(ctx, [...at, 'headers'], obj(r, 'headers')) }),
    };
  });
  if (mix.reduce((sum, m) => sum + m.weight, 0) <= 0)
    ctx.fail([...path, 'mix'], 'weights add up to 0: at least one entry needs a positive weight');
  return mix;
}
