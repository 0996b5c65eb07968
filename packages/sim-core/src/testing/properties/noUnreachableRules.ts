/**
 * "No VirtualService rule is unreachable": every http route and match block takes some request. A rule
 * fails when it is shadowed (an earlier rule catches all it matches, or a match-less rule precedes it and
 * istiod drops it), applies to no sender, host or port, or when no request written for it reaches it
 * (they all went elsewhere, e.g. to an older VirtualService for the same host). Goes further than
 * `istioctl analyze` (IST0130/IST0131, which compare matches syntactically): requests are routed through
 * the configuration Envoy receives.
 */
import fc from 'fast-check';
import type { MeshModel } from '../../istio/model/meshModel.js';
import { buildMeshModel } from '../../istio/model/meshModel.js';
import { formatRouteExplanation } from '../../explain/format.js';
import { toManifest } from '../counterexample/manifestYaml.js';
import { minimizeObjects } from '../counterexample/minimize.js';
import { decideRoute } from '../routing/decide.js';
import { ruleReachability, type Reachability } from '../routing/reachability.js';
import { describeRule, ruleKey, ruleRefOf, virtualServiceRules, type RuleRef } from '../routing/rules.js';
import type { MeshProperty, Violation } from './property.js';
import { describeCall } from './requestProperty.js';

/** Options of {@link noUnreachableRules}. */
export interface NoUnreachableRulesOptions {
  /** Which rules to check. @defaultValue every http rule of every VirtualService */
  readonly rules?: (rule: RuleRef) => boolean;
  /** Count "no request found" (neither reached nor proven unreachable) as a failure. @defaultValue true */
  readonly failOnUnknown?: boolean;
  /** Shrink the counterexample's objects. @defaultValue true */
  readonly minimize?: boolean;
}

function violationOf(rule: RuleRef, r: Reachability, failOnUnknown: boolean): Violation | undefined {
  if (r.status === 'reachable') return undefined;
  if (r.status === 'unknown' && !failOnUnknown) return undefined;
  const head = `${describeRule(rule)} ${r.status === 'unreachable' ? 'can never be reached' : 'was not reached'}: ${r.reason}`;
  const went =
    r.witness !== undefined && r.decision !== undefined
      ? `\na request written for it — ${describeCall(r.witness)} — goes to ${r.decision.rule !== undefined ? describeRule(r.decision.rule) : r.decision.explanation.outcome.text}`
      : '';
  return { code: r.status, message: head + went };
}

const shadowKey = (r: Reachability): string =>
  r.status === 'unreachable' && r.shadowedBy !== undefined ? ruleKey(r.shadowedBy) : '';

/** Where the request written for a rule went: a rule, or Envoy's outcome. */
function landingOf(r: Reachability): string {
  if (r.status === 'reachable' || r.decision === undefined) return '';
  return r.decision.rule !== undefined ? ruleKey(r.decision.rule) : r.decision.explanation.outcome.text;
}

/** The property: every selected VirtualService rule can take a request. */
export function noUnreachableRules(model: MeshModel, options: NoUnreachableRulesOptions = {}): MeshProperty<RuleRef> {
  const all = virtualServiceRules(model);
  const selected = all.filter((r) => options.rules === undefined || options.rules(ruleRefOf(r)));
  const failOnUnknown = options.failOnUnknown ?? true;
  const cache = new Map<string, Reachability>();
  const verdict = (m: MeshModel, ref: RuleRef, rules = virtualServiceRules(m)): Reachability | undefined => {
    const rule = rules.find((r) => ruleKey(r) === ruleKey(ref));
    return rule === undefined ? undefined : ruleReachability(m, rule, rules);
  };
  const refs = selected.map(ruleRefOf);
  return {
    name: 'no VirtualService rule is unreachable',
    // Rules in file order; shrinking goes towards the first one, so the reported rule is the earliest failing.
    arbitrary: refs.length > 0 ? fc.constantFrom(...refs) : fc.constant(undefined as unknown as RuleRef),
    check(ref) {
      if (ref === undefined) return undefined;
      const key = ruleKey(ref);
      let r = cache.get(key);
      if (r === undefined) {
        r = verdict(model, ref, all) as Reachability;
        cache.set(key, r);
      }
      return violationOf(ref, r, failOnUnknown);
    },
    explain(ref, violation) {
      let objects = [...model.objects];
      const original = cache.get(ruleKey(ref)) ?? verdict(model, ref, all);
      if (options.minimize !== false && original !== undefined) {
        const landing = landingOf(original);
        objects = minimizeObjects(objects, (subset) => {
          try {
            const m = buildMeshModel(subset, model.options);
            const r = verdict(m, ref);
            if (r === undefined || r.status !== original.status || shadowKey(r) !== shadowKey(original)) return false;
            // The request written for the rule must still be possible and still go to the same place.
            if (original.status !== 'reachable' && original.witness !== undefined) {
              return landingOf({ ...original, decision: decideRoute(m, original.witness) }) === landing;
            }
            return true;
          } catch {
            return false;
          }
        });
      }
      const reduced = buildMeshModel(objects, model.options);
      const r = verdict(reduced, ref) ?? (cache.get(ruleKey(ref)) as Reachability);
      const v = violationOf(ref, r, true) ?? violation;
      return {
        message: v.message,
        objects: objects.map(toManifest),
        ...(r.status !== 'reachable' && r.witness !== undefined ? { request: r.witness } : {}),
        ...(r.status !== 'reachable' && r.decision !== undefined
          ? { trace: formatRouteExplanation(r.decision.explanation) }
          : {}),
      };
    },
  };
}
