/**
 * The declared side of the traffic-split Sankey: a VirtualService http route and the weights it gives its
 * destinations — from the manifest as written (zero weights included, each weight with its file:line), or
 * from a route explanation (the weighted clusters Envoy received, where istiod has already dropped zero
 * weights: istio/istio pilot/pkg/networking/core/route/route.go `applyHTTPRouteDestination`).
 */
import type { RouteExplanationLike } from './explanationLike.js';
import { destinationId, destinationLabel } from './outcomeAdapters.js';
import { resolveHost, type IstioObjectLike } from './serviceGraphAdapters.js';
import type { ManifestRef } from './sourceRef.js';
import type { SplitRouteSpec } from './trafficSplit.js';

/** `canary/canary#1`: the id of `spec.http[i]` of a VirtualService. */
export function splitRouteId(namespace: string, name: string, httpIndex: number): string {
  return `${namespace}/${name}#${httpIndex}`;
}

type Spec = Record<string, unknown>;
const isObj = (x: unknown): x is Spec => typeof x === 'object' && x !== null && !Array.isArray(x);

function ref(o: IstioObjectLike, path: readonly (string | number)[]): ManifestRef | undefined {
  if (o.source === undefined) return undefined;
  let field = '';
  for (const p of path) field += typeof p === 'number' ? `[${p}]` : field === '' ? p : `.${p}`;
  return {
    file: o.source.file,
    line: o.source.lineOf(path),
    kind: o.kind,
    object: `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`,
    field,
  };
}

/**
 * `spec.http[httpIndex]` of a VirtualService as a Sankey route: its destinations (hosts resolved in the
 * VirtualService's namespace) with their weights as written. As Istio validates and translates them
 * (pkg/config/validation/validation.go `validateHTTPRouteDestinations`): a lone destination gets 100 %
 * whatever its weight; among several, an omitted weight is 0 and gets no traffic.
 */
export function splitRouteFromVirtualService(
  vs: IstioObjectLike,
  httpIndex: number,
  domain = 'cluster.local',
): SplitRouteSpec {
  const ns = vs.metadata.namespace ?? 'default';
  const spec = isObj(vs.spec) ? vs.spec : {};
  const http = Array.isArray(spec['http']) ? spec['http'] : [];
  const h: unknown = http[httpIndex];
  if (!isObj(h)) throw new RangeError(`VirtualService ${ns}/${vs.metadata.name} has no spec.http[${httpIndex}]`);
  const name = typeof h['name'] === 'string' ? ` (${h['name']})` : '';
  const route = Array.isArray(h['route']) ? h['route'] : [];
  const httpRef = ref(vs, ['spec', 'http', httpIndex]);
  return {
    id: splitRouteId(ns, vs.metadata.name, httpIndex),
    label: `VirtualService ${ns}/${vs.metadata.name} http[${httpIndex}]${name}`,
    ...(httpRef !== undefined ? { decidedBy: httpRef } : {}),
    destinations: route.flatMap((r: unknown, j) => {
      if (!isObj(r) || !isObj(r['destination']) || typeof r['destination']['host'] !== 'string') return [];
      const host = resolveHost(r['destination']['host'], ns, domain);
      const subset = typeof r['destination']['subset'] === 'string' ? r['destination']['subset'] : undefined;
      const weight = route.length === 1 ? 100 : typeof r['weight'] === 'number' ? r['weight'] : 0;
      const wref = ref(vs, [
        'spec',
        'http',
        httpIndex,
        'route',
        j,
        ...(typeof r['weight'] === 'number' ? ['weight'] : []),
      ]);
      return [
        {
          id: destinationId(host, subset),
          label: destinationLabel(host, subset, domain),
          weight,
          ...(wref !== undefined ? { decidedBy: wref } : {}),
        },
      ];
    }),
  };
}

/**
 * The route an explanation matched, with the weighted clusters Envoy received. Undefined when the request
 * matched no route or the route has no cluster.
 */
export function splitRouteFromExplanation(
  e: RouteExplanationLike,
  domain = 'cluster.local',
): SplitRouteSpec | undefined {
  const r = e.route;
  if (r === undefined || e.clusters.length === 0) return undefined;
  const vs = r.virtualService;
  const id =
    vs !== undefined && r.httpRouteIndex !== undefined
      ? splitRouteId(vs.namespace, vs.name, r.httpRouteIndex)
      : `route:${r.name ?? r.index}`;
  const label =
    vs !== undefined
      ? `VirtualService ${vs.namespace}/${vs.name}${r.httpRouteIndex !== undefined ? ` http[${r.httpRouteIndex}]` : ''}${r.httpRouteName !== undefined ? ` (${r.httpRouteName})` : ''}`
      : `route ${r.name ?? `#${r.index}`}`;
  return {
    id,
    label,
    ...(r.source !== undefined ? { decidedBy: r.source } : {}),
    destinations: e.clusters.map((c) => {
      const host = c.host ?? c.name;
      return {
        id: destinationId(host, c.subset),
        label: destinationLabel(host, c.subset, domain),
        weight: c.weight ?? Math.round(c.probability * 100),
      };
    }),
  };
}
