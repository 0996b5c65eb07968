/**
 * `-m tcp` / `-m udp` (kernel net/netfilter/xt_tcpudp.c `tcp_mt`/`udp_mt`, iptables extensions/libxt_tcp.c
 * and libxt_udp.c): source and destination port ranges, each negatable. Loaded implicitly by `-p tcp`
 * when a port option follows, as iptables' `command_default` does.
 */
import {
  fail,
  formatPortRange,
  parsePortRange,
  type MatchModule,
  type OptionSpec,
  type OptionUse,
  type ParseContext,
} from '../extension.js';
import type { Negatable, PortRange, TcpUdpMatch } from '../model.js';
import { Reads, type PacketState } from '../packet.js';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'source-port', hasArg: true, invertible: true },
  { name: 'sport', hasArg: true, invertible: true },
  { name: 'destination-port', hasArg: true, invertible: true },
  { name: 'dport', hasArg: true, invertible: true },
];

const inRange = (r: PortRange, port: number): boolean => port >= r.min && port <= r.max;

function makeModule(name: 'tcp' | 'udp', proto: number): MatchModule<TcpUdpMatch> {
  return {
    name,
    options: OPTIONS,
    parse(uses: readonly OptionUse[], ctx: ParseContext, implicit: boolean): TcpUdpMatch {
      const what = `-m ${name}`;
      // x_tables xt_check_match: a match registered for one protocol needs that `-p`, not negated.
      if (ctx.protocol === undefined || ctx.protocol.number !== proto || ctx.protocol.invert) {
        fail(ctx.where, what, `only valid for "-p ${name}" (xt_check_match refuses it for other protocols)`);
      }
      let sport: Negatable<PortRange> | undefined;
      let dport: Negatable<PortRange> | undefined;
      for (const u of uses) {
        const range = parsePortRange(u.value);
        if (range === undefined) fail(ctx.where, what, `invalid port/service "${u.value}" for --${u.name}`);
        if (u.name === 'sport' || u.name === 'source-port') {
          if (sport !== undefined) fail(ctx.where, what, 'only one --sport allowed');
          sport = { value: range, invert: u.invert };
        } else {
          if (dport !== undefined) fail(ctx.where, what, 'only one --dport allowed');
          dport = { value: range, invert: u.invert };
        }
      }
      return { module: name, implicit, ...(sport ? { sport } : {}), ...(dport ? { dport } : {}) };
    },
    save(m: TcpUdpMatch): string[] {
      const out = ['-m', name];
      // libxt_tcp save: a port option is printed unless it is the full, un-negated range.
      const put = (opt: string, n: Negatable<PortRange> | undefined): void => {
        if (n === undefined || (n.value.min === 0 && n.value.max === 65535 && !n.invert)) return;
        if (n.invert) out.push('!');
        out.push(opt, formatPortRange(n.value));
      };
      put('--sport', m.sport);
      put('--dport', m.dport);
      return out;
    },
    compile(m: TcpUdpMatch) {
      const sport = m.sport;
      const dport = m.dport;
      return (p: PacketState): boolean => {
        if (p.proto !== proto) return false;
        if (sport !== undefined) {
          p.reads |= Reads.SPORT;
          if (inRange(sport.value, p.sport) === sport.invert) return false;
        }
        if (dport !== undefined && inRange(dport.value, p.dport) === dport.invert) return false;
        return true;
      };
    },
    observe(m: TcpUdpMatch, p: PacketState): string {
      const parts: string[] = [];
      if (m.sport !== undefined) parts.push(`sport ${p.sport}`);
      if (m.dport !== undefined) parts.push(`dport ${p.dport}`);
      return parts.join(', ');
    },
  };
}

/** `-m tcp`. */
export const tcpMatch: MatchModule<TcpUdpMatch> = makeModule('tcp', 6);
/** `-m udp`. */
export const udpMatch: MatchModule<TcpUdpMatch> = makeModule('udp', 17);
