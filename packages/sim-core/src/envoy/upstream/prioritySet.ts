/**
 * A cluster's host sets, one per priority, and the callbacks that tell load balancers and detectors about
 * changes. Mirrors `PrioritySetImpl` (envoyproxy/envoy source/common/upstream/upstream_impl.cc): an update
 * first runs the priority-update callbacks (LBs recompute loads, panic and schedulers), then the
 * member-update callbacks (outlier detection and health checking add/remove their per-host state).
 */
import type { Host } from './host.js';
import { HostSet, type HostSetMembership } from './hostSet.js';

/** `PrioritySet::PriorityUpdateCb`. */
export type PriorityUpdateCb = (priority: number, hostsAdded: readonly Host[], hostsRemoved: readonly Host[]) => void;
/** `PrioritySet::MemberUpdateCb`. */
export type MemberUpdateCb = (hostsAdded: readonly Host[], hostsRemoved: readonly Host[]) => void;

/** The per-priority host sets of one cluster. */
export class PrioritySet {
  private readonly sets: HostSet[] = [];
  private readonly priorityCbs: PriorityUpdateCb[] = [];
  private readonly memberCbs: MemberUpdateCb[] = [];

  /** Host sets indexed by priority (P0 first). */
  get hostSetsPerPriority(): readonly HostSet[] {
    return this.sets;
  }

  /** `getOrCreateHostSet(priority)`: creates empty host sets up to `priority`. */
  getOrCreateHostSet(priority: number): HostSet {
    while (this.sets.length <= priority) this.sets.push(new HostSet(this.sets.length));
    return this.sets[priority] as HostSet;
  }

  /**
   * `PrioritySetImpl::updateHosts`: replaces priority `priority`'s membership, repartitions it by health,
   * runs the priority-update callbacks and then the member-update callbacks. `seed` is the random value the
   * cluster passes for the locality scheduler (Envoy draws it from the cluster's generator per update).
   */
  updateHosts(
    priority: number,
    membership: HostSetMembership,
    hostsAdded: readonly Host[],
    hostsRemoved: readonly Host[],
    seed: number,
  ): void {
    this.getOrCreateHostSet(priority).update(membership, seed);
    for (const cb of this.priorityCbs.slice()) cb(priority, hostsAdded, hostsRemoved);
    for (const cb of this.memberCbs.slice()) cb(hostsAdded, hostsRemoved);
  }

  /** Registers a priority-update callback; returns a function that removes it. */
  addPriorityUpdateCb(cb: PriorityUpdateCb): () => void {
    this.priorityCbs.push(cb);
    return () => remove(this.priorityCbs, cb);
  }

  /** Registers a member-update callback; returns a function that removes it. */
  addMemberUpdateCb(cb: MemberUpdateCb): () => void {
    this.memberCbs.push(cb);
    return () => remove(this.memberCbs, cb);
  }

  /** Every host of every priority, P0 first. */
  allHosts(): Host[] {
    const out: Host[] = [];
    for (const s of this.sets) out.push(...s.hosts);
    return out;
  }
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
