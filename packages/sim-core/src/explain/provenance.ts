/**
 * Which manifest field decided a step. istiod records the VirtualService behind each route in its metadata
 * (`filter_metadata.istio.config: /apis/networking.istio.io/v1/namespaces/<ns>/virtual-service/<name>`,
 * istio/istio pilot/pkg/networking/util/util.go `BuildConfigInfoMetadata`); meshsim's translation adds the
 * http route index and match block index beside it. Services, DestinationRule subsets and Gateways are found in the model by the
 * names Envoy objects carry (`outbound|80|v1|host`, virtual host `host:port`).
 */
import type { KubeObject } from '../k8s/object.js';
import type { MeshModel } from '../istio/model/meshModel.js';
import { provenanceOf } from '../envoy/config/core.js';
import type { Route } from '../envoy/router/types.js';
import type { ClusterCandidate, RouteRef, SourceRef } from './explanation.js';

/** A reference to `field` of `obj`, with its line. */
export function refTo(obj: KubeObject, kind: string, path: readonly (string | number)[]): SourceRef {
  let field = '';
  for (const p of path) field += typeof p === 'number' ? `[${p}]` : field === '' ? p : `.${p}`;
  const ns = obj.metadata.namespace;
  return {
    file: obj.source.file,
    line: obj.source.lineOf(path),
    kind,
    object: ns === undefined || ns === '' ? obj.metadata.name : `${ns}/${obj.metadata.name}`,
    ...(field !== '' ? { field } : {}),
  };
}

/**
 * The VirtualService behind a route: meshsim's provenance record when the translation left one, else the
 * `istio.config` path istiod writes (kind as kubectl spells it: `virtual-service`).
 */
export function routeOrigin(
  route: Route,
): { kind: string; namespace: string; name: string; httpRouteIndex?: number; matchIndex?: number } | undefined {
  const recorded = provenanceOf(route.metadata).find((p) => p.kind === 'VirtualService');
  if (recorded !== undefined) {
    return {
      kind: 'virtual-service',
      namespace: recorded.namespace ?? 'default',
      name: recorded.name,
      ...(recorded.httpRouteIndex !== undefined ? { httpRouteIndex: recorded.httpRouteIndex } : {}),
      ...(recorded.httpMatchIndex !== undefined ? { matchIndex: recorded.httpMatchIndex } : {}),
    };
  }
  const config = route.metadata?.filterMetadata?.istio?.['config'];
  if (typeof config !== 'string') return undefined;
  const m = /\/namespaces\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(config);
  if (m === null) return undefined;
  return { kind: m[2] as string, namespace: m[1] as string, name: m[3] as string };
}

interface HttpRouteSpec {
  readonly name?: string;
  readonly match?: readonly { readonly name?: string }[];
}

/**
 * The route's VirtualService, http route and match block. The indices come from the route's metadata, else
 * from its name (istiod names a route after `http[i].name`, joined with the match block's name:
 * `route.match`, `TranslateRoute`).
 */
export function describeRouteOrigin(model: MeshModel, route: Route, index: number, match: string): RouteRef {
  const base: RouteRef = { index, match, ...(route.name !== undefined ? { name: route.name } : {}) };
  const origin = routeOrigin(route);
  if (origin === undefined || origin.kind !== 'virtual-service') return base;
  const vs = model.istio.virtualServices.find(
    (v) => v.metadata.name === origin.name && (v.metadata.namespace ?? 'default') === origin.namespace,
  );
  const withVs = { ...base, virtualService: { namespace: origin.namespace, name: origin.name } };
  if (vs === undefined) return withVs;
  const http = ((vs.spec as { http?: readonly HttpRouteSpec[] }).http ?? []) as readonly HttpRouteSpec[];
  let i = origin.httpRouteIndex;
  let j = origin.matchIndex;
  if (i === undefined && route.name !== undefined) {
    for (const [hi, h] of http.entries()) {
      if (h.name === undefined) continue;
      const mj = (h.match ?? []).findIndex((m) => m.name !== undefined && route.name === `${h.name}.${m.name}`);
      if (route.name !== h.name && mj < 0) continue;
      i = hi;
      if (mj >= 0) j = mj;
      break;
    }
  }
  if (i === undefined && http.length === 1) i = 0;
  const h = i === undefined ? undefined : http[i];
  if (i === undefined || h === undefined) return { ...withVs, source: refTo(vs, 'VirtualService', ['spec', 'http']) };
  const block = j === undefined ? undefined : h.match?.[j];
  const path = block !== undefined && j !== undefined ? ['spec', 'http', i, 'match', j] : ['spec', 'http', i];
  return {
    ...withVs,
    httpRouteIndex: i,
    ...(h.name !== undefined ? { httpRouteName: h.name } : {}),
    ...(block !== undefined ? { matchIndex: j, ...(block.name !== undefined ? { matchName: block.name } : {}) } : {}),
    source: refTo(vs, 'VirtualService', path),
  };
}

/** The Service or ServiceEntry behind an FQDN (e.g. a virtual host `host:port` or a cluster's host). */
export function serviceSource(model: MeshModel, host: string, port?: number): SourceRef | undefined {
  const svc = model.registry.services.find((s) => s.hostname === host);
  if (svc === undefined) return undefined;
  const obj =
    svc.kind === 'Service'
      ? model.cluster.services.find((s) => s.name === svc.name && s.namespace === svc.namespace)
      : undefined;
  const portIndex = port === undefined ? -1 : svc.ports.findIndex((p) => p.port === port);
  const path: (string | number)[] = portIndex >= 0 ? ['spec', 'ports', portIndex] : ['spec'];
  const source = obj?.source ?? svc.source;
  let field = '';
  for (const p of path) field += typeof p === 'number' ? `[${p}]` : field === '' ? p : `.${p}`;
  return {
    file: source.file,
    line: source.lineOf(path),
    kind: svc.kind,
    object: `${svc.namespace}/${svc.name}`,
    field,
  };
}

/** The DestinationRule subset behind a cluster candidate (`outbound|80|v1|host`), if any. */
export function subsetSource(model: MeshModel, c: ClusterCandidate): SourceRef | undefined {
  if (c.subset === undefined || c.host === undefined) return undefined;
  for (const dr of model.istio.destinationRules) {
    const spec = dr.spec as { host?: string; subsets?: readonly { name?: string }[] };
    const ns = dr.metadata.namespace ?? 'default';
    const host = spec.host ?? '';
    const fqdn = host.includes('.') || host === '*' ? host : `${host}.${ns}.svc.${model.cluster.domain}`;
    if (fqdn !== c.host) continue;
    const j = (spec.subsets ?? []).findIndex((s) => s.name === c.subset);
    if (j >= 0) return refTo(dr, 'DestinationRule', ['spec', 'subsets', j]);
  }
  return undefined;
}
