/**
 * The simulation's hot path: one capture decision per new connection, cached per connection class —
 * (direction, protocol, source, destination, port, uid, gid). A cached decision is exact, not a guess:
 * matches record which packet fields they read, so a decision is reused only for packets that agree on
 * everything it depended on. Rules that read the source port add it to the key; rules that draw
 * randomness or count packets (`-m statistic`, `--random-fully`) are never cached — each connection then
 * gets a fresh traversal, as each gets a fresh draw from the kernel.
 */
import { formatIp, type IpAddress } from './addr.js';
import { DEFAULT_SPORT, type NetNamespace } from './netns.js';
import { Reads } from './packet.js';
import type { Endpoint, PacketOutcome, Verdict } from './walk.js';

/** A new connection as the simulation sees it. */
export interface ConnectionClass {
  /** `out`: opened by a local process; `in`: arriving on the pod's interface. */
  readonly direction: 'out' | 'in';
  /** IP protocol number: 6 (TCP) or 17 (UDP). */
  readonly protocol: number;
  readonly dst: IpAddress;
  readonly dport: number;
  /** out: bound source address (default: the route's); in: the peer's address (required). */
  readonly src?: IpAddress;
  /** @defaultValue 40000 */
  readonly sport?: number;
  /** Socket owner for `out` (fsuid/fsgid). @defaultValue 0 */
  readonly uid?: number;
  readonly gid?: number;
}

/** What netfilter decided for a connection: the part the simulation needs. */
export interface CaptureDecision {
  readonly verdict: Verdict;
  readonly localPort?: number;
  readonly destination: Endpoint;
  readonly originalDestination: Endpoint;
  readonly source: Endpoint;
  readonly delivered: PacketOutcome['delivered'];
}

/** Counters of a {@link CaptureCache}. */
export interface CaptureCacheStats {
  hits: number;
  misses: number;
  /** Traversals whose result could not be cached (random or counting matches). */
  uncacheable: number;
}

/** A decision with the source port left open when the rules kept it (it is the connection's own). */
interface Template {
  readonly decision: Omit<CaptureDecision, 'source'>;
  readonly srcIp: IpAddress;
  /** The rewritten source port (SNAT to a port), or null when the connection keeps its own. */
  readonly srcPort: number | null;
}

type Slot =
  | { readonly kind: 'one'; readonly template: Template }
  | { readonly kind: 'bySport'; readonly bySport: Map<number, Template> };

function materialize(t: Template, sport: number): CaptureDecision {
  const d = t.decision;
  const source = { ip: t.srcIp, port: t.srcPort ?? sport };
  return d.localPort === undefined
    ? {
        verdict: d.verdict,
        destination: d.destination,
        originalDestination: d.originalDestination,
        source,
        delivered: d.delivered,
      }
    : {
        verdict: d.verdict,
        localPort: d.localPort,
        destination: d.destination,
        originalDestination: d.originalDestination,
        source,
        delivered: d.delivered,
      };
}

// IPv4 keys are the 32-bit word itself: no join on the hot path.
const ipKey = (ip: IpAddress | undefined): string | number =>
  ip === undefined ? '' : ip.words.length === 1 ? (ip.words[0] as number) : ip.words.join('.');

/** Caches capture decisions of one namespace. Mutable; owned by whoever simulates that pod or node. */
export class CaptureCache {
  readonly stats: CaptureCacheStats = { hits: 0, misses: 0, uncacheable: 0 };
  private readonly slots = new Map<string, Slot>();

  /** @param maxEntries the cache is cleared when it grows past this many classes. */
  constructor(
    readonly ns: NetNamespace,
    private readonly maxEntries = 100_000,
  ) {}

  /** The decision for a new connection of class `c`, from the cache when exact, else by traversal. */
  decide(c: ConnectionClass): CaptureDecision {
    const key = `${c.direction}|${c.protocol}|${ipKey(c.src)}|${ipKey(c.dst)}|${c.dport}|${c.uid ?? 0}|${c.gid ?? 0}`;
    const sport = c.sport ?? DEFAULT_SPORT;
    const slot = this.slots.get(key);
    if (slot !== undefined) {
      const hit = slot.kind === 'one' ? slot.template : slot.bySport.get(sport);
      if (hit !== undefined) {
        this.stats.hits++;
        return materialize(hit, sport);
      }
    }
    this.stats.misses++;
    const outcome = traverse(this.ns, c);
    const template: Template = {
      decision: {
        verdict: outcome.verdict,
        ...(outcome.localPort !== undefined ? { localPort: outcome.localPort } : {}),
        destination: outcome.destination,
        originalDestination: outcome.originalDestination,
        delivered: outcome.delivered,
      },
      srcIp: outcome.source.ip,
      srcPort: outcome.source.port === outcome.originalSource.port ? null : outcome.source.port,
    };
    if ((outcome.reads & Reads.STATEFUL) !== 0) {
      this.stats.uncacheable++;
      return materialize(template, sport);
    }
    if (this.slots.size >= this.maxEntries) this.slots.clear();
    if ((outcome.reads & Reads.SPORT) === 0) this.slots.set(key, { kind: 'one', template });
    else if (slot?.kind === 'bySport') slot.bySport.set(sport, template);
    else this.slots.set(key, { kind: 'bySport', bySport: new Map([[sport, template]]) });
    return materialize(template, sport);
  }

  /** Forgets every cached decision (after the rules change). */
  clear(): void {
    this.slots.clear();
  }
}

/** One uncached traversal of a connection's first packet (no conntrack entry is kept). */
export function traverse(ns: NetNamespace, c: ConnectionClass, trace = false): PacketOutcome {
  if (c.direction === 'out') {
    return ns.output(
      {
        protocol: c.protocol,
        dst: c.dst,
        dport: c.dport,
        ...(c.src ? { src: c.src } : {}),
        ...(c.sport !== undefined ? { sport: c.sport } : {}),
        owner: { uid: c.uid ?? 0, gid: c.gid ?? 0 },
      },
      { trace, track: false },
    );
  }
  if (c.src === undefined)
    throw new RangeError(`an inbound connection to ${formatIp(c.dst)} needs the peer's address (src)`);
  return ns.input(
    { protocol: c.protocol, src: c.src, sport: c.sport ?? DEFAULT_SPORT, dst: c.dst, dport: c.dport },
    { trace, track: false },
  );
}
