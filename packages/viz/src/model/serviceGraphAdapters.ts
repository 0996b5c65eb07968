/**
 * Service-graph input from what a mesh reports and declares, as Kiali builds its graph: edges from Istio's
 * `istio_requests_total` samples (sim-core envoy/observability/istioMetrics.ts, parsed Prometheus text),
 * badges from the DestinationRules and VirtualServices that act on each destination service.
 */
import type { GraphBadge, GraphEdgeSpec, GraphNodeSpec } from './serviceGraph.js';
import type { ManifestRef } from './sourceRef.js';

/** A Prometheus sample (sim-core's `PrometheusSample`). */
export interface PrometheusSampleLike {
  readonly name: string;
  readonly labels: readonly (readonly [string, string])[];
  readonly value: number;
}

/**
 * Nodes and edges from `istio_requests_total` samples. Each (source workload, destination workload) pair
 * is counted from the `reporter="source"` samples — what the client saw, including local replies that never
 * reached the destination (fault aborts, 503 UO) — and from `reporter="destination"` samples only for pairs
 * no client sidecar reported (clients outside the mesh, pods without a sidecar). Errors are 5xx responses
 * and requests with no response (`response_code="0"`).
 */
export function graphFromIstioRequests(samples: readonly PrometheusSampleLike[]): {
  nodes: GraphNodeSpec[];
  edges: GraphEdgeSpec[];
} {
  const nodes = new Map<string, GraphNodeSpec>();
  const byReporter = { source: new Map<string, GraphEdgeSpec>(), destination: new Map<string, GraphEdgeSpec>() };
  for (const s of samples) {
    if (s.name !== 'istio_requests_total') continue;
    const l = new Map(s.labels);
    const reporter = l.get('reporter');
    if (reporter !== 'source' && reporter !== 'destination') continue;
    const node = (side: 'source' | 'destination'): string => {
      const wl = l.get(`${side}_workload`) ?? 'unknown';
      const ns = l.get(`${side}_workload_namespace`) ?? 'unknown';
      const id = wl === 'unknown' ? 'unknown' : `${ns}/${wl}`;
      if (!nodes.has(id)) {
        const version = l.get(`${side}_version`);
        nodes.set(id, {
          id,
          label: wl,
          ...(wl !== 'unknown' ? { namespace: ns } : {}),
          ...(version !== undefined && version !== '' && version !== 'unknown' ? { version } : {}),
          kind: wl === 'unknown' ? 'unknown' : 'workload',
        });
      }
      return id;
    };
    const source = node('source');
    const target = node('destination');
    const service = l.get('destination_service') ?? '';
    const code = Number(l.get('response_code') ?? '0');
    const failed = code === 0 || code >= 500;
    const key = `${source}\u0000${target}\u0000${service}`;
    const m = byReporter[reporter];
    const prev = m.get(key);
    m.set(key, {
      source,
      target,
      ...(service !== '' ? { service } : {}),
      requests: (prev?.requests ?? 0) + s.value,
      errors: (prev?.errors ?? 0) + (failed ? s.value : 0),
    });
  }
  const edges = [...byReporter.source.values()];
  for (const [key, e] of byReporter.destination) if (!byReporter.source.has(key)) edges.push(e);
  return { nodes: [...nodes.values()], edges };
}

/** An Istio object as sim-core's model holds it (`KubeObject`): where it is written and its spec. */
export interface IstioObjectLike {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec?: unknown;
  readonly source?: { readonly file: string; lineOf(path: readonly (string | number)[]): number };
}

/**
 * A host as Istio resolves it for a resource in `namespace`: a short name (no dot) is
 * `name.namespace.svc.<domain>` (istio/istio pilot/pkg/model/config.go `ResolveShortnameToFQDN`).
 */
export function resolveHost(host: string, namespace: string, domain = 'cluster.local'): string {
  return host.includes('.') || host === '*' ? host : `${host}.${namespace}.svc.${domain}`;
}

/** Whether an Istio host (possibly `*.suffix` or `*`) covers a service host. */
export function hostCovers(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

function ref(o: IstioObjectLike, path: readonly (string | number)[]): ManifestRef | undefined {
  if (o.source === undefined) return undefined;
  let field = '';
  for (const p of path) field += typeof p === 'number' ? `[${p}]` : field === '' ? p : `.${p}`;
  const ns = o.metadata.namespace;
  return {
    file: o.source.file,
    line: o.source.lineOf(path),
    kind: o.kind,
    object: ns === undefined ? o.metadata.name : `${ns}/${o.metadata.name}`,
    field,
  };
}

type Spec = Record<string, unknown>;
const isObj = (x: unknown): x is Spec => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Badges per service host: a DestinationRule's `trafficPolicy` (or a subset's) with `connectionPool` is a
 * circuit breaker, with `outlierDetection` outlier detection; a VirtualService http route with `fault`,
 * `retries`, `timeout` or `mirror` badges the hosts it routes for. Returns a lookup by service host.
 */
