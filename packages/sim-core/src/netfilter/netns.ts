/**
 * A network namespace — a pod's or a node's — as far as netfilter is concerned: its interfaces and
 * addresses, a routing decision (local addresses and 127.0.0.0/8 via `lo`, everything else via the
 * default interface, fwmark policy routes to `lo` for TPROXY), its loaded rules and its conntrack table.
 *
 * `output()` follows a locally generated packet and `input()` a received one through the kernel's hooks
 * in priority order (include/uapi/linux/netfilter_ipv4.h NF_IP_PRI_*): raw, conntrack, mangle, nat (DNAT),
 * filter, then nat (SNAT). The nat table is consulted only for a connection's first packet and each of its
 * two bindings only once (`nf_nat_inet_fn`: `if (!nf_nat_initialized(ct, maniptype))`): a packet sent to
 * the pod's own address leaves OUTPUT already bound and loops back through `lo` without meeting nat
 * PREROUTING. Later packets and replies are rewritten from the conntrack entry.
 */
import { InvariantError } from '../errors.js';
import { RandomStream, type RandomSource } from '../engine/rng.js';
import { formatEndpoint, formatIp, ipEquals, isLoopback, type IpAddress } from './addr.js';
import type { CompiledRuleset } from './compile.js';
import { Conntrack, type ConntrackEntry } from './conntrack.js';
import type { TargetContext } from './extension.js';
import type { Hook, TableName } from './model.js';
import { protocolName, type CtView, type PacketState, type SocketOwner } from './packet.js';
import { runTable, type Hop, type TableVerdict } from './traverse.js';
import { Walk, type PacketOutcome } from './walk.js';

/** An interface and its addresses; the first address of a family is the primary one. */
export interface NetnsInterface {
  readonly name: string;
  readonly addresses: readonly IpAddress[];
}

/** `ip rule add fwmark MARK/MASK lookup T` with `ip route add local default dev lo table T` (istio-iptables TPROXY). */
export interface PolicyRoute {
  readonly fwmark: number;
  readonly mask: number;
}

/** How to build a {@link NetNamespace}. */
export interface NetNamespaceOptions {
  readonly rules: CompiledRuleset;
  /** Must include `lo`; the first other interface carries the default route. */
  readonly interfaces: readonly NetnsInterface[];
  /** `net.ipv4.ip_forward`: received packets for other hosts are forwarded (nodes) or dropped (pods). @defaultValue false */
  readonly ipForward?: boolean;
  /**
   * `net.ipv4.conf.all.route_localnet`: accept packets for 127.0.0.0/8 arriving on other interfaces (kube-proxy
   * sets it on nodes for localhost NodePorts); otherwise they are martians and dropped. @defaultValue false
   */
  readonly routeLocalnet?: boolean;
  readonly policyRoutes?: readonly PolicyRoute[];
  /** Randomness for `-m statistic --mode random` and `--random-fully`. @defaultValue a stream seeded "0/netfilter" */
  readonly random?: RandomSource;
}

/** A packet a local process sends (a connect() or sendto()). */
export interface LocalPacket {
  readonly protocol: number;
  readonly dst: IpAddress;
  readonly dport: number;
  /** Bound source address; by default chosen by the route (the pod IP, or 127.0.0.1 towards loopback). */
  readonly src?: IpAddress;
  /**
   * Source port; by default the next ephemeral port of `net.ipv4.ip_local_port_range` (32768–60999), in
   * turn — the kernel randomizes the choice (RFC 6056), which meshsim does not model.
   */
  readonly sport?: number;
  readonly owner: SocketOwner;
}

/** A packet arriving on an interface. */
export interface ReceivedPacket {
  readonly protocol: number;
  readonly src: IpAddress;
  readonly sport: number;
  readonly dst: IpAddress;
  readonly dport: number;
  /** @defaultValue the default-route interface (eth0) */
  readonly iface?: string;
}

