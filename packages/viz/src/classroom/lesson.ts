/**
 * What a scenario's sliders act on. sim-core explains the first request of each traffic generator (`route()`:
 * the route its client's Envoy matches); the lesson follows a route with weighted destinations if there is
 * one, else one with a fault, else the first generator's — its VirtualService http route (weights and fault
 * as written), its destination service, that service's DestinationRule (load-balancing policy) and one
 * replica behind it (one that already fails, if any: the outlier-ejection lesson's bad pod).
 */
import {
  ConfigError,
  route,
  selectorMatches,
  type MeshModel,
  type RouteCall,
  type RouteExplanation,
  type TrafficSpec,
  type WorldOptions,
  type WorkloadSpec,
} from '@meshsim/sim-core';
import { destinationLabel } from '../model/outcomeAdapters.js';
import { resolveHost } from '../model/serviceGraphAdapters.js';
import type { Lesson, LessonDestination } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const numAt = (o: unknown, ...path: string[]): number | undefined => {
  let v: unknown = o;
  for (const p of path) v = isObj(v) ? v[p] : undefined;
  return typeof v === 'number' ? v : undefined;
};
const strAt = (o: unknown, ...path: string[]): string | undefined => {
  let v: unknown = o;
  for (const p of path) v = isObj(v) ? v[p] : undefined;
  return typeof v === 'string' ? v : undefined;
};

/** The `route()` call for a generator's first request, or undefined for clients outside the mesh. */
function callOf(model: MeshModel, t: TrafficSpec): RouteCall | undefined {
  const m = t.mix[0];
  if (m === undefined) return undefined;
  const s = t.source;
  const base = { url: m.url, method: m.method ?? 'GET', headers: m.headers ?? {} };
  if (s.kind === 'pod') return { ...base, from: `${s.pod}.${s.namespace}` };
  if (s.kind === 'vm') return { ...base, from: `${s.name}.${s.namespace}` };
  if (s.kind === 'gateway') {
    const gw = model.proxies.find(
      (p) => p.type === 'router' && p.namespace === s.namespace && p.workloadName === s.name,
    );
    return gw === undefined ? undefined : { ...base, gateway: `${gw.name}.${gw.namespace}` };
  }
  return undefined;
}

/** The VirtualService object and http index behind an explanation's route. */
function routeObject(
  model: MeshModel,
  e: RouteExplanation,
): { vs: MeshModel['istio']['virtualServices'][number]; i: number; http: Obj } | undefined {
  const r = e.route;
  const ref = r?.virtualService;
  if (ref === undefined || r?.httpRouteIndex === undefined) return undefined;
  const vs = model.istio.virtualServices.find(
    (v) => v.metadata.name === ref.name && (v.metadata.namespace ?? 'default') === ref.namespace,
  );
  const http = (vs?.spec as { http?: unknown[] } | undefined)?.http?.[r.httpRouteIndex];
  return vs === undefined || !isObj(http) ? undefined : { vs, i: r.httpRouteIndex, http };
}

function destinationsOf(http: Obj, ns: string, domain: string): LessonDestination[] {
  const list = Array.isArray(http['route']) ? http['route'] : [];
  return list.flatMap((r: unknown) => {
    const host = strAt(r, 'destination', 'host');
    if (host === undefined) return [];
    const fqdn = resolveHost(host, ns, domain);
    const subset = strAt(r, 'destination', 'subset');
    const weight = list.length === 1 ? 100 : (numAt(r, 'weight') ?? 0);
    return [
      {
        host: fqdn,
        ...(subset !== undefined ? { subset } : {}),
        weight,
        label: destinationLabel(fqdn, subset, domain),
      },
    ];
  });
}

/** Whether a workload entry selects `pod` (namespace, name or labels, and `replica` among the selected by name). */
function selects(model: MeshModel, spec: WorkloadSpec, namespace: string, pod: string): boolean {
  const ns = spec.namespace ?? 'default';
  if (ns !== namespace) return false;
  const instances = [
    ...model.cluster.pods.filter((p) => p.namespace === ns).map((p) => ({ name: p.name, labels: p.labels })),
    ...model.virtualMachines.filter((v) => v.namespace === ns).map((v) => ({ name: v.name, labels: v.labels })),
  ];
  const selected = instances
    .filter((i) =>
      spec.pod !== undefined
        ? i.name === spec.pod
        : spec.selector !== undefined && selectorMatches(spec.selector, i.labels),
    )
    .map((i) => i.name)
    .sort();
  return spec.replica === undefined ? selected.includes(pod) : selected[spec.replica] === pod;
}

