/**
 * The simulated network: how long a message takes between two endpoints, what a TCP connect costs, and
 * what losses, resets and partitions turn into — as TCP would report them to the sender. It decides times
 * and outcomes; the world schedules the events.
 *
 * Randomness, one stream per hop class (so a new pod on a new node only shifts the draws of the classes it
 * uses): `network/<class>/latency` (latency, then jitter, per message), `network/<class>/loss` (one draw per
 * transmission when the class has loss), `network/<class>/reset` (one per exchange when it has resets).
 */
import type { RandomStream } from '../../engine/rng.js';
import type { Simulation } from '../../engine/simulation.js';
import type { Duration, SimTime } from '../../engine/time.js';
import { classifyHop, HOP_CLASSES, type HopClass, type NetworkEndpoint } from './hop.js';
import type { Distribution } from '../app/distribution.js';
import {
  compileNetworkSpec,
  type CompiledLink,
  type CompiledPartition,
  type NetworkSpec,
  type PartitionSpec,
} from './networkSpec.js';
import { retransmitOffset, TCP } from './tcp.js';

/** Result of a TCP connect as the connecting side sees it. */
export type ConnectOutcome =
  /** SYN-ACK received `after` µs; `synRetransmits` SYNs had to be resent. */
  | { readonly kind: 'established'; readonly after: Duration; readonly synRetransmits: number }
  /**
   * No answer in time: the caller's `connectTimeout` ran out (`reason: 'connectTimeout'`, Envoy's
   * `upstream_cx_connect_timeout`) or the kernel gave up after its SYN retries (`'synRetriesExhausted'`,
   * ETIMEDOUT after 127 s).
   */
  | { readonly kind: 'timeout'; readonly after: Duration; readonly reason: 'connectTimeout' | 'synRetriesExhausted' }
  /** Nothing listens there: an RST comes back after one round trip (ECONNREFUSED). */
  | { readonly kind: 'refused'; readonly after: Duration };

/** Result of sending one message (a request or a response) over an established connection. */
export type TransitOutcome =
  | { readonly kind: 'delivered'; readonly after: Duration; readonly retransmits: number }
  /** Every retransmission was lost (`tcp_retries2` exhausted): the connection fails with ETIMEDOUT. */
  | { readonly kind: 'timedOut'; readonly after: Duration };

/** When a message whose every retransmission was lost fails the connection (`tcp_retries2` exhausted). */
export const TRANSIT_TIMEOUT_AFTER: Duration = retransmitOffset(TCP.retries2 + 1, TCP.rtoMin);

// A hop class's link with its random streams, and what a message's delay needs decided once.
class LinkState {
  readonly latencyRng: RandomStream;
  readonly lossRng: RandomStream;
  readonly resetRng: RandomStream;
  /** One latency draw, plus one jitter draw when the link has jitter. */
  readonly latency: Distribution;
  readonly jitter: Distribution | undefined;

  constructor(
    readonly link: CompiledLink,
    sim: Simulation,
    cls: HopClass,
  ) {
    this.latency = link.latency;
    this.jitter = link.jitter;
    this.latencyRng = sim.rng.stream(`network/${cls}/latency`);
    this.lossRng = sim.rng.stream(`network/${cls}/loss`);
    this.resetRng = sim.rng.stream(`network/${cls}/reset`);
  }
}

/** The network of one simulation. */
export class Network {
  private readonly links: Readonly<Record<HopClass, LinkState>>;
  private readonly partitions: CompiledPartition[];
  // No hop class resets connections (the default): resetDuringExchange() draws nothing and is false.
  private readonly resetFree: boolean;

  constructor(
    private readonly sim: Simulation,
    spec: NetworkSpec = {},
  ) {
    const compiled = compileNetworkSpec(spec);
    this.partitions = [...compiled.partitions];
    const links = {} as Record<HopClass, LinkState>;
    for (const cls of HOP_CLASSES) links[cls] = new LinkState(compiled.links[cls], sim, cls);
    this.links = links;
    this.resetFree = HOP_CLASSES.every((cls) => compiled.links[cls].resetProbability === 0);
  }

  /** The hop class between two endpoints. */
  hop(from: NetworkEndpoint, to: NetworkEndpoint): HopClass {
    return classifyHop(from, to);
  }

  /** One-way latency of a message on `cls` (latency plus jitter), without loss. */
  latency(cls: HopClass): Duration {
    return this.latencyOf(this.links[cls]);
  }