/** Per-packet options. */
export interface PacketOptions {
  /** Record every hop. @defaultValue false */
  readonly trace?: boolean;
  /** Use and update the conntrack table. @defaultValue true */
  readonly track?: boolean;
}

/** The source port the CLI's traces and the decision cache use when none is given. */
export const DEFAULT_SPORT = 40000;

const EPHEMERAL_MIN = 32768;
const EPHEMERAL_MAX = 60999;

const ZERO4: IpAddress = { family: 4, words: [0] };

/** One namespace's netfilter: rules, routing, conntrack. Mutable (conntrack, statistic counters). */
export class NetNamespace {
  readonly rules: CompiledRuleset;
  readonly interfaces: readonly NetnsInterface[];
  readonly conntrack = new Conntrack();
  private readonly ipForward: boolean;
  private readonly routeLocalnet: boolean;
  private readonly policyRoutes: readonly PolicyRoute[];
  private readonly random: RandomSource;
  private readonly defaultIface: NetnsInterface;
  private readonly ctx: TargetContext;
  private readonly localWords: ReadonlySet<string>;
  readonly isLocal: (ip: IpAddress) => boolean;
  private nextEphemeral = EPHEMERAL_MIN;

  constructor(options: NetNamespaceOptions) {
    this.rules = options.rules;
    this.interfaces = options.interfaces;
    this.ipForward = options.ipForward ?? false;
    this.routeLocalnet = options.routeLocalnet ?? false;
    this.policyRoutes = options.policyRoutes ?? [];
    this.random = options.random ?? new RandomStream('0', 'netfilter');
    const other = options.interfaces.find((i) => i.name !== 'lo');
    if (!options.interfaces.some((i) => i.name === 'lo') || other === undefined) {
      throw new InvariantError('a network namespace needs lo and one other interface');
    }
    this.defaultIface = other;
    this.localWords = new Set(
      options.interfaces.flatMap((i) => i.addresses.map((a) => `${a.family}:${a.words.join('.')}`)),
    );
    // The local table: every interface address, and all of 127.0.0.0/8 (`local 127.0.0.0/8 dev lo`).
    this.isLocal = (ip) =>
      (ip.family === 4 && isLoopback(ip)) || this.localWords.has(`${ip.family}:${ip.words.join('.')}`);
    this.ctx = { primaryAddress: (iface) => this.primary(iface, this.rules.family) };
  }

  /** The next ephemeral source port, as a connect() without bind() gets one. */
  ephemeralPort(): number {
    const port = this.nextEphemeral;
    this.nextEphemeral = port >= EPHEMERAL_MAX ? EPHEMERAL_MIN : port + 1;
    return port;
  }

  /** The first address of `family` on `iface`. */
  primary(iface: string, family: 4 | 6): IpAddress | undefined {
    return this.interfaces.find((i) => i.name === iface)?.addresses.find((a) => a.family === family);
  }

  /** The route for `dst` with `mark`: local delivery via lo, or out of the default interface. */
  route(dst: IpAddress, mark: number): { iface: string; local: boolean; policy?: PolicyRoute } {
    const policy = this.policyRoutes.find((r) => (mark & r.mask) >>> 0 === (r.fwmark & r.mask) >>> 0);
    if (policy !== undefined) return { iface: 'lo', local: true, policy };
    if (this.isLocal(dst)) return { iface: 'lo', local: true };
    return { iface: this.defaultIface.name, local: false };
  }

  private sourceFor(dst: IpAddress, route: { iface: string; local: boolean }): IpAddress {
    if (route.local) {
      if (isLoopback(dst)) return dst.family === 4 ? { family: 4, words: [0x7f000001] } : dst;
      return dst; // the local route's preferred source is the address itself
    }
    return this.primary(route.iface, dst.family) ?? (dst.family === 4 ? ZERO4 : { family: 6, words: [0, 0, 0, 0] });
  }

