/**
 * `run(loaded, options)`: one run of a scenario — a variant, a seed — in the simulated world, with the
 * scenario's expectations evaluated as outcomes stream by (nothing is kept per request, so memory is
 * bounded by the topology, not by the traffic). Returns the {@link RunResult} (plain data, what `-o json`
 * prints) and the run's telemetry: Istio's metrics, each proxy's Envoy stats, and per-generator latency
 * histograms.
 */
import { describeSource, type TraceMode, type TraceRecord } from '@meshsim/sim-core';
import {
  OutcomeAggregator,
  OutcomeSummary,
  type AccessLogClock,
  type AccessLogSink,
  type IstioMetrics,
  type RequestOutcome,
  type StatsStore,
} from '@meshsim/sim-core/envoy';
import type { LoadedScenario } from '../load/loadScenario.js';
import { expectationAccumulators, type EjectionCounter } from './expectations.js';
import { planRun, type RunOverrides, type RunPlan } from './plan.js';
import type { InstanceInfo, OutcomeContext } from './requestFilter.js';
import type {
  DestinationResult,
  GeneratorResult,
  LatencySummary,
  PodResult,
  RequestStats,
  RunResult,
} from './result.js';
import { applyTimedChanges, resultOf, WorldClass, type World } from './world.js';

/** Where a run stands, for progress bars. */
export interface RunProgress {
  /** Simulated time of the latest outcome, µs. */
  readonly now: number;
  /** When traffic is planned to end, µs (Infinity when unknown). */
  readonly horizon: number;
  /** Requests the generators have seen complete. */
  readonly requests: number;
  /** Requests planned (Infinity when unknown). */
  readonly plannedRequests: number;
}

/** Options of {@link run}. */
export interface RunOptions extends RunOverrides {
  /** Called now and then while the run goes on (every 4096 outcomes). */
  readonly onProgress?: (progress: RunProgress) => void;
  /** Every outcome, as it happens. */
  readonly onOutcome?: (outcome: RequestOutcome, generator: string | undefined) => void;
  /** Istio-format access-log lines of every proxy (access logging is off without it, Istio's default). */
  readonly accessLog?: AccessLogSink;
  readonly accessLogClock?: AccessLogClock;
  /** @defaultValue `'off'` */
  readonly trace?: TraceMode;
  /**
   * Given the world once it is built, returns a consumer of its trace records. The run then keeps a
   * `records` trace and hands it over in batches as it goes, dropping each batch afterwards — memory stays
   * bounded however long the run (the HTML report reads a run this way).
   */
  readonly traceSink?: (world: World) => (records: readonly TraceRecord[]) => void;
}

/** A run's result and its telemetry. */
export interface RunOutput {
  readonly result: RunResult;
  readonly plan: RunPlan;
  /** Istio's standard metrics of every proxy (`renderPrometheus()`). */
  readonly metrics: IstioMetrics;
  /** Envoy `/stats` of each proxy, by `namespace/pod`, in name order. */
  readonly proxyStats: ReadonlyMap<string, StatsStore>;
  /** Per scenario generator: what its requests got (HDR latency histogram included). */
  readonly generatorSummaries: ReadonlyMap<string, OutcomeSummary>;
  /** Per scenario generator: exact latency moments (µs) and the time span of its requests. */
  readonly generatorMoments: ReadonlyMap<string, Moments>;
  readonly world: World;
  /** Every outcome, per destination (service, subset, pod), with the hosts of sidecar-less calls made canonical. */
  readonly outcomes: OutcomeAggregator;
}

/** Exact moments of a set of latencies, µs. */
export interface Moments {
  count: number;
  sum: number;
  sumSquares: number;
  min: number;
  max: number;
  firstStart: number;
  lastEnd: number;
  /** Latencies of requests whose status was not 2xx (Fortio's ErrorsDurationHistogram), µs. */
  errorCount: number;
}

const newMoments = (): Moments => ({
  count: 0,
  sum: 0,
  sumSquares: 0,
  min: Infinity,
  max: -Infinity,
  firstStart: Infinity,
  lastEnd: -Infinity,
  errorCount: 0,
});

function instanceInfo(world: World, key: string): InstanceInfo | undefined {
  const i = world.instance(key);
  if (i === undefined) return undefined;
  const version = i.labels['version'];
  return { namespace: i.namespace, workload: i.workload, ...(version !== undefined ? { version } : {}) };
}

