/**
 * Timed changes to a running world — what a scenario's `events` do: `kubectl apply` and `delete`,
 * `kubectl scale`, a pod killed abruptly, a readiness probe starting or stopping to fail, an application
 * replica changing behaviour, a node cut off from the network and healed. Each takes effect as it would in
 * a cluster: configuration reaches each proxy as an xDS push after istiod's debounce and the proxy's own
 * delay; readiness leaves the endpoints after the probe's failure threshold and the same push.
 */
import type { Duration, SimTime } from '../../engine/time.js';
import type { KubeObject } from '../../k8s/object.js';
import type { WorkloadSpec, WorkloadTarget } from './workloads.js';

/** A reference to an object, as `kubectl delete` names it. */
export interface ObjectRef {
  readonly kind: string;
  readonly name: string;
  /** @defaultValue `'default'` for namespaced kinds */
  readonly namespace?: string;
  readonly apiVersion?: string;
}

/** One change. */
export type WorldChange =
  /** `kubectl apply`: objects are created, or replace those with the same kind, namespace and name. */
  | { readonly kind: 'apply'; readonly objects: readonly KubeObject[] }
  /** `kubectl delete`. */
  | { readonly kind: 'delete'; readonly refs: readonly ObjectRef[] }
  /** `kubectl scale`. */
  | {
      readonly kind: 'scale';
      readonly name: string;
      readonly replicas: number;
      readonly namespace?: string;
      /** @defaultValue `'Deployment'` */
      readonly workloadKind?: 'Deployment' | 'StatefulSet' | 'ReplicaSet';
    }
  /**
   * The instances' containers die abruptly (a crash, an OOM kill): connections on them break, new ones are
   * refused, and the kubelet restarts them in place (same name and address) after a start-up.
   */
  | { readonly kind: 'kill'; readonly target: WorkloadTarget }
  /** The instances fail their readiness probe (for `duration`, or until `ready`). */
  | { readonly kind: 'unready'; readonly target: WorkloadTarget; readonly duration?: Duration }
  /** They pass it again. */
  | { readonly kind: 'ready'; readonly target: WorkloadTarget }
  /** From now on the entry applies (layered last), for `duration` or to the end. */
  | { readonly kind: 'setWorkload'; readonly workload: WorkloadSpec; readonly duration?: Duration }
  /** A node (or a VM by name, or an outside client) is cut off: packets to and from it are lost. */
  | { readonly kind: 'partition'; readonly node: string; readonly duration?: Duration }
  /** It is reachable again. */
  | { readonly kind: 'heal'; readonly node: string };

/** A change at a time. */
export interface TimedChange {
  readonly at: SimTime;
  /** For reports and traces. */
  readonly name?: string;
  readonly change: WorldChange;
}
