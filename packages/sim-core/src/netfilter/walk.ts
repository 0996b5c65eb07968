/**
 * The bookkeeping of one packet's way through a namespace: what it looked like when it entered (the
 * connection's original tuple, which `SO_ORIGINAL_DST` returns), the steps and hops for a trace, the
 * state of the two NAT bindings, and the outcome: delivered to a local socket, sent out of an interface,
 * or dropped.
 */
import type { IpAddress } from './addr.js';
import type { ConntrackEntry, Tuple } from './conntrack.js';
import type { Hook, TableName } from './model.js';
import type { PacketState } from './packet.js';
import type { Hop, TableVerdict } from './traverse.js';

/** An address and port. */
export interface Endpoint {
  readonly ip: IpAddress;
  readonly port: number;
}

/** A step of a trace: a table run at a hook with its hops, or a note on what the kernel did in between. */
export type TraceStep =
  | {
      readonly kind: 'table';
      readonly hook: Hook;
      readonly table: TableName;
      readonly hops: readonly Hop[];
      readonly verdict: TableVerdict;
    }
  | { readonly kind: 'note'; readonly text: string };

/**
 * Where the packet ended: `local` = accepted by a local socket on `localPort` after netfilter diverted it
 * (REDIRECT, TPROXY, or DNAT to a local address); `dnat` = sent on to a rewritten `destination`;
 * `pass` = left unchanged toward its original destination (delivered locally or sent out); `drop`.
 */
export type Verdict = 'local' | 'dnat' | 'drop' | 'pass';

/** The result of following one packet. */
export interface PacketOutcome {
  readonly verdict: Verdict;
  /** The local socket's port for `local`. */
  readonly localPort?: number;
  /** Where the packet goes after NAT (for TPROXY: unchanged). */
  readonly destination: Endpoint;
  /** The destination the sender used — what Envoy reads with SO_ORIGINAL_DST. */
  readonly originalDestination: Endpoint;
  readonly source: Endpoint;
  readonly originalSource: Endpoint;
  /** `local`: delivered to a socket of this namespace; `out`: sent out of `outInterface`; `dropped`. */
  readonly delivered: 'local' | 'out' | 'dropped';
  readonly outInterface?: string;
  /** Which table and hook (or `routing`) dropped it. */
  readonly droppedBy?: string;
  /** new: the first packet of a connection; established/reply: a tracked connection's later packet. */
  readonly conntrack: 'new' | 'established' | 'reply' | 'untracked';
  /** `skb->mark` at the end. */
  readonly mark: number;
  /** The conntrack zone the connection lives in (set by `CT --zone` in raw). */
  readonly zone: number;
  readonly steps: readonly TraceStep[];
  readonly hops: readonly Hop[];
  /** Bits of `Reads`: which fields the decision depended on beyond the connection class. */
  readonly reads: number;
}

/** Mutable walk state of one packet; owned by the namespace while it follows the packet. */
export class Walk {
  readonly steps: TraceStep[] = [];
  readonly original: Tuple;
  dstBound = false;
  srcBound = false;
  confirmed = false;
  existing: { entry: ConntrackEntry; dir: 'original' | 'reply' } | undefined;
  /** A source rewrite conntrack applies at the SNAT hook (POSTROUTING or INPUT). */
  pendingSrc: Endpoint | null = null;
  private droppedBy: string | undefined;

  constructor(
    readonly p: PacketState,
    readonly trace: boolean,
  ) {
    this.original = { proto: p.proto, src: p.src, sport: p.sport, dst: p.dst, dport: p.dport };
  }

  /** Records a kernel step; the text is built only when tracing. */
  note(text: () => string): void {
    if (this.trace) this.steps.push({ kind: 'note', text: text() });
  }

  tableStep(hook: Hook, table: TableName, hops: Hop[], verdict: TableVerdict): void {
    this.steps.push({ kind: 'table', hook, table, hops, verdict });
  }

  drop(by: string): void {
    this.droppedBy = by;
  }

  /** Applies conntrack's source rewrite of a tracked connection (at the SNAT hook). */
  applyPendingSrc(): void {
    if (this.pendingSrc === null) return;
    this.p.src = this.pendingSrc.ip;
    this.p.sport = this.pendingSrc.port;
    this.pendingSrc = null;
  }

  deliver(): PacketOutcome {
    this.applyPendingSrc();
    return this.outcome('local', undefined);
  }

  leave(iface: string): PacketOutcome {
    this.applyPendingSrc();
    return this.outcome('out', iface);
  }

  finish(): PacketOutcome {
    return this.outcome('dropped', undefined);
  }

  private outcome(delivered: 'local' | 'out' | 'dropped', iface: string | undefined): PacketOutcome {
    const p = this.p;
    const o = this.original;
    const changed = !(p.dport === o.dport && p.dst.words.every((w, i) => w === o.dst.words[i]));
    let verdict: Verdict;
    let localPort: number | undefined;
    if (delivered === 'dropped') verdict = 'drop';
    else if (delivered === 'local' && p.tproxy) {
      verdict = 'local';
      localPort = p.tproxy.port;
    } else if (delivered === 'local') {
      verdict = changed ? 'local' : 'pass';
      if (changed) localPort = p.dport;
    } else verdict = changed ? 'dnat' : 'pass';
    const hops: Hop[] = [];
    if (this.trace) for (const s of this.steps) if (s.kind === 'table') hops.push(...s.hops);
    const conntrack = p.ct.notrack
      ? 'untracked'
      : this.existing === undefined
        ? 'new'
        : this.existing.dir === 'reply'
          ? 'reply'
          : 'established';
    return {
      verdict,
      ...(localPort !== undefined ? { localPort } : {}),
      destination: { ip: p.dst, port: p.dport },
      originalDestination: { ip: o.dst, port: o.dport },
      source: { ip: p.src, port: p.sport },
      originalSource: { ip: o.src, port: o.sport },
      delivered,
      ...(iface !== undefined ? { outInterface: iface } : {}),
      ...(this.droppedBy !== undefined ? { droppedBy: this.droppedBy } : {}),
      conntrack,
      mark: p.mark,
      zone: p.ct.zone,
      steps: this.steps,
      hops,
      reads: p.reads,
    };
  }
}
