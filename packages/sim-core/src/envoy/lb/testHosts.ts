/**
 * Helpers for building host sets in meshsim's own tests and benchmarks: hosts on consecutive ports of one
 * address (as Envoy's tests use `tcp://127.0.0.1:80`, `:81`…), a one-priority priority set, a counting
 * constant random source (gmock's `WillRepeatedly(Return(v))`) and health-flag toggles that rebuild the host
 * set. Not part of the public API (no barrel exports it): import it by path. Users build the same with
 * `new Host({ address, port })` and `PrioritySet.updateHosts`, as the docs' load-balancing snippets show.
 */
import type { RandomSource } from '../../engine/rng.js';
import { HealthFlag } from '../upstream/healthFlags.js';
import { Host, type HostSpec } from '../upstream/host.js';
import { PrioritySet } from '../upstream/prioritySet.js';

/** `n` hosts `address:firstPort`, `address:firstPort+1`… with the given weights (default 1). */
export function hostsOnPorts(
  n: number,
  options: { readonly address?: string; readonly firstPort?: number; readonly weights?: readonly number[] } & Omit<
    HostSpec,
    'address' | 'port' | 'weight'
  > = {},
): Host[] {
  const { address = '127.0.0.1', firstPort = 80, weights, ...rest } = options;
  return Array.from(
    { length: n },
    (_, i) => new Host({ ...rest, address, port: firstPort + i, weight: weights?.[i] ?? 1 }),
  );
}

/** A priority set whose P0 holds `hosts` (and P1 `failover`, when given). */
export function prioritySetOf(hosts: readonly Host[], failover?: readonly Host[]): PrioritySet {
  const ps = new PrioritySet();
  ps.updateHosts(0, { hosts }, hosts, [], 0);
  if (failover !== undefined) ps.updateHosts(1, { hosts: failover }, failover, [], 0);
  return ps;
}

/** Rebuilds priority `priority` from its hosts' current flags and runs the callbacks (a health change). */
export function refreshPriority(
  ps: PrioritySet,
  priority = 0,
  added: readonly Host[] = [],
  removed: readonly Host[] = [],
): void {
  const hs = ps.getOrCreateHostSet(priority);
  ps.updateHosts(priority, hs.membership(), added, removed, 0);
}

/** Marks `hosts` as failing active health checks (out of the healthy list) without rebuilding. */
export function markUnhealthy(...hosts: Host[]): void {
  for (const h of hosts) h.healthFlagSet(HealthFlag.FAILED_ACTIVE_HC);
}

/** A random source that always returns `value` and counts its draws. */
export function constantRandom(value: number): RandomSource & { drawn: number } {
  const r = {
    drawn: 0,
    random(): number {
      r.drawn++;
      return value;
    },
  };
  return r;
}