  private state(
    proto: number,
    src: IpAddress,
    sport: number,
    dst: IpAddress,
    dport: number,
    socket: SocketOwner | null,
  ): PacketState {
    const ct: CtView = { state: 'NEW', mark: 0, dnat: false, snat: false, zone: 0, notrack: false, template: null };
    return {
      family: dst.family,
      proto,
      src,
      sport,
      dst,
      dport,
      inIface: null,
      outIface: null,
      mark: 0,
      socket,
      hook: 'OUTPUT',
      ct,
      tproxy: null,
      reads: 0,
      isLocal: this.isLocal,
      random: this.random,
    };
  }

  /** Runs one table at one hook (if the table is loaded), recording it in the walk. */
  private table(w: Walk, name: TableName, hook: Hook): TableVerdict {
    const t = this.rules.tables[name];
    if (t === undefined) return 'ACCEPT';
    w.p.hook = hook;
    const hops: Hop[] | null = w.trace ? [] : null;
    const v = runTable(t, hook, w.p, this.ctx, hops);
    if (hops) w.tableStep(hook, name, hops, v);
    if (v === 'DROP') w.drop(`${name} ${hook}`);
    return v;
  }

  private checkFamily(ip: IpAddress): void {
    if (ip.family !== this.rules.family) {
      throw new InvariantError(
        `an IPv${ip.family} packet reached IPv${this.rules.family} rules; use the namespace of its family`,
      );
    }
  }

  /** Sends a packet from a local process and follows it until it leaves, is delivered locally, or is dropped. */
  output(pkt: LocalPacket, options: PacketOptions = {}): PacketOutcome {
    this.checkFamily(pkt.dst);
    const r0 = this.route(pkt.dst, 0);
    const src = pkt.src ?? this.sourceFor(pkt.dst, r0);
    const p = this.state(pkt.protocol, src, pkt.sport ?? this.ephemeralPort(), pkt.dst, pkt.dport, pkt.owner);
    p.outIface = r0.iface;
    const w = new Walk(p, options.trace ?? false);
    w.note(
      () =>
        `uid ${pkt.owner.uid} gid ${pkt.owner.gid} sends ${protocolName(p.proto)} ${formatEndpoint(p.src, p.sport)} → ${formatEndpoint(p.dst, p.dport)}; ` +
        `route: ${r0.local ? `local address, via lo` : `via ${r0.iface}`}`,
    );
    if (this.table(w, 'raw', 'OUTPUT') === 'DROP') return w.finish();
    const entry = this.lookup(w, options);
    if (entry !== undefined) return this.established(w, entry, 'OUTPUT');
    const markBefore = p.mark;
    if (this.table(w, 'mangle', 'OUTPUT') === 'DROP') return w.finish();
    this.reroute(w, markBefore, 'mangle OUTPUT changed the mark');
    if (!p.ct.notrack) {
      const [dst, dport] = [p.dst, p.dport];
      if (this.table(w, 'nat', 'OUTPUT') === 'DROP') return w.finish();
      if (p.dport !== dport || !ipEquals(p.dst, dst)) this.reroute(w, -1, 'destination rewritten');
    }
    if (this.table(w, 'filter', 'OUTPUT') === 'DROP') return w.finish();
    return this.postrouting(w, options, true);
  }

  /** Receives a packet on an interface and follows it to a local socket, out again (forwarding), or a drop. */
  input(pkt: ReceivedPacket, options: PacketOptions = {}): PacketOutcome {
    this.checkFamily(pkt.dst);
    const p = this.state(pkt.protocol, pkt.src, pkt.sport, pkt.dst, pkt.dport, null);
    p.inIface = pkt.iface ?? this.defaultIface.name;
    p.hook = 'PREROUTING';
    const w = new Walk(p, options.trace ?? false);
    w.note(
      () =>
        `received on ${p.inIface}: ${protocolName(p.proto)} ${formatEndpoint(p.src, p.sport)} → ${formatEndpoint(p.dst, p.dport)}`,
    );
    if (this.table(w, 'raw', 'PREROUTING') === 'DROP') return w.finish();
    const entry = this.lookup(w, options);
    if (entry !== undefined) return this.established(w, entry, 'PREROUTING');
    return this.prerouting(w, options, true);
  }

