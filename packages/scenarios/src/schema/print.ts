/**
 * Prints a {@link Scenario} back as scenario YAML, the inverse of loading: `parse(print(s))` equals `s`.
 * Shorthands are used where they say the same thing (a constant distribution as a duration, one request as
 * `url`), defaults are left out, and strings that YAML 1.1 or 1.2 could read as something else are quoted,
 * so inline manifests read back identically under Kubernetes' YAML 1.1 rules too.
 */
import { formatDuration, type Duration } from '@meshsim/sim-core';
import { Document, visit } from 'yaml';
import { describeEvent } from './normalize/events.js';
import { DEFAULT_ALPHA } from './normalize/expect.js';
import { FORTIO_DEFAULT_QPS } from './normalize/traffic.js';
import type { Bounds, Distribution, DurationBounds, InstanceTarget, ManifestSource } from './types/common.js';
import { EVENT_ACTIONS, type ScenarioEvent } from './types/events.js';
import type { Expectation, RequestFilter } from './types/expect.js';
import { HOP_CLASSES, type MeshOverrides, type NetworkSpec } from './types/mesh.js';
import type { Scenario } from './types/scenario.js';
import { isGatewaySource, type TrafficGenerator } from './types/traffic.js';
import type { ManifestPatch, Variant } from './types/variants.js';
import type { VirtualMachineSpec } from './types/vms.js';
import { isCompute, isParallel, type CallStep, type DownstreamCall, type WorkloadSpec } from './types/workload.js';

type Json = unknown;
type JsonObject = Record<string, Json>;

