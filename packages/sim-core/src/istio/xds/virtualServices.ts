/**
 * VirtualServices as istiod's push context holds them (istio/istio@1.29.3 `pilot/pkg/model/virtualservice.go`,
 * `push_context.go` `initVirtualServices`): short host and gateway names resolved relative to the
 * VirtualService's namespace (`resolveVirtualServiceShortnames`, `resolveGatewayName`), `delegate` routes
 * of root VirtualServices replaced by the delegate's routes merged with the root route
 * (`mergeVirtualServicesIfNeeded`, `mergeHTTPRoute`, `mergeHTTPMatchRequests`), delegates themselves
 * dropped, and the list sorted by creation time. Every resulting http route remembers which resource and
 * `spec.http[i]` it came from.
 */
import type { Provenance } from '../../envoy/config/core.js';
import { compareConfigs, type IstioObject, type VirtualServiceSpec } from '../model/config.js';
import { resolveShortname } from '../model/host.js';
import type { HTTPMatchRequest, HTTPRoute, L4Route, StringMatch, VirtualService } from './api.js';
import { MESH_GATEWAY } from './names.js';

/** A VirtualService ready for translation. */
export interface VsConfig {
  readonly name: string;
  readonly namespace: string;
  readonly creationTimestamp?: string;
  /** The resource as written (the root, for merged delegates). */
  readonly object: IstioObject<VirtualServiceSpec>;
  /** Hosts, gateways and destinations resolved; delegates merged in. */
  readonly spec: VirtualService;
  /** Provenance of each entry of `spec.http`. */
  readonly httpOrigins: readonly Provenance[];
  /**
   * For an http route merged from a delegate: for each of its match blocks, the index of the delegate's
   * match block it came from (undefined where the block is the root's alone). Absent: the identity.
   */
  readonly httpMatchOrigins?: readonly (readonly (number | undefined)[] | undefined)[];
  /** Resolved `exportTo` of the resource. */
  readonly exportTo?: readonly string[];
}

/** `resolveGatewayName`: `name` → `<vs ns>/name`, `name.ns.svc…` → `ns/name`, `./name` → `<vs ns>/name`. */
export function resolveGatewayName(gw: string, namespace: string): string {
  if (!gw.includes('/')) {
    if (!gw.includes('.')) return `${namespace}/${gw}`;
    const i = gw.indexOf('.');
    const rest = gw.slice(i + 1);
    const j = rest.indexOf('.');
    return `${j === -1 ? rest : rest.slice(0, j)}/${gw.slice(0, i)}`;
  }
  const i = gw.indexOf('/');
  return gw.slice(0, i) === '.' ? `${namespace}/${gw.slice(i + 1)}` : gw;
}

function resolveGateways(list: readonly string[] | undefined, ns: string): string[] | undefined {
  return list?.map((g) => (g === MESH_GATEWAY ? g : resolveGatewayName(g, ns)));
}

/** `resolveVirtualServiceShortnames`. */
export function resolveVirtualServiceShortnames(
  spec: VirtualService,
  namespace: string,
  domain: string,
): VirtualService {
  const host = (h: string): string => resolveShortname(h, namespace, domain);
  const dest = <D extends { destination?: { host: string } }>(d: D): D =>
    d.destination === undefined ? d : { ...d, destination: { ...d.destination, host: host(d.destination.host) } };
  const l4 = (routes: readonly L4Route[] | undefined): L4Route[] | undefined =>
    routes?.map((r) => ({
      ...r,
      ...(r.match !== undefined
        ? { match: r.match.map((m) => withGateways(m, resolveGateways(m.gateways, namespace))) }
        : {}),
      ...(r.route !== undefined ? { route: r.route.map(dest) } : {}),
    }));
  const http = spec.http?.map((r): HTTPRoute => ({
    ...r,
    ...(r.match !== undefined
      ? { match: r.match.map((m) => withGateways(m, resolveGateways(m.gateways, namespace))) }
      : {}),
    ...(r.route !== undefined ? { route: r.route.map(dest) } : {}),
    ...(r.mirror !== undefined ? { mirror: { ...r.mirror, host: host(r.mirror.host) } } : {}),
    ...(r.mirrors !== undefined ? { mirrors: r.mirrors.map(dest) } : {}),
  }));
  return {
    ...spec,
    ...(spec.hosts !== undefined ? { hosts: spec.hosts.map(host) } : {}),
    ...(spec.gateways !== undefined ? { gateways: resolveGateways(spec.gateways, namespace) as string[] } : {}),
    ...(http !== undefined ? { http } : {}),
    ...(spec.tcp !== undefined ? { tcp: l4(spec.tcp) as L4Route[] } : {}),
    ...(spec.tls !== undefined ? { tls: l4(spec.tls) as L4Route[] } : {}),
  };
}

