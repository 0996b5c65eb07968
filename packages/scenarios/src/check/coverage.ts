/**
 * Route coverage of a rule-test run: which VirtualService rules (http routes, and each match block of
 * them) the tests' requests were routed by, and — for those none was — whether any request can be
 * (`reachabilityOf`: shadowed rules, rules that apply nowhere). Like `router_check_tool --fail-under`,
 * but per Istio rule rather than per Envoy route.
 */
import type { MeshModel } from '@meshsim/sim-core';
import {
  describeRule,
  ruleKey,
  ruleReachability,
  ruleRefOf,
  virtualServiceRules,
  type RuleRef,
} from '@meshsim/sim-core/testing';
import type { CaseResult } from './types.js';

/** One rule's coverage. */
export interface RuleCoverage {
  readonly rule: RuleRef;
  /** `spec.http[i].match[j]`, or `spec.http[i]` for a route without match. */
  readonly field: string;
  /** Test cases routed by it. */
  readonly tests: number;
  /** For a rule no test reached: whether any request can. */
  readonly reachability?: { readonly status: 'reachable' | 'unreachable' | 'unknown'; readonly reason?: string };
}

/** Coverage of a run. */
export interface Coverage {
  readonly rules: readonly RuleCoverage[];
  readonly covered: number;
  readonly total: number;
  /** covered / total in %, 100 when there are no rules. */
  readonly percent: number;
  /** http routes with at least one exercised match block. */
  readonly httpRoutes: { readonly covered: number; readonly total: number };
  /** Rules no request can reach. */
  readonly unreachable: number;
}

/** Coverage of `results` over the model's VirtualService rules. */
export function routeCoverage(model: MeshModel, results: readonly CaseResult[]): Coverage {
  const hits = new Map<string, number>();
  for (const r of results) {
    const rule = r.decision?.rule;
    if (rule !== undefined) hits.set(ruleKey(rule), (hits.get(ruleKey(rule)) ?? 0) + 1);
  }
  const all = virtualServiceRules(model);
  const rules = all.map((r): RuleCoverage => {
    const ref = ruleRefOf(r);
    const tests = hits.get(ruleKey(ref)) ?? 0;
    const field = `spec.http[${ref.httpRoute}]${ref.match !== undefined ? `.match[${ref.match}]` : ''}`;
    if (tests > 0) return { rule: ref, field, tests };
    const v = ruleReachability(model, r, all);
    return {
      rule: ref,
      field,
      tests,
      reachability: v.status === 'reachable' ? { status: 'reachable' } : { status: v.status, reason: v.reason },
    };
  });
  const covered = rules.filter((r) => r.tests > 0).length;
  const routes = new Map<string, boolean>();
  for (const r of rules) {
    const key = `${r.rule.virtualService.namespace}/${r.rule.virtualService.name}#${r.rule.httpRoute}`;
    routes.set(key, (routes.get(key) ?? false) || r.tests > 0);
  }
  return {
    rules,
    covered,
    total: rules.length,
    percent: rules.length === 0 ? 100 : (100 * covered) / rules.length,
    httpRoutes: { covered: [...routes.values()].filter(Boolean).length, total: routes.size },
    unreachable: rules.filter((r) => r.reachability?.status === 'unreachable').length,
  };
}

/** One line for a rule: `✓ VirtualService ns/name spec.http[0].match[0] (file:line) — 2 tests`. */
export function describeCoverage(r: RuleCoverage): string {
  const what = describeRule(r.rule);
  if (r.tests > 0) return `✓ ${what} — ${r.tests} test${r.tests === 1 ? '' : 's'}`;
  const v = r.reachability;
  if (v?.status === 'unreachable') return `! ${what} — can never be reached: ${v.reason ?? ''}`;
  if (v?.status === 'unknown') return `? ${what} — not exercised; ${v.reason ?? 'no request found that reaches it'}`;
  return `✗ ${what} — not exercised by any test`;
}
