/**
 * A run's plan: the loaded scenario, one variant and the run's overrides turned into the simulated world's
 * options — the mesh model of the variant's objects, the workload entries in sim-core's terms, the traffic
 * generators, and the events as timed changes. A generator whose `from` selects several instances is split
 * into one world generator per instance sharing its load (each sends `rate / k`, or its share of the
 * connections), named `<generator>.<i>`, so every instance sends through its own netfilter and sidecar.
 */
import {
  buildMeshModel,
  ConfigError,
  loadManifests,
  type Duration,
  type KubeObject,
  type MeshModel,
  type RequestTemplate as WorldRequestTemplate,
  type SimTime,
  type TrafficSource as WorldTrafficSource,
} from '@meshsim/sim-core';
import { effectiveSettings, meshModelOptions } from '../load/effective.js';
import type { LoadedScenario } from '../load/loadScenario.js';
import { selectInstances, viewOfModel, type Instance } from '../load/modelChecks.js';
import type { InstanceTarget } from '../schema/types/common.js';
import type { ScenarioEvent } from '../schema/types/events.js';
import type { Scenario } from '../schema/types/scenario.js';
import { isGatewaySource, type TrafficGenerator } from '../schema/types/traffic.js';
import { BASELINE, type Variant } from '../schema/types/variants.js';
import type { WorkloadSpec } from '../schema/types/workload.js';
import { toAppBehaviour, toProxyLatency, toWorldNetwork } from './convert.js';
import type { TimedChange, TrafficSpec, WorldChange, WorldOptions, WorldWorkloadSpec } from './world.js';

/** What a run may change about the scenario. */
export interface RunOverrides {
  /** Master seed. @defaultValue the scenario's `seed` */
  readonly seed?: number;
  /** The variant to run. @defaultValue `'baseline'` */
  readonly variant?: string;
  /** Every generator sends this many requests (and stops by count only). */
  readonly requests?: number;
  /** Every generator runs this long (and stops by time only). */
  readonly duration?: Duration;
}

/** One world generator and the scenario generator it belongs to. */
export interface PlannedGenerator {
  /** The world generator's name (`users`, or `users.0` when split). */
  readonly worldName: string;
  /** The scenario generator's name. */
  readonly generator: string;
}

/** Everything a run needs, before time 0. */
export interface RunPlan {
  readonly scenario: Scenario;
  readonly variant: string;
  readonly seed: number;
  /** The scenario's generators with the overrides applied (durations and counts as they run). */
  readonly generators: readonly TrafficGenerator[];
  readonly world: Omit<WorldOptions, 'onOutcome' | 'accessLog' | 'trace' | 'accessLogClock'>;
  /** World generator name → scenario generator name. */
  readonly worldGenerators: readonly PlannedGenerator[];
  /** When traffic is planned to end (Infinity when a closed loop runs by count at full speed). */
  readonly horizon: SimTime;
  /** Requests the generators are planned to send (Infinity when a duration-bound open loop decides). */
  readonly plannedRequests: number;
}

/** The generator as this run sends it: the scenario's default stop condition, then the overrides. */
function withOverrides(g: TrafficGenerator, scenario: Scenario, o: RunOverrides): TrafficGenerator {
  const { duration: _d, requests: _r, ...rest } = g;
  if (o.duration !== undefined) return { ...rest, duration: o.duration };
  if (o.requests !== undefined) return { ...rest, requests: o.requests };
  const duration = g.duration ?? (g.requests === undefined ? scenario.duration : undefined);
  const requests = g.requests ?? (g.duration === undefined ? scenario.requests : undefined);
  return { ...rest, ...(duration !== undefined ? { duration } : {}), ...(requests !== undefined ? { requests } : {}) };
}

// The model's instances a target selects (pods and WorkloadEntries), after `replica`.
function targeted(model: MeshModel, target: InstanceTarget): Instance[] {
  const all = selectInstances(viewOfModel(model), target);
  if (target.replica === undefined) return all;
  const one = all[target.replica];
  return one === undefined ? [] : [one];
}

