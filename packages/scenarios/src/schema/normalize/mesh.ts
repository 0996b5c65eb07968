/** Normalizers of the `mesh` and `network` sections. */
import type { FieldPath } from '@meshsim/sim-core';
import { HOP_CLASSES, type LinkOverride, type MeshOverrides, type NetworkSpec } from '../types/mesh.js';
import { distribution, sortKeys } from './common.js';
import { arr, bool, num, obj, opt, str, type Context, type RawObject } from './context.js';

/** Proxy metadata keys meshsim reads, with the values Istio's agent accepts. */
const BOOLEAN_METADATA = ['ISTIO_META_DNS_CAPTURE', 'ISTIO_META_DNS_AUTO_ALLOCATE'];

/** `mesh`. */
export function meshOverrides(ctx: Context, path: FieldPath, raw: RawObject): MeshOverrides {
  const retry = obj(raw, 'defaultHttpRetryPolicy');
  const proxy = obj(raw, 'defaultConfig');
  const compat = obj(raw, 'compatibility');
  const metadata = proxy === undefined ? undefined : obj(proxy, 'proxyMetadata');
  for (const key of BOOLEAN_METADATA) {
    const v = metadata?.[key];
    // The agent parses these with strconv.ParseBool (pkg/env); anything else is an error at start-up.
    if (
      typeof v === 'string' &&
      !['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)
    ) {
      ctx.fail([...path, 'defaultConfig', 'proxyMetadata', key], `must be "true" or "false", not ${JSON.stringify(v)}`);
    }
  }
  return {
    ...opt('outboundTrafficPolicy', obj(raw, 'outboundTrafficPolicy') as MeshOverrides['outboundTrafficPolicy']),
    ...opt(
      'connectTimeout',
      raw['connectTimeout'] === undefined
        ? undefined
        : ctx.positiveDuration([...path, 'connectTimeout'], raw['connectTimeout'], 'Envoy needs a connect timeout'),
    ),
    ...opt('enableAutoMtls', bool(raw, 'enableAutoMtls')),
    ...opt('rootNamespace', str(raw, 'rootNamespace')),
    ...opt('defaultServiceExportTo', arr(raw, 'defaultServiceExportTo') as readonly string[] | undefined),
    ...opt('defaultVirtualServiceExportTo', arr(raw, 'defaultVirtualServiceExportTo') as readonly string[] | undefined),
    ...opt(
      'defaultDestinationRuleExportTo',
      arr(raw, 'defaultDestinationRuleExportTo') as readonly string[] | undefined,
    ),
    ...opt(
      'defaultHttpRetryPolicy',
      retry === undefined
        ? undefined
        : {
            ...opt('attempts', num(retry, 'attempts')),
            ...opt(
              'perTryTimeout',
              retry['perTryTimeout'] === undefined
                ? undefined
                : ctx.positiveDuration(
                    [...path, 'defaultHttpRetryPolicy', 'perTryTimeout'],
                    retry['perTryTimeout'],
                    'Istio requires a per-try timeout of at least 1ms',
                  ),
            ),
            ...opt('retryOn', str(retry, 'retryOn')),
            ...opt('retryRemoteLocalities', bool(retry, 'retryRemoteLocalities')),
          },
    ),
    ...opt('localityLbSetting', obj(raw, 'localityLbSetting') as MeshOverrides['localityLbSetting']),
    ...opt('h2UpgradePolicy', str(raw, 'h2UpgradePolicy') as MeshOverrides['h2UpgradePolicy']),
    ...opt(
      'defaultConfig',
      proxy === undefined
        ? undefined
        : {
            ...opt('concurrency', num(proxy, 'concurrency')),
            ...opt('proxyMetadata', metadata === undefined ? undefined : sortKeys(metadata as Record<string, string>)),
          },
    ),
    ...opt(
      'compatibility',
      compat === undefined
        ? undefined
        : {
            ...opt('outlierEjectionRule', str(compat, 'outlierEjectionRule') as 'current' | 'legacy' | undefined),
            ...opt('retryBackOff', str(compat, 'retryBackOff') as 'current' | 'legacy' | undefined),
          },
    ),
  };
}

/** `network`. */
export function networkSpec(ctx: Context, path: FieldPath, raw: RawObject): NetworkSpec {
  const out: Record<string, unknown> = {};
  for (const hop of HOP_CLASSES) {
    const link = obj(raw, hop);
    if (link !== undefined) out[hop] = linkOverride(ctx, [...path, hop], link);
  }
  const proxy = obj(raw, 'proxy');
  if (proxy !== undefined) {
    out['proxy'] = {
      ...opt(
        'request',
        proxy['request'] === undefined ? undefined : distribution(ctx, [...path, 'proxy', 'request'], proxy['request']),
      ),
      ...opt(
        'response',
        proxy['response'] === undefined
          ? undefined
          : distribution(ctx, [...path, 'proxy', 'response'], proxy['response']),
      ),
    };
  }
  return out as NetworkSpec;
}

function linkOverride(ctx: Context, path: FieldPath, raw: RawObject): LinkOverride {
  return {
    ...opt(
      'latency',
      raw['latency'] === undefined ? undefined : distribution(ctx, [...path, 'latency'], raw['latency']),
    ),
    ...opt('jitter', raw['jitter'] === undefined ? undefined : distribution(ctx, [...path, 'jitter'], raw['jitter'])),
    ...opt('loss', num(raw, 'loss')),
    ...opt('resets', num(raw, 'resets')),
  };
}