  // Conntrack lookup after raw: an existing connection skips nat entirely.
  private lookup(w: Walk, options: PacketOptions): { entry: ConntrackEntry; dir: 'original' | 'reply' } | undefined {
    const p = w.p;
    if (p.ct.notrack) {
      w.note(() => 'conntrack: untracked (CT --notrack), so no NAT');
      return undefined;
    }
    const found = options.track === false ? undefined : this.conntrack.lookup(p.ct.zone, p);
    if (found === undefined)
      w.note(
        () => `conntrack: new connection${p.ct.zone ? ` in zone ${p.ct.zone}` : ''}; nat table will decide its NAT`,
      );
    return found;
  }

  private prerouting(w: Walk, options: PacketOptions, isNew: boolean): PacketOutcome {
    const p = w.p;
    if (this.table(w, 'mangle', 'PREROUTING') === 'DROP') return w.finish();
    if (isNew && !p.ct.notrack && !w.dstBound) {
      if (this.table(w, 'nat', 'PREROUTING') === 'DROP') return w.finish();
      w.dstBound = true;
    } else if (w.dstBound && this.rules.tables.nat) {
      w.note(() => 'nat PREROUTING not consulted: the connection already has its destination NAT binding');
    }
    const r = this.route(p.dst, p.mark);
    if (p.tproxy && !r.policy) {
      w.note(
        () => `TPROXY set mark ${p.mark} but no policy route sends that mark to lo; the packet is routed normally`,
      );
    }
    if (r.local && !r.policy && p.inIface !== 'lo' && isLoopback(p.dst) && !this.routeLocalnet) {
      // ip_route_input_slow: a loopback destination arriving on another interface is a martian.
      w.note(
        () => `route: ${formatIp(p.dst)} arrived on ${p.inIface}: martian destination (route_localnet=0), dropped`,
      );
      w.drop('routing');
      return w.finish();
    }
    if (r.local) {
      w.note(() =>
        r.policy
          ? `route: fwmark ${r.policy.fwmark} → local table (ip rule fwmark … lookup …, local default dev lo)`
          : `route: ${formatIp(p.dst)} is local`,
      );
      p.inIface = p.inIface ?? 'lo';
      p.outIface = null;
      if (this.table(w, 'mangle', 'INPUT') === 'DROP') return w.finish();
      if (this.table(w, 'filter', 'INPUT') === 'DROP') return w.finish();
      if (isNew && !p.ct.notrack && !w.srcBound) {
        if (this.table(w, 'nat', 'INPUT') === 'DROP') return w.finish();
        w.srcBound = true;
      }
      this.confirm(w, options);
      return w.deliver();
    }
    if (!this.ipForward) {
      w.note(() => `route: ${formatIp(p.dst)} is not local and forwarding is off (net.ipv4.ip_forward=0): dropped`);
      w.drop('routing');
      return w.finish();
    }
    p.outIface = r.iface;
    w.note(() => `route: forward via ${r.iface}`);
    if (this.table(w, 'mangle', 'FORWARD') === 'DROP') return w.finish();
    if (this.table(w, 'filter', 'FORWARD') === 'DROP') return w.finish();
    return this.postrouting(w, options, isNew);
  }

