/**
 * Which application behaviour each instance runs. Workload entries select instances the way a scenario's
 * `workloads` do — a namespace, a pod name or a label selector, optionally one `replica` (0-based, among the
 * selected instances ordered by name) — and every matching entry applies in order, later fields replacing
 * earlier ones. An instance no entry selects answers 200 at once.
 */
import { ConfigError } from '../../errors.js';
import { selectorMatches, type LabelSelector } from '../../k8s/labels.js';
import type { AppBehaviour } from '../app/appSpec.js';
import type { Instance } from './instance.js';

/** Which instances something applies to. */
export interface WorkloadTarget {
  /** @defaultValue `'default'` */
  readonly namespace?: string;
  /** One pod (or VM) by name. */
  readonly pod?: string;
  /** A label selector over pods and VMs; `{}` selects every instance of the namespace. */
  readonly selector?: LabelSelector;
  /** Only the instance with this 0-based index among the selected ones, by name. */
  readonly replica?: number;
}

/** A workload entry: a target and the behaviour its instances run. */
export interface WorkloadSpec extends WorkloadTarget {
  readonly behaviour: AppBehaviour;
}

/** The instances `target` selects among `instances`, ordered by name. */
export function selectInstances(target: WorkloadTarget, instances: Iterable<Instance>): Instance[] {
  const ns = target.namespace ?? 'default';
  const matched: Instance[] = [];
  for (const i of instances) {
    if (i.kind === 'external' || i.namespace !== ns) continue;
    if (
      target.pod !== undefined
        ? i.name === target.pod
        : target.selector !== undefined && selectorMatches(target.selector, i.labels)
    ) {
      matched.push(i);
    }
  }
  matched.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (target.replica === undefined) return matched;
  const one = matched[target.replica];
  return one === undefined ? [] : [one];
}

/** Checks a target's shape (exactly one of `pod` and `selector`). */
export function checkTarget(target: WorkloadTarget, field: string): void {
  if ((target.pod === undefined) === (target.selector === undefined)) {
    throw new ConfigError('a workload target needs exactly one of pod and selector', { field }, 'world');
  }
  // A bare map (`{app: reviews}`) is not a LabelSelector: it would select every instance of the namespace.
  const sel = target.selector as Readonly<Record<string, unknown>> | undefined;
  for (const key of Object.keys(sel ?? {})) {
    if (key !== 'matchLabels' && key !== 'matchExpressions') {
      throw new ConfigError(
        `unknown field "${key}" in a label selector: use matchLabels (e.g. {matchLabels: {${key}: …}}) or matchExpressions`,
        { field: `${field}.selector.${key}` },
        'world',
      );
    }
  }
  if (target.replica !== undefined && !(Number.isInteger(target.replica) && target.replica >= 0)) {
    throw new ConfigError(
      `replica must be an integer ≥ 0, got ${target.replica}`,
      { field: `${field}.replica` },
      'world',
    );
  }
}

/** The behaviour of `instance`: every entry selecting it, layered in order. */
export function behaviourOf(
  instance: Instance,
  specs: readonly WorkloadSpec[],
  all: readonly Instance[],
): AppBehaviour {
  let out: Record<string, unknown> = {};
  for (const spec of specs) {
    if (!selectInstances(spec, all).includes(instance)) continue;
    for (const [k, v] of Object.entries(spec.behaviour)) if (v !== undefined) out = { ...out, [k]: v };
  }
  return out as AppBehaviour;
}