function contextOf(world: World, generatorOf: ReadonlyMap<string, string>): OutcomeContext {
  const dest = new Map<string, InstanceInfo | undefined>();
  const src = new Map<string, InstanceInfo | undefined>();
  return {
    destination(pod) {
      if (!dest.has(pod)) dest.set(pod, instanceInfo(world, pod));
      return dest.get(pod);
    },
    source(label) {
      if (!src.has(label)) {
        const space = label.indexOf(' ');
        const kind = label.slice(0, space);
        src.set(label, kind === 'pod' || kind === 'vm' ? instanceInfo(world, label.slice(space + 1)) : undefined);
      }
      return src.get(label);
    },
    generator: (name) => generatorOf.get(name),
    port: servicePortOf(world),
  };
}

/**
 * The service port of an outcome: its upstream host's port (the endpoint's, i.e. the port's `targetPort`)
 * mapped back to the port of the destination service — a Kubernetes Service or a ServiceEntry host — that
 * targets it; a service with one port needs no mapping (a named `targetPort`).
 */
function servicePortOf(world: World): (o: RequestOutcome) => number | undefined {
  const cache = new Map<string, number | undefined>();
  return (o) => {
    const host = o.upstreamHost;
    if (host === undefined) return undefined;
    const endpointPort = Number(host.slice(host.lastIndexOf(':') + 1));
    const key = `${o.destination.service}\u0000${endpointPort}`;
    if (cache.has(key)) return cache.get(key);
    // The registry holds Kubernetes Services and ServiceEntry hosts alike, each port with its targetPort.
    const ports = world.model.registry.services.find((x) => x.hostname === o.destination.service)?.ports ?? [];
    const port =
      ports.find((p) => (typeof p.targetPort === 'number' ? p.targetPort : p.port) === endpointPort)?.port ??
      (ports.length === 1 ? ports[0]?.port : undefined);
    cache.set(key, port);
    return port;
  };
}

/** Runs one variant of a loaded scenario with one seed. */
export function run(loaded: LoadedScenario, options: RunOptions = {}): RunOutput {
  const plan = planRun(loaded, options);
  const generatorOf = new Map(plan.worldGenerators.map((g) => [g.worldName, g.generator]));
  const moments = new Map(plan.generators.map((g) => [g.name, newMoments()]));
  const retries = new Map<string, number>();
  const genRetries = new Map<string, number>();
  let accumulators: ReturnType<typeof expectationAccumulators> = [];
  let completed = 0;
  const onProgress = options.onProgress;
  const outcomes = new OutcomeAggregator({});
  // The world hands out one destination object per (cluster, host): its summary is looked up once.
  const groups = new WeakMap<object, OutcomeSummary>();
  let canonical: (o: RequestOutcome) => RequestOutcome = (o) => o;
  const onOutcome = (raw: RequestOutcome): void => {
    const o = canonical(raw);
    let group = groups.get(o.destination);
    if (group === undefined) groups.set(o.destination, (group = outcomes.group(o.destination)));
    outcomes.addToGroup(group, o);
    const generator = o.generator === undefined ? undefined : generatorOf.get(o.generator);
    if (generator !== undefined) {
      completed++;
      const m = moments.get(generator) as Moments;
      const d = o.duration;
      m.count++;
      m.sum += d;
      m.sumSquares += d * d;
      if (d < m.min) m.min = d;
      if (d > m.max) m.max = d;
      if (o.startTime < m.firstStart) m.firstStart = o.startTime;
      if (o.startTime + d > m.lastEnd) m.lastEnd = o.startTime + d;
      if (o.status < 200 || o.status >= 300) m.errorCount++;
      if (o.attempts > 1) genRetries.set(generator, (genRetries.get(generator) ?? 0) + o.attempts - 1);
      if (onProgress !== undefined && (completed & 4095) === 0) {
        onProgress({
          now: o.startTime + d,
          horizon: plan.horizon,
          requests: completed,
          plannedRequests: plan.plannedRequests,
        });
      }
    }
    if (o.attempts > 1) {
      const key = destinationKey(o.destination.service, o.destination.subset, o.destination.pod);
      retries.set(key, (retries.get(key) ?? 0) + o.attempts - 1);
    }
    for (const a of accumulators) a.add(o);
    options.onOutcome?.(o, generator);
  };
  const world = new WorldClass({
    ...plan.world,
    onOutcome,
    ...(options.accessLog !== undefined ? { accessLog: options.accessLog } : {}),
    ...(options.accessLogClock !== undefined ? { accessLogClock: options.accessLogClock } : {}),
    ...(options.trace !== undefined ? { trace: options.trace } : {}),
    ...(options.traceSink !== undefined ? { trace: 'records' as const } : {}),
  });
  accumulators = expectationAccumulators(plan.scenario.expect, plan.variant, contextOf(world, generatorOf));
  canonical = canonicalDestinations(world);
  applyTimedChanges(world, plan.world.events ?? []);
  if (options.traceSink !== undefined) runDraining(world, options.traceSink(world));
  else world.run();
  const sim = resultOf(world);
  onProgress?.({ now: sim.endTime, horizon: plan.horizon, requests: completed, plannedRequests: plan.plannedRequests });

  const ejections = ejectionCounter(world, sim.proxyStats);
  const expectations = accumulators.map((a) => a.result(ejections));
  const generatorSummaries = new Map<string, OutcomeSummary>();
  for (const g of plan.generators) {
    const summary = new OutcomeSummary({});
    for (const w of plan.worldGenerators) {
      const part = w.generator === g.name ? sim.byGenerator.get(w.worldName) : undefined;
      if (part !== undefined) summary.merge(part.overall);
    }
    generatorSummaries.set(g.name, summary);
  }
  const generators: GeneratorResult[] = plan.generators.map((g) => {
    const summary = generatorSummaries.get(g.name) as OutcomeSummary;
    const m = moments.get(g.name) as Moments;
    const parts = plan.worldGenerators.filter((w) => w.generator === g.name).map((w) => w.worldName);
    const stats = sim.generators.filter((s) => parts.includes(s.name));
    const span = m.lastEnd - m.firstStart;
    return {
      name: g.name,
      from: (plan.world.traffic ?? []).filter((t) => parts.includes(t.name)).map((t) => describeSource(t.source)),
      sent: stats.reduce((a, s) => a + s.sent, 0),
      completed: stats.reduce((a, s) => a + s.completed, 0),
      actualQps: span > 0 ? (m.count * 1e6) / span : 0,
      ...requestStats(summary, genRetries.get(g.name) ?? 0),
    };
  });
  const result: RunResult = {
    kind: 'meshsim.run',
    schemaVersion: 1,
    scenario: plan.scenario.name,
    description: plan.scenario.description,
    variant: plan.variant,
    seed: plan.seed,
    simulatedTime: sim.endTime,
    eventsFired: sim.events,
    digest: sim.digest,
    generators,
    destinations: destinations(world, outcomes, retries, ejections),
    events: plan.scenario.events.map((e) => ({ at: e.at, name: e.name })),
    expectations,
    passed: expectations.every((x) => x.passed),
  };
  return {
    result,
    plan,
    metrics: sim.metrics,
    proxyStats: sim.proxyStats,
    generatorSummaries,
    generatorMoments: moments,
    world,
    outcomes,
  };
}

