/**
 * The service graph's data (Kiali-like): workloads as nodes, observed traffic between them as edges with
 * request rates and error shares, badges for the traffic policies that act on them (fault injection,
 * circuit breakers, outlier detection, retries, timeouts), and a deterministic layered layout: sources on
 * the left, each node one layer right of its furthest caller, rows ordered by the callers' rows.
 */
import type { ManifestRef } from './sourceRef.js';

/** A traffic policy that acts on a node or edge, as Kiali badges it. */
export interface GraphBadge {
  readonly kind: 'fault' | 'circuit_breaker' | 'outlier_detection' | 'retries' | 'timeout' | 'mirror';
  /** e.g. `DestinationRule canary/canary outlierDetection`. */
  readonly label: string;
  readonly decidedBy?: ManifestRef;
}

/** What {@link buildServiceGraph} reads for a node. */
export interface GraphNodeSpec {
  /** `namespace/workload`, or `unknown` for requests from outside the mesh. */
  readonly id: string;
  readonly label: string;
  readonly namespace?: string;
  /** `version` label, e.g. `v2`. */
  readonly version?: string;
  /** @defaultValue `'workload'` */
  readonly kind?: 'workload' | 'gateway' | 'external' | 'unknown';
  readonly badges?: readonly GraphBadge[];
}

/** What {@link buildServiceGraph} reads for an edge: requests observed from one workload to another. */
export interface GraphEdgeSpec {
  readonly source: string;
  readonly target: string;
  /** The destination service host, e.g. `reviews.default.svc.cluster.local`. */
  readonly service?: string;
  readonly requests: number;
  /** Requests that failed: 5xx, or no response at all (response code 0: reset, connect failure). */
  readonly errors: number;
  readonly badges?: readonly GraphBadge[];
}

/** A laid-out node. */
export interface GraphNode extends GraphNodeSpec {
  readonly kind: 'workload' | 'gateway' | 'external' | 'unknown';
  readonly badges: readonly GraphBadge[];
  /** Column, 0 for nodes nobody calls. */
  readonly layer: number;
  /** Row within the column. */
  readonly row: number;
  /** Requests received and the share of them that failed. */
  readonly requestsIn: number;
  readonly errorShareIn: number;
}

/** A laid-out edge. */
export interface GraphEdge extends GraphEdgeSpec {
  readonly badges: readonly GraphBadge[];
  /** requests / duration. */
  readonly rps: number;
  /** errors / requests. */
  readonly errorShare: number;
  /** False for an edge that closes a cycle (drawn curved). */
  readonly forward: boolean;
}

/** The graph's model. */
export interface ServiceGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly layers: number;
  /** The most rows of any layer. */
  readonly rows: number;
  /** Length of the observed interval, µs. */
  readonly duration: number;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Lays the graph out. Nodes named only by edges are added with their id as label. Edges between the same
 * pair are merged. Layers come from longest paths over the edges left after dropping those that close a
 * cycle (found by a depth-first search in id order); rows are ordered by the mean row of each node's
 * callers (one barycentre sweep), ties by id. Pure and deterministic.
 */
