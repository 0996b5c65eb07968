/**
 * Which VirtualService rules can ever take a request. A rule is **reachable** when a request written for it
 * (see witnesses.ts) is routed by it; **unreachable** when that is impossible — it applies to no sender,
 * host or port, or an earlier rule catches everything it matches (after a match-less rule istiod drops the
 * rest of the VirtualService: `BuildHTTPRoutesForVirtualService`; Envoy takes the first matching route) —;
 * and **unknown** when neither a request nor a proof was found (the requests written for it went elsewhere).
 */
import type { RouteCall } from '../../explain/call.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import type { HTTPMatchRequest } from '../../istio/xds/api.js';
import { translateRouteMatch } from '../../istio/xds/route/routeMatch.js';
import { canonicalJson } from '../../k8s/hash.js';
import { labelsMatch } from '../../k8s/labels.js';
import { decideRoute, type RouteDecision } from './decide.js';
import { matchCovers } from './subsumes.js';
import {
  describeRule,
  ruleKey,
  ruleRefOf,
  virtualServiceRules,
  type RuleRef,
  type VirtualServiceRule,
} from './rules.js';
import { ruleContexts, witnesses } from './witnesses.js';

/** The verdict on one rule. */
export type Reachability =
  | { readonly status: 'reachable'; readonly witness: RouteCall; readonly decision: RouteDecision }
  | {
      readonly status: 'unreachable';
      readonly reason: string;
      /** The earlier rule that catches its requests, when that is the reason. */
      readonly shadowedBy?: RuleRef;
      /** A request written for it, and where it goes instead. */
      readonly witness?: RouteCall;
      readonly decision?: RouteDecision;
    }
  | {
      readonly status: 'unknown';
      readonly reason: string;
      readonly witness?: RouteCall;
      readonly decision?: RouteDecision;
    };

/** A rule and its verdict. */
export interface RuleReachability {
  readonly rule: RuleRef;
  readonly result: Reachability;
}

const sameRule = (a: RuleRef | undefined, b: RuleRef): boolean => a !== undefined && ruleKey(a) === ruleKey(b);

/** `earlier` applies wherever `later` does (port, gateways, source restrictions no narrower). */
function appliesWherever(earlier: HTTPMatchRequest | undefined, later: HTTPMatchRequest | undefined): boolean {
  if (earlier === undefined) return true;
  if (earlier.port !== undefined && earlier.port !== 0 && earlier.port !== later?.port) return false;
  if ((earlier.gateways ?? []).length > 0 && canonicalJson(earlier.gateways) !== canonicalJson(later?.gateways ?? []))
    return false;
  if (
    earlier.sourceNamespace !== undefined &&
    earlier.sourceNamespace !== '' &&
    earlier.sourceNamespace !== later?.sourceNamespace
  )
    return false;
  if (earlier.sourceLabels !== undefined && !labelsMatch(earlier.sourceLabels, later?.sourceLabels ?? {})) return false;
  return true;
}

const withoutName = (m: HTTPMatchRequest | undefined): string => canonicalJson({ ...(m ?? {}), name: undefined });

/** An earlier rule of the same VirtualService that catches every request `rule` matches. */
function shadowingRule(
  rules: readonly VirtualServiceRule[],
  rule: VirtualServiceRule,
): { by: VirtualServiceRule; why: string } | undefined {
  const mine = translateRouteMatch(rule.matchRequest);
  for (const r of rules) {
    if (r.object !== rule.object) continue;
    if (r.httpRoute > rule.httpRoute || (r.httpRoute === rule.httpRoute && (r.match ?? 0) >= (rule.match ?? 0)))
      continue;
    if (r.matchRequest === undefined && r.httpRoute < rule.httpRoute) {
      return { by: r, why: 'it has no match, so it catches every request first (istiod drops the routes after it)' };
    }
    if (!appliesWherever(r.matchRequest, rule.matchRequest)) continue;
    if (withoutName(r.matchRequest) === withoutName(rule.matchRequest)) return { by: r, why: 'it has the same match' };
    if (matchCoversSafe(translateRouteMatch(r.matchRequest), mine)) {
      return { by: r, why: 'every request this rule matches also matches it, and it comes first' };
    }
  }
  return undefined;
}

const matchCoversSafe = (
  a: ReturnType<typeof translateRouteMatch>,
  b: ReturnType<typeof translateRouteMatch>,
): boolean => {
  try {
    return matchCovers(a, b);
  } catch {
    return false;
  }
};

function noContextReason(model: MeshModel, rule: VirtualServiceRule): string {
  const m = rule.matchRequest;
  const spec = rule.object.spec as { gateways?: readonly string[]; hosts?: readonly string[] };
  const gateways = m?.gateways ?? spec.gateways ?? ['mesh'];
  if (!gateways.includes('mesh'))
    return `it is bound to gateways ${gateways.join(', ')}, which select no gateway pod serving its hosts`;
  if (m?.sourceLabels !== undefined)
    return `no sidecar has the labels of sourceLabels ${canonicalJson(m.sourceLabels)}`;
  if (m?.sourceNamespace !== undefined) return `no sidecar runs in sourceNamespace ${m.sourceNamespace}`;
  if (m?.port !== undefined) return `port ${m.port} is not a port of ${(spec.hosts ?? []).join(', ')}`;
  return model.proxies.some((p) => p.type === 'sidecar')
    ? 'no sidecar can send a request to its hosts'
    : 'the mesh has no sidecar to send it';
}

/** The verdict on `rule` (all rules of the model are needed to find a shadowing one). */
export function ruleReachability(
  model: MeshModel,
  rule: VirtualServiceRule,
  rules: readonly VirtualServiceRule[] = virtualServiceRules(model),
): Reachability {
  const ref = ruleRefOf(rule);
  const calls = witnesses(model, rule);
  let first: { witness: RouteCall; decision: RouteDecision } | undefined;
  const elsewhere = new Map<string, number>();
  for (const witness of calls) {
    const decision = decideRoute(model, witness);
    if (sameRule(decision.rule, ref)) return { status: 'reachable', witness, decision };
    first ??= { witness, decision };
    const where = decision.rule !== undefined ? describeRule(decision.rule) : decision.explanation.outcome.text;
    elsewhere.set(where, (elsewhere.get(where) ?? 0) + 1);
  }
  const shadow = shadowingRule(rules, rule);
  if (shadow !== undefined) {
    return {
      status: 'unreachable',
      reason: `shadowed by ${describeRule(shadow.by)}: ${shadow.why}`,
      shadowedBy: ruleRefOf(shadow.by),
      ...(first !== undefined ? first : {}),
    };
  }
  if (ruleContexts(model, rule).length === 0)
    return { status: 'unreachable', reason: `it applies nowhere: ${noContextReason(model, rule)}` };
  if (calls.length === 0)
    return {
      status: 'unknown',
      reason:
        'no request satisfying its match could be written (e.g. a regex RE2 accepts but JavaScript cannot sample)',
    };
  const went = [...elsewhere.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([w, n]) => `${n}× ${w}`);
  return {
    status: 'unknown',
    reason: `none of ${calls.length} requests written for it reached it; they went to: ${went.join('; ')}`,
    ...(first !== undefined ? first : {}),
  };
}

/** The verdict on every VirtualService rule of the model, in file order. */
export function reachabilityOf(model: MeshModel): RuleReachability[] {
  const rules = virtualServiceRules(model);
  return rules.map((r) => ({ rule: ruleRefOf(r), result: ruleReachability(model, r, rules) }));
}
