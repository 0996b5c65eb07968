/**
 * The connection tracking table (kernel net/netfilter/nf_conntrack_core.c): an entry per connection,
 * found by its original tuple (the first packet as sent) or its reply tuple (what the answer looks like
 * after NAT), per zone. NAT is decided once, for the first packet; every later packet of the connection —
 * and every reply — is rewritten from the entry, so a kube-proxy endpoint chosen at random stays chosen
 * and `SO_ORIGINAL_DST` can give Envoy the address the application dialled.
 */
import type { IpAddress } from './addr.js';

/** A connection's 5-tuple in one direction. */
export interface Tuple {
  readonly proto: number;
  readonly src: IpAddress;
  readonly sport: number;
  readonly dst: IpAddress;
  readonly dport: number;
}

/** One tracked connection. */
export interface ConntrackEntry {
  readonly zone: number;
  /** The first packet's tuple before any NAT. */
  readonly original: Tuple;
  /** The tuple a reply carries: source = the translated destination, destination = the translated source. */
  readonly reply: Tuple;
  /** `IPS_DST_NAT` / `IPS_SRC_NAT`. */
  readonly dnat: boolean;
  readonly snat: boolean;
  /** The TPROXY listener the connection was assigned to, if any. */
  readonly tproxy?: { readonly ip: IpAddress; readonly port: number };
  /** `ct->mark` (CONNMARK). */
  mark: number;
  /** `IPS_SEEN_REPLY`: after the first reply, packets are ESTABLISHED. */
  seenReply: boolean;
}

/** Which way a packet goes relative to its connection. */
export type CtDirection = 'original' | 'reply';

const ipKey = (ip: IpAddress): string => ip.words.join('.');

/** The hash key of a tuple in a zone. */
export function tupleKey(zone: number, t: Tuple): string {
  return `${zone}|${t.proto}|${ipKey(t.src)}|${t.sport}|${ipKey(t.dst)}|${t.dport}`;
}

/** The reverse of a tuple (what the other side sends). */
export function invertTuple(t: Tuple): Tuple {
  return { proto: t.proto, src: t.dst, sport: t.dport, dst: t.src, dport: t.sport };
}

/** A conntrack table. Mutable; owned by one network namespace. */
export class Conntrack {
  private readonly byKey = new Map<string, { entry: ConntrackEntry; dir: CtDirection }>();
  private count = 0;

  /** Number of tracked connections. */
  get size(): number {
    return this.count;
  }

  /** The connection a packet with tuple `t` in `zone` belongs to, and its direction. */
  lookup(zone: number, t: Tuple): { entry: ConntrackEntry; dir: CtDirection } | undefined {
    return this.byKey.get(tupleKey(zone, t));
  }

  /** Adds a new connection (`__nf_conntrack_confirm`). A clashing tuple is left to the existing entry. */
  confirm(entry: ConntrackEntry): void {
    const o = tupleKey(entry.zone, entry.original);
    const r = tupleKey(entry.zone, entry.reply);
    if (this.byKey.has(o) || this.byKey.has(r)) return;
    this.byKey.set(o, { entry, dir: 'original' });
    this.byKey.set(r, { entry, dir: 'reply' });
    this.count++;
  }

  /** Forgets a connection (closed, or timed out). */
  delete(entry: ConntrackEntry): void {
    const o = tupleKey(entry.zone, entry.original);
    if (this.byKey.get(o)?.entry !== entry) return;
    this.byKey.delete(o);
    this.byKey.delete(tupleKey(entry.zone, entry.reply));
    this.count--;
  }

  /** Forgets every connection (`conntrack -F`). */
  flush(): void {
    this.byKey.clear();
    this.count = 0;
  }
}
