/**
 * `-m multiport` (kernel net/netfilter/xt_multiport.c revision 1 `ports_match_v1`, iptables
 * extensions/libxt_multiport.c): up to 15 ports, where a range `a:b` counts as two.
 */
import { fail, formatPortRange, parsePortRange, type MatchModule, type OptionSpec } from '../extension.js';
import type { MultiportMatch, PortRange } from '../model.js';
import { Reads, type PacketState } from '../packet.js';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'source-ports', hasArg: true, invertible: true },
  { name: 'sports', hasArg: true, invertible: true },
  { name: 'destination-ports', hasArg: true, invertible: true },
  { name: 'dports', hasArg: true, invertible: true },
  { name: 'ports', hasArg: true, invertible: true },
];

// libxt_multiport check_proto: the protocols whose headers carry ports.
const PORT_PROTOCOLS = new Set([6, 17, 33, 132, 136]);
const XT_MULTI_PORTS = 15;

/** `-m multiport`. */
export const multiportMatch: MatchModule<MultiportMatch> = {
  name: 'multiport',
  options: OPTIONS,
  parse(uses, ctx): MultiportMatch {
    const what = '-m multiport';
    if (uses.length !== 1) {
      fail(ctx.where, what, 'exactly one of --sports, --dports or --ports is required');
    }
    const u = uses[0]!;
    if (ctx.protocol === undefined || ctx.protocol.invert || !PORT_PROTOCOLS.has(ctx.protocol.number)) {
      fail(ctx.where, what, 'multiport needs "-p tcp", "-p udp", "-p udplite", "-p sctp" or "-p dccp"');
    }
    const ports: PortRange[] = [];
    let slots = 0;
    for (const item of u.value.split(',')) {
      const r = parsePortRange(item);
      if (r === undefined || item === '') fail(ctx.where, what, `invalid port "${item}" in --${u.name}`);
      slots += r.min === r.max ? 1 : 2;
      ports.push(r);
    }
    if (slots > XT_MULTI_PORTS) fail(ctx.where, what, `too many ports specified (at most ${XT_MULTI_PORTS})`);
    const direction = u.name === 'ports' ? 'ports' : u.name.startsWith('s') ? 'sports' : 'dports';
    return { module: 'multiport', direction, ports, invert: u.invert };
  },
  save(m: MultiportMatch): string[] {
    return ['-m', 'multiport', ...(m.invert ? ['!'] : []), `--${m.direction}`, m.ports.map(formatPortRange).join(',')];
  },
  compile(m: MultiportMatch) {
    const { ports, direction, invert } = m;
    const checkSrc = direction !== 'dports';
    const checkDst = direction !== 'sports';
    return (p: PacketState): boolean => {
      if (checkSrc) p.reads |= Reads.SPORT;
      for (const r of ports) {
        if (checkSrc && p.sport >= r.min && p.sport <= r.max) return !invert;
        if (checkDst && p.dport >= r.min && p.dport <= r.max) return !invert;
      }
      return invert;
    };
  },
  observe(m: MultiportMatch, p: PacketState): string {
    return m.direction === 'dports'
      ? `dport ${p.dport}`
      : m.direction === 'sports'
        ? `sport ${p.sport}`
        : `ports ${p.sport}→${p.dport}`;
  },
};
