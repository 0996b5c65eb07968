/**
 * "A canary rollout's share of the new version never goes back": given the mesh at each step of a rollout
 * (the same cluster with each step's VirtualServices), for every request the share routed to the canary
 * subset (`v2`) is non-decreasing from one step to the next — analytically, from each step's route table.
 * A step that lowers it for some request class (weights typed the wrong way round, a header route dropped,
 * a rule reordered) is the counterexample, printed as the objects that changed between the two steps.
 */
import type fc from 'fast-check';
import type { RouteCall } from '../../explain/call.js';
import { ConfigError } from '../../errors.js';
import type { MeshModel } from '../../istio/model/meshModel.js';
import { canonicalJson } from '../../k8s/hash.js';
import { toManifest } from '../counterexample/manifestYaml.js';
import { keyOf } from '../observations.js';
import { decideRoute } from '../routing/decide.js';
import { meshRequest, ruleRequests, type MeshRequestConstraints } from '../routing/requests.js';
import { describeRule } from '../routing/rules.js';
import type { MeshProperty } from './property.js';
import { describeCall } from './requestProperty.js';

/** Options of {@link canaryMonotone}. */
export interface CanaryMonotoneOptions extends MeshRequestConstraints {
  /** The canary's subset. @defaultValue `'v2'` */
  readonly subset?: string;
  /** The requests. @defaultValue {@link meshRequest} of the first step */
  readonly requests?: fc.Arbitrary<RouteCall>;
}

/** The share of `call` that reaches `subset` on `model` (0 when it reaches no cluster). */
export function subsetShare(model: MeshModel, call: RouteCall, subset: string): number {
  const d = decideRoute(model, call);
  if (d.explanation.outcome.action !== 'forward') return 0;
  const abort = d.fault?.abort?.httpStatus !== undefined ? Math.min(100, d.fault.abort.percentage) / 100 : 0;
  return (
    (1 - abort) *
    d.candidates.filter((c) => keyOf({ cluster: c.name }, 'subset') === subset).reduce((a, c) => a + c.probability, 0)
  );
}

function share(model: MeshModel, call: RouteCall, subset: string): number | undefined {
  try {
    return subsetShare(model, call, subset);
  } catch (e) {
    if (e instanceof ConfigError) return undefined;
    throw e;
  }
}

function uniqueCalls(calls: readonly RouteCall[]): RouteCall[] {
  const seen = new Set<string>();
  return calls.filter((c) => {
    const k = JSON.stringify(c);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The property over `steps` (at least two models, in rollout order). */
export function canaryMonotone(
  steps: readonly MeshModel[],
  options: CanaryMonotoneOptions = {},
): MeshProperty<RouteCall> {
  if (steps.length < 2) throw new RangeError('canaryMonotone: give at least two steps');
  const subset = options.subset ?? 'v2';
  const pct = (x: number): string => `${(100 * x).toFixed(2).replace(/\.?0+$/, '')} %`;
  const firstDrop = (call: RouteCall): { k: number; before: number; after: number } | undefined => {
    let prev: number | undefined;
    for (let k = 0; k < steps.length; k++) {
      const s = share(steps[k] as MeshModel, call, subset);
      if (s === undefined) return undefined;
      if (prev !== undefined && s < prev - 1e-12) return { k, before: prev, after: s };
      prev = s;
    }
    return undefined;
  };
  return {
    name: `a canary rollout's share of ${subset} never decreases`,
    arbitrary: options.requests ?? meshRequest(steps[0] as MeshModel, options),
    // The requests written for every step's rules, tried first: each request class of each step.
    ...(options.requests === undefined && options.ruleRequests !== false
      ? {
          parameters: {
            examples: uniqueCalls(steps.flatMap((m) => ruleRequests(m, options))).map((c) => [c] as [RouteCall]),
          },
        }
      : {}),
    check(call) {
      const drop = firstDrop(call);
      if (drop === undefined) return undefined;
      return {
        code: 'decrease',
        message: `${describeCall(call)}: the share of ${subset} falls from ${pct(drop.before)} at step ${drop.k} to ${pct(drop.after)} at step ${drop.k + 1}`,
      };
    },
    explain(call, violation) {
      const drop = firstDrop(call);
      const k = drop?.k ?? 1;
      const before = steps[k - 1] as MeshModel;
      const after = steps[k] as MeshModel;
      const seen = new Set(before.objects.map((o) => canonicalJson(toManifest(o))));
      const changed = after.objects.filter((o) => !seen.has(canonicalJson(toManifest(o))));
      const d = decideRoute(after, call);
      const why = d.rule !== undefined ? `\nat step ${k + 1} it is routed by ${describeRule(d.rule)}` : '';
      return { message: violation.message + why, objects: changed.map(toManifest), request: call };
    },
  };
}