/** The share (0–100) of requests the entries in force make `pod` fail (their `errors`, layered in order). */
export function errorPercentOf(
  model: MeshModel,
  workloads: readonly WorkloadSpec[],
  namespace: string,
  pod: string,
): number {
  let errors: readonly { probability: number }[] = [];
  for (const w of workloads)
    if (selects(model, w, namespace, pod) && w.behaviour.errors !== undefined) errors = w.behaviour.errors;
  return (
    Math.round(
      Math.min(
        1,
        errors.reduce((a, e) => a + e.probability, 0),
      ) * 1000,
    ) / 10
  );
}

/** Finds the lesson of a scenario's model and world. */
export function lessonFor(model: MeshModel, world: Pick<WorldOptions, 'traffic' | 'workloads'>): Lesson {
  const domain = model.cluster.domain;
  const explained: { t: TrafficSpec; e: RouteExplanation; call: RouteCall }[] = [];
  for (const t of world.traffic ?? []) {
    const call = callOf(model, t);
    if (call === undefined) continue;
    try {
      explained.push({ t, e: route(model, call), call });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
    }
  }
  const withVs = explained.map((x) => ({ ...x, o: routeObject(model, x.e) }));
  const pick =
    withVs.find(
      (x) => x.o !== undefined && destinationsOf(x.o.http, x.o.vs.metadata.namespace ?? 'default', domain).length > 1,
    ) ??
    withVs.find((x) => x.o !== undefined && isObj(x.o.http['fault'])) ??
    withVs.find((x) => x.o !== undefined) ??
    withVs[0];
  if (pick === undefined) {
    throw new ConfigError(
      'no traffic generator of this scenario sends through a sidecar or gateway: nothing for the classroom to follow',
      {},
      'classroom',
    );
  }
  const { e, call, o } = pick;
  const request = `${call.method ?? 'GET'} ${call.url ?? ''} from ${call.from ?? call.gateway ?? ''}`;
  const vsNs = o?.vs.metadata.namespace ?? 'default';
  const destinations = o !== undefined ? destinationsOf(o.http, vsNs, domain) : [];
  const host = destinations[0]?.host ?? e.clusters[0]?.host ?? '';
  const hostNamespace = /\.([^.]+)\.svc\./.exec(host)?.[1] ?? vsNs;
  const fault = o?.http['fault'];
  const drs = model.istio.destinationRules.filter((d) => {
    const h = strAt(d.spec, 'host');
    return h !== undefined && resolveHost(h, d.metadata.namespace ?? 'default', domain) === host;
  });
  const dr = drs.find((d) => (d.metadata.namespace ?? 'default') === hostNamespace) ?? drs[0];
  const lbPolicy = dr !== undefined ? strAt(dr.spec, 'trafficPolicy', 'loadBalancer', 'simple') : undefined;
  const workloads = world.workloads ?? [];
  const pods = [...new Set(e.endpoints.map((x) => x.workload).filter((w): w is string => w !== undefined))].sort();
  const podOf = (key: string): { namespace: string; pod: string } => ({
    namespace: key.slice(0, key.indexOf('/')),
    pod: key.slice(key.indexOf('/') + 1),
  });
  const failing = pods.find((k) => errorPercentOf(model, workloads, podOf(k).namespace, podOf(k).pod) > 0);
  const replicaKey = failing ?? pods[0];
  const replica = replicaKey !== undefined ? podOf(replicaKey) : undefined;
  return {
    request,
    host,
    hostNamespace,
    ...(o !== undefined
      ? {
          route: {
            namespace: vsNs,
            name: o.vs.metadata.name,
            httpIndex: o.i,
            destinations,
            fault: {
              // As istiod translates them (sim-core istio/xds/trafficPolicy/translateFault.ts, after
              // route.go TranslateFault): a delay without percentage uses the deprecated integer `percent`
              // (0 when unset); an abort without percentage never fires.
              delayPercent: numAt(fault, 'delay', 'percentage', 'value') ?? numAt(fault, 'delay', 'percent') ?? 0,
              fixedDelay: strAt(fault, 'delay', 'fixedDelay') ?? '2s',
              abortPercent: numAt(fault, 'abort', 'percentage', 'value') ?? 0,
              httpStatus: numAt(fault, 'abort', 'httpStatus') ?? 503,
            },
          },
        }
      : {}),
    ...(dr !== undefined
      ? { destinationRule: { namespace: dr.metadata.namespace ?? 'default', name: dr.metadata.name } }
      : {}),
    ...(lbPolicy !== undefined ? { lbPolicy } : {}),
    ...(replica !== undefined
      ? { replica: { ...replica, errorPercent: errorPercentOf(model, workloads, replica.namespace, replica.pod) } }
      : {}),
  };
}
