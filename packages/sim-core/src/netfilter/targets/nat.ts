/**
 * NAT targets of the nat table: REDIRECT, DNAT, SNAT, MASQUERADE (kernel net/netfilter/nf_nat_redirect.c,
 * xt_nat.c, nf_nat_masquerade.c; iptables extensions/libxt_REDIRECT.c, libxt_DNAT.c, libxt_MASQUERADE.c).
 * They rewrite the first packet's tuple; conntrack then rewrites the rest of the connection and its
 * replies, and keeps the original destination for `SO_ORIGINAL_DST`.
 *
 * REDIRECT's new address: from OUTPUT, the loopback address (127.0.0.1, ::1); from PREROUTING, the first
 * address of the incoming interface — the packet is dropped if it has none (`nf_nat_redirect_ipv4`).
 * Port ranges resolve to their first port and address ranges to their first address: meshsim does not
 * model tuple clashes, so the kernel's search for a free tuple always succeeds at its first candidate.
 */
import { formatEndpoint, formatIp, ipEquals, parseIp, type IpAddress } from '../addr.js';
import {
  fail,
  formatPortRange,
  parsePortRange,
  type OptionUse,
  type ParseContext,
  type TargetModule,
} from '../extension.js';
import type { NatRange, PortRange, Target } from '../model.js';
import { Reads, type PacketState } from '../packet.js';

type Redirect = Extract<Target, { kind: 'REDIRECT' }>;
type Xnat = Extract<Target, { kind: 'DNAT' | 'SNAT' }>;
type Masquerade = Extract<Target, { kind: 'MASQUERADE' }>;

const PORT_PROTOS = [6, 17, 33, 132, 136]; // tcp, udp, dccp, sctp, udplite

function needPortProto(ctx: ParseContext, what: string): void {
  if (ctx.protocol === undefined || ctx.protocol.invert || !PORT_PROTOS.includes(ctx.protocol.number)) {
    fail(ctx.where, what, 'need TCP, UDP, SCTP or DCCP with port specification');
  }
}

// `port` or `min-max` (the NAT targets use '-' for ranges).
function parseNatPorts(text: string): PortRange | undefined {
  const r = parsePortRange(text.replace('-', ':'));
  return r !== undefined && r.min > 0 ? r : undefined;
}
const formatNatPorts = (r: PortRange): string => formatPortRange(r).replace(':', '-');

const flag = (uses: readonly OptionUse[], name: string): boolean => uses.some((u) => u.name === name);

/** Parses `[ip[-ip]][:port[-port]]` (IPv6 addresses in brackets when a port follows). */
function parseNatRange(text: string, ctx: ParseContext, what: string): NatRange {
  let addrPart = text;
  let portPart: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(.+))?$/.exec(text);
  if (bracket !== null) {
    addrPart = bracket[1] as string;
    portPart = bracket[2];
  } else if (ctx.family === 4 && text.includes(':')) {
    const i = text.indexOf(':');
    addrPart = text.slice(0, i);
    portPart = text.slice(i + 1);
  }
  const range: { minAddr?: IpAddress; maxAddr?: IpAddress; ports?: PortRange } = {};
  if (addrPart !== '') {
    const [lo, hi, extra] = addrPart.split('-');
    const min = parseIp(lo ?? '');
    const max = hi === undefined ? min : parseIp(hi);
    if (
      extra !== undefined ||
      min === undefined ||
      max === undefined ||
      min.family !== ctx.family ||
      max.family !== ctx.family
    ) {
      fail(ctx.where, what, `bad IP address "${addrPart}"`);
    }
    range.minAddr = min;
    range.maxAddr = max;
  }
  if (portPart !== undefined) {
    needPortProto(ctx, what);
    const ports = parseNatPorts(portPart);
    if (ports === undefined) fail(ctx.where, what, `port "${portPart}" not valid`);
    range.ports = ports;
  }
  if (range.minAddr === undefined && range.ports === undefined) fail(ctx.where, what, `bad address "${text}"`);
  return range;
}

function formatNatRange(r: NatRange): string {
  let addr = '';
  if (r.minAddr) {
    addr = formatIp(r.minAddr);
    if (r.maxAddr && formatIp(r.maxAddr) !== addr) addr += `-${formatIp(r.maxAddr)}`;
    if (r.minAddr.family === 6 && r.ports) addr = `[${addr}]`;
  }
  return r.ports ? `${addr}:${formatNatPorts(r.ports)}` : addr;
}

function rewriteDst(p: PacketState, ip: IpAddress, port: number): void {
  if (port !== p.dport || !ipEquals(ip, p.dst)) p.ct.dnat = true; // IPS_DST_NAT on change
  p.dst = ip;
  p.dport = port;
}

function rewriteSrc(p: PacketState, ip: IpAddress, port: number): void {
  if (port !== p.sport || !ipEquals(ip, p.src)) p.ct.snat = true;
  p.src = ip;
  p.sport = port;
}

const LOOPBACK4: IpAddress = { family: 4, words: [0x7f000001] };
const LOOPBACK6: IpAddress = { family: 6, words: [0, 0, 0, 1] };

