/**
 * `simulate(options)`: builds the world from a mesh model, runs its traffic and timed changes, and returns
 * what came out — outcomes aggregated per destination and per generator (HDR histograms), Istio's standard
 * metrics, each proxy's Envoy stats, the outcome digest, the trace when asked for — never a per-request
 * array (outcomes stream to `onOutcome`, access-log lines to `accessLog`). Pure TypeScript; runs unchanged in
 * a browser.
 */
import type { SimTime } from '../../engine/time.js';
import type { Trace } from '../../engine/trace.js';
import type { IstioMetrics } from '../../envoy/observability/istioMetrics.js';
import type { OutcomeAggregator } from '../../envoy/observability/outcome.js';
import type { StatsStore } from '../../envoy/observability/statsStore.js';
import { applyTimedChanges } from './dynamics.js';
import type { RunLimit, WorldOptions } from './options.js';
import type { OutcomeCounts } from './telemetry.js';
import { World } from './world.js';

/** Options of {@link simulate}: a world and when to stop. */
export interface SimulateOptions extends WorldOptions, RunLimit {}

/** What a run produced. */
export interface SimulationResult {
  /** Every call's outcome, aggregated per destination (service, subset, pod) and overall. */
  readonly outcomes: OutcomeAggregator;
  /** Outcomes of the calls each traffic generator sent. */
  readonly byGenerator: ReadonlyMap<string, OutcomeAggregator>;
  readonly counts: Readonly<OutcomeCounts>;
  /** Istio's standard metrics of every proxy (render them with `renderPrometheus()`). */
  readonly metrics: IstioMetrics;
  /** Each proxy's Envoy stats (`/stats`), by `namespace/pod`. */
  readonly proxyStats: ReadonlyMap<string, StatsStore>;
  /** Requests each generator sent and saw complete. */
  readonly generators: readonly { readonly name: string; readonly sent: number; readonly completed: number }[];
  /** Calls started but not ended when the run stopped (0 unless `until` cut traffic short). */
  readonly inFlight: number;
  /** Fingerprint of every outcome in order: equal runs have equal digests. */
  readonly digest: string;
  /** The trace (`trace: 'digest'` or `'records'`), else null. */
  readonly trace: Trace | null;
  /** Simulated time when the run stopped, and when the last outcome was recorded. */
  readonly endTime: SimTime;
  readonly lastOutcomeTime: SimTime;
  /** Events fired. */
  readonly events: number;
  /** The world itself, for inspection after the run. */
  readonly world: World;
}

/** Runs a simulation to the end of its traffic (or to `until`). */
export function simulate(options: SimulateOptions): SimulationResult {
  const world = new World(options);
  applyTimedChanges(world, options.events ?? []);
  world.run(options.until !== undefined ? { until: options.until } : {});
  return resultOf(world);
}

/** The result of a world as it stands. */
export function resultOf(world: World): SimulationResult {
  const t = world.telemetry;
  const proxyStats = new Map<string, StatsStore>();
  for (const p of world.proxies) proxyStats.set(p.name, p.stats);
  return {
    outcomes: t.outcomes,
    byGenerator: t.byGenerator,
    counts: { ...t.counts },
    metrics: t.metrics,
    proxyStats,
    generators: world.trafficGenerators.map((g) => ({
      name: g.name,
      sent: g.stats.sent,
      completed: g.stats.completed,
    })),
    inFlight: world.callsInFlight,
    digest: t.outcomeDigest,
    trace: world.sim.trace,
    endTime: world.sim.now,
    lastOutcomeTime: t.lastOutcomeTime,
    events: world.sim.eventsFired,
    world,
  };
}