function withGateways<M extends { gateways?: readonly string[] }>(m: M, gateways: readonly string[] | undefined): M {
  return gateways === undefined ? m : { ...m, gateways };
}

/** The VirtualServices of the mesh as istiod indexes them: resolved, delegates merged, oldest first. */
export function prepareVirtualServices(
  objects: readonly IstioObject<VirtualServiceSpec>[],
  domain: string,
  defaultExportTo: readonly string[],
): VsConfig[] {
  const resolved = objects.map((o) => {
    const ns = o.metadata.namespace ?? 'default';
    const spec = resolveVirtualServiceShortnames(o.spec as unknown as VirtualService, ns, domain);
    const origins = (spec.http ?? []).map((r, i) => httpOrigin(o, i, r.name));
    return { o, ns, spec, origins };
  });
  // A VirtualService without hosts is a delegate: only usable through a root's `delegate`.
  const delegates = new Map<string, (typeof resolved)[number]>();
  for (const r of resolved) if ((r.spec.hosts ?? []).length === 0) delegates.set(`${r.ns}/${r.o.metadata.name}`, r);
  const out: VsConfig[] = [];
  for (const r of resolved) {
    if ((r.spec.hosts ?? []).length === 0) continue;
    let spec = r.spec;
    let origins = r.origins;
    let matchOrigins: (readonly (number | undefined)[] | undefined)[] | undefined;
    if ((r.spec.http ?? []).some((h) => h.delegate !== undefined)) {
      const merged: HTTPRoute[] = [];
      const mergedOrigins: Provenance[] = [];
      matchOrigins = [];
      (r.spec.http ?? []).forEach((route, i) => {
        const d = route.delegate;
        if (d === undefined) {
          merged.push(route);
          mergedOrigins.push(r.origins[i] as Provenance);
          matchOrigins?.push(undefined);
          return;
        }
        const dns = d.namespace !== undefined && d.namespace !== '' ? d.namespace : r.ns;
        const delegate = delegates.get(`${dns}/${d.name}`);
        if (delegate === undefined) return; // istiod: "delegate virtual service not found"
        const exportTo =
          delegate.spec.exportTo !== undefined && delegate.spec.exportTo.length > 0
            ? delegate.spec.exportTo
            : defaultExportTo;
        const visible = exportTo.some((e) => e === '*' || e === r.ns || (e === '.' && dns === r.ns));
        if (!visible) return; // "delegate virtual service is not exported to <root ns>"
        (delegate.spec.http ?? []).forEach((sub, j) => {
          const m = mergeHTTPRoute(route, sub);
          if (m === undefined) return;
          merged.push(m);
          mergedOrigins.push(delegate.origins[j] as Provenance);
          matchOrigins?.push(mergedMatchOrigins(route.match ?? [], sub.match ?? []));
        });
      });
      spec = { ...spec, http: merged };
      origins = mergedOrigins;
    }
    out.push({
      name: r.o.metadata.name,
      namespace: r.ns,
      ...(r.o.metadata.creationTimestamp !== undefined ? { creationTimestamp: r.o.metadata.creationTimestamp } : {}),
      object: r.o,
      spec,
      httpOrigins: origins,
      ...(matchOrigins !== undefined ? { httpMatchOrigins: matchOrigins } : {}),
      ...(r.spec.exportTo !== undefined ? { exportTo: r.spec.exportTo } : {}),
    });
  }
  return out.sort((a, b) => compareConfigs(a.object, b.object));
}