export function badgesFromIstioConfig(
  objects: readonly IstioObjectLike[],
  domain = 'cluster.local',
): (service: string) => GraphBadge[] {
  const rules: { pattern: string; badge: GraphBadge }[] = [];
  const add = (
    pattern: string,
    kind: GraphBadge['kind'],
    o: IstioObjectLike,
    path: (string | number)[],
    what: string,
  ): void => {
    const r = ref(o, path);
    const name = `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
    rules.push({
      pattern,
      badge: { kind, label: `${o.kind} ${name} ${what}`, ...(r !== undefined ? { decidedBy: r } : {}) },
    });
  };
  for (const o of objects) {
    const spec = isObj(o.spec) ? o.spec : {};
    const ns = o.metadata.namespace ?? 'default';
    if (o.kind === 'DestinationRule' && typeof spec['host'] === 'string') {
      const pattern = resolveHost(spec['host'], ns, domain);
      const policies: [Spec, (string | number)[]][] = [];
      if (isObj(spec['trafficPolicy'])) policies.push([spec['trafficPolicy'], ['spec', 'trafficPolicy']]);
      const subsets = Array.isArray(spec['subsets']) ? spec['subsets'] : [];
      subsets.forEach((s: unknown, i) => {
        if (isObj(s) && isObj(s['trafficPolicy']))
          policies.push([s['trafficPolicy'], ['spec', 'subsets', i, 'trafficPolicy']]);
      });
      for (const [p, path] of [...policies]) {
        const ports = Array.isArray(p['portLevelSettings']) ? p['portLevelSettings'] : [];
        ports.forEach((pl: unknown, j) => {
          if (isObj(pl)) policies.push([pl, [...path, 'portLevelSettings', j]]);
        });
      }
      for (const [p, path] of policies) {
        const at = path
          .slice(1)
          .join('.')
          .replace(/\.(\d+)(?=\.|$)/g, '[$1]');
        if (isObj(p['connectionPool']))
          add(pattern, 'circuit_breaker', o, [...path, 'connectionPool'], `${at}.connectionPool`);
        if (isObj(p['outlierDetection']))
          add(pattern, 'outlier_detection', o, [...path, 'outlierDetection'], `${at}.outlierDetection`);
      }
    }
    if (o.kind === 'VirtualService' && Array.isArray(spec['hosts'])) {
      const http = Array.isArray(spec['http']) ? spec['http'] : [];
      const hosts = (spec['hosts'] as unknown[])
        .filter((h): h is string => typeof h === 'string')
        .map((h) => resolveHost(h, ns, domain));
      http.forEach((h: unknown, i) => {
        if (!isObj(h)) return;
        for (const [field, kind] of [
          ['fault', 'fault'],
          ['retries', 'retries'],
          ['timeout', 'timeout'],
          ['mirror', 'mirror'],
        ] as const) {
          if (h[field] === undefined) continue;
          for (const pattern of hosts) add(pattern, kind, o, ['spec', 'http', i, field], `http[${i}].${field}`);
        }
      });
    }
  }
  return (service: string) => rules.filter((r) => hostCovers(r.pattern, service)).map((r) => r.badge);
}

/** Attaches the badges of each edge's destination service to the edge and to its target node. */
export function applyBadges(
  graph: { nodes: readonly GraphNodeSpec[]; edges: readonly GraphEdgeSpec[] },
  badgesOf: (service: string) => readonly GraphBadge[],
): { nodes: GraphNodeSpec[]; edges: GraphEdgeSpec[] } {
  const byNode = new Map<string, GraphBadge[]>();
  const edges = graph.edges.map((e) => {
    const badges = e.service === undefined ? [] : badgesOf(e.service);
    if (badges.length === 0) return e;
    const list = byNode.get(e.target) ?? [];
    for (const b of badges) if (!list.some((x) => x.kind === b.kind && x.label === b.label)) list.push(b);
    byNode.set(e.target, list);
    return { ...e, badges: [...(e.badges ?? []), ...badges] };
  });
  const nodes = graph.nodes.map((n) => {
    const extra = byNode.get(n.id);
    return extra === undefined ? n : { ...n, badges: [...(n.badges ?? []), ...extra] };
  });
  return { nodes, edges };
}