/** The scenario as YAML text. */
export function printScenario(scenario: Scenario): string {
  const doc = new Document(scenarioToJson(scenario));
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && isAmbiguous(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** The scenario as the plain JSON of its YAML form (shorthands used, defaults left out). */
export function scenarioToJson(s: Scenario): JsonObject {
  return compact({
    name: s.name,
    description: s.description === '' ? undefined : s.description,
    seed: s.seed === 1 ? undefined : s.seed,
    duration: dur(s.duration),
    requests: s.requests,
    manifests: s.manifests.length === 0 ? undefined : s.manifests.map(manifest),
    mesh: s.mesh === undefined ? undefined : mesh(s.mesh),
    network: s.network === undefined ? undefined : network(s.network),
    vms: s.vms.length === 0 ? undefined : s.vms.map(vm),
    workloads: s.workloads.length === 0 ? undefined : s.workloads.map(workload),
    traffic: s.traffic.map(traffic),
    events: s.events.length === 0 ? undefined : s.events.map(event),
    variants: s.variants.length === 0 ? undefined : s.variants.map(variant),
    expect: s.expect.length === 0 ? undefined : s.expect.map(expectation),
  });
}

const dur = (d: Duration | undefined): string | undefined => (d === undefined ? undefined : formatDuration(d));

function distribution(d: Distribution): Json {
  if ('constant' in d) return formatDuration(d.constant);
  if ('exponential' in d) return { exponential: { mean: dur(d.exponential.mean) } };
  if ('lognormal' in d) return { lognormal: { median: dur(d.lognormal.median), p99: dur(d.lognormal.p99) } };
  if ('uniform' in d) return { uniform: { min: dur(d.uniform.min), max: dur(d.uniform.max) } };
  if ('samples' in d.empirical) return { empirical: { samples: d.empirical.samples.map((x) => formatDuration(x)) } };
  const table: JsonObject = {};
  for (const [k, v] of Object.entries(d.empirical.percentiles)) table[k] = formatDuration(v);
  return { empirical: { percentiles: table } };
}

function manifest(m: ManifestSource): Json {
  return 'path' in m ? m.path : m.inline;
}

function target(t: InstanceTarget): JsonObject {
  return {
    namespace: t.namespace === 'default' ? undefined : t.namespace,
    pod: t.pod,
    selector: t.selector,
    replica: t.replica,
  };
}

function mesh(m: MeshOverrides): JsonObject {
  return compact({
    ...m,
    connectTimeout: dur(m.connectTimeout),
    defaultHttpRetryPolicy:
      m.defaultHttpRetryPolicy === undefined
        ? undefined
        : { ...m.defaultHttpRetryPolicy, perTryTimeout: dur(m.defaultHttpRetryPolicy.perTryTimeout) },
  });
}

function network(n: NetworkSpec): JsonObject {
  const out: JsonObject = {};
  const dist = (d: Distribution | undefined) => (d === undefined ? undefined : distribution(d));
  for (const hop of HOP_CLASSES) {
    const link = n[hop];
    if (link !== undefined)
      out[hop] = { latency: dist(link.latency), jitter: dist(link.jitter), loss: link.loss, resets: link.resets };
  }
  if (n.proxy !== undefined) out['proxy'] = { request: dist(n.proxy.request), response: dist(n.proxy.response) };
  return compact(out);
}

function vm(v: VirtualMachineSpec): JsonObject {
  return compact({
    name: v.name,
    namespace: v.namespace === 'default' ? undefined : v.namespace,
    address: v.address,
    serviceAccount: v.serviceAccount === 'default' ? undefined : v.serviceAccount,
    labels: Object.keys(v.labels).length === 0 ? undefined : v.labels,
    autoRegisterGroup: v.autoRegisterGroup,
    network: v.network === '' ? undefined : v.network,
    locality: v.locality === '' ? undefined : v.locality,
    proxyMetadata: Object.keys(v.proxyMetadata).length === 0 ? undefined : v.proxyMetadata,
    healthy: v.healthy ? undefined : false,
  });
}

function workload(w: WorkloadSpec): JsonObject {
  return compact({
    ...target(w),
    serviceTime: w.serviceTime === undefined ? undefined : distribution(w.serviceTime),
    concurrency: w.concurrency,
    queueLimit: w.queueLimit,
    overload: w.overload,
    errors: w.errors,
    resets: w.resets,
    calls: w.calls?.map(callStep),
    propagateHeaders: w.propagateHeaders,
  });
}

function callStep(step: CallStep): JsonObject {
  if (isParallel(step)) return { parallel: step.parallel.map(call) };
  if (isCompute(step)) return { compute: distribution(step.compute) };
  return call(step);
}

function call(c: DownstreamCall): JsonObject {
  return {
    url: c.url,
    method: c.method === 'GET' ? undefined : c.method,
    headers: Object.keys(c.headers).length === 0 ? undefined : c.headers,
    timeout: dur(c.timeout),
    attempts: c.attempts === 1 ? undefined : c.attempts,
    onFailure: c.onFailure === 'propagate' ? undefined : c.onFailure,
  };
}

function traffic(t: TrafficGenerator, index: number): JsonObject {
  const from = isGatewaySource(t.from)
    ? {
        gateway: {
          namespace: t.from.gateway.namespace === 'istio-system' ? undefined : t.from.gateway.namespace,
          name: t.from.gateway.name === 'istio-ingressgateway' ? undefined : t.from.gateway.name,
        },
      }
    : target(t.from);
  const single = t.mix.length === 1 && t.mix[0]?.weight === 1 ? t.mix[0] : undefined;
  const request = (r: { url: string; method: string; headers: Readonly<Record<string, string>> }) => ({
    url: r.url,
    method: r.method === 'GET' ? undefined : r.method,
    headers: Object.keys(r.headers).length === 0 ? undefined : r.headers,
  });
  return compact({
    name: t.name === `traffic-${index}` ? undefined : t.name,
    from,
    ...(single === undefined ? {} : request(single)),
    mix:
      single === undefined
        ? t.mix.map((m) => ({ weight: m.weight === 1 ? undefined : m.weight, ...request(m) }))
        : undefined,
    protocol: t.protocol === 'http' ? undefined : t.protocol,
    sni: t.sni,
    rate: t.rate,
    arrival: t.arrival === 'poisson' ? undefined : t.arrival,
    connections: t.connections,
    qps: t.qps === FORTIO_DEFAULT_QPS ? undefined : t.qps,
    uniform: t.uniform === true ? true : undefined,
    jitter: t.jitter === true ? true : undefined,
    noCatchUp: t.noCatchUp === true ? true : undefined,
    startAt: t.startAt === 0 ? undefined : dur(t.startAt),
    duration: dur(t.duration),
    requests: t.requests,
  });
}

function event(e: ScenarioEvent): JsonObject {
  const action = EVENT_ACTIONS.find((a) => a in e) as (typeof EVENT_ACTIONS)[number];
  let body: Json;
  if ('apply' in e) body = e.apply.map(manifest);
  else if ('delete' in e) body = e.delete.map((d) => ('path' in d ? d.path : d));
  else if ('scale' in e)
    body = {
      ...e.scale,
      kind: e.scale.kind === 'Deployment' ? undefined : e.scale.kind,
      namespace: e.scale.namespace === 'default' ? undefined : e.scale.namespace,
    };
  else if ('kill' in e) body = target(e.kill);
  else if ('ready' in e) body = target(e.ready);
  else if ('unready' in e) body = { ...target(e.unready), duration: dur(e.unready.duration) };
  else if ('setWorkload' in e) body = { ...workload(e.setWorkload), duration: dur(e.setWorkload.duration) };
  else if ('partition' in e) body = { node: e.partition.node, duration: dur(e.partition.duration) };
  else body = e.heal;
  return compact({ at: formatDuration(e.at), name: e.name === describeEvent(e) ? undefined : e.name, [action]: body });
}

function variant(v: Variant): JsonObject {
  return compact({
    name: v.name,
    description: v.description === '' ? undefined : v.description,
    patches: v.patches.length === 0 ? undefined : v.patches.map((p: ManifestPatch) => ({ ...p })),
    delete: v.delete.length === 0 ? undefined : v.delete,
    manifests: v.manifests.length === 0 ? undefined : v.manifests.map(manifest),
    mesh: v.mesh === undefined ? undefined : mesh(v.mesh),
    network: v.network === undefined ? undefined : network(v.network),
    workloads: v.workloads.length === 0 ? undefined : v.workloads.map(workload),
  });
}

function filter(f: RequestFilter): JsonObject {
  return compact({
    ...f,
    window: f.window === undefined ? undefined : { start: dur(f.window.start), end: dur(f.window.end) },
  });
}

function expectation(e: Expectation, index: number): JsonObject {
  const bounds = (b: Bounds | undefined) => b;
  const durationBounds = (b: DurationBounds) => ({ min: dur(b.min), max: dur(b.max) });
  const latency: JsonObject = {};
  for (const [k, b] of Object.entries(e.latency ?? {})) latency[k] = durationBounds(b);
  return compact({
    name: e.name === `expect[${index}]` ? undefined : e.name,
    variants: e.variants,
    of: Object.keys(e.of).length === 0 ? undefined : filter(e.of),
    count: bounds(e.count),
    share:
      e.share === undefined
        ? undefined
        : {
            ...e.share,
            to: filter(e.share.to),
            alpha: e.share.alpha === DEFAULT_ALPHA || e.share.percent === undefined ? undefined : e.share.alpha,
          },
    errorRate: e.errorRate,
    statusCodes: e.statusCodes,
    responseFlags: e.responseFlags,
    latency: e.latency === undefined ? undefined : latency,
    retries: e.retries,
    ejections: e.ejections,
  });
}

// Drops undefined fields, recursively, keeping everything else as is.
function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(compact) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = compact(v);
  return out as T;
}

// Plain scalars that YAML 1.1 (how Kubernetes reads manifests) or YAML 1.2 (how meshsim reads the scenario)
// would resolve to something other than a string: the implicit-type patterns of the yaml library's own
// schemas (null, bool, int, float, timestamp, merge), so the printer agrees exactly with the reader.
const IMPLICIT_NON_STRING: readonly RegExp[] = (['1.1', '1.2'] as const).flatMap((version) =>
  new Document(null, { version }).schema.tags.flatMap((t) =>
    t.tag !== 'tag:yaml.org,2002:str' && t.test instanceof RegExp ? [t.test] : [],
  ),
);

function isAmbiguous(text: string): boolean {
  return IMPLICIT_NON_STRING.some((re) => re.test(text));
}