/**
 * `world.run()` with its trace records handed to `sink` in batches (every 4096 events) and then dropped.
 * The trace digest is unaffected: it is computed as records are added.
 */
function runDraining(world: World, sink: (records: readonly TraceRecord[]) => void): void {
  const trace = world.sim.trace;
  const drain = (): void => {
    if (trace === null || trace.records.length === 0) return;
    sink(trace.records);
    // Emptying the engine's record list is what keeps a long run's memory bounded.
    trace.records.length = 0;
  };
  world.start();
  drain();
  // world.run stops at the end of traffic (not at the end of a batch: timers must not run on past it).
  while (world.run({ maxEvents: 4096 }).reason === 'maxEvents') drain();
  drain();
}

function destinationKey(service: string, subset: string | undefined, pod: string | undefined): string {
  return `${service}\u0000${subset ?? ''}\u0000${pod ?? ''}`;
}

/** A summary's numbers as plain data. */
export function requestStats(s: OutcomeSummary, retries: number): RequestStats {
  const errors = s.statusCounts().reduce((a, [code, n]) => a + (code === 0 || code >= 500 ? n : 0), 0);
  return {
    requests: s.count,
    statusCodes: Object.fromEntries(s.statusCounts().map(([k, v]) => [String(k), v])),
    responseFlags: Object.fromEntries(s.flagCounts()),
    errorRate: s.count === 0 ? 0 : (100 * errors) / s.count,
    retries,
    latency: latencySummary(s),
  };
}

function latencySummary(s: OutcomeSummary): LatencySummary | null {
  const h = s.latency;
  if (h.count === 0) return null;
  // HDR percentiles are the upper end of their bucket: never report one above the exact maximum.
  const at = (p: number): number => Math.min(h.percentile(p), h.max);
  return { p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), mean: h.mean, max: h.max };
}

