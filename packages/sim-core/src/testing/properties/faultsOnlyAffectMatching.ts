/**
 * "Faults only affect requests matching their route": a request gets a VirtualService fault (delay or
 * abort, applied by the client-side proxy's fault filter on the route it selects) only when it satisfies
 * the match of the http route that declares the fault — checked against an independent reading of Istio's
 * `HTTPMatchRequest` (exact/prefix/RE2 regex on uri, headers, method, authority, query parameters) — and,
 * with `intended`, only when the user meant it for that request. A fault on a catch-all route, or on a
 * rule that matches more than meant, is the counterexample.
 */
import type fc from 'fast-check';
import { re2FullMatch } from '../../envoy/router/regex.js';
import type { RouteCall } from '../../explain/call.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import type { HTTPMatchRequest, StringMatch } from '../../istio/xds/api.js';
import { decideRoute, type RouteDecision } from '../routing/decide.js';
import type { MeshRequestConstraints } from '../routing/requests.js';
import { describeRule, httpRouteOf, ruleKey } from '../routing/rules.js';
import { simulateCall } from '../routing/simulateCall.js';
import { binomialAcceptance } from '../stats.js';
import type { MeshProperty, Violation } from './property.js';
import { anchored, describeCall, requestProperty, requestsAndExamples } from './requestProperty.js';

/** Options of {@link faultsOnlyAffectMatching}. */
export interface FaultsOnlyAffectMatchingOptions extends MeshRequestConstraints {
  readonly requests?: fc.Arbitrary<RouteCall>;
  /** The requests a fault is meant for; a fault on any other request fails. */
  readonly intended?: (call: RouteCall, decision: RouteDecision) => boolean;
  /** With `intended`: also fail when an intended request gets no fault. @defaultValue false */
  readonly exhaustive?: boolean;
  /**
   * Also send each distinct route's requests through the simulated world: requests whose route has no
   * fault must see no `FI`/`DI` flag, and a route's abort and delay must hit their percentage of requests
   * within the exact binomial acceptance region at `alpha`.
   */
  readonly empirical?: { readonly requests?: number; readonly alpha?: number };
  readonly minimize?: boolean;
}

function stringMatches(m: StringMatch | undefined, v: string | undefined, ignoreCase = false): boolean {
  if (m === undefined) return true;
  if (m.exact === undefined && m.prefix === undefined && m.regex === undefined) return v !== undefined;
  if (v === undefined) return false;
  const value = ignoreCase ? v.toLowerCase() : v;
  if (m.exact !== undefined) return value === (ignoreCase ? m.exact.toLowerCase() : m.exact);
  if (m.prefix !== undefined) return value.startsWith(ignoreCase ? m.prefix.toLowerCase() : m.prefix);
  return m.regex === '*' ? true : re2FullMatch(m.regex as string, v);
}

