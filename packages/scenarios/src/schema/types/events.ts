/**
 * The `events` section: changes at given simulated times, listed in time order. Each event has `at` and
 * exactly one action. Config changes reach proxies as an xDS push, after the model's propagation delay —
 * as in a real mesh, not at the exact instant.
 */
import type { Duration } from '@meshsim/sim-core';
import type { InstanceTarget, ManifestSource, ObjectRef } from './common.js';
import type { WorkloadSpec } from './workload.js';

/** Fields every event has. */
export interface EventBase {
  /** When the event happens, from the start of the run. */
  readonly at: Duration;
  /** A label for reports and timelines. @defaultValue `events[<index>]` */
  readonly name: string;
}

/** `kubectl apply` of manifests (new objects are created, existing ones replaced). */
export interface ApplyEvent extends EventBase {
  readonly apply: readonly ManifestSource[];
}

/** `kubectl delete` of objects, by reference or by the objects a file defines. */
export interface DeleteEvent extends EventBase {
  readonly delete: readonly (ObjectRef | { readonly path: string })[];
}

/** `kubectl scale`: a Deployment's (or StatefulSet's, ReplicaSet's) replica count changes. */
export interface ScaleEvent extends EventBase {
  readonly scale: {
    /** @defaultValue `'Deployment'` */
    readonly kind: 'Deployment' | 'StatefulSet' | 'ReplicaSet';
    /** @defaultValue `'default'` */
    readonly namespace: string;
    readonly name: string;
    readonly replicas: number;
  };
}

/** Pods die abruptly (`kubectl delete pod --force --grace-period=0`); their controller replaces them. */
export interface KillEvent extends EventBase {
  readonly kill: InstanceTarget;
}

/** Instances fail their readiness probe (and leave endpoints), for `duration` or until a `ready` event. */
export interface UnreadyEvent extends EventBase {
  readonly unready: InstanceTarget & { readonly duration?: Duration };
}

/** Instances pass their readiness probe again. */
export interface ReadyEvent extends EventBase {
  readonly ready: InstanceTarget;
}

/**
 * A `workloads` entry that starts to apply at `at` (layered after all earlier ones), for `duration` or
 * until the end — e.g. one replica starts failing.
 */
export interface SetWorkloadEvent extends EventBase {
  readonly setWorkload: WorkloadSpec & { readonly duration?: Duration };
}

/** A node is cut off from the network (every packet to or from it is lost), for `duration` or until `heal`. */
export interface PartitionEvent extends EventBase {
  readonly partition: { readonly node: string; readonly duration?: Duration };
}

/** A partitioned node is reachable again. */
export interface HealEvent extends EventBase {
  readonly heal: { readonly node: string };
}

/** One timed change. */
export type ScenarioEvent =
  | ApplyEvent
  | DeleteEvent
  | ScaleEvent
  | KillEvent
  | UnreadyEvent
  | ReadyEvent
  | SetWorkloadEvent
  | PartitionEvent
  | HealEvent;

/** The action keys of an event, in the order the docs list them. */
export const EVENT_ACTIONS = [
  'apply',
  'delete',
  'scale',
  'kill',
  'unready',
  'ready',
  'setWorkload',
  'partition',
  'heal',
] as const;

/** The name of an event's action. */
export type EventAction = (typeof EVENT_ACTIONS)[number];

/** Which action an event carries. */
export function eventAction(event: ScenarioEvent): EventAction {
  for (const action of EVENT_ACTIONS) if (action in event) return action;
  throw new TypeError('event without an action');
}
