/**
 * One run of a classroom scenario with the sliders' settings — in the browser, with sim-core unchanged:
 * the scenario's manifests (loaded once) edited by the settings, the mesh model rebuilt, the world run with
 * its trace read as it goes, and everything the page shows built from that run: the split per route with
 * declared beside observed shares, latency per destination, the timeline, sampled request paths, and the
 * lesson route's requests per destination.
 */
import { buildMeshModel, envoy, loadManifestsOrThrow, World, type KubeObject } from '@meshsim/sim-core';
import { buildTimeline } from '../model/timeline.js';
import { destinationId, destinationLabel, latencySeriesByDestination, summaryRows } from '../model/outcomeAdapters.js';
import type { RoutedRequests } from '../model/runTrace.js';
import { trafficSplitFromRun } from '../run/splitFromRun.js';
import { collectorFor, runCollecting, sampleFlows } from '../run/variantFromRun.js';
import { applySettings } from './settings.js';
import type { ClassroomRun, ClassroomScenario, ClassroomSettings, Lesson } from './types.js';

/** Loads a scenario's manifests once (they were validated when the page was built). */
export function loadClassroomObjects(s: ClassroomScenario): readonly KubeObject[] {
  return loadManifestsOrThrow(s.manifests, { validate: false });
}

/** `outbound|80|v2|canary.canary.svc.cluster.local` → `canary.canary.svc.cluster.local|v2`. */
function destinationOfCluster(cluster: string): string | undefined {
  const p = cluster.split('|');
  return p.length === 4 && p[0] === 'outbound'
    ? destinationId(p[3] as string, p[2] === '' ? undefined : p[2])
    : undefined;
}

/** The lesson route's requests per destination (fault aborts and other local replies as their own rows). */
export function lessonShares(
  routed: readonly RoutedRequests[],
  lesson: Lesson,
  settings: ClassroomSettings,
): ClassroomRun['routeShares'] {
  const r = lesson.route;
  const rows = new Map<string, { destination: string; label: string; count: number; declared?: number }>();
  const dests = r?.destinations ?? [];
  const w = settings.canaryWeight;
  const weights = dests.map((d, j) =>
    w === undefined || dests.length < 2 ? d.weight : j === 0 ? 100 - w : j === 1 ? w : 0,
  );
  const total = weights.reduce((a, b) => a + b, 0);
  dests.forEach((d, j) =>
    rows.set(destinationId(d.host, d.subset), {
      destination: destinationId(d.host, d.subset),
      label: d.label,
      count: 0,
      ...(total > 0 ? { declared: (weights[j] ?? 0) / total } : {}),
    }),
  );
  for (const x of routed) {
    const p = x.route;
    const mine =
      r !== undefined
        ? p?.kind === 'VirtualService' &&
          p.name === r.name &&
          (p.namespace ?? 'default') === r.namespace &&
          p.httpRouteIndex === r.httpIndex
        : x.cluster !== undefined && destinationOfCluster(x.cluster)?.startsWith(`${lesson.host}|`) === true;
    if (!mine) continue;
    const id = x.aborted
      ? `fault abort ${x.status} (FI)`
      : x.cluster !== undefined
        ? (destinationOfCluster(x.cluster) ?? x.cluster)
        : `local reply ${x.status} ${x.flags}`;
    const [host, subset] = id.split('|');
    const label = id.includes('|') ? destinationLabel(host ?? '', subset === '' ? undefined : subset) : id;
    const row = rows.get(id) ?? { destination: id, label, count: 0 };
    row.count += x.count;
    rows.set(id, row);
  }
  return [...rows.values()];
}

/** Runs a classroom scenario with `settings`. Deterministic: same scenario, settings and seed, same run. */
export function runLesson(
  s: ClassroomScenario,
  objects: readonly KubeObject[],
  settings: ClassroomSettings,
): ClassroomRun {
  const applied = applySettings(objects, s.lesson, settings);
  const model = buildMeshModel(applied.objects, s.meshModel);
  const outcomes = new envoy.OutcomeAggregator({});
  const world = new World({
    ...s.world,
    workloads: [...(s.world.workloads ?? []), ...applied.workloads],
    model,
    seed: settings.seed ?? s.seed,
    trace: 'records',
    onOutcome: (o) => outcomes.add(o),
  });
  const collector = collectorFor(world);
  runCollecting(world, collector);
  const routed = collector.routed();
  const split = trafficSplitFromRun(routed, { world });
  const groups = outcomes.bySubset();
  const end = world.sim.now;
  const events = collector.timelineEvents();
  return {
    scenario: s.name,
    settings,
    changes: applied.changes,
    summary: summaryRows(groups),
    ...(split.total > 0 ? { trafficSplit: split } : {}),
    latency: latencySeriesByDestination(groups),
    ...(events.length > 0 && end > 0 ? { timeline: buildTimeline(events, { start: 0, end }) } : {}),
    flows: sampleFlows(world, collector),
    requests: outcomes.overall.count,
    simulated: end,
    routeShares: lessonShares(routed, s.lesson, settings),
  };
}
