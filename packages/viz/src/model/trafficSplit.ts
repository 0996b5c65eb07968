/**
 * The traffic-split Sankey's data: source → VirtualService route → destination (service subset) → pod,
 * with observed counts and shares, and — on each route → destination link — the share the route's weights
 * declare beside the observed one, with an exact confidence interval and an exact binomial test of "the
 * observed count is what the declared weight predicts" at a stated alpha.
 *
 * Declared shares are weight / Σ weights of the route: Istio ≥ 1.15 lets weights sum to any total and
 * drops zero-weight destinations from the Envoy route (istio/istio pilot/pkg/networking/core/route/route.go
 * `applyHTTPRouteDestination`), and Envoy picks a weighted cluster with probability weight / total
 * (envoy source/common/router/config_impl.cc `WeightedClusterEntry`, `RouteEntryImplBase::pickWeightedCluster`).
 */
import { binomialAcceptance, binomialInterval } from '@meshsim/sim-core/testing';
import type { ManifestRef } from './sourceRef.js';

/** A route of a VirtualService (one `spec.http[i]`) and the destinations its weights declare. */
export interface SplitRouteSpec {
  /** Stable id, e.g. `canary/canary#1`. */
  readonly id: string;
  /** e.g. `VirtualService canary/canary http[1]`. */
  readonly label: string;
  readonly decidedBy?: ManifestRef;
  readonly destinations: readonly {
    /** Destination id, the same as in flows: e.g. `canary.canary.svc.cluster.local|v2`. */
    readonly id: string;
    readonly label: string;
    /** `route[j].weight`; absent for a single destination (implicitly 100). */
    readonly weight?: number;
    readonly decidedBy?: ManifestRef;
  }[];
}

/** Requests observed on one path. */
export interface SplitFlowSpec {
  readonly source: string;
  /** A route id of {@link TrafficSplitInput.routes}. */
  readonly route: string;
  /** A destination id of that route (or another destination, e.g. when a what-if changed weights). */
  readonly destination: string;
  readonly destinationLabel?: string;
  /** `namespace/name` of the pod that answered; absent when no pod did (503 UH, local replies). */
  readonly pod?: string;
  readonly count: number;
  /**
   * The client's Envoy answered itself (a fault abort, no route): the destination is no upstream, so no
   * weight declares a share of it. @defaultValue false
   */
  readonly localReply?: boolean;
}

/** What {@link buildTrafficSplit} reads. */
export interface TrafficSplitInput {
  readonly routes: readonly SplitRouteSpec[];
  readonly flows: readonly SplitFlowSpec[];
  /** Significance level of the intervals and tests. @defaultValue 0.05 */
  readonly alpha?: number;
}

/** A column of the Sankey. */
export type SplitColumn = 'source' | 'route' | 'destination' | 'pod';

/** A node: its requests and their share of all requests. */
export interface SplitNode {
  readonly id: string;
  readonly column: SplitColumn;
  readonly label: string;
  readonly count: number;
  /** count / total. */
  readonly share: number;
  readonly decidedBy?: ManifestRef;
}

/** A link between two nodes of adjacent columns. */
export interface SplitLink {
  readonly source: string;
  readonly target: string;
  readonly count: number;
  /**
   * count / the source node's count: the share of the route's (or destination's) requests. For a route →
   * declared destination link, the share of the route's requests that reached a declared destination
   * (local replies such as fault aborts left out).
   */
  readonly observedShare: number;
  /** Route → destination links: weight / Σ weights of the route. */
  readonly declaredShare?: number;
  readonly declaredWeight?: number;
  /** Clopper–Pearson interval of the observed share at 1 − alpha. */
  readonly interval?: { readonly lower: number; readonly upper: number };
  /** Whether the count lies in the exact binomial test's acceptance region for the declared share at alpha. */
  readonly consistent?: boolean;
  readonly decidedBy?: ManifestRef;
}

/** The Sankey's model. */
export interface TrafficSplit {
  readonly total: number;
  readonly alpha: number;
  readonly nodes: readonly SplitNode[];
  readonly links: readonly SplitLink[];
}

const COLUMN_INDEX: Readonly<Record<SplitColumn, number>> = { source: 0, route: 1, destination: 2, pod: 3 };

/** The column index (0 for sources … 3 for pods). */
export const columnIndex = (c: SplitColumn): number => COLUMN_INDEX[c];

const nodeId = (column: SplitColumn, id: string): string => `${column}:${id}`;

/**
 * Builds the Sankey's nodes and links from declared routes and observed flows. Nodes keep the order of
 * first appearance (routes and their destinations as declared, then flows), so the drawing is stable.
 * Declared destinations that saw no request keep a zero-count link, so a weight-0 or starved subset stays
 * visible beside the others. Pure.
 */
