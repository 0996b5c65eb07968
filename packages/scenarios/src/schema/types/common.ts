/**
 * Building blocks shared by every section of a scenario: durations, percentages, label selectors, the
 * workload-instance target, object references, manifest sources and bounds. A loaded {@link Scenario} is
 * the YAML as written with shorthands expanded, durations parsed to integer microseconds and defaults
 * filled in; it is deeply frozen.
 */
import type { Duration } from '@meshsim/sim-core';

/** A percentage in [0, 100], as Istio's `percentage.value`. */
export type Percent = number;

/** A `string → string` map (labels, headers, proxy metadata). */
export type StringMap = Readonly<Record<string, string>>;

/** One requirement of a label selector (`metav1.LabelSelectorRequirement`). */
export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  /** Required (non-empty) for `In`/`NotIn`, absent for `Exists`/`DoesNotExist`, as the apiserver checks. */
  readonly values?: readonly string[];
}

/**
 * A label selector with Kubernetes' semantics (`metav1.LabelSelector`): `matchLabels` and
 * `matchExpressions` are ANDed; an empty selector (`{}`) selects every instance of the namespace.
 */
export interface LabelSelector {
  readonly matchLabels?: StringMap;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/**
 * Which workload instances something applies to: pods and WorkloadEntries (VMs) of one namespace, by pod
 * name or by labels, optionally narrowed to one replica. Exactly one of `pod` and `selector` is set.
 */
export interface InstanceTarget {
  /** @defaultValue `'default'` */
  readonly namespace: string;
  /** A pod's name (`metadata.name`), for bare Pods or names you know. */
  readonly pod?: string;
  /** Labels of the pods and WorkloadEntries meant. */
  readonly selector?: LabelSelector;
  /**
   * 0-based index among the selected instances ordered by name (the order `kubectl get pods` prints), to
   * single out one replica. Absent: every selected instance.
   */
  readonly replica?: number;
}

/**
 * A Kubernetes object by identity, as `kubectl` and Kustomize's patch `target` name it. `apiVersion` is
 * only needed when a kind exists in several API groups.
 */
export interface ObjectRef {
  readonly apiVersion?: string;
  readonly kind: string;
  /** Namespace of a namespaced kind. @defaultValue `'default'` for namespaced kinds */
  readonly namespace?: string;
  readonly name: string;
}

/** A manifest file or folder, relative to the scenario file (folders are read as `kubectl apply -f` does). */
export interface ManifestPath {
  readonly path: string;
}

/** A manifest written inside the scenario file: one Kubernetes object (or `kind: List`). */
export interface InlineManifest {
  /** The object as plain JSON (read with Kubernetes' YAML 1.1 rules, as `kubectl apply` would). */
  readonly inline: Readonly<Record<string, unknown>>;
}

/** One entry of a manifest list: a path, or an object written inline. */
export type ManifestSource = ManifestPath | InlineManifest;

/** Inclusive bounds on a count or a percentage; at least one is set, and `min ≤ max`. */
export interface Bounds {
  readonly min?: number;
  readonly max?: number;
}

/** Inclusive bounds on a duration; at least one is set, and `min ≤ max`. */
export interface DurationBounds {
  readonly min?: Duration;
  readonly max?: Duration;
}

/**
 * A random duration (service time, hop latency). Written as a duration string for a constant, or as
 * exactly one of these keys (the one-of style of Istio's `fixedDelay`/`exponentialDelay`).
 */
export type Distribution =
  /** Always the same value. */
  | { readonly constant: Duration }
  /** Exponential with this mean (memoryless; the M in M/M/c). */
  | { readonly exponential: { readonly mean: Duration } }
  /** Lognormal given as latency is usually described: median and 99th percentile (`p99 ≥ median > 0`). */
  | { readonly lognormal: { readonly median: Duration; readonly p99: Duration } }
  /** Uniform on [min, max]. */
  | { readonly uniform: { readonly min: Duration; readonly max: Duration } }
  /**
   * Measured data: `samples` (observed durations, linearly interpolated between order statistics) or
   * `percentiles` (a table from `p0`, the minimum, to `p100`, the maximum, e.g. read off a dashboard).
   */
  | { readonly empirical: EmpiricalData };

/** The data of an empirical distribution: exactly one of `samples` and `percentiles`. */
export type EmpiricalData =
  | { readonly samples: readonly Duration[] }
  /** Keys `p0` … `p100` (`p99.9` allowed), in increasing order, values not decreasing. */
  | { readonly percentiles: Readonly<Record<string, Duration>> };
