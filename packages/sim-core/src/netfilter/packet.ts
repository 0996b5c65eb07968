/**
 * The packet as netfilter's matches and targets see it while it crosses one hook: header fields, the
 * interfaces, the skb mark, the owning socket (locally generated packets only) and the conntrack entry.
 * Traversal mutates it (marks, NAT); matches only read it, recording which fields they read so a
 * decision can be cached for every packet that agrees on those fields.
 */
import type { RandomSource } from '../engine/rng.js';
import type { IpAddress } from './addr.js';
import type { Hook } from './model.js';

/** The process that owns a locally generated packet's socket (its fsuid/fsgid and supplementary groups). */
export interface SocketOwner {
  readonly uid: number;
  readonly gid: number;
  /** Supplementary groups: matched only by `--gid-owner ... --suppl-groups`. */
  readonly groups?: readonly number[];
}

/** Conntrack's view of the packet's connection (`nf_ct_get`). */
export interface CtView {
  /** `--ctstate`: the packet's ctinfo. */
  state: 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';
  /** The connection mark (`ct->mark`). */
  mark: number;
  /** `IPS_DST_NAT` / `IPS_SRC_NAT`: NAT has been set up (matched by `--ctstate DNAT/SNAT`). */
  dnat: boolean;
  snat: boolean;
  /** Conntrack zone chosen by `CT --zone` in raw. */
  zone: number;
  /** `CT --notrack` was applied in raw. */
  notrack: boolean;
  /** The CT rule whose template the packet carries; later CT rules are ignored (xt_CT `xt_ct_target`). */
  template: object | null;
}

/** Bits of {@link PacketState.reads}: which packet fields the evaluated matches depended on. */
export const Reads = {
  SPORT: 1,
  /** A match drew randomness or advanced a counter: the result is not a function of the packet. */
  STATEFUL: 2,
} as const;

/** A packet in flight through one hook. Mutable; owned by the traversal. */
export interface PacketState {
  readonly family: 4 | 6;
  /** IP protocol number (6 tcp, 17 udp). */
  readonly proto: number;
  src: IpAddress;
  sport: number;
  dst: IpAddress;
  dport: number;
  /** Incoming interface (PREROUTING, INPUT, FORWARD), else null. */
  inIface: string | null;
  /** Outgoing interface (OUTPUT, FORWARD, POSTROUTING), else null. */
  outIface: string | null;
  /** `skb->mark`. */
  mark: number;
  /** The owning socket for locally generated packets; null for received and forwarded ones. */
  readonly socket: SocketOwner | null;
  hook: Hook;
  readonly ct: CtView;
  /** Set by TPROXY: the local socket address the packet is delivered to (destination unchanged). */
  tproxy: { readonly ip: IpAddress; readonly port: number } | null;
  /** Bitmask of {@link Reads}. */
  reads: number;
  /** Is `ip` an address of this namespace (`addrtype LOCAL`, routing)? */
  readonly isLocal: (ip: IpAddress) => boolean;
  /** Randomness for `-m statistic --mode random` (the kernel's `get_random_u32`). */
  readonly random: RandomSource;
}

/** IP protocol numbers used across the module. */
export const IPPROTO = { TCP: 6, UDP: 17 } as const;

/** A protocol number as iptables prints it (`tcp`, `udp`, or the number). */
export function protocolName(proto: number): string {
  return proto === 6 ? 'tcp' : proto === 17 ? 'udp' : proto === 1 ? 'icmp' : proto === 58 ? 'ipv6-icmp' : `${proto}`;
}
