/**
 * The traffic-split Sankey of a real run: every routing decision the run's Envoys made (counted by
 * {@link RunTraceCollector}), as source workload → VirtualService route → destination subset → pod, with
 * each route's weights as its manifest declares them. A VirtualService replaced during the run (a canary's
 * weight shifts) gives one route node per version, labelled with the change that applied it, each tested
 * against its own weights. Requests the fault filter aborted and local replies (404 `NR`) end in their own
 * destination nodes, so declared shares are compared among the requests that reached a declared
 * destination.
 */
import { formatDuration, type KubeObject, type World } from '@meshsim/sim-core';
import {
  buildTrafficSplit,
  destinationId,
  destinationLabel,
  splitRouteFromVirtualService,
  type RoutedRequests,
  type SplitFlowSpec,
  type SplitRouteSpec,
  type TrafficSplit,
} from '../model/index.js';

/** A VirtualService the run may have routed with, and when it was applied. */
export interface RunVirtualService {
  readonly object: KubeObject;
  /** When it was applied, µs (0 for the manifests the run started with). */
  readonly at: number;
  /** The change that applied it. */
  readonly change?: string;
}

/** The VirtualServices of a world's run: the initial model's, then those each `apply` change brought. */
export function runVirtualServices(world: World): RunVirtualService[] {
  const out: RunVirtualService[] = world.options.model.istio.virtualServices.map((object) => ({ object, at: 0 }));
  for (const e of world.options.events ?? []) {
    if (e.change.kind !== 'apply') continue;
    for (const object of e.change.objects)
      if (object.kind === 'VirtualService')
        out.push({ object, at: e.at, ...(e.name !== undefined ? { change: e.name } : {}) });
  }
  return out;
}

/** Options of {@link trafficSplitFromRun}. */
export interface SplitFromRunOptions {
  readonly world: World;
  /** @defaultValue {@link runVirtualServices}(world) */
  readonly virtualServices?: readonly RunVirtualService[];
  /** Display path of a manifest file. @defaultValue identity */
  readonly file?: (path: string) => string;
  /** @defaultValue 0.05 */
  readonly alpha?: number;
}

/** `outbound|80|v2|canary.canary.svc.cluster.local` → host and subset; other names as they are. */
function clusterDestination(cluster: string, domain: string): { id: string; label: string } {
  const parts = cluster.split('|');
  if (parts.length === 4 && parts[0] === 'outbound') {
    const host = parts[3] as string;
    const subset = parts[2] === '' ? undefined : parts[2];
    return { id: destinationId(host, subset), label: destinationLabel(host, subset, domain) };
  }
  return { id: `cluster:${cluster}`, label: cluster };
}

