/**
 * The scenario's words in sim-core's: distributions, application behaviour, the network, and workload
 * targets, as the simulated world takes them. The scenario format speaks percentages (Istio's
 * `percentage.value`); sim-core speaks probabilities, so every percentage is divided by 100 here. Pure
 * functions.
 */
import {
  parseRequestUrl,
  type AppBehaviour,
  type CallStep as WorldCallStep,
  type DistributionSpec,
  type DownstreamCallSpec,
  type LinkSpec,
  type NetworkSpec as WorldNetworkSpec,
  type ProxyLatencySpec,
} from '@meshsim/sim-core';
import type { Distribution } from '../schema/types/common.js';
import { HOP_CLASSES, type NetworkSpec } from '../schema/types/mesh.js';
import type { CallStep, DownstreamCall, WorkloadBehavior } from '../schema/types/workload.js';

/** A scenario distribution as sim-core's `DistributionSpec` (percentile keys `p0`…`p100` become quantiles 0…1). */
export function toDistributionSpec(d: Distribution): DistributionSpec {
  if ('constant' in d) return { kind: 'constant', value: d.constant };
  if ('exponential' in d) return { kind: 'exponential', mean: d.exponential.mean };
  if ('lognormal' in d) return { kind: 'lognormal', median: d.lognormal.median, p99: d.lognormal.p99 };
  if ('uniform' in d) return { kind: 'uniform', min: d.uniform.min, max: d.uniform.max };
  const e = d.empirical;
  if ('samples' in e) return { kind: 'empirical', samples: e.samples };
  const quantiles = Object.entries(e.percentiles)
    // `p99.9` is the 0.999 quantile exactly (99.9 / 100 alone is 0.9990000000000001 in binary floating point).
    .map(([key, value]) => ({ p: Number((Number(key.slice(1)) / 100).toPrecision(12)), value }))
    .sort((a, b) => a.p - b.p);
  return { kind: 'empirical', quantiles };
}

function toCall(call: DownstreamCall): DownstreamCallSpec {
  const { authority, path } = parseRequestUrl(call.url);
  return {
    authority,
    path,
    method: call.method,
    headers: call.headers,
    ...(call.timeout !== undefined ? { timeout: call.timeout } : {}),
    attempts: call.attempts,
    onFailure: typeof call.onFailure === 'number' ? { status: call.onFailure } : call.onFailure,
  };
}

function toStep(step: CallStep): WorldCallStep {
  if ('parallel' in step) return { kind: 'parallel', calls: step.parallel.map(toCall) };
  if ('compute' in step) return { kind: 'compute', time: toDistributionSpec(step.compute) };
  return { kind: 'call', call: toCall(step) };
}

/**
 * A `workloads` entry's behaviour as sim-core's `AppBehaviour` (mesh/app/appSpec.ts): `errors[].percent`
 * and `resets` become probabilities, `overload: 503` becomes `{status: 503}`. Unset fields stay unset, so
 * layering (later entries win field by field) works the same on both sides.
 */
export function toAppBehaviour(w: WorkloadBehavior): AppBehaviour {
  return {
    ...(w.serviceTime !== undefined ? { serviceTime: toDistributionSpec(w.serviceTime) } : {}),
    ...(w.concurrency !== undefined ? { concurrency: w.concurrency } : {}),
    ...(w.queueLimit !== undefined ? { queueLimit: w.queueLimit } : {}),
    ...(w.overload !== undefined ? { overload: w.overload === 'reset' ? 'reset' : { status: w.overload } } : {}),
    ...(w.errors !== undefined
      ? { errors: w.errors.map((e) => ({ status: e.httpStatus, probability: e.percent / 100 })) }
      : {}),
    ...(w.resets !== undefined ? { resetProbability: w.resets / 100 } : {}),
    ...(w.calls !== undefined ? { calls: w.calls.map(toStep) } : {}),
    ...(w.propagateHeaders !== undefined ? { propagateHeaders: w.propagateHeaders } : {}),
  };
}

/** The scenario's `network` as sim-core's network spec (per-hop links; `loss` and `resets` as probabilities). */
export function toWorldNetwork(network: NetworkSpec | undefined): WorldNetworkSpec {
  if (network === undefined) return {};
  const links: Partial<Record<(typeof HOP_CLASSES)[number], Partial<LinkSpec>>> = {};
  for (const hop of HOP_CLASSES) {
    const link = network[hop];
    if (link === undefined) continue;
    links[hop] = {
      ...(link.latency !== undefined ? { latency: toDistributionSpec(link.latency) } : {}),
      ...(link.jitter !== undefined ? { jitter: toDistributionSpec(link.jitter) } : {}),
      ...(link.loss !== undefined ? { loss: link.loss / 100 } : {}),
      ...(link.resets !== undefined ? { resetProbability: link.resets / 100 } : {}),
    };
  }
  return Object.keys(links).length === 0 ? {} : { links };
}

/** The scenario's `network.proxy` as sim-core's per-pass proxy cost. */
export function toProxyLatency(network: NetworkSpec | undefined): ProxyLatencySpec | undefined {
  const proxy = network?.proxy;
  if (proxy === undefined) return undefined;
  return {
    ...(proxy.request !== undefined ? { request: toDistributionSpec(proxy.request) } : {}),
    ...(proxy.response !== undefined ? { response: toDistributionSpec(proxy.response) } : {}),
  };
}
