/**
 * One report variant from one real run of sim-core's world: the summary per destination and the latency
 * histograms (from the outcome aggregates), the traffic split per route with declared weights beside
 * observed shares, the timeline of ejections, overflows, faults, pushes and changes, and the flow charts of
 * sampled requests (from the trace, read as the run went by a {@link RunTraceCollector}), and the service
 * graph (from Istio's `istio_requests_total`). Also the driver that runs a world while feeding the
 * collector, so the trace never has to be kept whole.
 */
import { envoy, type World } from '@meshsim/sim-core';
import {
  applyBadges,
  badgesFromIstioConfig,
  buildServiceGraph,
  buildTimeline,
  graphFromIstioRequests,
  latencySeriesByDestination,
  RunTraceCollector,
  summaryRows,
  type DestinationSummaryLike,
  type ReportExpectation,
  type ReportVariant,
  type RequestFlow,
} from '../model/index.js';
import { flowFromSample } from './flowFromRun.js';
import { trafficSplitFromRun } from './splitFromRun.js';

/**
 * A collector for `world`'s run that samples requests of the scenario's own traffic sources (their pods,
 * VMs or gateway pods), decoded before the first timed change — so the model a sample is explained with
 * is the one it ran with.
 */
export function collectorFor(world: World): RunTraceCollector {
  const firstChange = Math.min(Infinity, ...(world.options.events ?? []).map((e) => e.at));
  const sources = new Set<string>();
  for (const t of world.options.traffic ?? []) {
    const s = t.source;
    if (s.kind === 'pod') sources.add(`${s.namespace}/${s.pod}`);
    else if (s.kind === 'vm') sources.add(`${s.namespace}/${s.name}`);
    else if (s.kind === 'gateway') {
      for (const i of world.instances) if (i.isGateway && i.namespace === s.namespace) sources.add(i.key);
    }
  }
  return new RunTraceCollector({ sampleIf: (proxy, time) => sources.has(proxy) && time < firstChange });
}

/**
 * Runs `world` to the end of its traffic (as `World.run()` does) with a `records` trace, handing the
 * records to `collector` in batches and dropping them, so memory stays bounded by the topology rather
 * than by the number of requests. The trace digest is unaffected (it is computed as records are added).
 */
export function runCollecting(world: World, collector: RunTraceCollector, batch = 4096): void {
  const trace = world.sim.trace;
  if (trace === null || trace.mode !== 'records') {
    throw new RangeError("runCollecting needs a world built with trace: 'records'");
  }
  const drain = (): void => {
    if (trace.records.length === 0) return;
    collector.addAll(trace.records);
    // The trace's array is the engine's own; emptying it here is what keeps a long run's memory bounded.
    trace.records.length = 0;
  };
  world.start();
  drain();
  // world.run stops at the end of traffic (not at the end of a batch: timers must not run on past it).
  while (world.run({ maxEvents: batch }).reason === 'maxEvents') drain();
  drain();
}

/** What {@link reportVariantFromRun} reads. */
export interface RunVariantInput {
  readonly name: string;
  readonly description?: string;
  readonly world: World;
  readonly collector: RunTraceCollector;
  /** Outcomes grouped per destination (sim-core's `OutcomeAggregator.bySubset()`). */
  readonly destinations: readonly DestinationSummaryLike[];
  /** Simulated duration, µs. */
  readonly duration: number;
  /** Istio's standard metrics of the run, for the service graph. */
  readonly metrics?: { renderPrometheus(): string };
  readonly expectations?: readonly ReportExpectation[];
  /** Display path of a manifest file (e.g. relative to the scenario's folder). @defaultValue identity */
  readonly file?: (path: string) => string;
  /** Significance level of the split's exact tests. @defaultValue 0.05 */
  readonly alpha?: number;
}

/** The flow charts of the collector's samples (explained with the model the run started with). */
export function sampleFlows(
  world: World,
  collector: RunTraceCollector,
  file?: (path: string) => string,
): RequestFlow[] {
  const out: RequestFlow[] = [];
  for (const s of collector.samples()) {
    const flow = flowFromSample(s, {
      world,
      model: world.options.model,
      traffic: world.options.traffic ?? [],
      ...(file !== undefined ? { file } : {}),
    });
    if (flow !== undefined) out.push(flow);
  }
  return out;
}

/** Builds one variant of the report from a finished run. */
export function reportVariantFromRun(input: RunVariantInput): ReportVariant {
  const { world, collector } = input;
  const split = trafficSplitFromRun(collector.routed(), {
    world,
    ...(input.file !== undefined ? { file: input.file } : {}),
    ...(input.alpha !== undefined ? { alpha: input.alpha } : {}),
  });
  const events = collector.timelineEvents().filter((e) => e.time <= input.duration);
  let serviceGraph: ReportVariant['serviceGraph'];
  if (input.metrics !== undefined && input.duration > 0) {
    const samples = envoy.parsePrometheusText(input.metrics.renderPrometheus()).flatMap((f) => f.samples);
    const graph = graphFromIstioRequests(samples);
    if (graph.edges.length > 0) {
      const istio = [...world.model.istio.virtualServices, ...world.model.istio.destinationRules];
      serviceGraph = buildServiceGraph({
        ...applyBadges(graph, badgesFromIstioConfig(istio)),
        duration: input.duration,
      });
    }
  }
  const flows = sampleFlows(world, collector, input.file);
  return {
    name: input.name,
    ...(input.description !== undefined ? { description: input.description } : {}),
    duration: input.duration,
    summary: summaryRows(input.destinations),
    ...(split.total > 0 ? { trafficSplit: split } : {}),
    latency: latencySeriesByDestination(input.destinations, input.name),
    ...(events.length > 0 ? { timeline: buildTimeline(events, { start: 0, end: input.duration }) } : {}),
    ...(serviceGraph !== undefined ? { serviceGraph } : {}),
    ...(flows.length > 0 ? { flows } : {}),
    ...(input.expectations !== undefined ? { expectations: input.expectations } : {}),
  };
}