export function buildServiceGraph(input: {
  readonly nodes: readonly GraphNodeSpec[];
  readonly edges: readonly GraphEdgeSpec[];
  /** µs. */
  readonly duration: number;
}): ServiceGraph {
  if (!(input.duration > 0)) throw new RangeError(`duration must be > 0 µs, got ${input.duration}`);
  const specs = new Map<string, GraphNodeSpec>();
  for (const n of input.nodes) specs.set(n.id, n);
  const merged = new Map<
    string,
    { source: string; target: string; service?: string; requests: number; errors: number; badges: GraphBadge[] }
  >();
  for (const e of input.edges) {
    if (!(e.requests >= 0 && e.errors >= 0 && e.errors <= e.requests)) {
      throw new RangeError(`edge ${e.source} → ${e.target}: need 0 ≤ errors ≤ requests, got ${e.errors}/${e.requests}`);
    }
    for (const id of [e.source, e.target]) if (!specs.has(id)) specs.set(id, { id, label: id });
    const key = `${e.source}\u0000${e.target}`;
    const m = merged.get(key);
    if (m === undefined)
      merged.set(key, {
        source: e.source,
        target: e.target,
        ...(e.service !== undefined ? { service: e.service } : {}),
        requests: e.requests,
        errors: e.errors,
        badges: [...(e.badges ?? [])],
      });
    else {
      m.requests += e.requests;
      m.errors += e.errors;
      for (const b of e.badges ?? [])
        if (!m.badges.some((x) => x.kind === b.kind && x.label === b.label)) m.badges.push(b);
    }
  }
  const ids = [...specs.keys()].sort(cmp);
  const edges = [...merged.values()].sort((a, b) => cmp(a.source, b.source) || cmp(a.target, b.target));
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) out.get(e.source)?.push(e.target);
  // Back edges by DFS in id order; self-loops are back edges too.
  const state = new Map<string, 1 | 2>();
  const back = new Set<string>();
  const visit = (id: string): void => {
    state.set(id, 1);
    for (const t of out.get(id) ?? []) {
      const s = state.get(t);
      if (s === 1) back.add(`${id}\u0000${t}`);
      else if (s === undefined) visit(t);
    }
    state.set(id, 2);
  };
  for (const id of ids) if (!state.has(id)) visit(id);
  const forward = edges.filter((e) => !back.has(`${e.source}\u0000${e.target}`));
  // Longest-path layers over the DAG of forward edges (Kahn's order, ids sorted for determinism).
  const indeg = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const e of forward) indeg.set(e.target, (indeg.get(e.target) ?? 0) + 1);
  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  const queue = ids.filter((id) => indeg.get(id) === 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    for (const e of forward) {
      if (e.source !== id) continue;
      layer.set(e.target, Math.max(layer.get(e.target) ?? 0, (layer.get(id) ?? 0) + 1));
      const d = (indeg.get(e.target) ?? 0) - 1;
      indeg.set(e.target, d);
      if (d === 0) queue.push(e.target);
    }
  }
  const layers = Math.max(0, ...layer.values()) + 1;
  const row = new Map<string, number>();
  let rows = 0;
  for (let l = 0; l < layers; l++) {
    const inLayer = ids.filter((id) => layer.get(id) === l);
    const key = (id: string): number => {
      const callers = forward
        .filter((e) => e.target === id && row.has(e.source))
        .map((e) => row.get(e.source) as number);
      return callers.length === 0 ? Infinity : callers.reduce((a, b) => a + b, 0) / callers.length;
    };
    const keyed = inLayer
      .map((id) => ({ id, k: key(id) }))
      .sort((a, b) => (a.k === b.k ? cmp(a.id, b.id) : a.k < b.k ? -1 : 1));
    keyed.forEach((x, i) => row.set(x.id, i));
    rows = Math.max(rows, keyed.length);
  }
  const received = new Map<string, { requests: number; errors: number }>();
  for (const e of edges) {
    const r = received.get(e.target) ?? { requests: 0, errors: 0 };
    received.set(e.target, { requests: r.requests + e.requests, errors: r.errors + e.errors });
  }
  const seconds = input.duration / 1_000_000;
  return {
    nodes: ids.map((id): GraphNode => {
      const s = specs.get(id) as GraphNodeSpec;
      const r = received.get(id) ?? { requests: 0, errors: 0 };
      return {
        ...s,
        kind: s.kind ?? 'workload',
        badges: s.badges ?? [],
        layer: layer.get(id) ?? 0,
        row: row.get(id) ?? 0,
        requestsIn: r.requests,
        errorShareIn: r.requests === 0 ? 0 : r.errors / r.requests,
      };
    }),
    edges: edges.map((e): GraphEdge => ({
      ...e,
      rps: e.requests / seconds,
      errorShare: e.requests === 0 ? 0 : e.errors / e.requests,
      forward: !back.has(`${e.source}\u0000${e.target}`),
    })),
    layers,
    rows,
    duration: input.duration,
  };
}
