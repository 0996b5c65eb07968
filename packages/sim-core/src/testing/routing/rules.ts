/**
 * The unit of route coverage: one VirtualService http route and one of its match blocks
 * (`spec.http[i].match[j]`; an http route without `match` is one rule that matches everything). istiod
 * turns each match block into one Envoy route (`BuildHTTPRoutesForVirtualService`), and meshsim's translation
 * records which in the route's provenance, so an Envoy route is traced back to its rule directly.
 */
import type { RouteRef, SourceRef } from '../../explain/explanation.js';
import { refTo } from '../../explain/provenance.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import type { HTTPMatchRequest, HTTPRoute } from '../../istio/xds/api.js';
import type { KubeObject } from '../../k8s/object.js';

/** A VirtualService rule: an http route and, when it has any, one match block of it. */
export interface RuleRef {
  readonly virtualService: { readonly namespace: string; readonly name: string };
  /** Index in `spec.http`. */
  readonly httpRoute: number;
  /** `spec.http[i].name`, when set. */
  readonly httpRouteName?: string;
  /** Index in `spec.http[i].match`; absent when the http route has no match blocks. */
  readonly match?: number;
  /** `spec.http[i].match[j].name`, when set. */
  readonly matchName?: string;
  /** Where the rule is written. */
  readonly source?: SourceRef;
}

/** A rule with the VirtualService it belongs to. */
export interface VirtualServiceRule extends RuleRef {
  readonly object: KubeObject;
  readonly http: HTTPRoute;
  readonly matchRequest?: HTTPMatchRequest;
}

/** A stable key: `ns/name http[i].match[j]`. */
export function ruleKey(r: RuleRef): string {
  return `${r.virtualService.namespace}/${r.virtualService.name} http[${r.httpRoute}]${r.match !== undefined ? `.match[${r.match}]` : ''}`;
}

/** `VirtualService ns/name spec.http[i].match[j] (file:line)` */
export function describeRule(r: RuleRef): string {
  const field = `spec.http[${r.httpRoute}]${r.match !== undefined ? `.match[${r.match}]` : ''}`;
  const name = r.httpRouteName !== undefined ? ` "${r.httpRouteName}"` : '';
  const where = r.source !== undefined ? ` (${r.source.file}:${r.source.line})` : '';
  return `VirtualService ${r.virtualService.namespace}/${r.virtualService.name} ${field}${name}${where}`;
}

function httpRoutes(vs: KubeObject): readonly HTTPRoute[] {
  return ((vs.spec as { http?: readonly HTTPRoute[] } | undefined)?.http ?? []) as readonly HTTPRoute[];
}

function ruleAt(vs: KubeObject, i: number, j: number | undefined): VirtualServiceRule {
  const http = httpRoutes(vs)[i] as HTTPRoute;
  const m = j === undefined ? undefined : (http.match ?? [])[j];
  const path: (string | number)[] = j === undefined ? ['spec', 'http', i] : ['spec', 'http', i, 'match', j];
  return {
    virtualService: { namespace: vs.metadata.namespace ?? 'default', name: vs.metadata.name },
    httpRoute: i,
    ...(http.name !== undefined ? { httpRouteName: http.name } : {}),
    ...(j !== undefined ? { match: j } : {}),
    ...(m?.name !== undefined ? { matchName: m.name } : {}),
    source: refTo(vs, 'VirtualService', path),
    object: vs,
    http,
    ...(m !== undefined ? { matchRequest: m } : {}),
  };
}

/** Every http rule of every VirtualService in the model (delegates included), in file order. */
export function virtualServiceRules(model: MeshModel): VirtualServiceRule[] {
  const out: VirtualServiceRule[] = [];
  const vss = [...model.istio.virtualServices].sort(
    (a, b) =>
      a.source.file.localeCompare(b.source.file) ||
      a.source.line - b.source.line ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
  for (const vs of vss) {
    httpRoutes(vs).forEach((h, i) => {
      const matches = h.match ?? [];
      if (matches.length === 0) out.push(ruleAt(vs, i, undefined));
      else matches.forEach((_, j) => out.push(ruleAt(vs, i, j)));
    });
  }
  return out;
}

/**
 * The rule behind the Envoy route that `route()` matched: the VirtualService, http route and match block its
 * provenance records (`RouteRef.matchIndex`; a delegate's route whose match is the root's alone is the http
 * route as a whole).
 */
export function ruleOf(model: MeshModel, ref: RouteRef): RuleRef | undefined {
  if (ref.virtualService === undefined || ref.httpRouteIndex === undefined) return undefined;
  const vs = virtualServiceOf(model, ref.virtualService);
  const http = vs === undefined ? undefined : httpRoutes(vs)[ref.httpRouteIndex];
  if (vs === undefined || http === undefined) return undefined;
  const j =
    ref.matchIndex !== undefined && (http.match ?? [])[ref.matchIndex] !== undefined ? ref.matchIndex : undefined;
  return strip(ruleAt(vs, ref.httpRouteIndex, j));
}

/** The VirtualService `namespace/name` of the model (a VirtualService without a namespace is in `default`). */
function virtualServiceOf(model: MeshModel, id: RuleRef['virtualService']): KubeObject | undefined {
  return model.istio.virtualServices.find(
    (v) => v.metadata.name === id.name && (v.metadata.namespace ?? 'default') === id.namespace,
  );
}

/** The http route (`spec.http[i]`) a rule belongs to, as the model's VirtualService writes it. */
export function httpRouteOf(model: MeshModel, rule: RuleRef): HTTPRoute | undefined {
  const vs = virtualServiceOf(model, rule.virtualService);
  return vs === undefined ? undefined : httpRoutes(vs)[rule.httpRoute];
}

function strip(r: VirtualServiceRule): RuleRef {
  const { object: _o, http: _h, matchRequest: _m, ...ref } = r;
  return ref;
}

/** The rule without the VirtualService object (for printing and JSON). */
export function ruleRefOf(r: VirtualServiceRule): RuleRef {
  return strip(r);
}