// A selected instance as a world traffic source: a pod, or the VM behind an auto-registered WorkloadEntry.
function sourceOf(model: MeshModel, i: Instance, where: string): WorldTrafficSource {
  if (i.kind === 'Pod') return { kind: 'pod', namespace: i.namespace, pod: i.name };
  const we = model.istio.workloadEntries.find(
    (w) => w.metadata.name === i.name && (w.metadata.namespace ?? 'default') === i.namespace,
  );
  const address = (we?.spec as { address?: unknown } | undefined)?.address;
  const vm = model.virtualMachines.find((v) => v.namespace === i.namespace && v.address === address);
  if (vm === undefined) {
    throw new ConfigError(
      `${where}: WorkloadEntry ${i.namespace}/${i.name} has no VM (vms) to send from`,
      {},
      'scenario/model',
    );
  }
  return { kind: 'vm', namespace: vm.namespace, name: vm.name };
}

// Splits n into k integer parts differing by at most one, larger parts first.
function shares(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
}

function trafficSpecs(g: TrafficGenerator, model: MeshModel): TrafficSpec[] {
  const mix: WorldRequestTemplate[] = g.mix.map((m) => ({
    url: m.url,
    method: m.method,
    headers: m.headers,
    weight: m.weight,
  }));
  const sources: WorldTrafficSource[] = isGatewaySource(g.from)
    ? [{ kind: 'gateway', namespace: g.from.gateway.namespace, name: g.from.gateway.name }]
    : targeted(model, g.from).map((i) => sourceOf(model, i, `traffic ${g.name}`));
  const k = sources.length;
  const name = (i: number): string => (k === 1 ? g.name : `${g.name}.${i}`);
  const limits = (requests: number | undefined) => ({
    ...(g.duration !== undefined ? { duration: g.duration } : {}),
    ...(requests !== undefined ? { requests } : {}),
  });
  const requestShares = g.requests === undefined ? undefined : shares(g.requests, k);
  if (g.rate !== undefined) {
    const rate = g.rate;
    return sources.map((source, i) => ({
      name: name(i),
      source,
      rate: rate / k,
      arrivals: g.arrival ?? 'poisson',
      // Evenly spaced overall: instance i starts i/rate later.
      startAt: g.startAt + (g.arrival === 'constant' ? Math.round((i * 1e6) / rate) : 0),
      mix,
      ...limits(requestShares?.[i]),
    }));
  }
  const connections = g.connections ?? 1;
  const perSource = shares(connections, k);
  const used = sources.map((source, i) => ({ source, c: perSource[i] ?? 0, i })).filter((s) => s.c > 0);
  const reqs =
    g.requests === undefined ? undefined : used.map((s) => Math.floor(((g.requests as number) * s.c) / connections));
  if (reqs !== undefined) reqs[0] = (reqs[0] ?? 0) + (g.requests as number) - reqs.reduce((a, b) => a + b, 0);
  return used.map((s, j) => ({
    name: used.length === 1 ? g.name : name(s.i),
    source: s.source,
    connections: s.c,
    qps: ((g.qps ?? 0) * s.c) / connections,
    uniform: g.uniform ?? false,
    jitter: g.jitter ?? false,
    noCatchUp: g.noCatchUp ?? false,
    startAt: g.startAt,
    mix,
    ...limits(reqs?.[j]),
  }));
}

function toWorldWorkload(w: WorkloadSpec): WorldWorkloadSpec {
  return {
    namespace: w.namespace,
    ...(w.pod !== undefined ? { pod: w.pod } : {}),
    ...(w.selector !== undefined ? { selector: w.selector } : {}),
    ...(w.replica !== undefined ? { replica: w.replica } : {}),
    behaviour: toAppBehaviour(w),
  };
}

const target = (t: InstanceTarget) => ({
  namespace: t.namespace,
  ...(t.pod !== undefined ? { pod: t.pod } : {}),
  ...(t.selector !== undefined ? { selector: t.selector } : {}),
  ...(t.replica !== undefined ? { replica: t.replica } : {}),
});