/** Builds the Sankey of a run's routing decisions. */
export function trafficSplitFromRun(routed: readonly RoutedRequests[], options: SplitFromRunOptions): TrafficSplit {
  const world = options.world;
  const domain = world.model.cluster.domain;
  const file = options.file ?? ((p: string) => p);
  const vss = options.virtualServices ?? runVirtualServices(world);
  const routes = new Map<string, SplitRouteSpec>();
  const flows = new Map<string, SplitFlowSpec & { count: number }>();
  // How many versions of each VirtualService http route the run used (more than one: label by origin).
  const versions = new Map<string, Set<string>>();
  for (const r of routed) {
    const p = r.route;
    if (p?.kind === 'VirtualService' && p.httpRouteIndex !== undefined) {
      const k = `${p.namespace ?? ''}/${p.name}#${p.httpRouteIndex}`;
      const v = versions.get(k) ?? new Set<string>();
      v.add(`${p.file ?? ''}:${p.line ?? ''}`);
      versions.set(k, v);
    }
  }
  const routeOf = (r: RoutedRequests): SplitRouteSpec => {
    const p = r.route;
    if (p === undefined) {
      const where = r.virtualHost ?? r.listener;
      return { id: `no-route:${where}`, label: `no route matched (virtual host ${where})`, destinations: [] };
    }
    const ns = p.namespace ?? 'default';
    if (p.kind === 'VirtualService' && p.httpRouteIndex !== undefined) {
      const i = p.httpRouteIndex;
      const found = vss.find(
        (v) =>
          v.object.metadata.name === p.name &&
          (v.object.metadata.namespace ?? 'default') === ns &&
          v.object.source.file === p.file &&
          v.object.source.lineOf(['spec', 'http', i]) === p.line,
      );
      const several = (versions.get(`${p.namespace ?? ''}/${p.name}#${i}`)?.size ?? 0) > 1;
      if (found !== undefined) {
        const spec = withFiles(splitRouteFromVirtualService(found.object, i, domain), file);
        // Short labels (the chart repeats them beside each destination); the node's tooltip has the
        // VirtualService and the file:line of spec.http[i].
        const named = (found.object.spec as { http?: { name?: unknown }[] } | undefined)?.http?.[i]?.name;
        const label = `${p.name} http[${i}]${typeof named === 'string' ? ` ${named}` : ''}`;
        if (!several) return { ...spec, label };
        return {
          ...spec,
          id: `${spec.id}@${p.file ?? ''}:${p.line ?? ''}`,
          label: `${label} from ${formatDuration(found.at)}`,
          ...(spec.decidedBy !== undefined && found.change !== undefined
            ? {
                decidedBy: {
                  ...spec.decidedBy,
                  field: `${spec.decidedBy.field ?? ''} (applied at ${formatDuration(found.at)}: ${found.change})`,
                },
              }
            : {}),
        };
      }
      return {
        id: `${ns}/${p.name}#${i}${several ? `@${p.file ?? ''}:${p.line ?? ''}` : ''}`,
        label: `${p.name} http[${i}]${several ? ` (${file(p.file ?? '')}:${p.line ?? ''})` : ''}`,
        destinations: [],
      };
    }
    const dest = r.cluster !== undefined ? clusterDestination(r.cluster, domain) : undefined;
    return {
      id: `${p.kind}:${ns}/${p.name}`,
      label: `${p.kind} ${ns}/${p.name}${p.kind === 'Service' ? ' (default route)' : ''}`,
      ...(p.file !== undefined && p.line !== undefined
        ? { decidedBy: { file: file(p.file), line: p.line, kind: p.kind, object: `${ns}/${p.name}` } }
        : {}),
      destinations: dest !== undefined ? [{ id: dest.id, label: dest.label }] : [],
    };
  };
  for (const r of routed) {
    const spec = routeOf(r);
    const known = routes.get(spec.id);
    if (known === undefined) routes.set(spec.id, spec);
    else if (known.destinations.length === 0 && spec.destinations.length > 0) routes.set(spec.id, spec);
    const i = world.instance(r.proxy);
    const source = i !== undefined ? `${i.namespace}/${i.workload}` : r.proxy;
    const dest = r.aborted
      ? { id: `local:fault-abort-${r.status}`, label: `fault abort ${r.status} (FI)` }
      : r.cluster === undefined
        ? { id: `local:${r.status}-${r.flags}`, label: `local reply ${r.status} ${r.flags}` }
        : clusterDestination(r.cluster, domain);
    const pod =
      !r.aborted && r.cluster !== undefined && r.host !== undefined
        ? world.instanceByIp(r.host.slice(0, r.host.lastIndexOf(':')))?.key
        : undefined;
    const local = r.aborted || r.cluster === undefined;
    const key = [source, spec.id, dest.id, pod ?? ''].join('\u0000');
    const f = flows.get(key);
    if (f !== undefined) f.count += r.count;
    else
      flows.set(key, {
        source,
        route: spec.id,
        destination: dest.id,
        destinationLabel: dest.label,
        ...(pod !== undefined ? { pod } : {}),
        count: r.count,
        ...(local ? { localReply: true } : {}),
      });
  }
  return buildTrafficSplit({
    routes: [...routes.values()],
    flows: [...flows.values()],
    ...(options.alpha !== undefined ? { alpha: options.alpha } : {}),
  });
}

function withFiles(spec: SplitRouteSpec, file: (p: string) => string): SplitRouteSpec {
  return {
    ...spec,
    ...(spec.decidedBy !== undefined ? { decidedBy: { ...spec.decidedBy, file: file(spec.decidedBy.file) } } : {}),
    destinations: spec.destinations.map((d) =>
      d.decidedBy !== undefined ? { ...d, decidedBy: { ...d.decidedBy, file: file(d.decidedBy.file) } } : d,
    ),
  };
}