function httpOrigin(o: IstioObject<VirtualServiceSpec>, i: number, name: string | undefined): Provenance {
  return {
    kind: 'VirtualService',
    namespace: o.metadata.namespace ?? 'default',
    name: o.metadata.name,
    file: o.source.file,
    line: o.source.lineOf(['spec', 'http', i]),
    field: `spec.http[${i}]`,
    httpRouteIndex: i,
    ...(name !== undefined ? { httpRouteName: name } : {}),
  };
}

/** `mergeHTTPRoute(root, delegate)`: undefined when their matches conflict. */
export function mergeHTTPRoute(root: HTTPRoute, delegate: HTTPRoute): HTTPRoute | undefined {
  const matches = mergeHTTPMatchRequests(root.match ?? [], delegate.match ?? []);
  if (matches === 'conflict') return undefined;
  const name =
    delegate.name === undefined || delegate.name === ''
      ? root.name
      : root.name !== undefined && root.name !== ''
        ? `${root.name}-${delegate.name}`
        : delegate.name;
  return {
    ...delegate,
    ...(matches.length > 0 ? { match: matches } : {}),
    ...(name !== undefined ? { name } : {}),
    ...pick('rewrite'),
    ...pick('directResponse'),
    ...pick('timeout'),
    ...pick('retries'),
    ...pick('fault'),
    ...pick('mirror'),
    ...pick('mirrorPercent'),
    ...pick('mirrorPercentage'),
    ...pick('corsPolicy'),
    ...pick('mirrors'),
    ...pick('headers'),
  };
  function pick<K extends keyof HTTPRoute>(k: K): Partial<HTTPRoute> {
    return delegate[k] === undefined && root[k] !== undefined ? { [k]: root[k] } : {};
  }
}

/** `mergeHTTPMatchRequests`: every delegate match combined with every non-conflicting root match. */
export function mergeHTTPMatchRequests(
  root: readonly HTTPMatchRequest[],
  delegate: readonly HTTPMatchRequest[],
): HTTPMatchRequest[] | 'conflict' {
  if (root.length === 0) return [...delegate];
  if (delegate.length === 0) return [...root];
  const out: HTTPMatchRequest[] = [];
  for (const sub of delegate) {
    let found = false;
    for (const r of root) {
      if (hasConflict(r, sub)) continue;
      out.push(mergeHTTPMatchRequest(r, sub));
      found = true;
    }
    if (!found) return 'conflict';
  }
  return out.length === 0 ? 'conflict' : out;
}

/**
 * For the match blocks {@link mergeHTTPMatchRequests} returns, the delegate's match block each came from
 * (its provenance is the delegate's http route): delegate blocks in order, each once per root block it does
 * not conflict with; the root's own blocks (a delegate without `match`) have none.
 */
function mergedMatchOrigins(
  root: readonly HTTPMatchRequest[],
  delegate: readonly HTTPMatchRequest[],
): (number | undefined)[] {
  if (delegate.length === 0) return root.map(() => undefined);
  if (root.length === 0) return delegate.map((_, k) => k);
  const out: number[] = [];
  delegate.forEach((sub, k) => {
    for (const r of root) if (!hasConflict(r, sub)) out.push(k);
  });
  return out;
}