function toChange(e: ScenarioEvent, i: number, loaded: LoadedScenario): WorldChange {
  if ('apply' in e) return { kind: 'apply', objects: loadManifests(loaded.inputs(e.apply)).objects };
  if ('delete' in e) {
    const refs = e.delete.flatMap((d) => ('path' in d ? [] : [{ ...d }]));
    const byFile = loaded.deletedObjects(i).map((o: KubeObject) => ({
      kind: o.kind,
      name: o.metadata.name,
      apiVersion: o.apiVersion,
      ...(o.metadata.namespace !== undefined ? { namespace: o.metadata.namespace } : {}),
    }));
    return { kind: 'delete', refs: [...refs, ...byFile] };
  }
  if ('scale' in e) {
    return {
      kind: 'scale',
      name: e.scale.name,
      namespace: e.scale.namespace,
      replicas: e.scale.replicas,
      workloadKind: e.scale.kind,
    };
  }
  if ('kill' in e) return { kind: 'kill', target: target(e.kill) };
  if ('unready' in e) {
    return {
      kind: 'unready',
      target: target(e.unready),
      ...(e.unready.duration !== undefined ? { duration: e.unready.duration } : {}),
    };
  }
  if ('ready' in e) return { kind: 'ready', target: target(e.ready) };
  if ('setWorkload' in e) {
    const { duration, ...spec } = e.setWorkload;
    return { kind: 'setWorkload', workload: toWorldWorkload(spec), ...(duration !== undefined ? { duration } : {}) };
  }
  if ('partition' in e) {
    return {
      kind: 'partition',
      node: e.partition.node,
      ...(e.partition.duration !== undefined ? { duration: e.partition.duration } : {}),
    };
  }
  return { kind: 'heal', node: e.heal.node };
}

// When a generator is planned to stop, and how many requests it is planned to send.
function extent(g: TrafficGenerator): { end: SimTime; requests: number } {
  const rate = g.rate ?? (g.qps !== undefined && g.qps > 0 ? g.qps : undefined);
  const byCount =
    g.requests !== undefined && rate !== undefined ? g.startAt + Math.round((g.requests / rate) * 1e6) : Infinity;
  const byTime = g.duration !== undefined ? g.startAt + g.duration : Infinity;
  const closedByCount = g.connections !== undefined && g.requests !== undefined;
  const end = closedByCount ? byCount : Math.min(byCount, byTime);
  const requests =
    g.requests ?? (g.duration !== undefined && rate !== undefined ? Math.floor((g.duration / 1e6) * rate) : Infinity);
  return { end, requests };
}

/** Plans a run of `loaded` with `overrides`; throws a ConfigError for an unknown variant. */
export function planRun(loaded: LoadedScenario, overrides: RunOverrides = {}): RunPlan {
  const { scenario } = loaded;
  const variantName = overrides.variant ?? BASELINE;
  const objects = loaded.variantObjects(variantName); // throws for an unknown name
  const variant: Variant | undefined = scenario.variants.find((v) => v.name === variantName);
  const settings = effectiveSettings(scenario, variant);
  const model = buildMeshModel(objects, meshModelOptions(scenario, variant));
  const generators = scenario.traffic.map((g) => withOverrides(g, scenario, overrides));
  const traffic = generators.flatMap((g) => trafficSpecs(g, model));
  const worldGenerators = generators.flatMap((g) => {
    const n = traffic.filter((t) => t.name === g.name || t.name.startsWith(`${g.name}.`)).map((t) => t.name);
    return n.map((worldName) => ({ worldName, generator: g.name }));
  });
  const events: TimedChange[] = scenario.events.map((e, i) => ({
    at: e.at,
    name: e.name,
    change: toChange(e, i, loaded),
  }));
  const proxyLatency = toProxyLatency(settings.network);
  const compat = settings.mesh?.compatibility;
  const extents = generators.map(extent);
  return {
    scenario,
    variant: variantName,
    seed: overrides.seed ?? scenario.seed,
    generators,
    world: {
      model,
      workloads: settings.workloads.map(toWorldWorkload),
      traffic,
      events,
      network: toWorldNetwork(settings.network),
      ...(proxyLatency !== undefined ? { proxyLatency } : {}),
      ...(compat !== undefined ? { compatibility: compat } : {}),
      seed: overrides.seed ?? scenario.seed,
    },
    worldGenerators,
    horizon: Math.max(0, ...extents.map((e) => e.end)),
    plannedRequests: extents.reduce((a, e) => a + e.requests, 0),
  };
}