/** `-j REDIRECT [--to-ports p[-q]] [--random]`. */
export const redirectTarget: TargetModule<Redirect> = {
  name: 'REDIRECT',
  options: [
    { name: 'to-ports', hasArg: true, invertible: false },
    { name: 'random', hasArg: false, invertible: false },
  ],
  table: 'nat',
  hooks: ['PREROUTING', 'OUTPUT'],
  parse(uses, ctx): Redirect {
    const to = uses.find((u) => u.name === 'to-ports');
    if (to === undefined) return { kind: 'REDIRECT', random: flag(uses, 'random') };
    needPortProto(ctx, '-j REDIRECT');
    const ports = parseNatPorts(to.value);
    if (ports === undefined) fail(ctx.where, '-j REDIRECT', `invalid port/service "${to.value}"`);
    return { kind: 'REDIRECT', ports, random: flag(uses, 'random') };
  },
  save: (t) => [...(t.ports ? ['--to-ports', formatNatPorts(t.ports)] : []), ...(t.random ? ['--random'] : [])],
  run(t, p, ctx) {
    let ip: IpAddress | undefined;
    if (p.hook === 'OUTPUT') ip = p.family === 4 ? LOOPBACK4 : LOOPBACK6;
    else ip = p.inIface === null ? undefined : ctx.primaryAddress(p.inIface);
    if (ip === undefined) return 'DROP'; // no address on the incoming interface
    rewriteDst(p, ip, t.ports ? t.ports.min : p.dport);
    return 'ACCEPT';
  },
  describe: (_t, p) => `REDIRECT to ${formatEndpoint(p.dst, p.dport)}`,
};

function xnat(kind: 'DNAT' | 'SNAT'): TargetModule<Xnat> {
  const opt = kind === 'DNAT' ? 'to-destination' : 'to-source';
  return {
    name: kind,
    options: [
      { name: opt, hasArg: true, invertible: false },
      { name: 'random', hasArg: false, invertible: false },
      { name: 'persistent', hasArg: false, invertible: false },
    ],
    table: 'nat',
    hooks: kind === 'DNAT' ? ['PREROUTING', 'OUTPUT'] : ['POSTROUTING', 'INPUT'],
    parse(uses, ctx): Xnat {
      const to = uses.filter((u) => u.name === opt);
      if (to.length !== 1) fail(ctx.where, `-j ${kind}`, `--${opt} is required exactly once`);
      const range = parseNatRange(to[0]!.value, ctx, `-j ${kind}`);
      return { kind, range, random: flag(uses, 'random'), persistent: flag(uses, 'persistent') };
    },
    save: (t) => [
      `--${opt}`,
      formatNatRange(t.range),
      ...(t.random ? ['--random'] : []),
      ...(t.persistent ? ['--persistent'] : []),
    ],
    run(t, p) {
      const r = t.range;
      if (kind === 'DNAT') rewriteDst(p, r.minAddr ?? p.dst, r.ports ? r.ports.min : p.dport);
      else rewriteSrc(p, r.minAddr ?? p.src, r.ports ? r.ports.min : p.sport);
      return 'ACCEPT';
    },
    describe: (_t, p) =>
      kind === 'DNAT' ? `DNAT to ${formatEndpoint(p.dst, p.dport)}` : `SNAT to ${formatEndpoint(p.src, p.sport)}`,
  };
}

/** `-j DNAT --to-destination ip[:port]`. */
export const dnatTarget: TargetModule<Xnat> = xnat('DNAT');
/** `-j SNAT --to-source ip[:port]`. */
export const snatTarget: TargetModule<Xnat> = xnat('SNAT');

/** `-j MASQUERADE [--to-ports p[-q]] [--random] [--random-fully]`: SNAT to the outgoing interface's address. */
export const masqueradeTarget: TargetModule<Masquerade> = {
  name: 'MASQUERADE',
  options: [
    { name: 'to-ports', hasArg: true, invertible: false },
    { name: 'random', hasArg: false, invertible: false },
    { name: 'random-fully', hasArg: false, invertible: false },
  ],
  table: 'nat',
  hooks: ['POSTROUTING'],
  parse(uses, ctx): Masquerade {
    const to = uses.find((u) => u.name === 'to-ports');
    const base = { kind: 'MASQUERADE' as const, random: flag(uses, 'random'), randomFully: flag(uses, 'random-fully') };
    if (to === undefined) return base;
    needPortProto(ctx, '-j MASQUERADE');
    const ports = parseNatPorts(to.value);
    if (ports === undefined) fail(ctx.where, '-j MASQUERADE', `invalid port "${to.value}"`);
    return { ...base, ports };
  },
  save: (t) => [
    ...(t.ports ? ['--to-ports', formatNatPorts(t.ports)] : []),
    ...(t.random ? ['--random'] : []),
    ...(t.randomFully ? ['--random-fully'] : []),
  ],
  run(t, p, ctx) {
    const ip = p.outIface === null ? undefined : ctx.primaryAddress(p.outIface);
    if (ip === undefined) return 'DROP'; // nf_nat_masquerade_ipv4: no address to masquerade to
    let port = t.ports ? t.ports.min : p.sport;
    if (t.randomFully && t.ports === undefined && (p.proto === 6 || p.proto === 17)) {
      // NF_NAT_RANGE_PROTO_RANDOM_FULLY: first candidate is min + get_random_u16() % size, in 1024–65535.
      p.reads |= Reads.STATEFUL;
      port = 1024 + ((p.random.random() % 65536) % 64512);
    }
    rewriteSrc(p, ip, port);
    return 'ACCEPT';
  },
  describe: (_t, p) => `MASQUERADE to ${formatEndpoint(p.src, p.sport)}`,
};