export function buildTrafficSplit(input: TrafficSplitInput): TrafficSplit {
  const alpha = input.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const routes = new Map(input.routes.map((r) => [r.id, r]));
  const nodes = new Map<
    string,
    { id: string; column: SplitColumn; label: string; count: number; decidedBy?: ManifestRef }
  >();
  const links = new Map<string, { source: string; target: string; count: number }>();
  const node = (column: SplitColumn, id: string, label: string, decidedBy?: ManifestRef): string => {
    const key = nodeId(column, id);
    if (!nodes.has(key))
      nodes.set(key, { id: key, column, label, count: 0, ...(decidedBy !== undefined ? { decidedBy } : {}) });
    return key;
  };
  const link = (source: string, target: string, count: number): void => {
    const key = `${source}\u0000${target}`;
    const l = links.get(key);
    if (l === undefined) links.set(key, { source, target, count });
    else l.count += count;
  };
  // Sources first (in flow order), then the declared routes and destinations, so columns read in order.
  for (const f of input.flows) node('source', f.source, f.source);
  for (const r of input.routes) {
    const rid = node('route', r.id, r.label, r.decidedBy);
    for (const d of r.destinations) link(rid, node('destination', d.id, d.label, d.decidedBy), 0);
  }
  let total = 0;
  const localReplies = new Set<string>();
  for (const f of input.flows) {
    if (f.localReply === true) localReplies.add(nodeId('destination', f.destination));
    if (!(Number.isInteger(f.count) && f.count >= 0))
      throw new RangeError(`flow count must be an integer ≥ 0, got ${f.count}`);
    const r = routes.get(f.route);
    if (r === undefined)
      throw new RangeError(`flow names route ${JSON.stringify(f.route)}, which is not among the routes`);
    if (f.count === 0) continue;
    total += f.count;
    const s = node('source', f.source, f.source);
    const rid = node('route', r.id, r.label);
    const label = f.destinationLabel ?? r.destinations.find((d) => d.id === f.destination)?.label ?? f.destination;
    const d = node('destination', f.destination, label);
    link(s, rid, f.count);
    link(rid, d, f.count);
    for (const id of [s, rid, d]) (nodes.get(id) as { count: number }).count += f.count;
    if (f.pod !== undefined) {
      const p = node('pod', f.pod, f.pod);
      link(d, p, f.count);
      (nodes.get(p) as { count: number }).count += f.count;
    }
  }
  // A route's incoming count is its total even without a source link (routes with no flow stay 0).
  const outNodes: SplitNode[] = [...nodes.values()]
    .map((n) => ({ ...n, share: total === 0 ? 0 : n.count / total }))
    .sort((a, b) => COLUMN_INDEX[a.column] - COLUMN_INDEX[b.column]);
  const countOf = (id: string): number => nodes.get(id)?.count ?? 0;
  // Requests of each route that reached one of its declared destinations: the weighted pick's trials. A
  // local reply after the route matched (a fault abort, FI) is decided by its own draw, independently of
  // the pick (envoy source/extensions/filters/http/fault/fault_filter.cc uses its own random value), so the
  // declared shares are tested among the requests that were not answered locally.
  const declaredTotal = new Map<string, number>();
  for (const l of links.values()) {
    const src = nodes.get(l.source);
    if (src?.column !== 'route') continue;
    const r = routes.get(src.id.slice('route:'.length));
    if (r?.destinations.some((x) => nodeId('destination', x.id) === l.target) === true)
      declaredTotal.set(l.source, (declaredTotal.get(l.source) ?? 0) + l.count);
  }
  const outLinks: SplitLink[] = [...links.values()].map((l) => {
    const src = nodes.get(l.source);
    const r = src?.column === 'route' ? routes.get(src.id.slice('route:'.length)) : undefined;
    const d = r?.destinations.find((x) => nodeId('destination', x.id) === l.target);
    const parent = d !== undefined ? (declaredTotal.get(l.source) ?? 0) : countOf(l.source);
    const base: SplitLink = { ...l, observedShare: parent === 0 ? 0 : l.count / parent };
    if (r === undefined || localReplies.has(l.target)) return base;
    // A lone destination gets every request whatever its weight; among several, an omitted weight is 0.
    const lone = r.destinations.length === 1;
    const sum = r.destinations.reduce((a, x) => a + (x.weight ?? 0), 0);
    const weight = d === undefined ? 0 : lone ? (d.weight ?? 100) : (d.weight ?? 0);
    const declaredShare = d === undefined ? 0 : lone ? 1 : sum === 0 ? 0 : weight / sum;
    const withDeclared: SplitLink = {
      ...base,
      declaredShare,
      declaredWeight: weight,
      ...(d?.decidedBy !== undefined ? { decidedBy: d.decidedBy } : {}),
    };
    if (parent === 0) return withDeclared;
    const acc = binomialAcceptance(parent, declaredShare, alpha);
    return {
      ...withDeclared,
      interval: binomialInterval(l.count, parent, alpha),
      consistent: l.count >= acc.lower && l.count <= acc.upper,
    };
  });
  return { total, alpha, nodes: outNodes, links: outLinks };
}