  private postrouting(w: Walk, options: PacketOptions, isNew: boolean): PacketOutcome {
    const p = w.p;
    const inIface = p.inIface;
    p.inIface = null;
    if (this.table(w, 'mangle', 'POSTROUTING') === 'DROP') return w.finish();
    if (isNew && !p.ct.notrack && !w.srcBound) {
      if (this.table(w, 'nat', 'POSTROUTING') === 'DROP') return w.finish();
      w.srcBound = true;
    }
    if (inIface === null && !p.ct.notrack) w.dstBound = true; // locally generated: OUTPUT bound the destination
    this.confirm(w, options);
    if (p.outIface === 'lo') {
      // Loopback: the same skb, with its conntrack entry, comes back in through lo.
      w.note(() => 'lo: the packet loops back into this namespace (its conntrack entry travels with it)');
      p.inIface = 'lo';
      p.outIface = null;
      if (this.table(w, 'raw', 'PREROUTING') === 'DROP') return w.finish();
      return this.prerouting(w, options, isNew);
    }
    return w.leave(p.outIface ?? this.defaultIface.name);
  }

  private reroute(w: Walk, markBefore: number, why: string): void {
    const p = w.p;
    if (markBefore >= 0 && p.mark === markBefore) return;
    const r = this.route(p.dst, p.mark);
    if (r.iface !== p.outIface) {
      w.note(() => `reroute (${why}): now via ${r.iface}`);
      p.outIface = r.iface;
    }
  }

  private confirm(w: Walk, options: PacketOptions): void {
    const p = w.p;
    if (options.track === false || p.ct.notrack || w.confirmed) return;
    w.confirmed = true;
    const o = w.original;
    this.conntrack.confirm({
      zone: p.ct.zone,
      original: o,
      reply: { proto: p.proto, src: p.dst, sport: p.dport, dst: p.src, dport: p.sport },
      dnat: p.ct.dnat,
      snat: p.ct.snat,
      mark: p.ct.mark,
      seenReply: false,
      ...(p.tproxy ? { tproxy: p.tproxy } : {}),
    });
  }

  // A packet of a known connection: conntrack rewrites it; nat is not consulted.
  private established(
    w: Walk,
    found: { entry: ConntrackEntry; dir: 'original' | 'reply' },
    hook: 'OUTPUT' | 'PREROUTING',
  ): PacketOutcome {
    const { entry, dir } = found;
    const p = w.p;
    const wasNew = dir === 'original' && !entry.seenReply;
    if (dir === 'reply') entry.seenReply = true;
    p.ct.state = wasNew ? 'NEW' : 'ESTABLISHED';
    p.ct.mark = entry.mark;
    p.ct.dnat = entry.dnat;
    p.ct.snat = entry.snat;
    w.existing = { entry, dir };
    // The translated tuple: original direction → the reply tuple inverted; reply → the original inverted.
    const to =
      dir === 'original'
        ? { dst: entry.reply.src, dport: entry.reply.sport, src: entry.reply.dst, sport: entry.reply.dport }
        : {
            dst: entry.original.src,
            dport: entry.original.sport,
            src: entry.original.dst,
            sport: entry.original.dport,
          };
    w.note(
      () =>
        `conntrack: ${dir === 'reply' ? 'reply of' : 'packet of'} a tracked connection (${p.ct.state}); nat tables are not consulted`,
    );
    w.dstBound = true;
    w.srcBound = true;
    if (!ipEquals(to.dst, p.dst) || to.dport !== p.dport) {
      w.note(() => `conntrack rewrites the destination to ${formatEndpoint(to.dst, to.dport)}`);
      p.dst = to.dst;
      p.dport = to.dport;
    }
    w.pendingSrc = ipEquals(to.src, p.src) && to.sport === p.sport ? null : { ip: to.src, port: to.sport };
    if (entry.tproxy && dir === 'original') p.tproxy = entry.tproxy;
    if (hook === 'OUTPUT') {
      if (this.table(w, 'mangle', 'OUTPUT') === 'DROP') return w.finish();
      this.reroute(w, -1, 'conntrack');
      if (this.table(w, 'filter', 'OUTPUT') === 'DROP') return w.finish();
      return this.postrouting(w, { track: false }, false);
    }
    return this.prerouting(w, { track: false }, false);
  }
}