  /**
   * Opens a TCP connection now: SYN and SYN-ACK each cross the link (each may be lost, or dropped by a
   * partition); a lost handshake is retried after 1 s, 2 s, 4 s … (`TCP_TIMEOUT_INIT`, doubling). Gives up
   * at `connectTimeout` (Istio's default is 10 s; `undefined` leaves it to the kernel's 127 s).
   */
  connect(from: NetworkEndpoint, to: NetworkEndpoint, connectTimeout?: Duration): ConnectOutcome {
    const s = this.links[classifyHop(from, to)];
    const limit = connectTimeout ?? Infinity;
    for (let k = 0; k <= TCP.synRetries; k++) {
      const sendAt = retransmitOffset(k, TCP.timeoutInit);
      if (sendAt >= limit) return { kind: 'timeout', after: limit, reason: 'connectTimeout' };
      if (this.delivered(s, from, to, sendAt) && this.delivered(s, to, from, sendAt)) {
        const after = sendAt + this.latencyOf(s) + this.latencyOf(s);
        if (after >= limit) return { kind: 'timeout', after: limit, reason: 'connectTimeout' };
        return { kind: 'established', after, synRetransmits: k };
      }
    }
    const gaveUp = retransmitOffset(TCP.synRetries + 1, TCP.timeoutInit);
    return gaveUp >= limit
      ? { kind: 'timeout', after: limit, reason: 'connectTimeout' }
      : { kind: 'timeout', after: gaveUp, reason: 'synRetriesExhausted' };
  }

  /** A connect to a closed port: refused after one round trip. */
  refuse(from: NetworkEndpoint, to: NetworkEndpoint): ConnectOutcome {
    const s = this.links[classifyHop(from, to)];
    return { kind: 'refused', after: this.latencyOf(s) + this.latencyOf(s) };
  }

  /**
   * Sends one message now over an established connection. A lost segment is resent after the RTO
   * (200 ms on low-RTT links, `TCP_RTO_MIN`), doubling each time; after `tcp_retries2` (15) resends the
   * connection times out.
   */
  transit(from: NetworkEndpoint, to: NetworkEndpoint): TransitOutcome {
    const s = this.links[classifyHop(from, to)];
    for (let k = 0; k <= TCP.retries2; k++) {
      const sendAt = retransmitOffset(k, TCP.rtoMin);
      if (this.delivered(s, from, to, sendAt))
        return { kind: 'delivered', after: sendAt + this.latencyOf(s), retransmits: k };
    }
    return { kind: 'timedOut', after: TRANSIT_TIMEOUT_AFTER };
  }

  /**
   * {@link transit} without the result object (the world sends two messages per HTTP exchange): the
   * delivery delay in µs, or −1 when the connection timed out (after {@link TRANSIT_TIMEOUT_AFTER}). Same
   * draws, same times. `hop`: the endpoints' {@link HopClass}, when the caller has it cached (a connection).
   */
  transitDelay(from: NetworkEndpoint, to: NetworkEndpoint, hop: HopClass = classifyHop(from, to)): Duration {
    const s = this.links[hop];
    // No loss and no partition: one latency draw, as the first loop turn of transit() makes.
    if (s.link.loss === 0 && this.partitions.length === 0) return this.latencyOf(s);
    const t = this.transit(from, to);
    return t.kind === 'delivered' ? t.after : -1;
  }

  /** Whether the connection between the endpoints is reset during one request/response exchange. */
  resetDuringExchange(from: NetworkEndpoint, to: NetworkEndpoint): boolean {
    if (this.resetFree) return false;
    const s = this.links[classifyHop(from, to)];
    return s.link.resetProbability > 0 && s.resetRng.bernoulli(s.link.resetProbability);
  }

  /** Adds a partition (a timed change; may be added during the run). */
  addPartition(p: PartitionSpec): void {
    this.partitions.push(...compileNetworkSpec({ partitions: [p] }).partitions);
  }

  /**
   * Ends, at time `at`, every partition that cuts `node` off (a `heal` change): partitions naming the node
   * on either side stop at `at` instead of their own end.
   */
  heal(node: string, at: SimTime): void {
    for (let i = 0; i < this.partitions.length; i++) {
      const p = this.partitions[i] as CompiledPartition;
      if (p.until <= at || !(p.nodes.has(node) || p.peers?.has(node) === true)) continue;
      this.partitions[i] = { ...p, until: Math.max(p.from, at) };
    }
  }

  /** Whether `a` and `b` (node names) are cut from each other at time `t`. */
  partitioned(a: string, b: string, t: SimTime): boolean {
    for (const p of this.partitions) {
      if (t < p.from || t >= p.until) continue;
      if (cuts(p, a, b) || cuts(p, b, a)) return true;
    }
    return false;
  }

  private latencyOf(s: LinkState): Duration {
    const d = s.latency.sample(s.latencyRng);
    return s.jitter === undefined ? d : d + s.jitter.sample(s.latencyRng);
  }

  // Whether a packet sent `offset` µs from now from `a` to `b` arrives (partitions, then random loss).
  private delivered(s: LinkState, a: NetworkEndpoint, b: NetworkEndpoint, offset: Duration): boolean {
    if (this.partitions.length > 0 && this.partitioned(a.node, b.node, this.sim.now + offset)) return false;
    return !(s.link.loss > 0 && s.lossRng.bernoulli(s.link.loss));
  }
}

function cuts(p: CompiledPartition, a: string, b: string): boolean {
  if (!p.nodes.has(a)) return false;
  return p.peers === undefined ? !p.nodes.has(b) : p.peers.has(b);
}