function destinations(
  world: World,
  outcomes: OutcomeAggregator,
  retries: ReadonlyMap<string, number>,
  ejections: EjectionCounter,
): DestinationResult[] {
  const byService = new Map(outcomes.byService().map((d) => [d.service, d.summary.count]));
  const pods = outcomes.byPod();
  return outcomes.bySubset().map((d) => {
    const total = byService.get(d.service) ?? 0;
    const mine = pods.filter((p) => p.service === d.service && (p.subset ?? '') === (d.subset ?? ''));
    let subsetRetries = 0;
    const podResults: PodResult[] = mine.map((p) => {
      const r = retries.get(destinationKey(p.service, p.subset, p.pod)) ?? 0;
      subsetRetries += r;
      const info = p.pod === undefined ? undefined : world.instance(p.pod);
      const version = info?.labels['version'];
      return {
        pod: p.pod ?? '',
        ...(info !== undefined ? { workload: info.workload } : {}),
        ...(version !== undefined ? { version } : {}),
        share: d.summary.count === 0 ? 0 : (100 * p.summary.count) / d.summary.count,
        ...requestStats(p.summary, r),
      };
    });
    return {
      service: d.service,
      ...(d.subset !== undefined ? { subset: d.subset } : {}),
      share: total === 0 ? 0 : (100 * d.summary.count) / total,
      ejections:
        d.service === ''
          ? 0
          : ejections({ service: d.service, ...(d.subset !== undefined ? { subset: d.subset } : {}) }, undefined),
      pods: podResults,
      ...requestStats(d.summary, subsetRetries),
    };
  });
}

const EJECTIONS = '.outlier_detection.ejections_enforced_total';

/**
 * Ejections counted by each proxy's Envoy stats: `cluster.<outbound|port|subset|host>.outlier_detection.
 * ejections_enforced_total`, summed over the clusters of a destination (every subset when none is given)
 * and over the proxies of a source (every proxy when none is given).
 */
function ejectionCounter(world: World, stats: ReadonlyMap<string, StatsStore>): EjectionCounter {
  const rows: { proxy: string; port: number; subset: string; host: string; value: number }[] = [];
  for (const [proxy, store] of stats) {
    for (const [name, value] of store.numericStats()) {
      if (!name.startsWith('cluster.') || !name.endsWith(EJECTIONS)) continue;
      const parts = name.slice('cluster.'.length, -EJECTIONS.length).split('|');
      if (parts.length !== 4 || parts[0] !== 'outbound') continue;
      rows.push({ proxy, port: Number(parts[1]), subset: parts[2] ?? '', host: parts[3] ?? '', value });
    }
  }
  return (destination, source) =>
    rows
      .filter((r) => {
        if (destination.service !== undefined && r.host !== destination.service) return false;
        if (destination.subset !== undefined && r.subset !== destination.subset) return false;
        if (destination.port !== undefined && r.port !== destination.port) return false;
        if (source?.namespace === undefined && source?.workload === undefined) return true;
        const i = world.instance(r.proxy);
        return (
          i !== undefined &&
          (source.namespace === undefined || i.namespace === source.namespace) &&
          (source.workload === undefined || i.workload === source.workload)
        );
      })
      .reduce((a, r) => a + r.value, 0);
}

/**
 * Outcomes of calls that no Envoy routed (a pod without a sidecar: kube-proxy's DNAT) name the host as the
 * caller wrote it (`nginx`). The caller's resolver expanded it with its search path (`<ns>.svc.<domain>`,
 * `svc.<domain>`, `<domain>`: Kubernetes' pod DNS policy), so the outcome is given the Service FQDN it
 * reached, as Istio's `destination_service` label would name it.
 */
function canonicalDestinations(world: World): (o: RequestOutcome) => RequestOutcome {
  const cache = new Map<string, string>();
  const destinations = new Map<string, RequestOutcome['destination']>();
  const hosts = (): Set<string> =>
    new Set(
      world.model.cluster.services.map((svc) => `${svc.name}.${svc.namespace}.svc.${world.model.cluster.domain}`),
    );
  let known: Set<string> | undefined;
  let knownOf: unknown;
  return (o) => {
    const service = o.destination.service;
    if (service === '' || o.destination.subset !== undefined || service.includes('.svc.')) return o;
    const key = `${o.source}\u0000${service}`;
    let host = cache.get(key);
    if (host === undefined) {
      if (knownOf !== world.model) {
        known = hosts();
        knownOf = world.model;
      }
      const space = o.source.indexOf(' ');
      const ns = world.instance(o.source.slice(space + 1))?.namespace;
      const domain = world.model.cluster.domain;
      const candidates = [
        ...(ns !== undefined ? [`${service}.${ns}.svc.${domain}`] : []),
        `${service}.svc.${domain}`,
        `${service}.${domain}`,
      ];
      host = candidates.find((c) => known?.has(c)) ?? service;
      cache.set(key, host);
    }
    if (host === service) return o;
    const dkey = `${host}\u0000${o.destination.pod ?? ''}`;
    let destination = destinations.get(dkey);
    if (destination === undefined) destinations.set(dkey, (destination = { ...o.destination, service: host }));
    return { ...o, destination };
  };
}
