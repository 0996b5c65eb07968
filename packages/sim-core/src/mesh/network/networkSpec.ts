/**
 * The network's parameters per hop class, with documented defaults a scenario can override class by
 * class, and timed node partitions.
 */
import type { Duration, SimTime } from '../../engine/time.js';
import { ConfigError, type SourceLocation } from '../../errors.js';
import { compileDistribution, lognormal, type Distribution, type DistributionSpec } from '../app/distribution.js';
import { HOP_CLASSES, type HopClass } from './hop.js';

/** The behaviour of one hop class. */
export interface LinkSpec {
  /** One-way latency of a message (µs). */
  readonly latency: DistributionSpec;
  /** Extra delay added to every message, e.g. a uniform spread; `undefined`: none. */
  readonly jitter?: DistributionSpec;
  /**
   * Probability that a packet is lost. A lost SYN or SYN-ACK costs a 1 s retransmission, a lost data
   * segment at least 200 ms (see tcp.ts); nothing fails unless a timeout runs out first.
   * @defaultValue 0
   */
  readonly loss?: number;
  /**
   * Probability that an established connection is reset during one request/response exchange (a
   * middlebox or conntrack dropping state): the sender sees a connection reset.
   * @defaultValue 0
   */
  readonly resetProbability?: number;
}

/** A timed partition: `nodes` cannot reach `peers` (default: every other node) in [from, until). */
export interface PartitionSpec {
  readonly from: SimTime;
  /** @defaultValue Infinity (never heals) */
  readonly until?: SimTime;
  /** Node names on one side (Kubernetes nodes, VM names, or external client names). */
  readonly nodes: readonly string[];
  /** Node names on the other side; `undefined`: all nodes not in `nodes`. */
  readonly peers?: readonly string[];
}

/** The network of a scenario: overrides per hop class, and partitions. */
export interface NetworkSpec {
  readonly links?: Partial<Readonly<Record<HopClass, Partial<LinkSpec>>>>;
  readonly partitions?: readonly PartitionSpec[];
}

/**
 * Default one-way latencies (lognormal by median and 99th percentile, µs):
 * - `sameNode` 35 µs / 100 µs and `crossNode` 100 µs / 400 µs: half the round trips measured with netperf
 *   TCP_RR between pods (1 kB messages) — 45–105 µs on one node and 80–275 µs across nodes on 10 GbE bare
 *   metal for Cilium, Calico and macvlan (DaoCloud "Network CNI Performance Test Report", 2023,
 *   DaoCloud/DaoCloud-docs docs/en/docs/network/performance/cni-performance.md); cloud VMs in one zone see
 *   0.2–0.4 ms round trips (EC2 us-east-1 ping measurements), hence the longer tail.
 * - `loopback` 10 µs / 25 µs: no veth or bridge on the path, well under the same-node figure (which
 *   includes two veth traversals).
 * - `vm` 250 µs / 1 ms: a VM in the same region but another zone or subnet; cross-zone round trips are
 *   ~0.9–1.1 ms (EC2 cross-AZ ping measurements).
 * - `external` 15 ms / 50 ms: an internet client in the same continent as the cluster (20–50 ms RTT).
 * No loss, no resets, no jitter by default.
 */
export const DEFAULT_LINKS: Readonly<Record<HopClass, LinkSpec>> = {
  loopback: { latency: lognormal(10, 25) },
  sameNode: { latency: lognormal(35, 100) },
  crossNode: { latency: lognormal(100, 400) },
  vm: { latency: lognormal(250, 1_000) },
  external: { latency: lognormal(15_000, 50_000) },
};

/** A hop class's link, validated. */
export interface CompiledLink {
  readonly latency: Distribution;
  readonly jitter: Distribution | undefined;
  readonly loss: number;
  readonly resetProbability: number;
}

/** A partition, validated. */
export interface CompiledPartition {
  readonly from: SimTime;
  readonly until: SimTime;
  readonly nodes: ReadonlySet<string>;
  readonly peers: ReadonlySet<string> | undefined;
}

/** Validates a {@link NetworkSpec} over {@link DEFAULT_LINKS}. */
export function compileNetworkSpec(
  spec: NetworkSpec = {},
  where: SourceLocation = {},
): { links: Readonly<Record<HopClass, CompiledLink>>; partitions: readonly CompiledPartition[] } {
  const at = (f: string): SourceLocation => ({
    ...where,
    field: where.field === undefined ? f : `${where.field}.${f}`,
  });
  for (const k of Object.keys(spec.links ?? {})) {
    if (!(HOP_CLASSES as readonly string[]).includes(k)) {
      throw new ConfigError(
        `unknown hop class ${JSON.stringify(k)} (use ${HOP_CLASSES.join(', ')})`,
        at(`links.${k}`),
        'network',
      );
    }
  }
  const links = {} as Record<HopClass, CompiledLink>;
  for (const cls of HOP_CLASSES) {
    const l: LinkSpec = { ...DEFAULT_LINKS[cls], ...spec.links?.[cls] };
    const here = at(`links.${cls}`);
    const loss = l.loss ?? 0;
    const reset = l.resetProbability ?? 0;
    if (!(loss >= 0 && loss < 1))
      throw new ConfigError(
        `loss must be in [0, 1), got ${l.loss}`,
        { ...here, field: `${here.field}.loss` },
        'network',
      );
    if (!(reset >= 0 && reset <= 1)) {
      throw new ConfigError(
        `resetProbability must be in [0, 1], got ${l.resetProbability}`,
        { ...here, field: `${here.field}.resetProbability` },
        'network',
      );
    }
    links[cls] = {
      latency: compileDistribution(l.latency, { ...here, field: `${here.field}.latency` }),
      jitter:
        l.jitter === undefined ? undefined : compileDistribution(l.jitter, { ...here, field: `${here.field}.jitter` }),
      loss,
      resetProbability: reset,
    };
  }
  const partitions = (spec.partitions ?? []).map((p, i): CompiledPartition => {
    const here = at(`partitions[${i}]`);
    const until: Duration = p.until ?? Infinity;
    if (!(Number.isInteger(p.from) && p.from >= 0))
      throw new ConfigError(
        `from must be a time ≥ 0 in µs, got ${p.from}`,
        { ...here, field: `${here.field}.from` },
        'network',
      );
    if (!(until > p.from))
      throw new ConfigError(
        `until must be after from (${p.from}), got ${p.until}`,
        { ...here, field: `${here.field}.until` },
        'network',
      );
    if (!(Array.isArray(p.nodes) && p.nodes.length > 0))
      throw new ConfigError(
        'a partition needs at least one node',
        { ...here, field: `${here.field}.nodes` },
        'network',
      );
    return {
      from: p.from,
      until,
      nodes: new Set(p.nodes),
      peers: p.peers === undefined ? undefined : new Set(p.peers),
    };
  });
  return { links, partitions };
}