/** Whether `d`'s request satisfies Istio's `match` (request attributes only; source conditions ignored). */
export function istioMatchHolds(m: HTTPMatchRequest | undefined, d: RouteDecision): boolean {
  if (m === undefined) return true;
  const c = d.explanation.call;
  const rawPath = c.path ?? '/';
  const path = rawPath.split(/[?#]/)[0] as string;
  const headers = c.headers ?? {};
  if (!stringMatches(m.uri, path, m.ignoreUriCase === true)) return false;
  if (!stringMatches(m.method, c.method)) return false;
  if (!stringMatches(m.authority, c.authority)) return false;
  for (const [k, sm] of Object.entries(m.headers ?? {})) {
    if (k.startsWith('@')) continue;
    if (!stringMatches(sm, headers[k.toLowerCase()])) return false;
  }
  for (const [k, sm] of Object.entries(m.withoutHeaders ?? {})) {
    const v = headers[k.toLowerCase()];
    const isPresence =
      sm.exact === undefined && sm.prefix === undefined && (sm.regex === undefined || sm.regex === '*');
    if (isPresence ? v !== undefined : stringMatches(sm, v ?? '')) return false;
  }
  const q = rawPath.includes('?') ? rawPath.slice(rawPath.indexOf('?') + 1) : '';
  const params = new Map<string, string>();
  for (const part of q.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    if (!params.has(k)) params.set(k, eq < 0 ? '' : part.slice(eq + 1));
  }
  for (const [k, sm] of Object.entries(m.queryParams ?? {})) if (!stringMatches(sm, params.get(k))) return false;
  return true;
}

/** What the simulated world shows for `call`'s route that the route's fault does not explain, if anything. */
function empiricalFaultViolation(
  model: MeshModel,
  call: RouteCall,
  d: RouteDecision,
  e: { readonly requests?: number; readonly alpha?: number },
): string | undefined {
  if (d.candidates.length === 0 || d.route === undefined) return undefined; // no cluster route: nothing to fault
  const n = e.requests ?? 1000;
  const alpha = e.alpha ?? 0.001;
  const outcomes = simulateCall(model, call, { requests: n, seed: describeCall(call) });
  const flagged = (f: string): number => outcomes.filter((o) => o.responseFlags.split(',').includes(f)).length;
  const checks: [string, number, number][] = [
    ['FI', flagged('FI'), d.fault?.abort?.httpStatus !== undefined ? d.fault.abort.percentage : 0],
    ['DI', flagged('DI'), d.fault?.delay !== undefined ? d.fault.delay.percentage : 0],
  ];
  for (const [flag, count, percent] of checks) {
    // Two checks per route: alpha / 2 each, so a correct fault filter fails this with probability ≤ alpha.
    const acc = binomialAcceptance(outcomes.length, Math.min(1, percent / 100), alpha / 2);
    if (count < acc.lower || count > acc.upper) {
      const where = d.rule !== undefined ? describeRule(d.rule) : 'its route';
      return `${describeCall(call)}: ${count} of ${outcomes.length} simulated requests carry ${flag}, but ${where} ${percent > 0 ? `injects it into ${percent} % (accepted ${acc.lower}–${acc.upper} at alpha ${alpha / 2})` : 'has no such fault'}`;
    }
  }
  return undefined;
}

/** The property. */
export function faultsOnlyAffectMatching(
  model: MeshModel,
  options: FaultsOnlyAffectMatchingOptions = {},
): MeshProperty<RouteCall> {
  const ex = requestsAndExamples(model, options);
  const simulated = new Map<string, string | undefined>();
  const check = (m: MeshModel, call: RouteCall): Violation | undefined => {
    const d = decideRoute(m, call);
    const faulted =
      d.fault !== undefined && ((d.fault.abort?.percentage ?? 0) > 0 || (d.fault.delay?.percentage ?? 0) > 0);
    const where = d.rule !== undefined ? describeRule(d.rule) : 'its route';
    if (faulted && d.rule !== undefined) {
      const matches = httpRouteOf(m, d.rule)?.match ?? [];
      if (matches.length > 0 && !matches.some((x) => istioMatchHolds(x, d))) {
        return {
          code: anchored('outside_match', d),
          message: `${describeCall(call)} gets the fault of ${where} without satisfying any of its match blocks`,
        };
      }
    }
    if (options.empirical !== undefined && m === model) {
      const id = `${d.explanation.call.proxy}|${d.explanation.virtualHost ?? ''}|${d.rule !== undefined ? ruleKey(d.rule) : d.explanation.route?.index}`;
      if (!simulated.has(id)) simulated.set(id, empiricalFaultViolation(m, call, d, options.empirical));
      const v = simulated.get(id);
      if (v !== undefined) return { code: anchored('simulated', d), message: v };
    }
    if (options.intended !== undefined) {
      const meant = options.intended(call, d);
      if (faulted && !meant) {
        return {
          code: anchored('unintended', d),
          message: `${describeCall(call)} gets the fault ${JSON.stringify(d.fault)} of ${where}, but the fault is not meant for it`,
        };
      }
      if (!faulted && meant && options.exhaustive === true && d.candidates.length > 0) {
        return {
          code: anchored('missed', d),
          message: `${describeCall(call)} is meant to get a fault but ${where} has none`,
        };
      }
    }
    return undefined;
  };
  return requestProperty('faults only affect the requests they are meant for', model, ex.requests, check, {
    ...(ex.examples !== undefined ? { examples: ex.examples } : {}),
    ...(options.minimize !== undefined ? { minimize: options.minimize } : {}),
  });
}