function mergeHTTPMatchRequest(root: HTTPMatchRequest, d: HTTPMatchRequest): HTTPMatchRequest {
  const name =
    d.name === undefined || d.name === ''
      ? root.name
      : root.name !== undefined && root.name !== ''
        ? `${root.name}-${d.name}`
        : d.name;
  const merge = <V>(
    a: Readonly<Record<string, V>> | undefined,
    b: Readonly<Record<string, V>> | undefined,
  ): Record<string, V> | undefined => (a === undefined && b === undefined ? undefined : { ...(a ?? {}), ...(b ?? {}) });
  const out: Record<string, unknown> = { ...d };
  const set = (k: string, v: unknown): void => {
    if (v !== undefined) out[k] = v;
  };
  set('name', name);
  set('uri', d.uri ?? root.uri);
  set('scheme', d.scheme ?? root.scheme);
  set('method', d.method ?? root.method);
  set('authority', d.authority ?? root.authority);
  set('headers', merge(root.headers, d.headers));
  set('withoutHeaders', merge(root.withoutHeaders, d.withoutHeaders));
  set('queryParams', merge(root.queryParams, d.queryParams));
  set('port', d.port !== undefined && d.port !== 0 ? d.port : root.port);
  set('sourceLabels', merge(root.sourceLabels, d.sourceLabels));
  set(
    'sourceNamespace',
    d.sourceNamespace !== undefined && d.sourceNamespace !== '' ? d.sourceNamespace : root.sourceNamespace,
  );
  set('gateways', d.gateways !== undefined && d.gateways.length > 0 ? d.gateways : root.gateways);
  set('statPrefix', d.statPrefix !== undefined && d.statPrefix !== '' ? d.statPrefix : root.statPrefix);
  return out as HTTPMatchRequest;
}

/** `hasConflict(root, leaf)`. */
export function hasConflict(root: HTTPMatchRequest, leaf: HTTPMatchRequest): boolean {
  const pairs: [StringMatch | undefined, StringMatch | undefined][] = [
    [root.uri, leaf.uri],
    [root.scheme, leaf.scheme],
    [root.method, leaf.method],
    [root.authority, leaf.authority],
  ];
  if (pairs.some(([a, b]) => stringMatchConflict(a, b))) return true;
  for (const [k, v] of Object.entries(leaf.headers ?? {})) if (stringMatchConflict(root.headers?.[k], v)) return true;
  for (const [k, v] of Object.entries(leaf.withoutHeaders ?? {}))
    if (stringMatchConflict(root.withoutHeaders?.[k], v)) return true;
  for (const [k, v] of Object.entries(leaf.queryParams ?? {}))
    if (stringMatchConflict(root.queryParams?.[k], v)) return true;
  if ((root.ignoreUriCase ?? false) !== (leaf.ignoreUriCase ?? false)) return true;
  if ((root.port ?? 0) > 0 && (leaf.port ?? 0) > 0 && root.port !== leaf.port) return true;
  if ((root.sourceNamespace ?? '') !== '' && leaf.sourceNamespace !== root.sourceNamespace) return true;
  for (const [k, v] of Object.entries(leaf.sourceLabels ?? {})) {
    const r = root.sourceLabels?.[k];
    if (r !== undefined && r !== v) return true;
  }
  const rg = root.gateways ?? [];
  const lg = leaf.gateways ?? [];
  if (rg.length > 0 && lg.length > 0) {
    if (rg.length < lg.length) return true;
    if (lg.some((g) => !rg.includes(g))) return true;
  }
  return false;
}

/** `stringMatchConflict(root, leaf)`: true when the leaf can match something the root cannot. */
export function stringMatchConflict(root: StringMatch | undefined, leaf: StringMatch | undefined): boolean {
  if (root === undefined || leaf === undefined) return false;
  const nz = (s: string | undefined): boolean => s !== undefined && s !== '';
  if (nz(root.regex) && (nz(leaf.regex) || nz(leaf.prefix) || nz(leaf.exact))) return true;
  if (nz(leaf.regex) && (nz(root.regex) || nz(root.prefix) || nz(root.exact))) return true;
  if (nz(root.exact)) return nz(leaf.prefix) || leaf.exact !== root.exact;
  if (nz(root.prefix)) {
    if (nz(leaf.prefix)) return !(leaf.prefix as string).startsWith(root.prefix as string);
    if (nz(leaf.exact)) return !(leaf.exact as string).startsWith(root.prefix as string);
  }
  return true;
}

/** `getGatewayNames`: the VirtualService's gateways, `mesh` when none. */
export function gatewayNamesOf(vs: VirtualService): readonly string[] {
  return vs.gateways === undefined || vs.gateways.length === 0 ? [MESH_GATEWAY] : vs.gateways;
}
